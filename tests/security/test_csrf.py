"""CSRF protection on every view of the URL conf.

No view may be csrf_exempt unless it is in CSRF_EXEMPT_ALLOWED, and every
view must reject a POST from a signed-in browser that carries no CSRF
token: Django views through CsrfViewMiddleware, DRF views through
SessionAuthentication, which enforces CSRF for session-authenticated
requests.
"""

import pytest
from django.http import HttpResponseForbidden
from django.test import Client

from tests.factories import UserFactory
from tests.security.urlconf import endpoints

pytestmark = pytest.mark.django_db

# URL name: why the view may take a POST without a CSRF token.
CSRF_EXEMPT_ALLOWED = {
    # Mail programs POST the List-Unsubscribe-Post request (RFC 8058) with
    # no token; the signed token in the URL is the proof.
    "groups:newsletter_unsubscribe": "one-click unsubscribe",
    # LINE's servers POST events; the view checks X-Line-Signature.
    "notifications:line_webhook": "LINE webhook",
}
CSRF_FAILURE_HEADER = "X-Test-CSRF-Failure"


def csrf_failure(request, reason=""):
    """Mark CSRF rejections, so the test can distinguish them from other 403s."""
    response = HttpResponseForbidden(reason)
    response[CSRF_FAILURE_HEADER] = reason
    return response


def is_drf_view(callback) -> bool:
    return hasattr(callback, "cls") and hasattr(callback.cls, "authentication_classes")


def test_only_allowed_views_exempt():
    exempt = {
        endpoint.name
        for endpoint in endpoints()
        if getattr(endpoint.callback, "csrf_exempt", False)
        and not is_drf_view(endpoint.callback)
    }

    assert exempt <= set(CSRF_EXEMPT_ALLOWED), exempt - set(CSRF_EXEMPT_ALLOWED)


def test_drf_views_use_csrf_checking_auth():
    from rest_framework.authentication import (
        SessionAuthentication,
        TokenAuthentication,
    )

    # Token authentication sends no cookie, so it needs no CSRF check. The
    # portal's classes subclass these two.
    allowed = (SessionAuthentication, TokenAuthentication)
    for endpoint in endpoints():
        if not is_drf_view(endpoint.callback):
            continue
        classes = endpoint.callback.cls.authentication_classes
        unchecked = [
            cls for cls in classes if not any(issubclass(cls, ok) for ok in allowed)
        ]

        assert unchecked == [], (endpoint.name, unchecked)


def test_post_without_token_rejected(settings):
    settings.CSRF_FAILURE_VIEW = f"{__name__}.csrf_failure"
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory(email="csrf@example.jp"))
    accepted = []

    for endpoint in endpoints():
        if endpoint.name in CSRF_EXEMPT_ALLOWED:
            continue
        response = browser.post(endpoint.path, {"field": "value"})
        if is_drf_view(endpoint.callback):
            # DRF keeps the error in response.data, whatever renders it.
            detail = str((getattr(response, "data", None) or {}).get("detail", ""))
            rejected = response.status_code == 403 and detail.startswith("CSRF Failed")
        else:
            rejected = CSRF_FAILURE_HEADER in response
        if not rejected:
            accepted.append((endpoint.name, endpoint.path, response.status_code))

    assert accepted == []


def test_post_with_token_passes_csrf(settings):
    settings.CSRF_FAILURE_VIEW = f"{__name__}.csrf_failure"
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory(email="csrf@example.jp"))
    # The log-out button of the page layout puts the token in the cookie.
    browser.get("/accounts/")
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value

    response = browser.post("/accounts/logout/", {"csrfmiddlewaretoken": token})

    assert CSRF_FAILURE_HEADER not in response
    assert response.status_code == 302
