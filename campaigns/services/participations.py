"""Registering, editing and withdrawing participation in a campaign."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Activity, Campaign, Loan, Participation
from campaigns.models.campaigns import validate_expected_participants
from campaigns.permissions import can_manage_participation
from campaigns.services.photos import withdraw_photos
from civic_portal.accounts.ages import today_in_japan
from civic_portal.accounts.models import User
from groups.models import CivicGroup, Municipality

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ActivityData:
    """The fields of one activity; *pk* names an existing activity to update."""

    title: str
    date: dt.date
    place: str
    municipality: Municipality
    expected_participants: int
    pk: int | None = None


def check_activity(campaign: Campaign, data: ActivityData, prefix: str = "") -> None:
    """Raise ValidationError unless *data* fits *campaign*'s period and scope.

    *prefix* is put before the field names of the error, for forms that
    show several activities.
    """
    campaign.check_in_period(data.date, f"{prefix}date")
    if campaign.municipality_id and data.municipality.pk != campaign.municipality_id:
        raise ValidationError(
            {
                f"{prefix}municipality": _(
                    "This campaign takes place in %(municipality)s only."
                )
                % {"municipality": campaign.municipality}
            },
            code="outside_scope",
        )
    try:
        validate_expected_participants(data.expected_participants)
    except ValidationError as error:
        raise ValidationError({f"{prefix}expected_participants": error}) from error


def _check_open(campaign: Campaign) -> None:
    if not campaign.accepts_participation(today_in_japan()):
        raise ValidationError(
            _("This campaign is not taking registrations or changes."),
            code="registration_closed",
        )


def _check_activities(campaign: Campaign, activities: Sequence[ActivityData]) -> None:
    if not activities:
        raise ValidationError(
            _("Add at least one activity that you will do."), code="no_activities"
        )
    for data in activities:
        check_activity(campaign, data)


@transaction.atomic
def register_participation(
    campaign: Campaign,
    user: User,
    *,
    summary: str,
    activities: Sequence[ActivityData],
    group: CivicGroup | None = None,
    share_consent: bool = False,
) -> Participation:
    """Register *user*, or *group* by one of its staff, for *campaign*.

    *share_consent* records the resident's consent that campaign staff
    include their name and e-mail address in exports. It is ignored for a
    group, because a group's public details are exported anyway.
    """
    _check_open(campaign)
    if group is not None:
        if not group.is_staff_member(user):
            raise PermissionDenied("Not staff of this group.")
        if not group.is_public:
            raise ValidationError(
                _("Only approved groups can take part in campaigns."),
                code="group_not_public",
            )
    _check_activities(campaign, activities)
    now = timezone.now()
    participation = Participation(
        campaign=campaign,
        group=group,
        user=user,
        summary=summary.strip(),
        share_consent_at=now if share_consent and group is None else None,
    )
    try:
        with transaction.atomic():
            participation.save()
    except IntegrityError as error:
        raise ValidationError(
            _("This group is already registered for the campaign.")
            if group is not None
            else _("You are already registered for the campaign."),
            code="already_registered",
        ) from error
    Activity.objects.bulk_create(
        Activity(
            participation=participation,
            title=data.title.strip(),
            date=data.date,
            place=data.place.strip(),
            municipality=data.municipality,
            expected_participants=data.expected_participants,
        )
        for data in activities
    )
    logger.info(
        "Participation %s in campaign %s registered by user %s",
        participation.pk,
        campaign.pk,
        user.pk,
    )
    return participation


def _check_manager(participation: Participation, user: User) -> None:
    if not can_manage_participation(user, participation):
        raise PermissionDenied("Not the participant or staff of its group.")
    if not participation.is_active:
        raise ValidationError(_("This participation was withdrawn."), code="withdrawn")


@transaction.atomic
def update_participation(
    participation: Participation,
    user: User,
    *,
    summary: str,
    activities: Sequence[ActivityData],
) -> Participation:
    """Save the summary and replace the activities with *activities*.

    Activities with a pk are updated, those without are created, and the
    participation's other activities are deleted.
    """
    _check_manager(participation, user)
    campaign = participation.campaign
    _check_open(campaign)
    _check_activities(campaign, activities)
    participation.summary = summary.strip()
    participation.save(update_fields=["summary", "updated_at"])
    existing = {activity.pk: activity for activity in participation.activities.all()}
    kept: set[int] = set()
    for data in activities:
        activity = existing.get(data.pk) if data.pk is not None else None
        if activity is None:
            activity = Activity(participation=participation)
        else:
            kept.add(activity.pk)
        activity.title = data.title.strip()
        activity.date = data.date
        activity.place = data.place.strip()
        activity.municipality = data.municipality
        activity.expected_participants = data.expected_participants
        activity.save()
    participation.activities.exclude(pk__in=kept).filter(pk__in=list(existing)).delete()
    logger.info("Participation %s updated by user %s", participation.pk, user.pk)
    return participation


@transaction.atomic
def set_share_consent(participation: Participation, user: User, *, give: bool) -> None:
    """Give or withdraw the resident's consent to exports of their contact details.

    Withdrawing takes effect for every export made after it.
    """
    if participation.group_id is not None or participation.user_id != user.pk:
        raise PermissionDenied("Only the resident decides on their own consent.")
    participation.share_consent_at = timezone.now() if give else None
    participation.save(update_fields=["share_consent_at", "updated_at"])
    logger.info(
        "Share consent of participation %s %s",
        participation.pk,
        "given" if give else "withdrawn",
    )


@transaction.atomic
def withdraw_participation(participation: Participation, user: User) -> None:
    """Withdraw *participation*: cancel its open loans and hide its photos.

    Items already lent stay on loan until staff mark them returned.
    """
    _check_manager(participation, user)
    if participation.campaign.ends_on < today_in_japan():
        raise ValidationError(
            _("The campaign has ended, so its participation cannot be withdrawn."),
            code="campaign_ended",
        )
    now = timezone.now()
    participation.withdrawn_at = now
    participation.share_consent_at = None
    participation.save(update_fields=["withdrawn_at", "share_consent_at", "updated_at"])
    participation.loans.filter(
        status__in=(Loan.Status.REQUESTED, Loan.Status.APPROVED)
    ).update(status=Loan.Status.CANCELLED, handled_by=user)
    withdraw_photos(participation.photos.all())
    logger.info("Participation %s withdrawn by user %s", participation.pk, user.pk)
