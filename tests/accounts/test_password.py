import datetime as dt
import re

from django.contrib.auth import get_user
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from civic_portal.accounts.models import SentNotification
from civic_portal.accounts.services import RESEND_INTERVAL
from tests.factories import UserFactory

NEW_PASSWORD = "hagi-no-umi-2026"


def request_reset(client, email, capture):
    with capture(execute=True):
        return client.post(reverse("accounts:password_reset"), {"email": email})


def reset_link(message):
    return re.search(r"https?://\S+(/accounts/password-reset/\S+/)", message.body)[1]


def test_reset_sends_mail(
    client, resident, japanese_catalog, django_capture_on_commit_callbacks
):
    response = request_reset(
        client, "RESIDENT@example.jp", django_capture_on_commit_callbacks
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["resident@example.jp"]
    assert mail.outbox[0].subject == "新しいパスワードの設定"
    assert "/accounts/password-reset/" in mail.outbox[0].body


def test_reset_mail_in_english(
    client, db, japanese_catalog, django_capture_on_commit_callbacks
):
    UserFactory(email="alex@example.jp", preferred_language="en")

    request_reset(client, "alex@example.jp", django_capture_on_commit_callbacks)

    assert mail.outbox[0].subject == "Set a new password"


def test_reset_unknown_address_no_mail(client, db, django_capture_on_commit_callbacks):
    response = request_reset(
        client, "nobody@example.jp", django_capture_on_commit_callbacks
    )

    assert response.status_code == 302
    assert len(mail.outbox) == 0


def test_reset_link_sets_password(client, resident, django_capture_on_commit_callbacks):
    request_reset(client, resident.email, django_capture_on_commit_callbacks)
    link = reset_link(mail.outbox[0])

    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    resident.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_complete")
    assert resident.check_password(NEW_PASSWORD)


def test_reset_confirms_unconfirmed_address(
    client, db, django_capture_on_commit_callbacks
):
    user = UserFactory(email="new@example.jp", email_confirmed=False)
    request_reset(client, user.email, django_capture_on_commit_callbacks)
    link = reset_link(mail.outbox[0])

    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    user.refresh_from_db()
    assert user.email_confirmed is True


def test_reset_bad_link_message(client, resident):
    url = reverse("accounts:password_reset_confirm", args=["MQ", "bad-token"])

    response = client.get(url)

    assert response.context["validlink"] is False
    assert "This password reset link is not valid." in response.content.decode()


def test_password_change_requires_login(client, db):
    response = client.get(reverse("accounts:password_change"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_password_change_keeps_session(client, resident):
    client.force_login(resident)

    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "correct horse 42",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    resident.refresh_from_db()
    assert response.url == reverse("accounts:password_change_done")
    assert resident.check_password(NEW_PASSWORD)
    assert get_user(client) == resident


def test_password_change_wrong_old_password(japanese_client, resident):
    japanese_client.force_login(resident)

    response = japanese_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "wrong",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["old_password"] == [
        "元のパスワードが間違っています。もう一度入力してください。"
    ]


def test_reset_waits_between_mails(
    client, resident, django_capture_on_commit_callbacks
):
    for _ in range(3):
        response = request_reset(
            client, resident.email, django_capture_on_commit_callbacks
        )
        assert response.url == reverse("accounts:password_reset_done")

    assert len(mail.outbox) == 1


def test_reset_sends_again_later(client, resident, django_capture_on_commit_callbacks):
    request_reset(client, resident.email, django_capture_on_commit_callbacks)
    SentNotification.objects.update(
        sent_at=timezone.now() - RESEND_INTERVAL - dt.timedelta(seconds=1)
    )

    request_reset(client, resident.email, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 2
    assert reset_link(mail.outbox[1]).startswith("/accounts/password-reset/")


def test_reset_ends_lockout(client, resident, django_capture_on_commit_callbacks):
    login_url = reverse("accounts:login")
    for _ in range(5):
        client.post(login_url, {"username": resident.email, "password": "wrong"})
    locked = client.post(
        login_url, {"username": resident.email, "password": "wrong again"}
    )
    request_reset(client, resident.email, django_capture_on_commit_callbacks)
    form_page = client.get(reset_link(mail.outbox[0]), follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    response = client.post(
        login_url, {"username": resident.email, "password": NEW_PASSWORD}
    )

    assert locked.status_code == 429
    assert response.status_code == 302
    assert get_user(client).is_authenticated
