"""Recognitions: awards and model business sites by fiscal year.

Recognitions entered in the portal and the historical totals from before
it are returned apart, because the totals count the same kinds of
recognition over years that overlap the portal's records. The public
reads only recognitions in force. The chief facilitator and prefectural
staff record, edit and withdraw them (can_manage_recognitions).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_portal.fiscal import JAPAN, fiscal_year_label
from civic_portal.types import AnyUser
from facilitation.models import HistoricalRecognitionTotal, Recognition, RecognitionKind
from facilitation.permissions import can_manage_recognitions

logger = logging.getLogger(__name__)

# The fields that the recognition form sets.
RECOGNITION_FIELDS = (
    "kind",
    "fiscal_year",
    "title",
    "citation",
    "group",
    "partner",
    "designated_on",
)


@dataclass(frozen=True)
class YearSummary:
    """The number of recognitions of each kind entered for one fiscal year."""

    year: int
    label: str
    awards: int
    model_business_sites: int


def year_summaries() -> list[YearSummary]:
    """Return one summary per fiscal year with portal records, newest first."""
    rows = (
        Recognition.objects.in_force()
        .values("fiscal_year")
        .annotate(
            awards=Count("pk", filter=Q(kind=RecognitionKind.AWARD)),
            sites=Count("pk", filter=Q(kind=RecognitionKind.MODEL_BUSINESS_SITE)),
        )
        .order_by("-fiscal_year")
    )
    return [
        YearSummary(
            year=row["fiscal_year"],
            label=fiscal_year_label(row["fiscal_year"]),
            awards=row["awards"],
            model_business_sites=row["sites"],
        )
        for row in rows
    ]


def recognitions_of_year(year: int) -> dict[str, list[Recognition]]:
    """Return the portal's recognitions of fiscal *year*, by kind, in date order."""
    by_kind: dict[str, list[Recognition]] = {kind: [] for kind in RecognitionKind}
    queryset = (
        Recognition.objects.in_force()
        .in_fiscal_year(year)
        .with_recipient()
        .order_by("designated_on", "pk")
    )
    for recognition in queryset:
        by_kind[recognition.kind].append(recognition)
    return by_kind


def historical_totals() -> QuerySet[HistoricalRecognitionTotal]:
    return HistoricalRecognitionTotal.objects.order_by("kind", "first_fiscal_year")


def _require_manager(user: AnyUser) -> None:
    if not can_manage_recognitions(user):
        raise ValidationError(
            _("Only the chief facilitator and prefectural staff record recognitions."),
            code="not_recognition_manager",
        )


def _check_designation(recognition: Recognition) -> None:
    """Raise ValidationError for a future date or a second one of the same year."""
    today = timezone.localdate(timezone=JAPAN)
    if recognition.designated_on is not None and recognition.designated_on > today:
        message = _(
            "The designation date %(date)s is in the future. Record a "
            "recognition on or after the day it is designated."
        ) % {"date": recognition.designated_on.isoformat()}
        raise ValidationError(
            {"designated_on": ValidationError(message, code="designated_in_future")}
        )
    same = Recognition.objects.in_force().filter(
        kind=recognition.kind, fiscal_year=recognition.fiscal_year
    )
    if recognition.group_id is not None:
        same = same.filter(group_id=recognition.group_id)
    elif recognition.partner_id is not None:
        same = same.filter(partner_id=recognition.partner_id)
    if recognition.pk is not None:
        same = same.exclude(pk=recognition.pk)
    if same.exists():
        raise ValidationError(
            _(
                "%(recipient)s already has a recognition of this kind in "
                "fiscal year %(year)d. Edit that one instead."
            )
            % {
                "recipient": recognition.recipient_name,
                "year": recognition.fiscal_year,
            },
            code="duplicate_recognition",
        )


def save_recognition(
    recognition: Recognition, *, fields: dict[str, Any], by: AnyUser
) -> Recognition:
    """Validate and save a new or changed recognition.

    *fields* are RECOGNITION_FIELDS. Raises ValidationError when *by* may
    not manage recognitions or a model rule fails (one recipient, a date
    inside the fiscal year). It also rejects a date after today in Japan
    time and a second recognition of the same kind, year and recipient.
    """
    _require_manager(by)
    for name, value in fields.items():
        if name not in RECOGNITION_FIELDS:
            raise ValueError(f"{name!r} is not a recognition field that can be set.")
        setattr(recognition, name, value)
    creating = recognition.pk is None
    recognition.full_clean()
    _check_designation(recognition)
    recognition.save()
    logger.info(
        "Recognition %s %s by user %s",
        recognition.pk,
        "created" if creating else "edited",
        by.pk,
    )
    return recognition


def withdraw_recognition(
    recognition: Recognition, *, on: dt.date, reason: str, by: AnyUser
) -> None:
    """Withdraw *recognition* from day *on*, with the reason kept for staff."""
    _require_manager(by)
    if recognition.is_withdrawn:
        raise ValidationError(
            _("This recognition was already withdrawn on %(date)s.")
            % {"date": recognition.withdrawn_on.isoformat()},  # type: ignore[union-attr]
            code="already_withdrawn",
        )

    errors: dict[str, list[ValidationError]] = {}
    if on < recognition.designated_on:
        message = _(
            "The withdrawal date %(date)s is before the designation on "
            "%(designated)s. Enter %(designated)s or a later day."
        ) % {
            "date": on.isoformat(),
            "designated": recognition.designated_on.isoformat(),
        }
        errors["on"] = [ValidationError(message, code="withdrawn_before_designation")]
    if on > timezone.localdate(timezone=JAPAN):
        message = _("The withdrawal date %(date)s is in the future.") % {
            "date": on.isoformat()
        }
        errors["on"] = [ValidationError(message, code="withdrawn_in_future")]
    if not reason.strip():
        errors["reason"] = [
            ValidationError(
                _("Give the reason for the withdrawal."), code="reason_missing"
            )
        ]
    if errors:
        raise ValidationError(errors)

    recognition.withdrawn_on = on
    recognition.withdrawal_reason = reason.strip()
    recognition.save(update_fields=["withdrawn_on", "withdrawal_reason", "updated_at"])
    logger.info("Recognition %s withdrawn by user %s", recognition.pk, by.pk)


def managed_recognitions() -> QuerySet[Recognition]:
    """Return every recognition, withdrawn ones included, newest year first."""
    return Recognition.objects.with_recipient().order_by(
        "-fiscal_year", "kind", "designated_on", "pk"
    )
