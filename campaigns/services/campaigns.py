"""Creating and editing campaigns."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from campaigns.permissions import (
    can_manage_campaign,
    is_campaign_staff,
    staff_municipalities,
)
from civic_portal.accounts.models import User
from groups.models import Municipality
from groups.permissions import is_prefectural_staff

logger = logging.getLogger(__name__)

CAMPAIGN_FIELDS = (
    "title",
    "description",
    "starts_on",
    "ends_on",
    "registration_open",
    "municipality",
)


def _check_scope(user: User, municipality: Municipality | None) -> None:
    """Reject a scope that a municipal centre's staff may not give."""
    if is_prefectural_staff(user):
        return
    allowed = staff_municipalities(user)
    if municipality is None or not allowed.filter(pk=municipality.pk).exists():
        raise ValidationError(
            {
                "municipality": _(
                    "Choose your centre's municipality. Only prefectural staff "
                    "create prefecture-wide campaigns."
                )
            },
            code="scope_not_allowed",
        )


def _check_period(starts_on: dt.date, ends_on: dt.date) -> None:
    if ends_on < starts_on:
        raise ValidationError(
            {"ends_on": _("The last day must be on or after the first day.")},
            code="period_reversed",
        )


@transaction.atomic
def create_campaign(
    user: User,
    *,
    title: str,
    description: str,
    starts_on: dt.date,
    ends_on: dt.date,
    registration_open: bool = True,
    municipality: Municipality | None = None,
) -> Campaign:
    """Create a campaign; *user* must be centre or prefectural staff."""
    if not is_campaign_staff(user):
        raise PermissionDenied("Only centre and prefectural staff create campaigns.")
    _check_period(starts_on, ends_on)
    _check_scope(user, municipality)
    campaign = Campaign.objects.create(
        title=title.strip(),
        description=description.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        registration_open=registration_open,
        municipality=municipality,
        created_by=user,
    )
    logger.info("Campaign %s created by user %s", campaign.pk, user.pk)
    return campaign


@transaction.atomic
def update_campaign(
    campaign: Campaign,
    user: User,
    *,
    title: str,
    description: str,
    starts_on: dt.date,
    ends_on: dt.date,
    registration_open: bool,
    municipality: Municipality | None,
) -> Campaign:
    """Save new values on *campaign*.

    The period cannot shrink so that a registered activity or an active
    loan falls outside it.
    """
    if not can_manage_campaign(user, campaign):
        raise PermissionDenied("Not staff responsible for this campaign.")
    _check_period(starts_on, ends_on)
    _check_scope(user, municipality)
    _check_period_keeps_registrations(campaign, starts_on, ends_on)
    campaign.title = title.strip()
    campaign.description = description.strip()
    campaign.starts_on = starts_on
    campaign.ends_on = ends_on
    campaign.registration_open = registration_open
    campaign.municipality = municipality
    campaign.save()
    logger.info("Campaign %s updated by user %s", campaign.pk, user.pk)
    return campaign


def _check_period_keeps_registrations(
    campaign: Campaign, starts_on: dt.date, ends_on: dt.date
) -> None:
    from campaigns.models import Activity, Loan

    outside_activities = (
        Activity.objects.filter(
            participation__campaign=campaign, participation__withdrawn_at__isnull=True
        )
        .exclude(date__range=(starts_on, ends_on))
        .count()
    )
    outside_loans = (
        Loan.objects.holding()
        .filter(participation__campaign=campaign)
        .exclude(starts_on__gte=starts_on, ends_on__lte=ends_on)
        .count()
    )
    if outside_activities or outside_loans:
        raise ValidationError(
            _(
                "%(activities)d registered activities and %(loans)d loans fall "
                "outside the new period. Keep the period, or ask the "
                "participants to move them first."
            )
            % {"activities": outside_activities, "loans": outside_loans},
            code="period_excludes_registrations",
        )
