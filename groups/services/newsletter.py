"""The monthly newsletter: subscriptions, drafting an issue, sending it.

An issue for a month lists the published events and grant notices added
in that month (Japan time) that are still current when it is drafted.
Centre staff edit the draft and send it. Sending runs in Celery tasks,
one batch of subscribers each, and every mail goes through send_mail_once
under a key per issue and subscription, so a retried batch sends nothing
twice. Unsubscribe links carry the subscription id signed with a salt of
their own, and work without logging in.

Subscribing is double opt-in: issues go only to subscriptions whose
address owner opened a signed confirmation link mailed to the address.
A signed-in user who subscribes the confirmed address of their own
account is confirmed at once.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from civic_portal.accounts.models import SentNotification, User
from civic_portal.fiscal import JAPAN
from civic_portal.mail import send_mail_once
from groups.models import (
    CivicGroup,
    Event,
    GrantNotice,
    NewsletterIssue,
    NewsletterSubscription,
)

logger = logging.getLogger(__name__)

IssueStatus = NewsletterIssue.Status

UNSUBSCRIBE_SALT = "groups.newsletter.unsubscribe"
# Readers keep old issues, so a link stays valid for more than a year.
UNSUBSCRIBE_LINK_MAX_AGE = dt.timedelta(days=400)
CONFIRM_SALT = "groups.newsletter.confirm"
CONFIRM_LINK_MAX_AGE = dt.timedelta(days=7)
CONFIRM_MAIL_TEMPLATE = "mail/groups/newsletter/confirm"
# Subscribers mailed by one Celery task.
BATCH_SIZE = 100
MAIL_TEMPLATE = "mail/groups/newsletter/issue"


class UnsubscribeLinkError(Exception):
    """An unsubscribe or confirmation link that is invalid (tampered) or expired."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# Subscriptions


def _owns_address(user: User | None, address: str) -> bool:
    return user is not None and user.email.strip().lower() == address


def subscribe(
    *, email: str, language: str, user: User | None = None
) -> NewsletterSubscription:
    """Subscribe *email*, or subscribe it again after it unsubscribed.

    *user* is the signed-in user who subscribes, linked to a subscription
    that has no user yet. The subscription is confirmed at once when *user*
    subscribes the confirmed address of their account. Otherwise a new or
    renewed subscription waits for confirmation, and a mail with the
    confirmation link is queued after commit, at most one a day for an
    address. A subscription that is confirmed and active stays as it is.
    """
    address = email.strip().lower()
    confirmed_by_account = _owns_address(user, address) and bool(
        user and user.email_confirmed
    )
    with transaction.atomic():
        subscription = (
            NewsletterSubscription.objects.select_for_update()
            .filter(email__iexact=address)
            .first()
        )
        if subscription is None:
            subscription = NewsletterSubscription(email=address)
            action = "created"
        elif subscription.unsubscribed_at is not None:
            # An address that unsubscribed is confirmed again, so that a
            # third party cannot restart the mails to it.
            subscription.unsubscribed_at = None
            subscription.confirmed_at = None
            action = "renewed"
        else:
            action = "requested again"
        if subscription.user_id is None and _owns_address(user, address):
            subscription.user = user
        if subscription.confirmed_at is None:
            # A confirmed reader's language is theirs to keep: a request
            # from anyone else must not change it.
            subscription.language = language
        if confirmed_by_account and subscription.confirmed_at is None:
            subscription.confirmed_at = timezone.now()
        subscription.save()
        if subscription.confirmed_at is None:
            _queue_confirmation_mail(subscription)
    logger.info(
        "Newsletter subscription %s %s (confirmed: %s)",
        subscription.pk,
        action,
        subscription.confirmed_at is not None,
    )
    return subscription


def _queue_confirmation_mail(subscription: NewsletterSubscription) -> None:
    from groups.tasks.events import send_newsletter_confirmation

    subscription_id = subscription.pk
    transaction.on_commit(
        lambda: send_newsletter_confirmation.delay(subscription_id), robust=True
    )


def confirmation_token(subscription: NewsletterSubscription) -> str:
    return signing.dumps(subscription.pk, salt=CONFIRM_SALT)


def confirmation_url(subscription: NewsletterSubscription) -> str:
    token = confirmation_token(subscription)
    return settings.SITE_URL + reverse("groups:newsletter_confirm", args=[token])


def confirmation_mail_key(subscription: NewsletterSubscription) -> str:
    """Return the mail key, one a day per subscription in Japan time."""
    today = timezone.localdate(timezone=JAPAN)
    return f"groups.newsletter.confirm:{subscription.pk}:{today.isoformat()}"


def send_confirmation_mail(subscription: NewsletterSubscription) -> bool:
    """Mail the confirmation link unless it was mailed today; return True if sent."""
    return send_mail_once(
        key=confirmation_mail_key(subscription),
        recipient=None,
        template_prefix=CONFIRM_MAIL_TEMPLATE,
        context={
            "confirm_url": confirmation_url(subscription),
            "max_age_days": CONFIRM_LINK_MAX_AGE.days,
        },
        to_address=subscription.email,
        language=subscription.language,
    )


def subscription_from_confirmation_token(token: str) -> NewsletterSubscription:
    """Return the subscription of a confirmation link.

    Raises UnsubscribeLinkError with reason "expired" or "invalid".
    """
    return _subscription_from_signed(token, CONFIRM_SALT, CONFIRM_LINK_MAX_AGE)


def confirm(subscription: NewsletterSubscription) -> bool:
    """Confirm an active subscription; return False when there was nothing to do.

    A subscription that was unsubscribed after the link was mailed stays
    unsubscribed.
    """
    updated = NewsletterSubscription.objects.filter(
        pk=subscription.pk, unsubscribed_at__isnull=True, confirmed_at__isnull=True
    ).update(confirmed_at=timezone.now())
    if updated:
        logger.info("Newsletter subscription %s confirmed", subscription.pk)
    return bool(updated)


def unsubscribe_token(subscription: NewsletterSubscription) -> str:
    return signing.dumps(subscription.pk, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(subscription: NewsletterSubscription) -> str:
    token = unsubscribe_token(subscription)
    return settings.SITE_URL + reverse("groups:newsletter_unsubscribe", args=[token])


def subscription_from_token(token: str) -> NewsletterSubscription:
    """Return the subscription of an unsubscribe link.

    Raises UnsubscribeLinkError with reason "expired" or "invalid".
    """
    return _subscription_from_signed(token, UNSUBSCRIBE_SALT, UNSUBSCRIBE_LINK_MAX_AGE)


def _subscription_from_signed(
    token: str, salt: str, max_age: dt.timedelta
) -> NewsletterSubscription:
    try:
        pk = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise UnsubscribeLinkError("expired") from error
    except signing.BadSignature as error:
        raise UnsubscribeLinkError("invalid") from error
    subscription = NewsletterSubscription.objects.filter(pk=pk).first()
    if subscription is None:
        raise UnsubscribeLinkError("invalid")
    return subscription


def unsubscribe(subscription: NewsletterSubscription) -> bool:
    """Unsubscribe; return False when it was already unsubscribed."""
    updated = NewsletterSubscription.objects.filter(
        pk=subscription.pk, unsubscribed_at__isnull=True
    ).update(unsubscribed_at=timezone.now())
    if updated:
        logger.info("Newsletter subscription %s unsubscribed", subscription.pk)
    return bool(updated)


# Drafting an issue


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Return the aware start (inclusive) and end (exclusive) of *month* in Japan."""
    start = dt.datetime.combine(first_of_month(month), dt.time.min, tzinfo=JAPAN)
    next_month = (start + dt.timedelta(days=32)).replace(day=1)
    return start, next_month


def new_events_in(month: dt.date) -> QuerySet[Event]:
    """Published events of public groups added in *month* that have not ended."""
    start, end = month_bounds(month)
    return (
        Event.objects.filter(
            status=Event.Status.PUBLISHED,
            created_at__gte=start,
            created_at__lt=end,
            ends_at__gt=timezone.now(),
            group__in=CivicGroup.objects.public(),
        )
        .select_related("group", "municipality")
        .order_by("starts_at", "pk")
    )


def new_grants_in(month: dt.date) -> QuerySet[GrantNotice]:
    """Published grant notices added in *month* whose deadline has not passed."""
    start, end = month_bounds(month)
    return GrantNotice.objects.filter(
        is_published=True,
        created_at__gte=start,
        created_at__lt=end,
        deadline__gte=timezone.now(),
    ).order_by("deadline", "pk")


def compile_issue_text(month: dt.date) -> tuple[str, str]:
    """Return a draft subject and body for *month*, in the default language."""
    context = {
        "month": first_of_month(month),
        "events": list(new_events_in(month)),
        "grants": list(new_grants_in(month)),
        "SITE_URL": settings.SITE_URL,
    }
    with translation.override(settings.LANGUAGE_CODE), timezone.override(JAPAN):
        subject = _("Civic activity newsletter, %(month)s") % {
            "month": date_format(context["month"], "YEAR_MONTH_FORMAT")
        }
        body = render_to_string("groups/newsletter/draft_body.txt", context)
    return subject, body.strip() + "\n"


def draft_issue(*, month: dt.date, edited_by: User) -> NewsletterIssue:
    """Create the draft issue of *month* from its new events and grant notices."""
    month = first_of_month(month)
    if NewsletterIssue.objects.filter(month=month).exists():
        raise ValidationError(
            {"month": _("An issue for this month already exists. Edit that issue.")}
        )
    subject, body = compile_issue_text(month)
    issue = NewsletterIssue.objects.create(
        month=month, subject=subject, body=body, edited_by=edited_by
    )
    logger.info("Newsletter issue %s drafted for %s", issue.pk, month)
    return issue


def update_issue(
    *, issue: NewsletterIssue, fields: dict[str, Any], edited_by: User
) -> NewsletterIssue:
    """Save staff edits of a draft issue."""
    with transaction.atomic():
        issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
        if issue.status != IssueStatus.DRAFT:
            raise ValidationError(
                _("This issue is being sent or was sent, so it cannot be changed.")
            )
        for name in ("subject", "introduction", "body"):
            setattr(issue, name, fields[name])
        issue.edited_by = edited_by
        issue.save()
    logger.info("Newsletter issue %s edited", issue.pk)
    return issue


# Sending


def issue_recipients(issue: NewsletterIssue) -> QuerySet[NewsletterSubscription]:
    """Subscriptions that get *issue*: active, and confirmed before sending began."""
    recipients = NewsletterSubscription.objects.filter(
        unsubscribed_at__isnull=True, confirmed_at__isnull=False
    )
    if issue.send_started_at is not None:
        recipients = recipients.filter(confirmed_at__lte=issue.send_started_at)
    return recipients


def start_sending(*, issue: NewsletterIssue) -> NewsletterIssue:
    """Mark *issue* as sending and queue its first batch after commit.

    An issue that is already sending is queued again from its first
    subscriber, which resumes a send whose task failed for good. The
    mails already sent are skipped.
    """
    from groups.tasks.events import send_newsletter_batch

    with transaction.atomic():
        issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
        if issue.status == IssueStatus.SENT:
            raise ValidationError(_("This issue was already sent."))
        if issue.status == IssueStatus.DRAFT:
            issue.status = IssueStatus.SENDING
            issue.send_started_at = timezone.now()
            issue.recipients_total = issue_recipients(issue).count()
            issue.save()
        issue_id = issue.pk
        transaction.on_commit(
            lambda: send_newsletter_batch.delay(issue_id, 0), robust=True
        )
    logger.info(
        "Newsletter issue %s sending to %s subscribers",
        issue.pk,
        issue.recipients_total,
    )
    return issue


def mail_key(issue: NewsletterIssue, subscription: NewsletterSubscription) -> str:
    return f"{_key_prefix(issue)}{subscription.pk}"


def _key_prefix(issue: NewsletterIssue) -> str:
    return f"groups.newsletter.issue:{issue.pk}:"


def send_issue_to(issue: NewsletterIssue, subscription: NewsletterSubscription) -> bool:
    """Mail *issue* to *subscription* unless it was mailed before.

    A recipient address that the mail server rejects is logged and
    skipped, so that one bad address does not hold up the batch.
    """
    url = unsubscribe_url(subscription)
    try:
        return send_mail_once(
            key=mail_key(issue, subscription),
            recipient=subscription.user,
            template_prefix=MAIL_TEMPLATE,
            context={
                "issue": issue,
                "unsubscribe_url": url,
                "archive_url": settings.SITE_URL + reverse("groups:newsletter_archive"),
            },
            to_address=subscription.email,
            language=subscription.language,
            headers={
                "List-Unsubscribe": f"<{url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
    except smtplib.SMTPRecipientsRefused as error:
        logger.warning(
            "Newsletter issue %s to subscription %s rejected by the mail server: %s",
            issue.pk,
            subscription.pk,
            error.recipients,
        )
        return False


def record_progress(issue: NewsletterIssue) -> int:
    """Store how many subscribers have been mailed *issue*; return the count.

    The count is read from the sent-mail keys, so a retried batch does not
    count a mail twice.
    """
    # NOTE: on PostgreSQL this LIKE 'prefix%' cannot use the key's unique
    # index unless the database collation is C, so each batch scans the
    # sent-mail table once. Not measured at scale.
    sent = SentNotification.objects.filter(key__startswith=_key_prefix(issue)).count()
    NewsletterIssue.objects.filter(pk=issue.pk).update(recipients_sent=sent)
    return sent


def finish_sending(issue: NewsletterIssue) -> None:
    """Mark *issue* as sent once every batch has run."""
    updated = NewsletterIssue.objects.filter(
        pk=issue.pk, status=IssueStatus.SENDING
    ).update(status=IssueStatus.SENT, sent_at=timezone.now())
    if updated:
        logger.info("Newsletter issue %s sent", issue.pk)
