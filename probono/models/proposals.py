"""Proposals of workers to requests, and workers' interest in open requests."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .requests import SupportRequest
from .workers import ProbonoWorker


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def pending(self) -> "ProposalQuerySet":
        return self.filter(status=Proposal.Status.PENDING)

    def accepted(self) -> "ProposalQuerySet":
        return self.filter(status=Proposal.Status.ACCEPTED)


class Proposal(models.Model):
    """A concierge's proposal that a worker join a request (マッチング提案).

    The score and its parts are stored as they were when the proposal was
    made, so the concierge can later see why the worker was chosen.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for reply")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        LAPSED = "lapsed", _("Lapsed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    request = models.ForeignKey(
        SupportRequest,
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("support request"),
    )
    worker = models.ForeignKey(
        ProbonoWorker,
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("pro bono worker"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    message = models.TextField(_("message to the worker"), blank=True)
    score = models.PositiveSmallIntegerField(_("match score"), default=0)
    score_parts = models.JSONField(_("parts of the match score"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reply_by = models.DateTimeField(_("reply by"))
    reply_note = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [models.Index(fields=["status", "reply_by"])]
        constraints = [
            # One live proposal per worker and request; declined and lapsed
            # ones stay as history and a new proposal may follow them.
            models.UniqueConstraint(
                fields=["request", "worker"],
                condition=models.Q(status__in=["pending", "accepted"]),
                name="one_live_proposal_per_worker_and_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker} → {self.request}"


class Interest(models.Model):
    """A worker's note that they would like to help with an open request."""

    request = models.ForeignKey(
        SupportRequest,
        on_delete=models.CASCADE,
        related_name="interests",
        verbose_name=_("support request"),
    )
    worker = models.ForeignKey(
        ProbonoWorker,
        on_delete=models.CASCADE,
        related_name="interests",
        verbose_name=_("pro bono worker"),
    )
    note = models.TextField(_("note to the concierge"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("interest in a request")
        verbose_name_plural = _("interests in requests")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "worker"], name="one_interest_per_worker"
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker} ♥ {self.request}"
