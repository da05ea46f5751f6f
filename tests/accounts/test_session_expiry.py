"""Idle session expiry: the middleware, the extend endpoint and the page data."""

import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

from civic_portal.accounts import session_expiry
from civic_portal.accounts.session_expiry import LAST_ACTIVITY_SESSION_KEY

pytestmark = pytest.mark.django_db

START = 1_900_000_000.0
TIMEOUT = 30 * 60


class FixedClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch, settings):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = TIMEOUT
    settings.SESSION_IDLE_WARNING_SECONDS = 5 * 60
    fixed = FixedClock(START)
    monkeypatch.setattr(session_expiry, "current_time", fixed)
    return fixed


@pytest.fixture
def signed_in(client, resident, clock):
    client.force_login(resident)
    return client


# -- Middleware ---------------------------------------------------------------


def test_login_starts_idle_time(signed_in):
    assert signed_in.session[LAST_ACTIVITY_SESSION_KEY] == START


def test_page_within_timeout_opens(signed_in, clock):
    clock.advance(TIMEOUT - 1)

    response = signed_in.get(reverse("accounts:dashboard"))

    assert response.status_code == 200


def test_idle_session_sent_to_login(signed_in, clock, resident, caplog):
    clock.advance(TIMEOUT + 1)

    with caplog.at_level(logging.INFO, logger="civic_portal.accounts.middleware"):
        response = signed_in.get(reverse("accounts:profile") + "?tab=1", follow=True)

    login_url = reverse("accounts:login")
    assert response.redirect_chain[0] == (
        f"{login_url}?next=/accounts/profile/%3Ftab%3D1",
        302,
    )
    assert "Your session ended because you were inactive" in response.content.decode()
    assert "_auth_user_id" not in signed_in.session
    assert f"Session of user {resident.pk} ended" in caplog.text
    assert resident.email not in caplog.text


def test_activity_moves_the_deadline(signed_in, clock):
    clock.advance(20 * 60)
    first = signed_in.get(reverse("accounts:dashboard"))
    clock.advance(20 * 60)
    second = signed_in.get(reverse("accounts:dashboard"))

    assert first.status_code == 200
    assert second.status_code == 200


def test_recent_activity_not_rewritten(signed_in, clock):
    clock.advance(session_expiry.MAX_WRITE_INTERVAL_SECONDS - 1)
    signed_in.get(reverse("accounts:dashboard"))

    assert signed_in.session[LAST_ACTIVITY_SESSION_KEY] == START


def test_older_activity_rewritten(signed_in, clock):
    clock.advance(session_expiry.MAX_WRITE_INTERVAL_SECONDS)
    signed_in.get(reverse("accounts:dashboard"))

    assert signed_in.session[LAST_ACTIVITY_SESSION_KEY] == clock.now


def test_idle_api_request_goes_on_as_anonymous(signed_in, clock):
    clock.advance(TIMEOUT + 1)

    response = signed_in.get("/api/")

    assert response.status_code == 200
    assert "_auth_user_id" not in signed_in.session


def test_idle_session_opens_login_page(signed_in, clock):
    clock.advance(TIMEOUT + 1)

    response = signed_in.get(reverse("accounts:login"))

    assert response.status_code == 200
    assert "_auth_user_id" not in signed_in.session


def test_idle_session_can_switch_language(signed_in, clock):
    clock.advance(TIMEOUT + 1)

    response = signed_in.post(reverse("set_language"), {"language": "ja", "next": "/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies["django_language"].value == "ja"


def test_zero_timeout_turns_expiry_off(signed_in, clock, settings):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 0
    clock.advance(10 * TIMEOUT)

    response = signed_in.get(reverse("accounts:dashboard"))

    assert response.status_code == 200


def test_timeout_from_settings(signed_in, clock, settings):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 60
    clock.advance(61)

    response = signed_in.get(reverse("accounts:dashboard"))

    assert response.status_code == 302


def test_anonymous_visitor_untouched(client, clock):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert LAST_ACTIVITY_SESSION_KEY not in client.session


# -- Extend endpoint ----------------------------------------------------------


def test_extend_refreshes_activity(signed_in, clock):
    clock.advance(27 * 60)

    response = signed_in.post(reverse("accounts:session_extend"))

    assert response.status_code == 200
    assert response.json() == {"remaining_seconds": TIMEOUT, "warning_seconds": 300}
    assert signed_in.session[LAST_ACTIVITY_SESSION_KEY] == clock.now
    clock.advance(TIMEOUT - 1)
    assert signed_in.get(reverse("accounts:dashboard")).status_code == 200


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_extend_accepts_post_only(signed_in, method):
    response = getattr(signed_in, method)(reverse("accounts:session_extend"))

    assert response.status_code == 405


def test_extend_needs_csrf_token(resident, clock):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(resident)
    browser.get(reverse("accounts:dashboard"))
    token = browser.cookies["csrftoken"].value

    without = browser.post(reverse("accounts:session_extend"))
    with_token = browser.post(
        reverse("accounts:session_extend"), HTTP_X_CSRFTOKEN=token
    )

    assert without.status_code == 403
    assert with_token.status_code == 200


def test_extend_needs_signed_in_user(client, clock):
    response = client.post(reverse("accounts:session_extend"))

    assert response.status_code == 401
    assert response.json()["detail"] == "Your session has ended. Please log in again."


def test_extend_after_expiry_answers_401(signed_in, clock):
    clock.advance(TIMEOUT + 1)

    response = signed_in.post(reverse("accounts:session_extend"))

    assert response.status_code == 401
    assert "_auth_user_id" not in signed_in.session


# -- Page data ----------------------------------------------------------------


def test_page_carries_remaining_time_and_extend_url(signed_in, clock):
    clock.advance(10 * 60)

    html = signed_in.get(reverse("accounts:dashboard")).content.decode()

    assert 'data-remaining-seconds="1800"' in html
    assert 'data-warning-seconds="300"' in html
    assert f'data-extend-url="{reverse("accounts:session_extend")}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "js/session-timeout.js" in html


def test_page_counts_from_stored_activity(signed_in, clock):
    clock.advance(session_expiry.MAX_WRITE_INTERVAL_SECONDS - 10)

    html = signed_in.get(reverse("accounts:dashboard")).content.decode()

    remaining = TIMEOUT - session_expiry.MAX_WRITE_INTERVAL_SECONDS + 10
    assert f'data-remaining-seconds="{remaining}"' in html


def test_anonymous_page_has_no_dialog(client, clock):
    html = client.get(reverse("home")).content.decode()

    assert "session-timeout" not in html


def test_dialog_has_no_inline_script_or_style(signed_in):
    html = signed_in.get(reverse("accounts:dashboard")).content.decode()
    dialog = html[html.index("<dialog") : html.index("</dialog>")]

    assert "style=" not in dialog
    assert "autofocus" not in dialog
    assert re.search(r"\son[a-z]+=", dialog) is None
    assert re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html) is None
