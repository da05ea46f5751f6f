"""The API keeps the second log-in step for users who must use it.

A session reaches the API only after the second step, and a DRF token of
such a user works only when the portal issued it (new_token_key) to a
session that passed that step, or from the server's command line.
"""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from civic_portal.accounts.api_authentication import (
    has_portal_mark,
    issue_token,
    new_token_key,
)
from tests.accounts.test_two_factor import (
    add_confirmed_device,
    code_for,
    make_concierge,
)
from tests.factories import UserFactory
from tests.partner_links.factories import PointsProgrammeFactory

pytestmark = pytest.mark.django_db

MY_APPLICATIONS = "/api/my/applications/"
# DRF returns 401 for a failed authentication only when the first
# authentication class names a WWW-Authenticate scheme. The portal's
# default list starts with the session, so refused tokens get 403 there;
# the partner API lists the token first and returns 401.
REFUSED = 403


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.TWO_FACTOR_ENFORCED = True


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def plain_token(user) -> str:
    """Return a token key as the admin or drf_create_token makes it."""
    return Token.objects.create(user=user).key


# -- Tokens -------------------------------------------------------------------


def test_plain_token_of_concierge_rejected():
    response = token_client(plain_token(make_concierge())).get(MY_APPLICATIONS)

    assert response.status_code == REFUSED
    # API messages are in Japanese, the portal's default language.
    assert "2段階認証の後に発行されたものではありません" in response.json()["detail"]


def test_issued_token_of_concierge_accepted():
    concierge = make_concierge()

    response = token_client(issue_token(concierge.pk)).get(MY_APPLICATIONS)

    assert response.status_code == 200


def test_plain_token_of_resident_accepted(resident):
    response = token_client(plain_token(resident)).get(MY_APPLICATIONS)

    assert response.status_code == 200


def test_plain_token_of_opted_in_resident_rejected(resident):
    add_confirmed_device(resident)

    response = token_client(plain_token(resident)).get(MY_APPLICATIONS)

    assert response.status_code == REFUSED


def test_plain_token_accepted_when_not_enforced(settings):
    settings.TWO_FACTOR_ENFORCED = False

    response = token_client(plain_token(make_concierge())).get(MY_APPLICATIONS)

    assert response.status_code == 200


def test_mark_of_other_user_rejected():
    concierge = make_concierge()
    other = UserFactory(email="other@example.jp")
    key = new_token_key(other.pk)
    Token.objects.create(user=concierge, key=key)

    response = token_client(key).get(MY_APPLICATIONS)

    assert response.status_code == REFUSED


def test_mark_from_fallback_secret_accepted(settings):
    concierge = make_concierge()
    settings.SECRET_KEY = "old-secret-" + "x" * 50
    key = issue_token(concierge.pk)
    settings.SECRET_KEY = "new-secret-" + "y" * 50
    settings.SECRET_KEY_FALLBACKS = ["old-secret-" + "x" * 50]

    assert has_portal_mark(concierge.pk, key)
    assert token_client(key).get(MY_APPLICATIONS).status_code == 200


def test_mark_from_dropped_secret_rejected(settings):
    concierge = make_concierge()
    settings.SECRET_KEY = "old-secret-" + "x" * 50
    key = issue_token(concierge.pk)
    settings.SECRET_KEY = "new-secret-" + "y" * 50

    assert not has_portal_mark(concierge.pk, key)
    assert token_client(key).get(MY_APPLICATIONS).status_code == REFUSED


def test_issue_token_replaces_old():
    concierge = make_concierge()
    first = issue_token(concierge.pk)

    second = issue_token(concierge.pk)

    assert first != second
    assert list(Token.objects.filter(user=concierge).values_list("key", flat=True)) == [
        second
    ]
    assert token_client(first).get(MY_APPLICATIONS).status_code == REFUSED


def test_command_prints_marked_key():
    concierge = make_concierge()
    out = io.StringIO()

    call_command("issue_api_token", concierge.email.upper(), stdout=out)

    key = out.getvalue().strip()
    assert has_portal_mark(concierge.pk, key)
    assert token_client(key).get(MY_APPLICATIONS).status_code == 200


def test_command_unknown_email_fails():
    with pytest.raises(CommandError, match=r"nobody@example\.jp"):
        call_command("issue_api_token", "nobody@example.jp")


# -- Partner API ----------------------------------------------------------------


@pytest.fixture
def partner():
    user = UserFactory(email="partner@health.example.jp")
    programme = PointsProgrammeFactory()
    programme.partner_accounts.add(user)
    user.programme = programme
    return user


def partner_api_url(user) -> str:
    return reverse("partner_links:api_participation", args=[user.programme.pk])


def test_partner_plain_token_rejected(partner):
    response = token_client(plain_token(partner)).get(partner_api_url(partner))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_partner_page_token_accepted(client, partner):
    device, _codes = add_confirmed_device(partner)
    client.force_login(partner)
    client.post(reverse("accounts:two_factor_verify"), {"code": code_for(device)})

    page = client.post(reverse("partner_links:partner_home"))

    assert page.status_code == 200
    key = Token.objects.get(user=partner).key
    assert key in page.content.decode()
    assert token_client(key).get(partner_api_url(partner)).status_code == 200


def test_partner_page_closed_before_second_step(client, partner):
    add_confirmed_device(partner)
    client.force_login(partner)

    page = client.post(reverse("partner_links:partner_home"))

    assert page.status_code == 302
    assert page.url.startswith(reverse("accounts:two_factor_verify"))
    assert not Token.objects.filter(user=partner).exists()


# -- Sessions -------------------------------------------------------------------


def test_unverified_session_rejected(client):
    concierge = make_concierge()
    add_confirmed_device(concierge)
    client.force_login(concierge)

    response = client.get(MY_APPLICATIONS)

    assert response.status_code == 403


def test_unverified_session_rejected_by_drf(client, settings):
    # Without TwoFactorMiddleware, the authentication class alone refuses.
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if not name.endswith("TwoFactorMiddleware")
    ]
    concierge = make_concierge()
    add_confirmed_device(concierge)
    client.force_login(concierge)

    response = client.get(MY_APPLICATIONS)

    assert response.status_code == 403
    assert "two-factor log-in step" in response.json()["detail"]


def test_session_without_device_rejected_by_drf(client, settings):
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if not name.endswith("TwoFactorMiddleware")
    ]
    client.force_login(make_concierge())

    assert client.get(MY_APPLICATIONS).status_code == 403


def test_verified_session_accepted(client):
    concierge = make_concierge()
    device, _codes = add_confirmed_device(concierge)
    client.force_login(concierge)
    client.post(reverse("accounts:two_factor_verify"), {"code": code_for(device)})

    assert client.get(MY_APPLICATIONS).status_code == 200


def test_resident_session_accepted(client, resident, settings):
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if not name.endswith("TwoFactorMiddleware")
    ]
    client.force_login(resident)

    assert client.get(MY_APPLICATIONS).status_code == 200
