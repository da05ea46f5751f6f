"""Collaboration facilitators (協働ファシリテーター), their training and appointments.

One chief facilitator works at the prefectural centre. Regional
facilitators work at municipal centres and may be appointed only after
completing a training course (養成講座).
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from civic_portal.types import AnyUser
from groups.models import SupportCentre


class FacilitatorQuerySet(models.QuerySet["Facilitator"]):
    def active(self) -> "FacilitatorQuerySet":
        return self.filter(is_active=True)


class Facilitator(models.Model):
    """A person who brings groups and partners together.

    The Django group "facilitator" gives the role. This record adds the
    kind, and the person's appointments give the centres they work for.
    """

    class Kind(models.TextChoices):
        CHIEF = "chief", _("Chief facilitator")
        REGIONAL = "regional", _("Regional facilitator")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="facilitator",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Untick when the person stops working as a facilitator."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = FacilitatorQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "user__full_name"]
        verbose_name = _("facilitator")
        verbose_name_plural = _("facilitators")
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind="chief") & Q(is_active=True),
                name="one_active_chief_facilitator",
                violation_error_message=_(
                    "There is already an active chief facilitator. "
                    "Deactivate that record first."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_kind_display()})"

    @property
    def is_chief(self) -> bool:
        return self.kind == self.Kind.CHIEF


class TrainingCourse(models.Model):
    """A training course for regional facilitators (養成講座)."""

    title = models.CharField(_("title"), max_length=200)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-fiscal_year", "title"]
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")

    def __str__(self) -> str:
        return f"{self.title} ({self.fiscal_year})"


class TrainingSession(models.Model):
    """One day of a training course."""

    course = models.ForeignKey(
        TrainingCourse,
        on_delete=models.CASCADE,
        related_name="sessions",
        verbose_name=_("training course"),
    )
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class TrainingAttendance(models.Model):
    """Whether one participant attended one training session.

    A row with attended unticked enrols the person in the course without
    recording attendance yet.
    """

    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("training session"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="training_attendances",
        verbose_name=_("participant"),
    )
    attended = models.BooleanField(_("attended"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["session__held_on", "person__full_name"]
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="unique_training_attendance"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.session}"


class CourseCompletion(models.Model):
    """A participant's completion (修了) of a training course."""

    course = models.ForeignKey(
        TrainingCourse,
        on_delete=models.PROTECT,
        related_name="completions",
        verbose_name=_("training course"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="course_completions",
        verbose_name=_("participant"),
    )
    completed_on = models.DateField(_("completed on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-completed_on", "pk"]
        verbose_name = _("course completion")
        verbose_name_plural = _("course completions")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "user"], name="unique_course_completion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.course}"

    def clean(self) -> None:
        super().clean()
        if self.course_id is None or self.user_id is None:
            return
        sessions = TrainingSession.objects.filter(course_id=self.course_id)
        if not sessions.exists():
            raise ValidationError(
                _("The course has no sessions yet, so nobody can complete it."),
                code="no_sessions",
            )
        missed = sessions.exclude(
            attendances__person_id=self.user_id, attendances__attended=True
        ).count()
        if missed:
            raise ValidationError(
                _(
                    "%(person)s missed %(count)d session(s) of this course. "
                    "Record attendance at every session before recording completion."
                ),
                code="sessions_missed",
                params={"person": self.user, "count": missed},
            )


class FacilitatorAppointmentQuerySet(models.QuerySet["FacilitatorAppointment"]):
    def current_on(self, day: dt.date) -> "FacilitatorAppointmentQuerySet":
        """Appointments in force on *day*, counting ends_on as a day in force."""
        return self.filter(starts_on__lte=day).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day)
        )

    def overlapping(
        self, starts_on: dt.date, ends_on: dt.date | None
    ) -> "FacilitatorAppointmentQuerySet":
        """Appointments that share at least one day with starts_on..ends_on."""
        queryset = self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
        if ends_on is not None:
            queryset = queryset.filter(starts_on__lte=ends_on)
        return queryset

    def centres_of(self, user: AnyUser, on: dt.date) -> models.QuerySet[SupportCentre]:
        """Return the centres where *user* is an active facilitator on *on*."""
        if not user.is_authenticated:
            return SupportCentre.objects.none()
        appointments = self.current_on(on).filter(
            facilitator__user_id=user.pk, facilitator__is_active=True
        )
        return SupportCentre.objects.filter(pk__in=appointments.values("centre_id"))


class FacilitatorAppointment(models.Model):
    """The appointment (配置) of a facilitator to a support centre.

    ends_on is the last day of the appointment, and empty means open-ended.
    """

    facilitator = models.ForeignKey(
        Facilitator,
        on_delete=models.CASCADE,
        related_name="appointments",
        verbose_name=_("facilitator"),
    )
    centre = models.ForeignKey(
        "groups.SupportCentre",
        on_delete=models.PROTECT,
        related_name="facilitator_appointments",
        verbose_name=_("support centre"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(
        _("ends on"),
        null=True,
        blank=True,
        help_text=_("The last day of the appointment. Leave empty if open-ended."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = FacilitatorAppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("facilitator appointment")
        verbose_name_plural = _("facilitator appointments")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=F("starts_on")),
                name="appointment_ends_after_start",
                violation_error_message=_("The end date must be after the start date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.facilitator} @ {self.centre}"

    def clean(self) -> None:
        """Check the appointment rules; the form and the admin both call this."""
        super().clean()
        if self.starts_on is None:
            return
        if self.ends_on is not None and self.ends_on <= self.starts_on:
            message = _("The end date must be after the start date.")
            raise ValidationError(
                {"ends_on": ValidationError(message, code="ends_before_start")}
            )
        if self.facilitator_id is None or self.centre_id is None:
            return
        facilitator = self.facilitator
        centre = self.centre
        if facilitator.is_chief:
            if centre.scope != SupportCentre.Scope.PREFECTURE:
                message = _(
                    "The chief facilitator can be appointed only to the "
                    "prefectural centre."
                )
                raise ValidationError(
                    {"centre": ValidationError(message, code="chief_not_prefectural")}
                )
        elif not CourseCompletion.objects.filter(user_id=facilitator.user_id).exists():
            raise ValidationError(
                _(
                    "%(person)s has not completed a training course. Record the "
                    "course completion before appointing a regional facilitator."
                ),
                code="training_not_completed",
                params={"person": facilitator.user},
            )
        overlapping = (
            FacilitatorAppointment.objects.filter(
                facilitator_id=self.facilitator_id, centre_id=self.centre_id
            )
            .overlapping(self.starts_on, self.ends_on)
            .exclude(pk=self.pk)
        )
        if overlapping.exists():
            raise ValidationError(
                _(
                    "%(person)s already has an appointment to %(centre)s in this "
                    "period. Change the dates or end the other appointment first."
                ),
                code="overlapping_appointment",
                params={"person": facilitator.user, "centre": centre},
            )
