"""The running project of a request: messages, milestones, notes, hours, ratings."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .requests import SupportRequest
from .skills import Skill
from .workers import ProbonoWorker


class ProjectMessage(models.Model):
    """One message in the thread between the group, its workers and the concierge."""

    request = models.ForeignKey(
        SupportRequest,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("support request"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("project message")
        verbose_name_plural = _("project messages")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.body[:40]}"


class Milestone(models.Model):
    """A date agreed at kickoff; a progress check is mailed as it nears."""

    request = models.ForeignKey(
        SupportRequest,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("support request"),
    )
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    check_sent_at = models.DateTimeField(
        _("progress check sent at"), null=True, blank=True
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
        ordering = ["due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        indexes = [models.Index(fields=["done_on", "due_on"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on})"


class ProgressNote(models.Model):
    """A dated note on how the work is going."""

    request = models.ForeignKey(
        SupportRequest,
        on_delete=models.CASCADE,
        related_name="progress_notes",
        verbose_name=_("support request"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("progress note"))
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.body[:40]}"


class WorkLog(models.Model):
    """Hours a worker gave to a project in one skill area.

    Hours times the skill's hourly value give the estimated value of the work.
    """

    request = models.ForeignKey(
        SupportRequest,
        on_delete=models.CASCADE,
        related_name="work_logs",
        verbose_name=_("support request"),
    )
    worker = models.ForeignKey(
        ProbonoWorker,
        on_delete=models.CASCADE,
        related_name="work_logs",
        verbose_name=_("pro bono worker"),
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, related_name="+", verbose_name=_("skill")
    )
    hours = models.DecimalField(
        _("hours"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(2000)],
    )
    worked_on = models.DateField(_("worked on"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("work log")
        verbose_name_plural = _("work logs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0), name="work_log_hours_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.hours}h"


class Evaluation(models.Model):
    """A rating and comment on a delivered project, by the group or a worker."""

    class Party(models.TextChoices):
        GROUP = "group", _("Group")
        WORKER = "worker", _("Worker")

    request = models.ForeignKey(
        SupportRequest,
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("support request"),
    )
    party = models.CharField(_("given by"), max_length=10, choices=Party.choices)
    worker = models.ForeignKey(
        ProbonoWorker,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name=_("pro bono worker"),
        help_text=_("Set when a worker gives the evaluation."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(party="group"),
                name="one_group_evaluation_per_request",
            ),
            models.UniqueConstraint(
                fields=["request", "worker"],
                condition=models.Q(party="worker"),
                name="one_evaluation_per_worker_and_request",
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5),
                name="evaluation_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.rating}"
