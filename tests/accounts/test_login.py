from django.contrib.auth import get_user
from django.urls import reverse

from tests.factories import UserFactory

URL = reverse("accounts:login")
PASSWORD = "correct horse 42"
WRONG_LOGIN_MESSAGE = (
    "The e-mail address or password is incorrect. Check both and try again."
)
NOT_CONFIRMED_MESSAGE = (
    "Your e-mail address is not confirmed yet. Open the link in the "
    "confirmation mail, or ask for a new mail."
)


def log_in(client, email, password=PASSWORD, **extra):
    return client.post(URL, {"username": email, "password": password}, **extra)


def test_login_confirmed_user(client, resident):
    response = log_in(client, "resident@example.jp")

    assert response.status_code == 302
    assert response.url == reverse("accounts:dashboard")
    assert get_user(client) == resident


def test_login_ignores_email_case(client, resident):
    response = log_in(client, "Resident@Example.JP")

    assert response.status_code == 302
    assert get_user(client) == resident


def test_login_follows_next(client, resident):
    profile = reverse("accounts:profile")

    response = client.post(
        f"{URL}?next={profile}",
        {"username": resident.email, "password": PASSWORD, "next": profile},
    )

    assert response.url == profile


def test_login_wrong_password_message(client, resident):
    response = log_in(client, "resident@example.jp", "wrong password")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [WRONG_LOGIN_MESSAGE]
    assert 'value="resident@example.jp"' in response.content.decode()
    assert not get_user(client).is_authenticated


def test_login_refuses_unconfirmed_user(client, db):
    UserFactory(email="new@example.jp", email_confirmed=False)

    response = log_in(client, "new@example.jp")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [NOT_CONFIRMED_MESSAGE]
    assert reverse("accounts:resend_confirmation") in response.content.decode()
    assert not get_user(client).is_authenticated


def test_login_sixth_attempt_locked_out(client, resident):
    statuses = [
        log_in(client, "resident@example.jp", "wrong password").status_code
        for _ in range(5)
    ]
    # The fifth failure reaches the limit, so its own response is the lockout.
    assert statuses == [200, 200, 200, 200, 429]

    response = log_in(client, "resident@example.jp")

    assert response.status_code == 429
    assert not get_user(client).is_authenticated
    page = response.content.decode()
    assert "Log-in temporarily blocked" in page
    assert "You can try again in 60 minutes, from" in page
    assert "(Japan time)" in page


def test_lockout_counts_address_in_any_case(client, resident):
    for index in range(5):
        email = "RESIDENT@example.jp" if index % 2 else "resident@example.jp"
        log_in(client, email, "wrong password")

    response = log_in(client, "Resident@Example.jp")

    assert response.status_code == 429


def test_lockout_leaves_other_address_alone(client, resident, other_resident):
    for _ in range(5):
        log_in(client, "resident@example.jp", "wrong password")

    response = log_in(client, "other@example.jp")

    assert response.status_code == 302
    assert get_user(client) == other_resident


def test_logout_needs_post(client, resident):
    client.force_login(resident)

    get_response = client.get(reverse("accounts:logout"))
    post_response = client.post(reverse("accounts:logout"))

    assert get_response.status_code == 405
    assert post_response.status_code == 302
    assert post_response.url == reverse("home")
    assert not get_user(client).is_authenticated
