"""LINE account links, the linking flow's one-time values, and LINE messages.

Link tokens and nonces are stored as SHA-256 hashes: the raw values travel
only in URLs and webhook events, so a database reader cannot replay them.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def hash_secret(value: str) -> str:
    """Return the hex SHA-256 of a link token or nonce, as stored."""
    return hashlib.sha256(value.encode()).hexdigest()


class LineLink(models.Model):
    """A resident's linked LINE account and where their notifications go."""

    class Delivery(models.TextChoices):
        MAIL = "mail", _("E-mail only")
        LINE_AND_MAIL = "line_and_mail", _("LINE and e-mail")
        LINE = "line", _("LINE only")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="line_link",
        verbose_name=_("user"),
    )
    line_user_id = models.CharField(_("LINE user ID"), max_length=64, unique=True)
    delivery = models.CharField(
        _("notifications by"),
        max_length=20,
        choices=Delivery.choices,
        default=Delivery.LINE_AND_MAIL,
    )
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)
    consecutive_failures = models.PositiveSmallIntegerField(
        _("consecutive failed pushes"), default=0
    )
    switched_to_mail_at = models.DateTimeField(
        _("switched to e-mail at"),
        null=True,
        blank=True,
        help_text=_("Set when failing LINE pushes moved the resident back to e-mail."),
    )

    class Meta:
        verbose_name = _("LINE link")
        verbose_name_plural = _("LINE links")

    def __str__(self) -> str:
        return f"LINE link of user {self.user_id}"

    @property
    def sends_line(self) -> bool:
        return self.delivery != self.Delivery.MAIL

    @property
    def sends_mail(self) -> bool:
        return self.delivery != self.Delivery.LINE


class LineLinkToken(models.Model):
    """A link token that LINE issued for a LINE user who followed the account.

    LINE keeps a link token valid for 10 minutes and accepts it once. The
    portal stores the same expiry and marks it used when a resident confirms.
    """

    line_user_id = models.CharField(_("LINE user ID"), max_length=64)
    token_hash = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("LINE link token")
        verbose_name_plural = _("LINE link tokens")

    def __str__(self) -> str:
        return f"LINE link token {self.pk}"


class LineLinkNonce(models.Model):
    """A one-time nonce binding a signed-in resident to a LINE user's link.

    The accountLink webhook event returns the nonce. It completes the link
    only once, before it expires, and only for the LINE user whose link
    token the resident confirmed.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="line_link_nonces",
        verbose_name=_("user"),
    )
    line_user_id = models.CharField(_("LINE user ID"), max_length=64)
    nonce_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("LINE link nonce")
        verbose_name_plural = _("LINE link nonces")

    def __str__(self) -> str:
        return f"LINE link nonce {self.pk}"


class LineMessage(models.Model):
    """One notification pushed to LINE, sent once per event key.

    The rendered mail is kept with it until the message is finished, so a
    push that fails for good can still reach the resident by e-mail.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent to LINE")
        SENT_BY_MAIL = "sent_by_mail", _("Sent by e-mail instead")
        DROPPED = "dropped", _("Dropped (already sent by e-mail)")

    key = models.CharField(_("event key"), max_length=200, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="line_messages",
        verbose_name=_("user"),
    )
    line_user_id = models.CharField(_("LINE user ID"), max_length=64)
    text = models.TextField(_("text"))
    mail_subject = models.TextField(_("mail subject"))
    mail_body = models.TextField(_("mail body"))
    mail_to = models.EmailField(_("mail address"))
    mail_headers = models.JSONField(_("mail headers"), default=dict, blank=True)
    mail_sent = models.BooleanField(
        _("also sent by e-mail"),
        default=False,
        help_text=_("True when the resident gets this notification by e-mail too."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("push attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("LINE message")
        verbose_name_plural = _("LINE messages")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.key


class LineWebhookEvent(models.Model):
    """A webhook event already handled, so a redelivery is handled once."""

    webhook_event_id = models.CharField(max_length=64, unique=True)
    event_type = models.CharField(_("event type"), max_length=40)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("LINE webhook event")
        verbose_name_plural = _("LINE webhook events")

    def __str__(self) -> str:
        return f"{self.event_type} {self.webhook_event_id}"
