"""Loan requests, their handling by staff, and item availability.

Requested, approved and lent loans hold their units from the first to the
last day, so approving a request can never overbook an item. A lent loan
that is overdue keeps holding its units until it is returned. Every write
that adds a holding loan locks the item row first (select_for_update), so
concurrent requests for the same item run one after the other.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Loan, LoanItem, Participation
from campaigns.permissions import (
    can_manage_campaign,
    can_manage_participation,
    is_campaign_staff,
)
from civic_portal.accounts.ages import today_in_japan
from civic_portal.accounts.models import User

logger = logging.getLogger(__name__)

Status = Loan.Status


def booked_per_day(
    item: LoanItem,
    starts_on: dt.date,
    ends_on: dt.date,
    *,
    today: dt.date,
    exclude_pk: int | None = None,
) -> dict[dt.date, int]:
    """Return the units of *item* held on each day from *starts_on* to *ends_on*."""
    overlapping = (
        Loan.objects.holding()
        .filter(item=item, starts_on__lte=ends_on)
        .filter(Q(ends_on__gte=starts_on) | Q(status=Status.LENT))
    )
    if exclude_pk is not None:
        overlapping = overlapping.exclude(pk=exclude_pk)
    days = {
        starts_on + dt.timedelta(days=offset): 0
        for offset in range((ends_on - starts_on).days + 1)
    }
    for loan in overlapping.only("starts_on", "ends_on", "status", "quantity"):
        last_day = loan.ends_on
        if loan.status == Status.LENT:
            # An overdue item is still out until someone marks it returned.
            last_day = max(last_day, today)
        for day in days:
            if loan.starts_on <= day <= last_day:
                days[day] += loan.quantity
    return days


def available_quantity(
    item: LoanItem,
    starts_on: dt.date,
    ends_on: dt.date,
    *,
    today: dt.date | None = None,
    exclude_pk: int | None = None,
) -> int:
    """Return how many units of *item* are free on every day of the range."""
    today = today or today_in_japan()
    booked = booked_per_day(
        item, starts_on, ends_on, today=today, exclude_pk=exclude_pk
    )
    return max(item.quantity - max(booked.values(), default=0), 0)


def _check_dates(
    participation: Participation, starts_on: dt.date, ends_on: dt.date
) -> None:
    if ends_on < starts_on:
        raise ValidationError(
            {"ends_on": _("The last day must be on or after the first day.")},
            code="period_reversed",
        )
    campaign = participation.campaign
    campaign.check_in_period(starts_on, "starts_on")
    campaign.check_in_period(ends_on, "ends_on")


def _check_available(
    item: LoanItem, quantity: int, starts_on: dt.date, ends_on: dt.date
) -> None:
    free = available_quantity(item, starts_on, ends_on)
    if quantity > free:
        raise ValidationError(
            {
                "quantity": _(
                    "Only %(free)d of %(item)s are free on every day from "
                    "%(start)s to %(end)s. Ask for fewer, or choose other days."
                )
                % {
                    "free": free,
                    "item": item.name,
                    "start": starts_on.isoformat(),
                    "end": ends_on.isoformat(),
                }
            },
            code="not_available",
        )


@transaction.atomic
def request_loan(
    participation: Participation,
    user: User,
    *,
    item: LoanItem,
    quantity: int,
    starts_on: dt.date,
    ends_on: dt.date,
    note: str = "",
) -> Loan:
    """Request *quantity* units of *item* for days within the campaign's period."""
    if not can_manage_participation(user, participation):
        raise PermissionDenied("Not the participant or staff of its group.")
    if not participation.is_active:
        raise ValidationError(_("This participation was withdrawn."), code="withdrawn")
    if quantity < 1:
        raise ValidationError(
            {"quantity": _("Ask for at least one.")}, code="no_quantity"
        )
    _check_dates(participation, starts_on, ends_on)
    locked = LoanItem.objects.select_for_update().get(pk=item.pk)
    if not locked.is_active:
        raise ValidationError(
            {"item": _("%(item)s cannot be borrowed now.") % {"item": locked.name}},
            code="item_inactive",
        )
    _check_available(locked, quantity, starts_on, ends_on)
    loan = Loan.objects.create(
        item=locked,
        participation=participation,
        quantity=quantity,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note.strip(),
        requested_by=user,
    )
    logger.info(
        "Loan %s of item %s requested for participation %s",
        loan.pk,
        locked.pk,
        participation.pk,
    )
    return loan


def _locked_loan(loan: Loan) -> Loan:
    """Lock the loan's item, then reload the loan, so transitions do not race."""
    LoanItem.objects.select_for_update().get(pk=loan.item_id)
    return Loan.objects.select_related("participation__campaign", "item").get(
        pk=loan.pk
    )


def _transition(
    loan: Loan,
    user: User,
    *,
    allowed_from: tuple[str, ...],
    to: str,
    stamp: Callable[[Loan], None] | None = None,
) -> Loan:
    locked = _locked_loan(loan)
    if not can_manage_campaign(user, locked.participation.campaign):
        raise PermissionDenied("Not staff responsible for this campaign.")
    if locked.status not in allowed_from:
        raise ValidationError(
            _("The loan is %(status)s, so it cannot be changed that way.")
            % {"status": locked.get_status_display()},
            code="wrong_status",
        )
    locked.status = to
    locked.handled_by = user
    if stamp is not None:
        stamp(locked)
    locked.save()
    logger.info("Loan %s moved to %s by user %s", locked.pk, to, user.pk)
    return locked


def _mail_decision(loan: Loan) -> None:
    from campaigns.tasks import send_loan_decision

    loan_id = loan.pk
    transaction.on_commit(lambda: send_loan_decision.delay(loan_id))


@transaction.atomic
def approve_loan(loan: Loan, user: User) -> Loan:
    def stamp(locked: Loan) -> None:
        locked.decided_at = timezone.now()

    approved = _transition(
        loan, user, allowed_from=(Status.REQUESTED,), to=Status.APPROVED, stamp=stamp
    )
    _mail_decision(approved)
    return approved


@transaction.atomic
def reject_loan(loan: Loan, user: User, *, reason: str) -> Loan:
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Give the reason, so the participant knows what to change.")},
            code="reason_missing",
        )

    def stamp(locked: Loan) -> None:
        locked.decided_at = timezone.now()
        locked.rejection_reason = reason.strip()

    rejected = _transition(
        loan,
        user,
        allowed_from=(Status.REQUESTED, Status.APPROVED),
        to=Status.REJECTED,
        stamp=stamp,
    )
    _mail_decision(rejected)
    return rejected


@transaction.atomic
def mark_lent(loan: Loan, user: User) -> Loan:
    def stamp(locked: Loan) -> None:
        locked.lent_at = timezone.now()

    return _transition(
        loan, user, allowed_from=(Status.APPROVED,), to=Status.LENT, stamp=stamp
    )


@transaction.atomic
def mark_returned(loan: Loan, user: User) -> Loan:
    def stamp(locked: Loan) -> None:
        locked.returned_at = timezone.now()

    return _transition(
        loan, user, allowed_from=(Status.LENT,), to=Status.RETURNED, stamp=stamp
    )


@transaction.atomic
def cancel_loan(loan: Loan, user: User) -> Loan:
    """Cancel a request or an approved loan that the participant no longer needs."""
    locked = _locked_loan(loan)
    if not can_manage_participation(user, locked.participation):
        raise PermissionDenied("Not the participant or staff of its group.")
    if locked.status not in (Status.REQUESTED, Status.APPROVED):
        raise ValidationError(
            _("The loan is %(status)s, so it cannot be cancelled.")
            % {"status": locked.get_status_display()},
            code="wrong_status",
        )
    locked.status = Status.CANCELLED
    locked.handled_by = user
    locked.save()
    logger.info("Loan %s cancelled by user %s", locked.pk, user.pk)
    return locked


@transaction.atomic
def save_loan_item(item: LoanItem, user: User) -> LoanItem:
    """Save *item*, unless its quantity drops below the units already booked.

    The check covers every day from today on that a holding loan covers.
    """
    if not is_campaign_staff(user):
        raise PermissionDenied("Only centre and prefectural staff manage items.")
    if item.pk is not None:
        LoanItem.objects.select_for_update().get(pk=item.pk)
        today = today_in_japan()
        last = (
            Loan.objects.holding()
            .filter(item=item)
            .order_by("-ends_on")
            .values_list("ends_on", flat=True)
            .first()
        )
        if last is not None:
            booked = booked_per_day(item, today, max(last, today), today=today)
            peak = max(booked.values(), default=0)
            if item.quantity < peak:
                raise ValidationError(
                    {
                        "quantity": _(
                            "%(peak)d are booked on one day from today on, so "
                            "the quantity cannot be less than that."
                        )
                        % {"peak": peak}
                    },
                    code="below_booked",
                )
    item.save()
    logger.info("Loan item %s saved by user %s", item.pk, user.pk)
    return item
