"""Information-sharing meetings (情報共有会議), their series and action items.

The chief facilitator schedules a series, which creates one Meeting per
date, or a single meeting. Each meeting has an agenda drafted from the
open cases, minutes and action items with an owner and a due date.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .cases import CollaborationCase
from .facilitators import Facilitator


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class MeetingSeries(models.Model):
    """A recurring information-sharing meeting, for example monthly on a Tuesday.

    A monthly series meets on `weekday` of week `week_of_month` (1 to 4,
    or -1 for the last such weekday). A weekly series meets on `weekday`
    every week. Times are Japan time.
    """

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")

    class WeekOfMonth(models.IntegerChoices):
        FIRST = 1, _("First")
        SECOND = 2, _("Second")
        THIRD = 3, _("Third")
        FOURTH = 4, _("Fourth")
        LAST = -1, _("Last")

    title = models.CharField(_("title"), max_length=200)
    location = models.CharField(_("location"), max_length=300)
    frequency = models.CharField(
        _("frequency"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.MONTHLY,
    )
    weekday = models.PositiveSmallIntegerField(
        _("day of the week"),
        choices=Weekday.choices,
        validators=[MaxValueValidator(6)],
    )
    week_of_month = models.SmallIntegerField(
        _("week of the month"),
        choices=WeekOfMonth.choices,
        null=True,
        blank=True,
        validators=[MinValueValidator(-1), MaxValueValidator(4)],
        help_text=_("Monthly series only."),
    )
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    starts_on = models.DateField(_("first date from"))
    ends_on = models.DateField(_("last date until"))
    attendees = models.ManyToManyField(
        Facilitator,
        blank=True,
        related_name="meeting_series",
        verbose_name=_("attendees"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("scheduled by"),
    )
    created_at = models.DateTimeField(_("scheduled at"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="meeting_series_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="meeting_series_times_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    """One information-sharing meeting, alone or one date of a series."""

    series = models.ForeignKey(
        MeetingSeries,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("meeting series"),
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("location"), max_length=300)
    attendees = models.ManyToManyField(
        Facilitator,
        blank=True,
        related_name="meetings",
        verbose_name=_("attendees"),
    )
    agenda = models.TextField(_("agenda"), blank=True)
    agenda_drafted_at = models.DateTimeField(
        _("agenda drafted at"), null=True, blank=True
    )
    minutes = models.TextField(_("minutes"), blank=True)
    # The iCalendar SEQUENCE, raised when the title, time or place changes
    # so that calendar apps replace their copy of the event.
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("scheduled by"),
    )
    created_at = models.DateTimeField(_("scheduled at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("information-sharing meeting")
        verbose_name_plural = _("information-sharing meetings")
        indexes = [models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="meeting_times_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ActionItem(models.Model):
    """A task agreed at a meeting, with an owner and a due date.

    `reminder_sent_at` is set when the owner was mailed that the item is
    overdue. Moving the due date clears it, so the owner is reminded again
    if the new date passes too.
    """

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="action_items",
        verbose_name=_("information-sharing meeting"),
    )
    case = models.ForeignKey(
        CollaborationCase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("collaboration case"),
    )
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="facilitation_action_items",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due date"))
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(
        _("overdue reminder sent at"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["done", "due_on", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [models.Index(fields=["done", "due_on"])]

    def __str__(self) -> str:
        return self.title
