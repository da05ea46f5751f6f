"""Tests for sending a newsletter issue in Celery batches."""

import datetime as dt
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext

from civic_portal.accounts.models import SentNotification
from groups.models import NewsletterIssue, NewsletterSubscription
from groups.services import newsletter as services
from groups.tasks.events import send_newsletter_batch
from tests.factories import NewsletterSubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://portal.example.jp"


@pytest.fixture
def issue(resident):
    return NewsletterIssue.objects.create(
        month=dt.date(2030, 11, 1),
        subject="県民活動ニュース 2030年11月号",
        introduction="寒くなりました。",
        body="■ 新しいイベント\n・里山まつり",
        edited_by=resident,
    )


def subscribers(count: int, **fields) -> list[NewsletterSubscription]:
    return [NewsletterSubscriptionFactory(**fields) for _ in range(count)]


def send(issue, capture):
    with capture(execute=True):
        services.start_sending(issue=issue)
    issue.refresh_from_db()
    return issue


def test_send_mails_every_active_subscriber(issue, django_capture_on_commit_callbacks):
    subscribers(3)
    NewsletterSubscriptionFactory(unsubscribed_at=timezone.now())

    issue = send(issue, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 3
    assert issue.status == NewsletterIssue.Status.SENT
    assert issue.recipients_total == 3
    assert issue.recipients_sent == 3
    assert issue.sent_at is not None


def test_send_in_batches(issue, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    subscribers(5)

    with mock.patch(
        "groups.tasks.events.send_newsletter_batch.delay",
        wraps=send_newsletter_batch.delay,
    ) as delay:
        issue = send(issue, django_capture_on_commit_callbacks)

    first_ids = [call.args[1] for call in delay.call_args_list]
    assert len(first_ids) == 3
    assert first_ids[0] == 0
    assert len(mail.outbox) == 5
    assert issue.recipients_sent == 5
    assert issue.status == NewsletterIssue.Status.SENT


def test_retried_batch_sends_no_duplicate(issue, django_capture_on_commit_callbacks):
    subscribers(3)
    issue = send(issue, django_capture_on_commit_callbacks)
    NewsletterIssue.objects.filter(pk=issue.pk).update(
        status=NewsletterIssue.Status.SENDING
    )

    sent_again = send_newsletter_batch(issue.pk, 0)

    issue.refresh_from_db()
    assert sent_again == 0
    assert len(mail.outbox) == 3
    assert issue.recipients_sent == 3


def test_failed_batch_resumes_without_duplicates(
    issue, django_capture_on_commit_callbacks
):
    subscribers(3)
    real_send = services.send_mail_once
    calls = {"count": 0}

    def flaky_send(**kwargs):
        calls["count"] += 1
        if calls["count"] == 2:
            raise smtplib.SMTPServerDisconnected("connection lost")
        return real_send(**kwargs)

    # The failure is logged after commit (robust on_commit), and eager
    # Celery does not retry, so the issue stays in "sending".
    with mock.patch.object(services, "send_mail_once", side_effect=flaky_send):
        issue = send(issue, django_capture_on_commit_callbacks)
    assert issue.status == NewsletterIssue.Status.SENDING
    assert len(mail.outbox) == 1

    issue = send(issue, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 3
    assert len({message.to[0] for message in mail.outbox}) == 3
    assert issue.status == NewsletterIssue.Status.SENT
    assert issue.recipients_sent == 3


def test_resume_skips_mails_already_sent(issue, django_capture_on_commit_callbacks):
    first, _second, _third = subscribers(3)
    with django_capture_on_commit_callbacks(execute=False):
        services.start_sending(issue=issue)
    issue.refresh_from_db()
    services.send_issue_to(issue, first)

    issue = send(issue, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 3
    assert len({message.to[0] for message in mail.outbox}) == 3
    assert issue.status == NewsletterIssue.Status.SENT
    assert issue.recipients_total == 3


def test_rejected_address_skipped(issue, django_capture_on_commit_callbacks):
    bad, good = subscribers(2)
    real_send = services.send_mail_once

    def reject_bad(**kwargs):
        if kwargs["to_address"] == bad.email:
            raise smtplib.SMTPRecipientsRefused({bad.email: (550, b"no such user")})
        return real_send(**kwargs)

    with mock.patch.object(services, "send_mail_once", side_effect=reject_bad):
        issue = send(issue, django_capture_on_commit_callbacks)

    assert [message.to for message in mail.outbox] == [[good.email]]
    assert issue.status == NewsletterIssue.Status.SENT
    assert issue.recipients_sent == 1


def test_mail_in_subscriber_language(issue, django_capture_on_commit_callbacks):
    NewsletterSubscriptionFactory(email="en@example.jp", language="en")
    NewsletterSubscriptionFactory(email="ja@example.jp", language="ja")

    with mock.patch.object(
        services, "send_mail_once", wraps=services.send_mail_once
    ) as send_mail:
        send(issue, django_capture_on_commit_callbacks)

    languages = {
        call.kwargs["to_address"]: call.kwargs["language"]
        for call in send_mail.call_args_list
    }
    assert languages == {"en@example.jp": "en", "ja@example.jp": "ja"}
    bodies = {message.to[0]: message.body for message in mail.outbox}
    for language in ("en", "ja"):
        with translation.override(language):
            footer = gettext("Past issues")
        assert (
            f"{footer}: https://portal.example.jp/newsletter/"
            in (bodies[f"{language}@example.jp"])
        )
    for message in mail.outbox:
        assert message.subject == "県民活動ニュース 2030年11月号"
        assert "寒くなりました。" in message.body
        assert "・里山まつり" in message.body


def test_mail_has_one_click_headers(issue, django_capture_on_commit_callbacks):
    subscription = NewsletterSubscriptionFactory()

    send(issue, django_capture_on_commit_callbacks)

    message = mail.outbox[0].message()
    header = message["List-Unsubscribe"]
    token = header.removeprefix(
        "<https://portal.example.jp/newsletter/unsubscribe/"
    ).removesuffix("/>")
    assert header.startswith("<https://")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert services.subscription_from_token(token) == subscription
    assert token in mail.outbox[0].body


def test_mail_key_per_issue_and_subscription(issue, django_capture_on_commit_callbacks):
    subscription = NewsletterSubscriptionFactory()

    send(issue, django_capture_on_commit_callbacks)

    key = f"groups.newsletter.issue:{issue.pk}:{subscription.pk}"
    assert SentNotification.objects.filter(key=key).exists()


def test_late_subscriber_not_mailed(issue, django_capture_on_commit_callbacks):
    subscribers(1)
    with django_capture_on_commit_callbacks(execute=False):
        services.start_sending(issue=issue)
    NewsletterSubscriptionFactory(email="late@example.jp")

    send_newsletter_batch(issue.pk, 0)

    assert [message.to[0] for message in mail.outbox] != ["late@example.jp"]
    assert len(mail.outbox) == 1


def test_unsubscribed_during_send_not_mailed(issue, django_capture_on_commit_callbacks):
    first, second = subscribers(2)
    with django_capture_on_commit_callbacks(execute=False):
        services.start_sending(issue=issue)
    services.unsubscribe(second)

    send_newsletter_batch(issue.pk, 0)

    issue.refresh_from_db()
    assert [message.to[0] for message in mail.outbox] == [first.email]
    assert issue.recipients_total == 2
    assert issue.recipients_sent == 1
    assert issue.status == NewsletterIssue.Status.SENT


def test_sent_issue_cannot_be_sent_again(issue, django_capture_on_commit_callbacks):
    subscribers(1)
    issue = send(issue, django_capture_on_commit_callbacks)

    with pytest.raises(ValidationError, match="already sent"):
        services.start_sending(issue=issue)

    assert len(mail.outbox) == 1


def test_batch_of_draft_issue_skipped(issue):
    subscribers(1)

    assert send_newsletter_batch(issue.pk, 0) == 0
    assert mail.outbox == []
