"""Support requests from groups and their dated history of states."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .skills import Skill
from .workers import WorkMode


class RequestState(models.TextChoices):
    RECEIVED = "received", _("Received")
    HEARING = "hearing", _("Hearing")
    SEARCHING = "searching", _("Searching for workers")
    PROPOSED = "proposed", _("Proposed")
    TEAM_FORMED = "team_formed", _("Team formed")
    KICKOFF = "kickoff", _("Kickoff")
    IN_PROGRESS = "in_progress", _("In progress")
    DELIVERED = "delivered", _("Delivered")
    EVALUATED = "evaluated", _("Evaluated")
    CLOSED = "closed", pgettext_lazy("support request state", "Closed")
    ON_HOLD = "on_hold", _("On hold")
    CANCELLED = "cancelled", pgettext_lazy("support request state", "Cancelled")


class SupportRequest(models.Model):
    """A group's request for pro bono help (プロボノ支援依頼)."""

    class Challenge(models.TextChoices):
        WEBSITE = "website", _("Website")
        SOCIAL_MEDIA = "social_media", _("Social media")
        BOOKKEEPING = "bookkeeping", _("Bookkeeping and accounts")
        CROWDFUNDING = "crowdfunding", _("Crowdfunding campaign")
        ONLINE_MEETINGS = "online_meetings", _("Online meeting setup")
        PLANNING = "planning", _("Planning and strategy")
        PUBLICITY = "publicity", _("Leaflets, videos and publicity")
        OTHER = "other", _("Other")

    group = models.ForeignKey(
        "groups.CivicGroup",
        on_delete=models.PROTECT,
        related_name="support_requests",
        verbose_name=_("civic group"),
    )
    title = models.CharField(_("title"), max_length=200)
    challenge = models.CharField(
        _("kind of challenge"), max_length=20, choices=Challenge.choices
    )
    description = models.TextField(_("the challenge"))
    outcome = models.TextField(_("outcome wanted"))
    skills = models.ManyToManyField(
        Skill, related_name="requests", verbose_name=_("skills needed")
    )
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period until"), null=True, blank=True)
    work_mode = models.CharField(
        _("remote or on site"),
        max_length=10,
        choices=WorkMode.choices,
        default=WorkMode.EITHER,
    )
    contact_name = models.CharField(_("contact person"), max_length=100)
    contact_email = models.EmailField(_("contact e-mail address"))
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=RequestState.choices,
        default=RequestState.RECEIVED,
    )
    state_changed_at = models.DateTimeField(_("state changed at"), auto_now_add=True)
    resume_state = models.CharField(
        _("state to resume"),
        max_length=20,
        choices=RequestState.choices,
        blank=True,
        help_text=_("The state the request returns to when it leaves hold."),
    )
    concierge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="concierge_requests",
        verbose_name=_("concierge"),
    )
    hearing_notes = models.TextField(_("hearing notes"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        indexes = [models.Index(fields=["state", "state_changed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__isnull=True)
                | models.Q(period_start__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="support_request_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title


class RequestEvent(models.Model):
    """One step in a request's history: who moved it from which state to which."""

    request = models.ForeignKey(
        SupportRequest,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("support request"),
    )
    from_state = models.CharField(
        _("from state"), max_length=20, choices=RequestState.choices, blank=True
    )
    to_state = models.CharField(
        _("to state"), max_length=20, choices=RequestState.choices
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("support request event")
        verbose_name_plural = _("support request events")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_state} → {self.to_state}"
