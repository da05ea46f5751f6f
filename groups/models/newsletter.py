from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NewsletterSubscription(models.Model):
    """A reader of the monthly newsletter; unsubscribing keeps the row.

    Issues go only to confirmed subscriptions: the owner of the address
    opened the signed link mailed to it, or subscribed the confirmed
    e-mail address of their own account.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="newsletter_subscriptions",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="ja"
    )
    subscribed_at = models.DateTimeField(_("subscribed at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(
        _("confirmed at"),
        null=True,
        blank=True,
        help_text=_("When the owner of the address confirmed the subscription."),
    )
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("newsletter subscription")
        verbose_name_plural = _("newsletter subscriptions")

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.unsubscribed_at is None


class NewsletterIssue(models.Model):
    """One monthly newsletter, compiled from new events and grant notices."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    month = models.DateField(
        _("month"), unique=True, help_text=_("The first day of the month.")
    )
    subject = models.CharField(_("subject"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    recipients_total = models.PositiveIntegerField(_("recipients"), default=0)
    recipients_sent = models.PositiveIntegerField(_("sent"), default=0)
    send_started_at = models.DateTimeField(
        _("sending started at"), null=True, blank=True
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("edited by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")

    def __str__(self) -> str:
        return self.subject
