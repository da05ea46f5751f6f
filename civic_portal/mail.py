"""Sending one mail per event, in the recipient's language.

Each mail carries a key naming its event (for example
``volunteering.application.confirmed:42``). The key is stored in the same
transaction that sends the mail, so a task that is retried or delivered
twice sends nothing the second time. A failed send rolls the key back, so
the retry can send the mail.

send_mail_once is also the one notification interface: a resident who
linked LINE and chose it gets the notification there as well, or instead
(notifications.delivery).
"""

import email.message
import logging
from email.header import Header
from email.policy import compat32
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from civic_portal.accounts.models import DELETED_EMAIL_DOMAIN, SentNotification, User
from civic_portal.fiscal import JAPAN

logger = logging.getLogger(__name__)


class PortalEmailMessage(EmailMultiAlternatives):
    """A mail whose non-ASCII subject folds without an empty first line.

    Django 5.2 encodes such a subject before the header name is known. A
    long Japanese subject is then written as "Subject:" followed by a
    folded line, and mail readers show it with a leading space.
    """

    # NOTE: written for Django 5.2, whose messages use the compat32 policy.
    # Newer Django builds messages with the modern email API, so the fix is
    # applied only under compat32.
    def message(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        message = super().message(*args, **kwargs)
        subject = str(self.subject)
        if message.policy is compat32 and not subject.isascii():
            del message["Subject"]
            # Message.__setitem__ skips Django's check against newlines,
            # which a Header never contains: it folds when written out.
            email.message.Message.__setitem__(
                message,
                "Subject",
                Header(subject, "utf-8", header_name="Subject"),
            )
        return message


def render_mail(
    template_prefix: str, context: dict[str, Any], language: str
) -> tuple[str, str]:
    """Render `<prefix>_subject.txt` and `<prefix>_body.txt` in *language*.

    Dates and times render in Japan time, whatever zone the worker runs in.
    """
    with translation.override(language), timezone.override(JAPAN):
        full_context = {"SITE_URL": settings.SITE_URL, **context}
        subject = render_to_string(f"{template_prefix}_subject.txt", full_context)
        body = render_to_string(f"{template_prefix}_body.txt", full_context)
    return " ".join(subject.split()), body


def send_mail_once(
    *,
    key: str,
    recipient: User | None,
    template_prefix: str,
    context: dict[str, Any],
    to_address: str | None = None,
    language: str | None = None,
    headers: dict[str, str] | None = None,
) -> bool:
    """Send the notification for event *key* unless it was sent before.

    Returns True when the notification went out now, by mail or queued for
    LINE. The mail is in *language*, else in the recipient's preferred
    language, else in the default language. *to_address* overrides the
    recipient's address, for mails to a post's contact address or to a
    newsletter subscriber. *headers* are added to the message, for example
    List-Unsubscribe. Nothing is sent to a deleted account, by mail or LINE.

    A recipient who linked LINE and chose it gets the notification on LINE
    as well, or on LINE only (notifications.delivery); each channel keeps
    its own record of the key, so neither sends twice.
    """
    address = to_address or (recipient.email if recipient else None)
    if not address:
        logger.warning("Mail %s has no recipient address; skipped", key)
        return False
    deleted_address = address.lower().endswith(f"@{DELETED_EMAIL_DOMAIN}")
    if deleted_address or (recipient is not None and recipient.is_deleted):
        logger.info(
            "Mail %s to a deleted account (user %s) skipped",
            key,
            recipient.pk if recipient else None,
        )
        return False
    if language is None:
        language = recipient.preferred_language if recipient else settings.LANGUAGE_CODE
    subject, body = render_mail(template_prefix, context, language)

    if recipient is not None and to_address is None:
        # Imported here because notifications.delivery imports this module.
        from notifications.delivery import RenderedMail, queue_line_notification

        line = queue_line_notification(
            key=key,
            recipient=recipient,
            template_prefix=template_prefix,
            context=context,
            language=language,
            mail=RenderedMail(subject, body, address, headers or {}),
        )
        if line.line_only:
            return line.queued

    return send_rendered_mail_once(
        key=key,
        recipient=recipient,
        subject=subject,
        body=body,
        address=address,
        headers=headers,
    )


def send_rendered_mail_once(
    *,
    key: str,
    recipient: User | None,
    subject: str,
    body: str,
    address: str,
    headers: dict[str, str] | None = None,
) -> bool:
    """Send an already rendered mail for event *key* unless it was sent before."""
    message = PortalEmailMessage(subject, body, to=[address], headers=headers)
    try:
        with transaction.atomic():
            SentNotification.objects.create(key=key, recipient=recipient)
            message.send()
    except IntegrityError:
        logger.info("Mail %s was already sent; skipped", key)
        return False
    logger.info("Mail %s sent", key)
    return True
