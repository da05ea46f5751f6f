"""The pro bono worker bank: skilled people who offer their work to groups."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .skills import Skill


class WorkMode(models.TextChoices):
    REMOTE = "remote", _("Remote")
    ON_SITE = "on_site", _("On site")
    EITHER = "either", _("Either remote or on site")


class ProbonoWorkerQuerySet(models.QuerySet["ProbonoWorker"]):
    def active(self) -> "ProbonoWorkerQuerySet":
        return self.filter(status=ProbonoWorker.Status.ACTIVE)

    def registered_by(self, moment: dt.datetime) -> "ProbonoWorkerQuerySet":
        """Workers registered by *moment*, deleted ones included (for counts)."""
        return self.filter(registered_at__lte=moment)


class ProbonoWorker(models.Model):
    """A registrant of the pro bono worker bank (プロボノワーカー).

    Deleting a registration blanks the personal fields and keeps the row,
    so the cumulative count of registrants stays right.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        DELETED = "deleted", _("Deleted")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="probono_worker",
        verbose_name=_("user"),
    )
    profession = models.CharField(_("profession"), max_length=100, blank=True)
    employer = models.CharField(
        _("employer"),
        max_length=200,
        blank=True,
        help_text=_("Optional: for a company's pro bono programme."),
    )
    skills = models.ManyToManyField(
        Skill, through="WorkerSkill", related_name="workers", verbose_name=_("skills")
    )
    skills_note = models.TextField(_("other skills and experience"), blank=True)
    hours_per_month = models.PositiveSmallIntegerField(_("hours per month"), default=0)
    available_weekdays = models.BooleanField(_("weekdays"), default=False)
    available_evenings = models.BooleanField(_("evenings"), default=False)
    available_weekends = models.BooleanField(_("weekends"), default=False)
    work_mode = models.CharField(
        _("remote or on site"),
        max_length=10,
        choices=WorkMode.choices,
        default=WorkMode.REMOTE,
    )
    lives_in_prefecture = models.BooleanField(_("lives in Yamaguchi"), default=True)
    municipality = models.ForeignKey(
        "groups.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    home_region = models.CharField(
        _("prefecture or country of residence"),
        max_length=100,
        blank=True,
        help_text=_("For people who live outside Yamaguchi."),
    )
    activity_fields = models.ManyToManyField(
        "groups.ActivityField",
        blank=True,
        related_name="+",
        verbose_name=_("fields of interest"),
    )
    max_projects = models.PositiveSmallIntegerField(
        _("projects at a time"),
        default=1,
        help_text=_("The most projects the worker takes on at once."),
    )
    contact_consent_at = models.DateTimeField(
        _("consent to share contact details given at"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProbonoWorkerQuerySet.as_manager()

    class Meta:
        ordering = ["-registered_at"]
        verbose_name = _("pro bono worker")
        verbose_name_plural = _("pro bono workers")
        indexes = [models.Index(fields=["status", "registered_at"])]

    def __str__(self) -> str:
        if self.user is None:
            return str(_("Deleted worker"))
        return str(self.user)


class WorkerSkill(models.Model):
    """One skill area of a worker, with level and years of experience."""

    class Level(models.IntegerChoices):
        BASIC = 1, _("Basic")
        PRACTICAL = 2, _("Practical")
        EXPERT = 3, _("Expert")

    worker = models.ForeignKey(
        ProbonoWorker,
        on_delete=models.CASCADE,
        related_name="worker_skills",
        verbose_name=_("pro bono worker"),
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, related_name="+", verbose_name=_("skill")
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    years = models.PositiveSmallIntegerField(_("years of experience"), default=0)

    class Meta:
        ordering = ["skill__position"]
        verbose_name = _("worker skill")
        verbose_name_plural = _("worker skills")
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "skill"], name="unique_worker_skill"
            )
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.get_level_display()})"
