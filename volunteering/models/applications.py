from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .querysets import ApplicationQuerySet


class Application(models.Model):
    """A resident's application to a session, or to a year-round post.

    A confirmed application is a match for each of its `party_size` people.
    Pending and confirmed applications hold places; waitlisted ones do not.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        CANCELLED_BY_VOLUNTEER = "cancelled_by_volunteer", _("Cancelled by you")
        CANCELLED_BY_STAFF = "cancelled_by_staff", _("Cancelled by the group")

    HOLDING_PLACES = (Status.PENDING, Status.CONFIRMED)
    ACTIVE = (Status.PENDING, Status.WAITLISTED, Status.CONFIRMED)

    post = models.ForeignKey(
        "volunteering.VolunteerPost",
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("volunteer post"),
    )
    session = models.ForeignKey(
        "volunteering.VolunteerSession",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("session"),
    )
    activity_date = models.DateField(
        _("activity date"),
        null=True,
        blank=True,
        help_text=_("For year-round posts: the day the volunteer plans to come."),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="volunteer_applications",
        verbose_name=_("applicant"),
    )
    party_size = models.PositiveSmallIntegerField(
        _("number of people"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    team_name = models.CharField(
        _("company or group name"),
        max_length=200,
        blank=True,
        help_text=_("When applying for a team from a company or group."),
    )
    message = models.TextField(_("message to the group"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.PENDING
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["session", "status"]),
            models.Index(fields=["applicant", "status"]),
            models.Index(fields=["post", "status"]),
            models.Index(fields=["status", "confirmed_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "session"],
                condition=Q(
                    status__in=["pending", "waitlisted", "confirmed"],
                    session__isnull=False,
                ),
                name="one_active_application_per_session",
            ),
            models.UniqueConstraint(
                fields=["applicant", "post", "activity_date"],
                condition=Q(
                    status__in=["pending", "waitlisted", "confirmed"],
                    session__isnull=True,
                ),
                name="one_active_application_per_day",
            ),
            models.CheckConstraint(
                condition=Q(session__isnull=False) | Q(activity_date__isnull=False),
                name="application_has_session_or_date",
            ),
            models.CheckConstraint(
                condition=Q(party_size__gte=1), name="application_party_size_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.session or self.post}"

    @property
    def holds_places(self) -> bool:
        return self.status in self.HOLDING_PLACES

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class Attendance(models.Model):
    """Attendance and hours of one confirmed application after the activity.

    Hours are per person. A no-show keeps the match but records zero hours.
    A volunteer's own report stays `submitted` until staff approve it.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted by the volunteer, awaiting approval")
        CONFIRMED = "confirmed", _("Attended, hours confirmed")
        NO_SHOW = "no_show", _("Did not attend")

    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("application"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    hours = models.DecimalField(
        _("hours per person"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("24"))],
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance records")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(hours__lte=24),
                name="attendance_hours_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_status_display()} {self.hours}h"
