"""Two-factor log-in in Chromium: set-up from the shown key, then log in with a code."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from probono.permissions import CONCIERGE_GROUP
from tests.browser.steps import code_from_key, enter_password
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.TWO_FACTOR_ENFORCED = True


def test_set_up_then_log_in_with_code(open_page):
    user = UserFactory(email="concierge2fa@example.jp")
    user.groups.add(Group.objects.get(name=CONCIERGE_GROUP))
    page = open_page()

    enter_password(page, user.email)
    expect(page.get_by_role("heading", name="Set up two-factor log-in")).to_be_visible()
    # Nothing else opens before set-up.
    page.goto(reverse("accounts:profile"))
    expect(page.get_by_role("heading", name="Set up two-factor log-in")).to_be_visible()
    expect(page.get_by_role("img", name="QR code")).to_be_visible()

    key_text = page.locator("[data-totp-key]").inner_text()
    page.get_by_label("Code from the app").fill(code_from_key(key_text))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Your backup codes")).to_be_visible()
    expect(page.locator("[data-backup-codes] li")).to_have_count(10)
    page.get_by_role("link", name="I have saved my codes, continue").click()
    expect(page).to_have_url(re.compile(r"/accounts/profile/$"))

    page.get_by_role("button", name="Log out").click()
    enter_password(page, user.email)
    expect(page.get_by_role("heading", name="Two-factor log-in")).to_be_visible()
    wrong = f"{(int(code_from_key(key_text)) + 500_000) % 1_000_000:06d}"
    page.get_by_label("Code").fill(wrong)
    page.get_by_role("button", name="Verify").click()
    expect(page.locator("#id_code_error")).to_contain_text("This code is not valid")

    # One wrong code makes the device wait a second before the next try.
    page.wait_for_timeout(1500)
    # The code of the set-up step was used, so the app's next code is entered.
    page.get_by_label("Code").fill(code_from_key(key_text, 1))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="My page")).to_be_visible()
