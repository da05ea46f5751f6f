"""Celery tasks that push LINE messages and link invitations.

Pushes that fail for a reason that may pass (HTTP 429, 5xx, a network
error) are retried with exponential backoff and jitter, as mails are
(civic_portal.tasks.RETRY_OPTIONS). A permanent failure, or too many
failures in a row, sends the notification by mail (notifications.delivery).
"""

import logging

from celery import Task, shared_task
from celery.utils.time import get_exponential_backoff_interval

from civic_portal.tasks import RETRY_ERRORS, RETRY_OPTIONS
from notifications import delivery, line_api, linking
from notifications.models import LineMessage

logger = logging.getLogger(__name__)


def retry_countdown(retries: int) -> int:
    """Return the seconds to wait before retry number *retries* + 1 (with jitter)."""
    return get_exponential_backoff_interval(
        factor=delivery.RETRY_BACKOFF_SECONDS,
        retries=retries,
        maximum=delivery.RETRY_BACKOFF_MAX_SECONDS,
        full_jitter=True,
    )


@shared_task(bind=True, max_retries=None)
def deliver_line_message(self: Task, message_id: int) -> str:
    """Push a queued LINE message, or send it by mail when LINE is out.

    Returns the message's status afterwards. The number of attempts is
    bounded by delivery.MAX_CONSECUTIVE_FAILURES, not by Celery's
    max_retries.
    """
    message = (
        LineMessage.objects.select_related("user")
        .filter(pk=message_id, status=LineMessage.Status.QUEUED)
        .first()
    )
    if message is None:
        logger.info("LINE message %s is not queued; nothing to do", message_id)
        return "missing"
    link = delivery.active_link_for(message)
    if link is not None:
        try:
            line_api.push_text(link.line_user_id, message.text)
        except line_api.LineApiError as error:
            if not delivery.record_push_failure(message, link, error):
                raise self.retry(
                    exc=error, countdown=retry_countdown(self.request.retries)
                ) from error
        else:
            delivery.mark_sent(message, link)
            return LineMessage.Status.SENT
    try:
        return delivery.send_by_mail_instead(message)
    except RETRY_ERRORS as error:
        logger.warning("Mail for LINE message %s failed: %s", message.key, error)
        raise self.retry(
            exc=error, countdown=retry_countdown(self.request.retries)
        ) from error


# The linking messages retry like mails. They have no mail to fall back
# on, so a permanent failure (a user who blocked the account) is logged.
LINKING_RETRY_OPTIONS = {**RETRY_OPTIONS, "autoretry_for": (line_api.LineApiError,)}


@shared_task(**LINKING_RETRY_OPTIONS)
def send_link_invitation(line_user_id: str) -> None:
    """Push a LINE user who followed the account the link to the portal."""
    try:
        linking.send_invitation(line_user_id)
    except line_api.LineApiError as error:
        if not error.permanent:
            raise
        logger.warning("LINE link invitation failed for good: %s", error)


@shared_task(**LINKING_RETRY_OPTIONS)
def send_link_confirmation(link_id: int) -> None:
    """Tell a resident on LINE that the link is complete."""
    try:
        linking.send_confirmation(link_id)
    except line_api.LineApiError as error:
        if not error.permanent:
            raise
        logger.warning("LINE link %s confirmation failed for good: %s", link_id, error)


@shared_task
def purge_line_linking_records() -> dict[str, int]:
    """Delete expired link tokens and nonces and old webhook event ids."""
    deleted = linking.purge_used_records()
    logger.info("LINE linking records purged: %s", deleted)
    return deleted
