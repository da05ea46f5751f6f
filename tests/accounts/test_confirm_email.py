import datetime as dt
from unittest import mock

from django.core import mail, signing
from django.urls import reverse

from civic_portal.accounts.models import SentNotification
from civic_portal.accounts.tokens import (
    SALT,
    TokenState,
    check_confirmation_token,
    make_confirmation_token,
)
from tests.factories import UserFactory

EXPIRED_MESSAGE = "This confirmation link has expired. Ask for a new link below."
INVALID_MESSAGE = (
    "This confirmation link is not valid. It may have been copied incompletely "
    "or replaced by a newer link. Ask for a new link below."
)
RESEND_MESSAGE = (
    "If this address belongs to an account that is not confirmed yet, we have "
    "sent a new confirmation mail. Please check your inbox in a few minutes."
)


def confirm_url(token):
    return reverse("accounts:confirm_email", args=[token])


def unconfirmed_user(**fields):
    return UserFactory(email="new@example.jp", email_confirmed=False, **fields)


def test_confirm_link_confirms_address(client, db):
    user = unconfirmed_user()

    response = client.get(confirm_url(make_confirmation_token(user)), follow=True)

    user.refresh_from_db()
    assert user.email_confirmed is True
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "Your e-mail address is confirmed. You can now log in." in (
        response.content.decode()
    )


def test_confirm_link_used_twice(client, db):
    user = unconfirmed_user()
    token = make_confirmation_token(user)
    client.get(confirm_url(token))

    response = client.get(confirm_url(token), follow=True)

    assert response.status_code == 200
    assert "This link has already been used." in response.content.decode()


def test_confirm_link_altered(client, db):
    user = unconfirmed_user()
    token = make_confirmation_token(user)
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")

    response = client.get(confirm_url(altered))

    user.refresh_from_db()
    assert response.status_code == 400
    assert user.email_confirmed is False
    assert response.context["problem"] == INVALID_MESSAGE
    assert reverse("accounts:resend_confirmation") in response.content.decode()


def test_confirm_link_garbage(client, db):
    response = client.get(confirm_url("not-a-token"))

    assert response.status_code == 400
    assert response.context["problem"] == INVALID_MESSAGE


def test_confirm_link_expired(client, db):
    user = unconfirmed_user()
    token = make_confirmation_token(user)
    four_days_later = dt.datetime.now().timestamp() + 4 * 24 * 60 * 60

    with mock.patch("django.core.signing.time.time", return_value=four_days_later):
        response = client.get(confirm_url(token))

    user.refresh_from_db()
    assert response.status_code == 400
    assert user.email_confirmed is False
    assert response.context["problem"] == EXPIRED_MESSAGE


def test_token_valid_within_max_age(db):
    user = unconfirmed_user()
    token = make_confirmation_token(user)
    two_days_later = dt.datetime.now().timestamp() + 2 * 24 * 60 * 60

    with mock.patch("django.core.signing.time.time", return_value=two_days_later):
        check = check_confirmation_token(token)

    assert check.state is TokenState.VALID
    assert check.user == user


def test_token_invalid_after_email_change(db):
    user = unconfirmed_user()
    token = make_confirmation_token(user)
    user.email = "changed@example.jp"
    user.save()

    assert check_confirmation_token(token).state is TokenState.INVALID


def test_resend_sends_new_link(client, db, django_capture_on_commit_callbacks):
    user = unconfirmed_user()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:resend_confirmation"),
            {"email": "NEW@example.jp"},
            follow=True,
        )

    assert RESEND_MESSAGE in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]


def test_resend_same_answer_for_unknown(client, db, django_capture_on_commit_callbacks):
    UserFactory(email="done@example.jp", email_confirmed=True)

    for address in ["nobody@example.jp", "done@example.jp"]:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("accounts:resend_confirmation"),
                {"email": address},
                follow=True,
            )
        assert RESEND_MESSAGE in response.content.decode()

    assert len(mail.outbox) == 0


def test_resend_waits_between_mails(client, db, django_capture_on_commit_callbacks):
    unconfirmed_user()
    url = reverse("accounts:resend_confirmation")

    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {"email": "new@example.jp"})

    assert len(mail.outbox) == 1
    assert SentNotification.objects.count() == 1


def test_resend_rejects_bad_address(japanese_client, db):
    response = japanese_client.post(
        reverse("accounts:resend_confirmation"), {"email": "new@"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "有効なメールアドレスを入力してください。"
    ]


def test_token_with_bad_payload(db):
    token = signing.dumps({"user": "abc", "email": "new@example.jp"}, salt=SALT)

    assert check_confirmation_token(token).state is TokenState.INVALID


def test_token_hides_email_address(db):
    user = UserFactory(email="hidden@example.jp", email_confirmed=False)

    token = make_confirmation_token(user)
    payload = signing.loads(token, salt=SALT)

    assert "hidden@example.jp" not in str(payload)
    assert set(payload) == {"user", "address"}
    assert check_confirmation_token(token).state is TokenState.VALID
