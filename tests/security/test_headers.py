"""Security headers: the Content Security Policy, framing and cookies."""

import pytest
from django.contrib.auth import SESSION_KEY

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EXPECTED_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def policy_directives(header: str) -> dict[str, str]:
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    return directives


@pytest.mark.parametrize(
    "path",
    ["/", "/volunteer/", "/accounts/login/", "/api/docs/", "/admin/login/", "/api/"],
)
def test_policy_on_pages(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert policy_directives(response["Content-Security-Policy"]) == EXPECTED_DIRECTIVES


def test_policy_on_not_found_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_policy_allows_absolute_media_origin():
    from civic_portal.security.policy import media_origins

    assert media_origins("media/") == []
    assert media_origins("/media/") == []
    assert media_origins("https://files.example.jp/media/") == [
        "https://files.example.jp"
    ]


def test_framing_denied(client):
    response = client.get("/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_csrf_cookie_flags(client):
    response = client.get("/accounts/login/")
    cookie = response.cookies["csrftoken"]

    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_session_cookie_flags(client):
    user = UserFactory(email="cookie@example.jp", password="correct horse 1")

    response = client.post(
        "/accounts/login/",
        {"username": user.email, "password": "correct horse 1"},
    )

    assert client.session.get(SESSION_KEY) == str(user.pk)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
