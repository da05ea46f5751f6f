"""Tests for newsletter subscriptions, unsubscribe links and drafting issues."""

import datetime as dt
from unittest import mock

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext

from civic_portal.fiscal import JAPAN
from groups.models import Event, NewsletterIssue, NewsletterSubscription
from groups.services import newsletter as services
from tests.factories import (
    EventFactory,
    GrantNoticeFactory,
    NewsletterSubscriptionFactory,
)

pytestmark = pytest.mark.django_db

NOVEMBER = dt.date(2030, 11, 1)


def created_at(event_or_grant, moment: dt.datetime) -> None:
    type(event_or_grant).objects.filter(pk=event_or_grant.pk).update(created_at=moment)


# Subscriptions


def test_subscribe_creates_subscription(resident):
    subscription = services.subscribe(
        email=" Resident@Example.JP ", language="en", user=resident
    )

    assert subscription.email == "resident@example.jp"
    assert subscription.language == "en"
    assert subscription.user == resident
    assert subscription.is_active


def test_subscribe_other_address_links_no_user(resident):
    subscription = services.subscribe(
        email="reader@example.jp", language="en", user=resident
    )

    assert subscription.user is None
    assert subscription.confirmed_at is None


def test_subscribe_twice_keeps_one_row():
    services.subscribe(email="reader@example.jp", language="ja")
    services.subscribe(email="READER@example.jp", language="en")

    subscription = NewsletterSubscription.objects.get()
    assert subscription.language == "en"


def test_subscribe_again_after_unsubscribing():
    subscription = NewsletterSubscriptionFactory(unsubscribed_at=timezone.now())

    services.subscribe(email=subscription.email, language="ja")

    subscription.refresh_from_db()
    assert subscription.is_active


def test_token_round_trip():
    subscription = NewsletterSubscriptionFactory()

    token = services.unsubscribe_token(subscription)

    assert services.subscription_from_token(token) == subscription


def test_tampered_token_is_invalid():
    token = services.unsubscribe_token(NewsletterSubscriptionFactory())
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")

    with pytest.raises(services.UnsubscribeLinkError) as error:
        services.subscription_from_token(tampered)

    assert error.value.reason == "invalid"


def test_token_of_other_salt_is_invalid():
    subscription = NewsletterSubscriptionFactory()
    token = signing.dumps(subscription.pk, salt="some.other.purpose")

    with pytest.raises(services.UnsubscribeLinkError) as error:
        services.subscription_from_token(token)

    assert error.value.reason == "invalid"


def test_old_token_is_expired():
    subscription = NewsletterSubscriptionFactory()
    issued = timezone.now() - services.UNSUBSCRIBE_LINK_MAX_AGE - dt.timedelta(days=1)
    with mock.patch("time.time", return_value=issued.timestamp()):
        token = services.unsubscribe_token(subscription)

    with pytest.raises(services.UnsubscribeLinkError) as error:
        services.subscription_from_token(token)

    assert error.value.reason == "expired"


def test_token_of_deleted_subscription_is_invalid():
    subscription = NewsletterSubscriptionFactory()
    token = services.unsubscribe_token(subscription)
    subscription.delete()

    with pytest.raises(services.UnsubscribeLinkError):
        services.subscription_from_token(token)


def test_unsubscribe_once():
    subscription = NewsletterSubscriptionFactory()

    first = services.unsubscribe(subscription)
    second = services.unsubscribe(subscription)

    subscription.refresh_from_db()
    assert first is True
    assert second is False
    assert not subscription.is_active


# Drafting an issue


def test_month_bounds_in_japan_time():
    start, end = services.month_bounds(dt.date(2030, 12, 15))

    assert start == dt.datetime(2030, 12, 1, tzinfo=JAPAN)
    assert end == dt.datetime(2031, 1, 1, tzinfo=JAPAN)


def test_draft_lists_new_items_of_month(settings, resident):
    settings.SITE_URL = "https://portal.example.jp"
    in_month = dt.datetime(2030, 11, 10, 12, 0, tzinfo=JAPAN)
    event = EventFactory(
        title="新しい講座",
        starts_at=dt.datetime(2030, 12, 5, 10, 0, tzinfo=JAPAN),
        fee=0,
    )
    created_at(event, in_month)
    draft = EventFactory(title="下書きの講座", status=Event.Status.DRAFT)
    created_at(draft, in_month)
    earlier = EventFactory(title="先月の講座")
    created_at(earlier, dt.datetime(2030, 10, 31, 23, 0, tzinfo=JAPAN))
    grant = GrantNoticeFactory(
        title="新しい助成",
        deadline=dt.datetime(2030, 12, 20, 23, 59, 59, tzinfo=JAPAN),
    )
    created_at(grant, in_month)
    unpublished = GrantNoticeFactory(title="非公開の助成", is_published=False)
    created_at(unpublished, in_month)

    with mock.patch(
        "django.utils.timezone.now",
        return_value=dt.datetime(2030, 12, 1, 9, 0, tzinfo=JAPAN),
    ):
        issue = services.draft_issue(month=dt.date(2030, 11, 17), edited_by=resident)

    assert issue.month == NOVEMBER
    assert issue.status == NewsletterIssue.Status.DRAFT
    assert "2030年11月" in issue.subject
    assert "新しい講座" in issue.body
    assert "2030-12-05" in issue.body
    assert f"https://portal.example.jp/events/{event.pk}/" in issue.body
    assert "新しい助成" in issue.body
    assert "2030-12-20" in issue.body
    assert "下書きの講座" not in issue.body
    assert "先月の講座" not in issue.body
    assert "非公開の助成" not in issue.body


def test_draft_month_judged_in_japan_time(resident):
    # 1 November 00:30 in Japan is still 31 October in UTC.
    event = EventFactory(
        title="月初の講座",
        starts_at=dt.datetime(2030, 12, 5, 10, 0, tzinfo=JAPAN),
    )
    created_at(event, dt.datetime(2030, 10, 31, 15, 30, tzinfo=dt.UTC))

    with mock.patch(
        "django.utils.timezone.now",
        return_value=dt.datetime(2030, 12, 1, 9, 0, tzinfo=JAPAN),
    ):
        issue = services.draft_issue(month=NOVEMBER, edited_by=resident)

    assert "月初の講座" in issue.body


def test_draft_of_empty_month_says_so(resident):
    issue = services.draft_issue(month=NOVEMBER, edited_by=resident)

    with translation.override("ja"):
        expected = gettext("No events or grant notices were added this month.")
    assert expected in issue.body


def test_draft_rejects_second_issue_of_month(resident):
    services.draft_issue(month=NOVEMBER, edited_by=resident)

    with pytest.raises(ValidationError) as error:
        services.draft_issue(month=dt.date(2030, 11, 30), edited_by=resident)

    assert "month" in error.value.message_dict


def test_update_rejects_sent_issue(resident):
    issue = services.draft_issue(month=NOVEMBER, edited_by=resident)
    NewsletterIssue.objects.filter(pk=issue.pk).update(
        status=NewsletterIssue.Status.SENT
    )

    with pytest.raises(ValidationError):
        services.update_issue(
            issue=issue,
            fields={"subject": "件名", "introduction": "", "body": "本文"},
            edited_by=resident,
        )
