"""Tests for the newsletter pages: subscribing, unsubscribing, the archive
and the pages of centre staff.
"""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groups.models import NewsletterIssue, NewsletterSubscription
from groups.services import newsletter as services
from tests.factories import (
    EventFactory,
    NewsletterSubscriptionFactory,
    centre_staff,
)

pytestmark = pytest.mark.django_db

CHECK_MAILBOX = "Check the mailbox of this address."


@pytest.fixture
def staff_user(resident):
    return centre_staff(resident)


def make_issue(month=dt.date(2030, 11, 1), **fields) -> NewsletterIssue:
    return NewsletterIssue.objects.create(
        month=month,
        subject=fields.pop("subject", "県民活動ニュース"),
        body=fields.pop("body", "本文 https://example.jp/info"),
        **fields,
    )


def unsubscribe_path(subscription) -> str:
    token = services.unsubscribe_token(subscription)
    return reverse("groups:newsletter_unsubscribe", args=[token])


# Subscribing


def test_subscribe_page_prefills_user_email(client, resident):
    client.force_login(resident)

    response = client.get(reverse("groups:newsletter_subscribe"))

    form = response.context["form"]
    assert form.initial["email"] == "resident@example.jp"
    assert form.initial["language"] == "en"


def test_subscribe_anonymous(client):
    response = client.post(
        reverse("groups:newsletter_subscribe"),
        {"email": "reader@example.jp", "language": "ja"},
    )

    subscription = NewsletterSubscription.objects.get()
    assert response.status_code == 302
    assert subscription.email == "reader@example.jp"
    assert subscription.user is None


def test_subscribe_links_signed_in_user(client, resident):
    client.force_login(resident)

    client.post(
        reverse("groups:newsletter_subscribe"),
        {"email": "resident@example.jp", "language": "en"},
    )

    assert NewsletterSubscription.objects.get().user == resident


def test_subscribe_rejects_invalid_address(client):
    response = client.post(
        reverse("groups:newsletter_subscribe"),
        {"email": "not-an-address", "language": "ja"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert "not-an-address" in response.content.decode()
    assert not NewsletterSubscription.objects.exists()


def test_subscribe_twice_same_message(client):
    NewsletterSubscriptionFactory(email="reader@example.jp")

    known = client.post(
        reverse("groups:newsletter_subscribe"),
        {"email": "reader@example.jp", "language": "ja"},
        follow=True,
    )
    new = client.post(
        reverse("groups:newsletter_subscribe"),
        {"email": "new-reader@example.jp", "language": "ja"},
        follow=True,
    )

    assert CHECK_MAILBOX in known.content.decode()
    assert CHECK_MAILBOX in new.content.decode()
    assert "The address is subscribed." not in known.content.decode()
    assert NewsletterSubscription.objects.count() == 2


# Unsubscribing


def test_unsubscribe_get_shows_confirm_button(client):
    subscription = NewsletterSubscriptionFactory(email="reader@example.jp")

    response = client.get(unsubscribe_path(subscription))

    subscription.refresh_from_db()
    html = response.content.decode()
    assert response.status_code == 200
    assert "reader@example.jp" in html
    assert '<button type="submit">Unsubscribe</button>' in html
    assert subscription.is_active


def test_unsubscribe_post_without_login_or_csrf():
    subscription = NewsletterSubscriptionFactory()
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        unsubscribe_path(subscription),
        {"List-Unsubscribe": "One-Click"},
    )

    subscription.refresh_from_db()
    assert response.status_code == 200
    assert not subscription.is_active


def test_unsubscribe_already_unsubscribed(client):
    subscription = NewsletterSubscriptionFactory(unsubscribed_at=timezone.now())

    response = client.get(unsubscribe_path(subscription))

    assert "is already unsubscribed" in response.content.decode()


def test_tampered_link_explained(client):
    subscription = NewsletterSubscriptionFactory()
    other = NewsletterSubscriptionFactory()
    # The other subscription's id under this subscription's signature.
    stamp_and_signature = services.unsubscribe_token(subscription).partition(":")[2]
    other_id = services.unsubscribe_token(other).partition(":")[0]
    forged = f"{other_id}:{stamp_and_signature}"

    for path in [
        reverse("groups:newsletter_unsubscribe", args=[forged]),
        reverse("groups:newsletter_unsubscribe", args=["not-a-token"]),
    ]:
        get = client.get(path)
        post = client.post(path)
        assert get.status_code == 400, path
        assert post.status_code == 400, path
        assert "The link is incomplete or was changed." in post.content.decode()

    other.refresh_from_db()
    subscription.refresh_from_db()
    assert other.is_active
    assert subscription.is_active


def test_expired_link_explained(client):
    subscription = NewsletterSubscriptionFactory()
    issued = timezone.now() - services.UNSUBSCRIBE_LINK_MAX_AGE - dt.timedelta(days=1)
    with mock.patch("time.time", return_value=issued.timestamp()):
        path = unsubscribe_path(subscription)

    response = client.post(path)

    subscription.refresh_from_db()
    assert response.status_code == 400
    assert "The link has expired" in response.content.decode()
    assert subscription.is_active


# The archive


def test_archive_lists_sent_issues_only(client):
    make_issue(dt.date(2030, 10, 1), subject="十月号", status="sent")
    make_issue(dt.date(2030, 11, 1), subject="十一月号", status="draft")
    make_issue(dt.date(2030, 12, 1), subject="十二月号", status="sending")

    response = client.get(reverse("groups:newsletter_archive"))

    issues = [issue.subject for issue in response.context["page"].object_list]
    assert issues == ["十月号"]


def test_archive_issue_page(client):
    issue = make_issue(status="sent", introduction="ごあいさつ")

    response = client.get(reverse("groups:newsletter_issue", args=[issue.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "ごあいさつ" in html
    assert '<a href="https://example.jp/info"' in html


def test_draft_issue_not_in_archive(client):
    issue = make_issue(status="draft")

    response = client.get(reverse("groups:newsletter_issue", args=[issue.pk]))

    assert response.status_code == 404


def test_archive_queries_bounded(client, django_assert_max_num_queries):
    for month in range(1, 13):
        make_issue(dt.date(2030, month, 1), status="sent")

    with django_assert_max_num_queries(2):
        client.get(reverse("groups:newsletter_archive"))


# Centre staff pages


@pytest.mark.parametrize(
    ("name", "method", "needs_pk"),
    [
        ("newsletter_staff", "get", False),
        ("newsletter_staff", "post", False),
        ("newsletter_staff_issue", "get", True),
        ("newsletter_staff_edit", "get", True),
        ("newsletter_staff_edit", "post", True),
        ("newsletter_staff_send", "post", True),
    ],
)
def test_non_centre_staff_get_403(
    client, group_staff, name, method, needs_pk, django_capture_on_commit_callbacks
):
    issue = make_issue(subject="元の件名")
    NewsletterSubscriptionFactory()
    client.force_login(group_staff)
    url = reverse(f"groups:{name}", args=[issue.pk] if needs_pk else [])

    with django_capture_on_commit_callbacks(execute=True):
        response = getattr(client, method)(
            url, {"month": "2030-12", "subject": "変更", "body": "変更"}
        )

    issue.refresh_from_db()
    assert response.status_code == 403
    assert issue.subject == "元の件名"
    assert issue.status == NewsletterIssue.Status.DRAFT
    assert NewsletterIssue.objects.count() == 1
    assert mail.outbox == []


def test_staff_draft_edit_and_send(
    client, staff_user, django_capture_on_commit_callbacks
):
    EventFactory(title="今月の講座")
    NewsletterSubscriptionFactory(email="reader@example.jp")
    client.force_login(staff_user)
    month = timezone.localdate().strftime("%Y-%m")

    created = client.post(reverse("groups:newsletter_staff"), {"month": month})
    issue = NewsletterIssue.objects.get()
    assert created.url == reverse("groups:newsletter_staff_issue", args=[issue.pk])
    assert "今月の講座" in issue.body

    client.post(
        reverse("groups:newsletter_staff_edit", args=[issue.pk]),
        {"subject": "特別号", "introduction": "こんにちは", "body": issue.body},
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("groups:newsletter_staff_send", args=[issue.pk]))

    issue.refresh_from_db()
    assert issue.subject == "特別号"
    assert issue.edited_by == staff_user
    assert issue.status == NewsletterIssue.Status.SENT
    assert [message.to for message in mail.outbox] == [["reader@example.jp"]]
    assert mail.outbox[0].subject == "特別号"


def test_staff_issue_page_shows_progress(client, staff_user):
    issue = make_issue(status="sending", recipients_total=250, recipients_sent=100)
    client.force_login(staff_user)

    response = client.get(reverse("groups:newsletter_staff_issue", args=[issue.pk]))

    html = response.content.decode()
    assert "100 of 250 subscribers" in html
    assert 'max="250" value="100"' in html
    assert "Resume sending" in html


def test_staff_second_issue_for_month_rejected(client, staff_user):
    make_issue(dt.date(2030, 11, 1))
    client.force_login(staff_user)

    response = client.post(reverse("groups:newsletter_staff"), {"month": "2030-11"})

    assert response.status_code == 200
    assert "An issue for this month already exists." in response.content.decode()
    assert NewsletterIssue.objects.count() == 1


def test_staff_invalid_month_rejected(client, staff_user):
    client.force_login(staff_user)

    response = client.post(reverse("groups:newsletter_staff"), {"month": "2030-13"})

    assert response.status_code == 200
    assert response.context["form"].errors["month"]


def test_sent_issue_cannot_be_edited(client, staff_user):
    issue = make_issue(status="sent", subject="送信済み")
    client.force_login(staff_user)

    response = client.post(
        reverse("groups:newsletter_staff_edit", args=[issue.pk]),
        {"subject": "変更", "introduction": "", "body": "変更"},
        follow=True,
    )

    issue.refresh_from_db()
    assert issue.subject == "送信済み"
    assert "cannot be changed" in response.content.decode()


def test_archive_links_centre_staff_to_manage(client, staff_user, other_resident):
    manage_url = reverse("groups:newsletter_staff")

    client.force_login(other_resident)
    assert (
        manage_url
        not in client.get(reverse("groups:newsletter_archive")).content.decode()
    )

    client.force_login(staff_user)
    assert (
        manage_url in client.get(reverse("groups:newsletter_archive")).content.decode()
    )


def test_staff_list_queries_bounded(client, staff_user, django_assert_max_num_queries):
    for month in range(1, 13):
        make_issue(dt.date(2030, month, 1), status="sent")
    client.force_login(staff_user)

    # Session and user, centre check, count, page, nav.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("groups:newsletter_staff"))

    assert len(response.context["page"].object_list) == 12
