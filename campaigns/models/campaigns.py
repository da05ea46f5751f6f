"""Campaigns (キャンペーン) and the participations (参加登録) registered for them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# A guard against typos such as an extra zero, not a capacity.
# NOTE: 10,000 is a judgement, chosen to sit well above any one activity
# of a prefectural campaign; no count of past activities backs it.
MAX_EXPECTED_PARTICIPANTS = 10_000


def validate_expected_participants(value: int) -> None:
    """Raise ValidationError unless *value* is from 1 to MAX_EXPECTED_PARTICIPANTS."""
    if value < 1:
        raise ValidationError(
            _("Expect at least one participant."), code="no_participants"
        )
    if value > MAX_EXPECTED_PARTICIPANTS:
        raise ValidationError(
            _(
                "Expect at most %(max)d participants. Register a larger event "
                "as several activities."
            ),
            code="too_many_participants",
            params={"max": MAX_EXPECTED_PARTICIPANTS},
        )


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def current(self, day: dt.date) -> CampaignQuerySet:
        """Campaigns whose period contains *day*."""
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    def upcoming(self, day: dt.date) -> CampaignQuerySet:
        return self.filter(starts_on__gt=day)

    def past(self, day: dt.date) -> CampaignQuerySet:
        return self.filter(ends_on__lt=day)


class Campaign(models.Model):
    """A campaign that runs over a period, such as the promotion months."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    registration_open = models.BooleanField(
        _("registration open"),
        default=True,
        help_text=_(
            "While open, groups and residents can register until the last day."
        ),
    )
    municipality = models.ForeignKey(
        "groups.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("municipality"),
        help_text=_(
            "Leave empty for a prefecture-wide campaign. When set, every "
            "activity must take place in this municipality."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="campaign_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {"ends_on": _("The last day must be on or after the first day.")},
                code="period_reversed",
            )

    def contains(self, day: dt.date) -> bool:
        """Tell whether *day* falls within the campaign's period."""
        return self.starts_on <= day <= self.ends_on

    def check_in_period(self, day: dt.date, field: str) -> None:
        """Raise ValidationError on *field* unless *day* is within the period."""
        if not self.contains(day):
            raise ValidationError(
                {
                    field: _(
                        "Choose a day from %(start)s to %(end)s, the campaign's period."
                    )
                    % {
                        "start": self.starts_on.isoformat(),
                        "end": self.ends_on.isoformat(),
                    }
                },
                code="outside_period",
            )

    def accepts_participation(self, day: dt.date) -> bool:
        """Tell whether new registrations and edits are accepted on *day*."""
        return self.registration_open and day <= self.ends_on

    def phase(self, day: dt.date) -> str:
        """Return "upcoming", "current" or "past" for *day*."""
        if day < self.starts_on:
            return "upcoming"
        if day > self.ends_on:
            return "past"
        return "current"


class ParticipationQuerySet(models.QuerySet["Participation"]):
    def active(self) -> ParticipationQuerySet:
        return self.filter(withdrawn_at__isnull=True)

    def of_user(self, user_id: int | None) -> ParticipationQuerySet:
        """Participations *user_id* manages: their own and their groups'."""
        if user_id is None:
            return self.none()
        return self.filter(
            Q(group__isnull=True, user_id=user_id)
            | Q(group__memberships__user_id=user_id)
        ).distinct()


class Participation(models.Model):
    """A group's or a resident's registration for a campaign.

    With a group set, any of the group's staff manages it on the group's
    behalf and *user* is the staff member who registered it. Without one,
    it is the resident *user*'s own participation.
    """

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("campaign"),
    )
    group = models.ForeignKey(
        "groups.CivicGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="campaign_participations",
        verbose_name=_("civic group"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="campaign_participations",
        verbose_name=_("registered by"),
    )
    summary = models.TextField(
        _("what you will do"),
        help_text=_("A few lines on how you take part in the campaign."),
    )
    share_consent_at = models.DateTimeField(
        _("consent to share contact details given at"),
        null=True,
        blank=True,
        help_text=_(
            "When the resident agreed that campaign staff may include their "
            "name and e-mail address in exported participant lists. Empty "
            "when not given or withdrawn."
        ),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "group"],
                condition=Q(group__isnull=False, withdrawn_at__isnull=True),
                name="campaign_one_active_participation_per_group",
            ),
            models.UniqueConstraint(
                fields=["campaign", "user"],
                condition=Q(group__isnull=True, withdrawn_at__isnull=True),
                name="campaign_one_active_participation_per_resident",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.participant_name}"

    @property
    def is_group(self) -> bool:
        return self.group_id is not None

    @property
    def participant_name(self) -> str:
        """The group's name, or the resident's name."""
        if self.group is not None:
            return self.group.name
        return str(self.user)

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class Activity(models.Model):
    """One activity that a participant will do during the campaign."""

    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("participation"),
    )
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    municipality = models.ForeignKey(
        "groups.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    expected_participants = models.PositiveIntegerField(
        _("expected participants"),
        validators=[validate_expected_participants],
        help_text=_("How many people you expect to take part, yourself included."),
    )

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("campaign activity")
        verbose_name_plural = _("campaign activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_participants__gte=1),
                name="campaign_activity_has_participants",
            )
        ]

    def __str__(self) -> str:
        return self.title
