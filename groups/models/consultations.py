from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Consultation(models.Model):
    """A question to a support centre, asked online or taken by staff (相談)."""

    class Channel(models.TextChoices):
        PORTAL = "portal", _("Through the portal")
        PHONE = "phone", _("By phone")
        DESK = "desk", _("At the desk")
        EMAIL = "email", _("By e-mail")

    class Topic(models.TextChoices):
        FOUNDING = "founding", _("Starting a group or an NPO corporation")
        MANAGEMENT = "management", _("Running a group")
        FUNDING = "funding", _("Funding and grants")
        VOLUNTEERS = "volunteers", _("Finding volunteers")
        DIGITAL = "digital", _("Digital tools")
        COLLABORATION = "collaboration", _("Working with others")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        # A context keeps these apart from the same English words used for
        # volunteer posts and grant notices, which Japanese words differently.
        OPEN = "open", pgettext_lazy("consultation status", "Open")
        ANSWERED = "answered", pgettext_lazy("consultation status", "Answered")
        CLOSED = "closed", pgettext_lazy("consultation status", "Closed")

    centre = models.ForeignKey(
        "groups.SupportCentre",
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("support centre"),
    )
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("asked by"),
        help_text=_(
            "Empty when staff record a question asked by phone or at the desk."
        ),
    )
    asker_name = models.CharField(
        _("name of the person asking"), max_length=100, blank=True
    )
    group = models.ForeignKey(
        "groups.CivicGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("civic group"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"), blank=True)
    follow_up = models.TextField(
        _("internal follow-up note"),
        blank=True,
        help_text=_(
            "Seen only by the centre's staff. The person who asked never sees it."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        indexes = [models.Index(fields=["centre", "status"])]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} ({self.created_at:%Y-%m-%d})"
