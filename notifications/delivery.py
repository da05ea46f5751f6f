"""The LINE channel of send_mail_once: queue, push, and fall back to mail.

A resident with a LINE link chooses e-mail only, LINE and e-mail, or LINE
only. LINE messages are short: the mail's subject and one link, or the
`<prefix>_line.txt` template when it exists. Each message is stored under
the notification's event key, so a retried task queues it once, and with
the rendered mail, so that a push that fails for good reaches the resident
by mail instead.
"""

import logging
from typing import Any, NamedTuple

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone, translation

from civic_portal.accounts.models import User
from civic_portal.fiscal import JAPAN
from civic_portal.mail import send_rendered_mail_once
from notifications import line_api
from notifications.models import LineLink, LineMessage

logger = logging.getLogger(__name__)

# A recipient whose pushes fail this many times in a row is switched back
# to e-mail, and a message pushed this many times without success goes by
# mail. With the backoff below (full jitter), the 7 waits between 8 attempts
# add up to at most 3,690 seconds, about half that on average.
MAX_CONSECUTIVE_FAILURES = 8
RETRY_BACKOFF_SECONDS = 30
RETRY_BACKOFF_MAX_SECONDS = 30 * 60

# Account mails (address confirmation, password reset) carry a secret link
# that proves control of the e-mail address. They go by mail only, so the
# link is neither pushed to LINE nor stored with a LINE message.
MAIL_ONLY_TEMPLATE_PREFIXES = ("mail/accounts/",)

# Context entries that name the notification's subject, best first: the
# one-step apply link, then the post's page.
PREFERRED_LINK_KEYS = ("apply_url", "post_url")


class RenderedMail(NamedTuple):
    subject: str
    body: str
    address: str
    headers: dict[str, str]


class LineQueueResult(NamedTuple):
    """The outcome of one notification on the LINE channel.

    *line_only* is True when the recipient gets no mail for it. *queued* is
    True when a LINE message was queued now.
    """

    line_only: bool
    queued: bool


NOT_ON_LINE = LineQueueResult(line_only=False, queued=False)

# A finished message keeps no copy of the mail: the fallback needs it no
# more, and the body may contain personal data.
MAIL_CLEARED: dict[str, Any] = {"mail_body": "", "mail_headers": {}}


def notification_link(context: dict[str, Any]) -> str:
    """Return the one link a LINE message carries for a mail's *context*.

    The apply link or the post's page when the context has one, else the
    first portal URL among the context's `*_url` entries, else the site.
    """
    for key in PREFERRED_LINK_KEYS:
        value = context.get(key)
        if isinstance(value, str) and value:
            return value
    for key, value in context.items():
        if (
            key.endswith("_url")
            and isinstance(value, str)
            and value.startswith(settings.SITE_URL)
        ):
            return value
    return settings.SITE_URL + "/"


def _shorten(text: str, limit: int = line_api.MAX_TEXT_LENGTH) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


def render_line_text(
    template_prefix: str, context: dict[str, Any], language: str, subject: str
) -> str:
    """Render the LINE text of a notification in *language*."""
    link = notification_link(context)
    try:
        template = get_template(f"{template_prefix}_line.txt")
    except TemplateDoesNotExist:
        # The link is kept whole: only the subject is cut to fit.
        room = line_api.MAX_TEXT_LENGTH - len(link) - 1
        return f"{_shorten(subject, room)}\n{link}"
    with translation.override(language), timezone.override(JAPAN):
        full_context = {"SITE_URL": settings.SITE_URL, "line_link": link, **context}
        text = template.render(full_context).strip()
    return _shorten(text)


def queue_line_notification(
    *,
    key: str,
    recipient: User,
    template_prefix: str,
    context: dict[str, Any],
    language: str,
    mail: RenderedMail,
) -> LineQueueResult:
    """Queue the LINE message for event *key* when the recipient chose LINE.

    The push runs in a Celery task after the surrounding transaction
    commits. Nothing happens while the channel is not configured, nor for
    the mail-only account mails.
    """
    if not line_api.channel_configured():
        return NOT_ON_LINE
    if template_prefix.startswith(MAIL_ONLY_TEMPLATE_PREFIXES):
        return NOT_ON_LINE
    link = LineLink.objects.filter(user=recipient).first()
    if link is None or not link.sends_line:
        return NOT_ON_LINE
    line_only = not link.sends_mail
    text = render_line_text(template_prefix, context, language, mail.subject)
    try:
        with transaction.atomic():
            message = LineMessage.objects.create(
                key=key,
                user=recipient,
                line_user_id=link.line_user_id,
                text=text,
                mail_subject=mail.subject,
                mail_body=mail.body,
                mail_to=mail.address,
                mail_headers=mail.headers,
                mail_sent=not line_only,
            )
    except IntegrityError:
        logger.info("LINE message %s was already queued; skipped", key)
        return LineQueueResult(line_only=line_only, queued=False)

    from notifications.tasks import deliver_line_message

    message_id = message.pk
    # NOTE: under eager Celery (the embedded default) a retry raises Retry
    # out of this callback, which is logged, and the message stays queued.
    transaction.on_commit(lambda: deliver_line_message.delay(message_id), robust=True)
    logger.info("LINE message %s queued for user %s", key, recipient.pk)
    return LineQueueResult(line_only=line_only, queued=True)


def active_link_for(message: LineMessage) -> LineLink | None:
    """Return the link that *message* may still be pushed to, or None.

    None when the resident unlinked, unfollowed, linked another LINE
    account or switched to e-mail after the message was queued.
    """
    return (
        LineLink.objects.filter(
            user_id=message.user_id, line_user_id=message.line_user_id
        )
        .exclude(delivery=LineLink.Delivery.MAIL)
        .first()
    )


def mark_sent(message: LineMessage, link: LineLink) -> None:
    now = timezone.now()
    LineMessage.objects.filter(pk=message.pk).update(
        status=LineMessage.Status.SENT,
        attempts=F("attempts") + 1,
        finished_at=now,
        last_error="",
        **MAIL_CLEARED,
    )
    LineLink.objects.filter(pk=link.pk).update(consecutive_failures=0)
    logger.info("LINE message %s pushed to user %s", message.key, message.user_id)


def record_push_failure(
    message: LineMessage, link: LineLink, error: line_api.LineApiError
) -> bool:
    """Count a failed push; return True when the message should go by mail.

    A permanent failure, or MAX_CONSECUTIVE_FAILURES failures in a row for
    the recipient, switches the recipient back to e-mail. A message that
    has used up its attempts goes by mail, and the recipient keeps LINE.
    """
    LineMessage.objects.filter(pk=message.pk).update(
        attempts=F("attempts") + 1, last_error=str(error)[:200]
    )
    LineLink.objects.filter(pk=link.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    message.refresh_from_db(fields=["attempts"])
    link.refresh_from_db(fields=["consecutive_failures"])
    logger.warning(
        "LINE push of %s to user %s failed (attempt %d, HTTP %s)",
        message.key,
        message.user_id,
        message.attempts,
        error.status,
    )
    if error.permanent or link.consecutive_failures >= MAX_CONSECUTIVE_FAILURES:
        switch_to_mail(
            link, reason="permanent error" if error.permanent else "failures"
        )
        return True
    return message.attempts >= MAX_CONSECUTIVE_FAILURES


def switch_to_mail(link: LineLink, *, reason: str) -> None:
    """Send the resident's notifications by e-mail only from now on."""
    LineLink.objects.filter(pk=link.pk).update(
        delivery=LineLink.Delivery.MAIL, switched_to_mail_at=timezone.now()
    )
    logger.warning(
        "LINE link %s of user %s switched to e-mail after %s",
        link.pk,
        link.user_id,
        reason,
    )


def send_by_mail_instead(message: LineMessage) -> str:
    """Finish a message that will not be pushed: mail it unless already mailed.

    Returns the message's final status. Raises the mail backend's errors,
    so the task can retry; the message stays queued until then.
    """
    if message.mail_sent:
        status = LineMessage.Status.DROPPED
    else:
        send_rendered_mail_once(
            key=message.key,
            recipient=message.user,
            subject=message.mail_subject,
            body=message.mail_body,
            address=message.mail_to,
            headers=message.mail_headers or None,
        )
        status = LineMessage.Status.SENT_BY_MAIL
    LineMessage.objects.filter(pk=message.pk).update(
        status=status, finished_at=timezone.now(), **MAIL_CLEARED
    )
    logger.info(
        "LINE message %s for user %s finished as %s",
        message.key,
        message.user_id,
        status,
    )
    return status
