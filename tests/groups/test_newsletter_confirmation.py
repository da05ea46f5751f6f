"""Double opt-in for the newsletter: a signed link confirms an address."""

import datetime as dt
import re

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from groups.models import NewsletterIssue, NewsletterSubscription
from groups.services import newsletter as services
from tests.factories import NewsletterSubscriptionFactory, UserFactory

pytestmark = pytest.mark.django_db

SUBSCRIBE = reverse("groups:newsletter_subscribe")


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://portal.example.jp"


def subscribe(client, capture, email="reader@example.jp", language="en"):
    with capture(execute=True):
        return client.post(
            SUBSCRIBE, {"email": email, "language": language}, follow=True
        )


def confirm_path(message):
    url = re.search(
        r"https://portal\.example\.jp(/newsletter/confirm/\S+/)", message.body
    )
    assert url is not None, message.body
    return url.group(1)


def test_anonymous_subscription_waits(client, django_capture_on_commit_callbacks):
    response = subscribe(client, django_capture_on_commit_callbacks)

    subscription = NewsletterSubscription.objects.get()
    assert subscription.confirmed_at is None
    assert "Check the mailbox of this address." in response.content.decode()
    assert [message.to for message in mail.outbox] == [["reader@example.jp"]]
    assert mail.outbox[0].subject == "Confirm your newsletter subscription"


def test_link_get_changes_nothing(client, django_capture_on_commit_callbacks):
    subscribe(client, django_capture_on_commit_callbacks)

    response = client.get(confirm_path(mail.outbox[0]))

    assert response.status_code == 200
    assert "Confirm the subscription" in response.content.decode()
    assert NewsletterSubscription.objects.get().confirmed_at is None


def test_link_post_confirms(client, django_capture_on_commit_callbacks):
    subscribe(client, django_capture_on_commit_callbacks)

    response = client.post(confirm_path(mail.outbox[0]))

    assert response.status_code == 200
    assert "reader@example.jp is subscribed." in response.content.decode()
    assert NewsletterSubscription.objects.get().confirmed_at is not None


def test_tampered_link_rejected(client, django_capture_on_commit_callbacks):
    subscribe(client, django_capture_on_commit_callbacks)
    subscription = NewsletterSubscription.objects.get()
    unsubscribe_token = services.unsubscribe_token(subscription)

    for token in ["not-a-token", unsubscribe_token]:
        url = reverse("groups:newsletter_confirm", args=[token])
        response = client.post(url)
        assert response.status_code == 400, token
        assert "The link is incomplete or was changed." in response.content.decode()
    assert NewsletterSubscription.objects.get().confirmed_at is None


def test_expired_link_rejected(client):
    subscription = NewsletterSubscriptionFactory(confirmed_at=None)
    token = services.confirmation_token(subscription)
    later = timezone.now() + services.CONFIRM_LINK_MAX_AGE + dt.timedelta(minutes=1)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: later.timestamp())
        response = client.post(reverse("groups:newsletter_confirm", args=[token]))

    assert response.status_code == 400
    assert "The confirmation link has expired." in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


def test_unconfirmed_gets_no_issue(resident, django_capture_on_commit_callbacks):
    confirmed = NewsletterSubscriptionFactory(email="confirmed@example.jp")
    NewsletterSubscriptionFactory(email="waiting@example.jp", confirmed_at=None)
    issue = NewsletterIssue.objects.create(
        month=dt.date(2030, 11, 1), subject="号外", body="本文", edited_by=resident
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.start_sending(issue=issue)

    issue.refresh_from_db()
    assert [message.to for message in mail.outbox] == [[confirmed.email]]
    assert issue.recipients_total == 1


def test_own_confirmed_address_needs_no_link(
    client, resident, django_capture_on_commit_callbacks
):
    client.force_login(resident)

    response = subscribe(client, django_capture_on_commit_callbacks, resident.email)

    subscription = NewsletterSubscription.objects.get()
    assert subscription.confirmed_at is not None
    assert subscription.user == resident
    assert mail.outbox == []
    assert "The address is subscribed." in response.content.decode()


def test_own_unconfirmed_address_needs_link(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="new@example.jp", email_confirmed=False)
    client.force_login(user)

    subscribe(client, django_capture_on_commit_callbacks, user.email)

    subscription = NewsletterSubscription.objects.get()
    assert subscription.confirmed_at is None
    assert len(mail.outbox) == 1


def test_other_address_needs_link(client, resident, django_capture_on_commit_callbacks):
    client.force_login(resident)

    response = subscribe(client, django_capture_on_commit_callbacks, "other@example.jp")

    subscription = NewsletterSubscription.objects.get()
    assert subscription.confirmed_at is None
    assert subscription.user is None
    assert [message.to for message in mail.outbox] == [["other@example.jp"]]
    assert "Check the mailbox of this address." in response.content.decode()


def test_resubscribe_after_unsubscribe_needs_link(
    client, django_capture_on_commit_callbacks
):
    subscription = NewsletterSubscriptionFactory(email="reader@example.jp")
    services.unsubscribe(subscription)

    subscribe(client, django_capture_on_commit_callbacks)

    subscription.refresh_from_db()
    assert subscription.is_active
    assert subscription.confirmed_at is None
    assert len(mail.outbox) == 1


def test_confirmed_reader_untouched_by_others(
    client, django_capture_on_commit_callbacks
):
    subscription = NewsletterSubscriptionFactory(
        email="reader@example.jp", language="ja"
    )
    confirmed_at = subscription.confirmed_at

    subscribe(client, django_capture_on_commit_callbacks, language="en")

    subscription.refresh_from_db()
    assert subscription.confirmed_at == confirmed_at
    assert subscription.language == "ja"
    assert mail.outbox == []


def test_confirmation_mail_once_a_day(client, django_capture_on_commit_callbacks):
    subscribe(client, django_capture_on_commit_callbacks)
    subscribe(client, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1


def test_confirm_after_unsubscribe_keeps_unsubscribed(client):
    subscription = NewsletterSubscriptionFactory(confirmed_at=None)
    token = services.confirmation_token(subscription)
    services.unsubscribe(subscription)

    response = client.post(reverse("groups:newsletter_confirm", args=[token]))

    subscription.refresh_from_db()
    assert response.status_code == 200
    assert subscription.confirmed_at is None
    assert not subscription.is_active
