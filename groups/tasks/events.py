"""Celery tasks of the newsletter: sending issues and confirmation links.

An issue is sent in a chain of batches: each task mails the next
BATCH_SIZE subscribers after the given subscription id, then queues the
next batch, and the last one marks the issue as sent. A retried batch
runs again from the same id, and send_mail_once skips the mails already
sent.
"""

from __future__ import annotations

import logging

from celery import shared_task

from civic_portal.tasks import RETRY_OPTIONS
from groups.models import NewsletterIssue, NewsletterSubscription
from groups.services import newsletter

logger = logging.getLogger(__name__)


@shared_task(**RETRY_OPTIONS)
def send_newsletter_batch(issue_id: int, after_subscription_id: int) -> int:
    """Mail one batch of *issue_id*; return how many mails were sent now."""
    issue = NewsletterIssue.objects.filter(
        pk=issue_id, status=NewsletterIssue.Status.SENDING
    ).first()
    if issue is None:
        logger.warning("Newsletter issue %s is not being sent; batch skipped", issue_id)
        return 0
    batch = list(
        newsletter.issue_recipients(issue)
        .filter(pk__gt=after_subscription_id)
        .select_related("user")
        .order_by("pk")[: newsletter.BATCH_SIZE]
    )
    logger.info(
        "Newsletter issue %s batch after subscription %s started: %s subscribers",
        issue_id,
        after_subscription_id,
        len(batch),
    )
    sent = sum(newsletter.send_issue_to(issue, subscription) for subscription in batch)
    total_sent = newsletter.record_progress(issue)
    logger.info(
        "Newsletter issue %s batch done: %s sent now, %s in all",
        issue_id,
        sent,
        total_sent,
    )
    if len(batch) == newsletter.BATCH_SIZE:
        send_newsletter_batch.delay(issue_id, batch[-1].pk)
    else:
        newsletter.finish_sending(issue)
    return sent


@shared_task(**RETRY_OPTIONS)
def send_newsletter_confirmation(subscription_id: int) -> bool:
    """Mail the confirmation link of a subscription that still waits for it."""
    subscription = NewsletterSubscription.objects.filter(
        pk=subscription_id, confirmed_at__isnull=True, unsubscribed_at__isnull=True
    ).first()
    if subscription is None:
        logger.info(
            "Newsletter subscription %s needs no confirmation mail", subscription_id
        )
        return False
    return newsletter.send_confirmation_mail(subscription)
