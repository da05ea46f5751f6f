"""Writes on health-points programmes: enrolling, withdrawing, logging exports."""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_portal.accounts import ages
from civic_portal.accounts.api_authentication import issue_token
from civic_portal.accounts.models import User
from partner_links.consent import check_guardian_consent
from partner_links.models import ExportLog, PointsProgramme, ProgrammeEnrolment

logger = logging.getLogger(__name__)


def normalize_membership_id(value: str) -> str:
    """Return *value* with full-width characters made half-width and spaces trimmed."""
    return unicodedata.normalize("NFKC", value or "").strip()


def validate_membership_id(programme: PointsProgramme, value: str) -> str:
    """Return *value* normalised, or raise ValidationError on a wrong format."""
    membership_id = normalize_membership_id(value)
    if programme.membership_id_matches(membership_id):
        return membership_id
    if programme.membership_id_example:
        message = _(
            "This is not a valid membership id of %(programme)s. Check your "
            "membership card: an id looks like %(example)s."
        )
    else:
        message = _(
            "This is not a valid membership id of %(programme)s. Check your "
            "membership card."
        )
    raise ValidationError(
        message,
        code="invalid_membership_id",
        params={
            "programme": programme.name,
            "example": programme.membership_id_example,
        },
    )


def enrol(
    *, resident: User, programme: PointsProgramme, membership_id: str
) -> ProgrammeEnrolment:
    """Record *resident*'s membership id and consent to share with the partner, now.

    The caller has shown what will be shared and the resident has agreed.
    Raises ValidationError when the programme is inactive, the resident
    needs a guardian's agreement that is not on record, the membership id
    has the wrong format or is in use by another consenting resident of
    this programme, or the resident already consents to this programme.
    A partial unique constraint on each pair backs the checks against
    concurrent requests.
    """
    if not programme.is_active:
        raise ValidationError(
            _("%(programme)s no longer accepts new members on the portal."),
            code="programme_inactive",
            params={"programme": programme.name},
        )
    check_guardian_consent(resident, ages.today_in_japan())
    normalized = validate_membership_id(programme, membership_id)
    already = ValidationError(
        _("You are already enrolled in %(programme)s."),
        code="already_enrolled",
        params={"programme": programme.name},
    )
    id_in_use = ValidationError(
        {
            "membership_id": ValidationError(
                _(
                    "Membership id %(membership_id)s is already registered by "
                    "another resident in %(programme)s. Check the id on your "
                    "membership card, or ask %(programme)s for help."
                ),
                code="membership_id_in_use",
                params={"membership_id": normalized, "programme": programme.name},
            )
        }
    )
    consenting = ProgrammeEnrolment.objects.filter(
        programme=programme, withdrawn_at__isnull=True
    )
    if consenting.filter(resident=resident).exists():
        raise already
    if consenting.filter(membership_id=normalized).exists():
        raise id_in_use
    try:
        with transaction.atomic():
            enrolment = ProgrammeEnrolment.objects.create(
                programme=programme,
                resident=resident,
                membership_id=normalized,
                consented_at=timezone.now(),
            )
    except IntegrityError as error:
        # A concurrent request won the race, either of the same resident
        # or of another resident with the same membership id.
        if consenting.filter(resident=resident).exists():
            raise already from error
        raise id_in_use from error
    logger.info(
        "User %s enrolled in programme %s (enrolment %s)",
        resident.pk,
        programme.pk,
        enrolment.pk,
    )
    return enrolment


def withdraw(*, enrolment: ProgrammeEnrolment) -> bool:
    """Withdraw the consent of *enrolment* now, or return False if already withdrawn.

    Every export run after this leaves the resident out, also for
    activities before the withdrawal.
    """
    now = timezone.now()
    updated = ProgrammeEnrolment.objects.filter(
        pk=enrolment.pk, withdrawn_at__isnull=True
    ).update(withdrawn_at=now)
    if not updated:
        return False
    enrolment.withdrawn_at = now
    logger.info(
        "User %s withdrew consent for programme %s (enrolment %s)",
        enrolment.resident_id,
        enrolment.programme_id,
        enrolment.pk,
    )
    return True


def record_export(
    *,
    programme: PointsProgramme,
    exported_by: User,
    channel: str,
    since: dt.date | None,
    until: dt.date | None,
    row_count: int,
) -> ExportLog:
    """Log one export: who, which programme, the date range and the row count."""
    entry = ExportLog.objects.create(
        programme=programme,
        exported_by=exported_by,
        channel=channel,
        since=since,
        until=until,
        row_count=row_count,
    )
    logger.info(
        "Programme %s export by user %s via %s: %s to %s, %s rows",
        programme.pk,
        exported_by.pk,
        channel,
        since or "start",
        until or "today",
        row_count,
    )
    return entry


def replace_api_token(*, user: User) -> str:
    """Give partner account *user* a new API token and return its key.

    The previous token stops working at once.
    """
    key = issue_token(user.pk)
    logger.info("API token of partner account %s replaced", user.pk)
    return key
