"""Dated changes of a group's status and certification.

Every status change goes through change_status, which writes a
GroupStatusChange and keeps CivicGroup.status and dissolved_on equal to the
change in effect today. Certifications are recorded as rows with their own
start and end, and a renewal is a new row that starts the day after the
previous one ends. The registry's as-of-date queries read these rows only.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_portal.accounts.models import User
from civic_portal.fiscal import JAPAN
from groups.models import Certification, CivicGroup, GroupStatusChange

logger = logging.getLogger(__name__)

# The legal forms that can hold a certification, and the form a group
# takes while a certification of each kind covers today.
CERTIFIABLE_FORMS = (
    CivicGroup.LegalForm.NPO,
    CivicGroup.LegalForm.CERTIFIED_NPO,
    CivicGroup.LegalForm.SPECIAL_CERTIFIED_NPO,
)
FORM_FOR_CERTIFICATION = {
    Certification.Kind.CERTIFIED: CivicGroup.LegalForm.CERTIFIED_NPO,
    Certification.Kind.SPECIAL: CivicGroup.LegalForm.SPECIAL_CERTIFIED_NPO,
}


def today_in_japan() -> dt.date:
    return timezone.localdate(timezone=JAPAN)


def lock_group(group_id: int) -> CivicGroup:
    """Return the group's row locked until the transaction ends.

    Writers of a group's staff, status and review lock this row first, so
    two requests on one group run one after the other on PostgreSQL.
    SQLite ignores the lock, but it lets one transaction write at a time.
    """
    return CivicGroup.objects.select_for_update().get(pk=group_id)


def status_on(group: CivicGroup, day: dt.date) -> str | None:
    """Return the status in effect on *day*, or None before the first change."""
    change = (
        group.status_changes.filter(effective_on__lte=day)
        .order_by("-effective_on", "-pk")
        .first()
    )
    return change.status if change else None


def _require_registered(group: CivicGroup) -> dt.date:
    if group.registered_on is None:
        raise ValidationError(
            _("The group is not registered yet. Decide its application first.")
        )
    return group.registered_on


def _sync_current_status(group: CivicGroup) -> None:
    today = today_in_japan()
    current = (
        group.status_changes.filter(effective_on__lte=today)
        .order_by("-effective_on", "-pk")
        .first()
    )
    if current is None:
        return
    group.status = current.status
    group.dissolved_on = (
        current.effective_on if current.status == CivicGroup.Status.DISSOLVED else None
    )
    group.save(update_fields=["status", "dissolved_on", "updated_at"])


@transaction.atomic
def change_status(
    group: CivicGroup,
    status: str,
    effective_on: dt.date,
    by: User | None,
    note: str = "",
) -> GroupStatusChange:
    """Record that *group* has *status* from *effective_on* on.

    A date in the past is allowed, so a dissolution reported late still
    gives the right status for every date. A date in the future is
    rejected because nothing would update the current status on that day.
    """
    group = lock_group(group.pk)
    if status not in CivicGroup.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    if effective_on > today_in_japan():
        raise ValidationError(
            {"effective_on": _("The date is in the future. Enter today or earlier.")}
        )
    registered_on = _require_registered(group)
    if effective_on < registered_on:
        raise ValidationError(
            {
                "effective_on": _(
                    "The date is before the group was registered on %(date)s."
                )
                % {"date": registered_on.isoformat()}
            }
        )
    if status_on(group, effective_on) == status:
        raise ValidationError(
            {"status": _("The group already has this status on that date.")}
        )
    change = GroupStatusChange.objects.create(
        group=group,
        status=status,
        effective_on=effective_on,
        note=note,
        recorded_by=by,
    )
    _sync_current_status(group)
    logger.info(
        "Group %s status %s from %s recorded by user %s",
        group.pk,
        status,
        effective_on,
        by.pk if by else None,
    )
    return change


def _previous_certification(
    group: CivicGroup, certified_on: dt.date
) -> Certification | None:
    """Return the certification that a new one from *certified_on* renews."""
    return (
        group.certifications.filter(
            expires_on=certified_on - dt.timedelta(days=1), revoked_on__isnull=True
        )
        .order_by("-certified_on")
        .first()
    )


@transaction.atomic
def record_certification(
    group: CivicGroup,
    kind: str,
    certified_on: dt.date,
    by: User | None,
) -> Certification:
    """Record a certification of *kind* from *certified_on* for *group*.

    The expiry follows from the kind (five years, or three for a special
    certification). A certification that starts the day after another
    one ends is stored as its renewal. While the new certification covers
    today the group's legal form becomes the matching certified form.
    """
    group = lock_group(group.pk)
    _require_registered(group)
    if kind not in Certification.Kind.values:
        raise ValidationError({"certification_kind": _("Choose a valid kind.")})
    if group.legal_form not in CERTIFIABLE_FORMS:
        raise ValidationError(
            _("Only an NPO corporation can be certified. Change the legal form first.")
        )
    if group.certifications.covering(certified_on).exists():
        raise ValidationError(
            {
                "certified_on": _(
                    "Another certification already covers this date. A renewal "
                    "starts the day after the current one expires."
                )
            }
        )
    expires_on = Certification.expiry_for(kind, certified_on)
    if group.certifications.filter(
        certified_on__gt=certified_on, certified_on__lte=expires_on
    ).exists():
        raise ValidationError(
            {"certified_on": _("This certification would overlap a later one.")}
        )
    certification = Certification.objects.create(
        group=group,
        kind=kind,
        certified_on=certified_on,
        expires_on=expires_on,
        renewal_of=_previous_certification(group, certified_on),
    )
    # The daily sync_certified_forms turns the form back when the
    # certification ends. Counts read Certification rows, not the form.
    if certification.covers(today_in_japan()):
        group.legal_form = FORM_FOR_CERTIFICATION[Certification.Kind(kind)]
        group.save(update_fields=["legal_form", "updated_at"])
    logger.info(
        "Group %s certification %s from %s recorded by user %s",
        group.pk,
        kind,
        certified_on,
        by.pk if by else None,
    )
    return certification


def renew_certification(certification: Certification, by: User | None) -> Certification:
    """Record the renewal of *certification*: a full certification from its end.

    A special certification cannot be renewed as special, so the row that
    follows any certification is a full certification.
    """
    return record_certification(
        certification.group,
        Certification.Kind.CERTIFIED,
        certification.expires_on + dt.timedelta(days=1),
        by,
    )


def sync_certified_forms(day: dt.date | None = None) -> int:
    """Set each NPO's legal form to match the certification covering *day*.

    A group whose certification expired or was revoked goes back to an
    NPO corporation, and one whose certification started since it was
    recorded takes the certified form. Groups with no certification rows
    (an import gives only the form) keep their form. Returns the number
    of groups changed.
    """
    day = day or today_in_japan()
    changed = 0
    covering = Certification.objects.covering(day)
    for form, kind in (
        (CivicGroup.LegalForm.CERTIFIED_NPO, Certification.Kind.CERTIFIED),
        (CivicGroup.LegalForm.SPECIAL_CERTIFIED_NPO, Certification.Kind.SPECIAL),
    ):
        changed += (
            CivicGroup.objects.filter(legal_form__in=CERTIFIABLE_FORMS)
            .exclude(legal_form=form)
            .filter(pk__in=covering.filter(kind=kind).values("group_id"))
            .update(legal_form=form, updated_at=timezone.now())
        )
    changed += (
        CivicGroup.objects.filter(
            legal_form__in=FORM_FOR_CERTIFICATION.values(),
            pk__in=Certification.objects.values("group_id"),
        )
        .exclude(pk__in=covering.values("group_id"))
        .update(legal_form=CivicGroup.LegalForm.NPO, updated_at=timezone.now())
    )
    logger.info("Certified legal forms synced for %s: %d groups changed", day, changed)
    return changed
