"""Recording and withdrawing a parent's or guardian's agreement for a minor.

A resident under 18 confirms the agreement at sign-up. When it arrives
later (on a paper form, by e-mail or in person), centre staff record it
here, and they withdraw it when a parent or guardian asks. User keeps the
current state and GuardianConsentChange keeps every change. Campaign photo
uploads and exports, and sharing with partners and schools, read
User.guardian_consent_at, so a withdrawal stops them at once.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from civic_portal.accounts import ages
from civic_portal.accounts.models import (
    GuardianConsentChange,
    GuardianConsentMethod,
    User,
)
from civic_portal.fiscal import JAPAN
from groups.permissions import is_centre_staff

logger = logging.getLogger(__name__)

# Centre staff record agreements that arrived on paper, by e-mail or in
# person; sign-up is the resident's own confirmation.
STAFF_METHODS = (
    GuardianConsentMethod.PAPER,
    GuardianConsentMethod.EMAIL,
    GuardianConsentMethod.IN_PERSON,
)


def find_resident_by_email(email: str) -> User | None:
    """Return the active account with *email* (case-insensitive), if any."""
    return User.objects.filter(email__iexact=email.strip(), is_active=True).first()


def _check_centre_staff(user: User) -> None:
    if not is_centre_staff(user):
        raise PermissionDenied("Only support centre staff may change this.")


def _lock(resident: User) -> User:
    return User.objects.select_for_update().get(pk=resident.pk)


def record_guardian_consent(
    resident: User,
    *,
    agreed_on: dt.date,
    method: str,
    recorded_by: User,
) -> GuardianConsentChange:
    """Record that a parent or guardian of *resident* agreed on *agreed_on*.

    Raises PermissionDenied unless *recorded_by* is centre staff, and
    ValidationError when the resident is not under 18 or their birth date
    is unknown, when *agreed_on* is in the future or before the resident's
    birth date, or when *method* is not one of STAFF_METHODS. Recording
    again replaces the current agreement.
    """
    _check_centre_staff(recorded_by)
    today = ages.today_in_japan()
    if method not in STAFF_METHODS:
        raise ValidationError(
            {"method": _("Choose how the agreement was received.")},
            code="invalid_method",
        )
    if agreed_on > today:
        raise ValidationError(
            {"agreed_on": _("The date is in the future. Enter the day it was given.")},
            code="future_date",
        )
    with transaction.atomic():
        locked = _lock(resident)
        if locked.birth_date is None:
            raise ValidationError(
                _(
                    "The resident's birth date is missing, so the portal cannot "
                    "tell whether they are under %(age)d. Ask them to add it to "
                    "their profile first."
                )
                % {"age": ages.AGE_OF_MAJORITY},
                code="birth_date_missing",
            )
        if not ages.needs_guardian_consent(locked.birth_date, today):
            raise ValidationError(
                _(
                    "The resident is %(age)d or over, so no parent's or "
                    "guardian's agreement is needed."
                )
                % {"age": ages.AGE_OF_MAJORITY},
                code="not_a_minor",
            )
        if agreed_on < locked.birth_date:
            birth_day = date_format(locked.birth_date, "DATE_FORMAT")
            message = _(
                "The date is before the resident's birth date (%(birth_date)s). "
                "Enter the day the agreement was given."
            ) % {"birth_date": birth_day}
            raise ValidationError(
                {"agreed_on": ValidationError(message, code="before_birth_date")}
            )
        _set_state(
            locked,
            at=dt.datetime.combine(agreed_on, dt.time.min, tzinfo=JAPAN),
            method=method,
            recorded_by=recorded_by,
        )
        change = GuardianConsentChange.objects.create(
            user=locked,
            action=GuardianConsentChange.Action.RECORDED,
            agreed_on=agreed_on,
            method=method,
            changed_by=recorded_by,
        )
    _copy_state(locked, resident)
    logger.info(
        "User %s recorded the guardian agreement of user %s",
        recorded_by.pk,
        resident.pk,
    )
    return change


def withdraw_guardian_consent(
    resident: User, *, reason: str, withdrawn_by: User
) -> GuardianConsentChange:
    """Remove *resident*'s recorded agreement, giving *reason*.

    Raises PermissionDenied unless *withdrawn_by* is centre staff, and
    ValidationError when the reason is empty or no agreement is recorded.
    """
    _check_centre_staff(withdrawn_by)
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Give the reason for withdrawing the agreement.")},
            code="reason_missing",
        )
    with transaction.atomic():
        locked = _lock(resident)
        if locked.guardian_consent_at is None:
            raise ValidationError(
                _(
                    "No agreement is recorded for this resident, so none can "
                    "be withdrawn."
                ),
                code="nothing_to_withdraw",
            )
        _set_state(locked, at=None, method="", recorded_by=None)
        change = GuardianConsentChange.objects.create(
            user=locked,
            action=GuardianConsentChange.Action.WITHDRAWN,
            reason=reason,
            changed_by=withdrawn_by,
        )
    _copy_state(locked, resident)
    logger.info(
        "User %s withdrew the guardian agreement of user %s",
        withdrawn_by.pk,
        resident.pk,
    )
    return change


STATE_FIELDS = (
    "guardian_consent_at",
    "guardian_consent_method",
    "guardian_consent_recorded_by",
)


def _set_state(
    resident: User,
    *,
    at: dt.datetime | None,
    method: str,
    recorded_by: User | None,
) -> None:
    resident.guardian_consent_at = at
    resident.guardian_consent_method = method
    resident.guardian_consent_recorded_by = recorded_by
    resident.save(update_fields=list(STATE_FIELDS))


def _copy_state(source: User, target: User) -> None:
    target.guardian_consent_at = source.guardian_consent_at
    target.guardian_consent_method = source.guardian_consent_method
    target.guardian_consent_recorded_by = source.guardian_consent_recorded_by


def guardian_consent_history(resident: User) -> list[GuardianConsentChange]:
    """Return every change of *resident*'s agreement, newest first."""
    return list(
        GuardianConsentChange.objects.filter(user=resident)
        .select_related("changed_by")
        .order_by("-changed_at", "-pk")
    )


def agreed_on(resident: User) -> dt.date | None:
    """Return the day of *resident*'s current agreement in Japan time, if any."""
    if resident.guardian_consent_at is None:
        return None
    return timezone.localtime(resident.guardian_consent_at, JAPAN).date()
