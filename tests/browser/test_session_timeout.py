"""The idle-session warning in Chromium: it appears, and extending keeps the page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.steps import log_in
from tests.factories import UserFactory

TIMEOUT_SECONDS = 10
WARNING_SECONDS = 7


@pytest.fixture(autouse=True)
def _short_idle_timeout(settings):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = TIMEOUT_SECONDS
    settings.SESSION_IDLE_WARNING_SECONDS = WARNING_SECONDS


def test_warning_extends_without_reload(open_page):
    user = UserFactory(email="idle@example.jp")
    page = open_page()
    log_in(page, user.email)
    page.goto(reverse("accounts:profile"))
    page.get_by_label("Phone number").fill("083-000-0000")

    dialog = page.get_by_role("dialog", name="Are you still there?")
    expect(dialog).to_be_visible(timeout=TIMEOUT_SECONDS * 1000)
    expect(dialog).to_contain_text(re.compile(r"Your session will end in"))
    # The warning takes the focus, so a keyboard user can answer at once.
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()
    with page.expect_response(reverse("accounts:session_extend")) as extend:
        dialog.get_by_role("button", name="Stay signed in").click()

    assert extend.value.status == 200
    expect(dialog).to_be_hidden()
    expect(page.get_by_label("Phone number")).to_have_value("083-000-0000")
    # Past the first deadline (page load plus TIMEOUT_SECONDS) and before
    # the extended one, the session is still signed in.
    page.wait_for_timeout(8_000)
    response = page.request.get(reverse("accounts:profile"), max_redirects=0)
    assert response.status == 200


def test_session_end_shown_without_reload(open_page):
    user = UserFactory(email="idle2@example.jp")
    page = open_page()
    log_in(page, user.email)
    page.goto(reverse("accounts:profile"))
    page.get_by_label("Phone number").fill("083-111-1111")

    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(
        "Your session has ended", timeout=(TIMEOUT_SECONDS + 3) * 1000
    )
    expect(dialog.get_by_role("heading")).to_have_text("Your session has ended")
    expect(dialog.get_by_role("link", name="Log in again")).to_be_visible()
    expect(page.get_by_label("Phone number")).to_have_value("083-111-1111")
