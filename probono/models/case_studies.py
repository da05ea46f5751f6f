"""Case studies of closed requests, published with every party's consent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .requests import SupportRequest
from .skills import Skill
from .workers import ProbonoWorker


class CaseStudyQuerySet(models.QuerySet["CaseStudy"]):
    def published(self) -> "CaseStudyQuerySet":
        return self.filter(published_at__isnull=False)


class CaseStudy(models.Model):
    """A public account of a finished project (プロボノ事例)."""

    request = models.OneToOneField(
        SupportRequest,
        on_delete=models.PROTECT,
        related_name="case_study",
        verbose_name=_("support request"),
    )
    title = models.CharField(_("title"), max_length=200)
    challenge = models.TextField(_("the challenge"))
    work_done = models.TextField(_("what was done"))
    result = models.TextField(_("result"))
    skills = models.ManyToManyField(
        Skill, related_name="case_studies", verbose_name=_("skills used")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = CaseStudyQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")

    def __str__(self) -> str:
        return self.title


class CaseStudyConsent(models.Model):
    """One party's recorded consent to publishing a case study.

    The group's consent has no worker; each worker's consent names the worker.
    A withdrawn consent keeps its row with the time it was withdrawn.
    """

    case_study = models.ForeignKey(
        CaseStudy,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("case study"),
    )
    worker = models.ForeignKey(
        ProbonoWorker,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="case_study_consents",
        verbose_name=_("pro bono worker"),
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("given by"),
    )
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["given_at", "pk"]
        verbose_name = _("consent to publish")
        verbose_name_plural = _("consents to publish")
        constraints = [
            models.UniqueConstraint(
                fields=["case_study"],
                condition=models.Q(worker__isnull=True),
                name="one_group_consent_per_case_study",
            ),
            models.UniqueConstraint(
                fields=["case_study", "worker"],
                condition=models.Q(worker__isnull=False),
                name="one_consent_per_worker_and_case_study",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_study_id}: {self.worker_id or 'group'}"
