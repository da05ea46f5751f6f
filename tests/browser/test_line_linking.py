"""Linking LINE in a browser, against the fake Messaging API on 127.0.0.1.

The fake plays LINE's part: it issues the link token, records the pushed
invitation, and its account-link dialog sends the signed accountLink event
to the live server's webhook.
"""

from collections.abc import Iterator

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from notifications.models import LineLink
from tests.browser.steps import log_in
from tests.factories import UserFactory
from tests.notifications.fake_line import (
    FakeLine,
    FakeLineServer,
    event,
    make_user_id,
    post_webhook,
    webhook_body,
)

ACCESS_TOKEN = "browser-test-access-token"
CHANNEL_SECRET = "browser-test-channel-secret"


@pytest.fixture
def line_server(portal_url, settings) -> Iterator[FakeLineServer]:
    webhook_url = portal_url + reverse("notifications:line_webhook")
    server = FakeLineServer(
        FakeLine(ACCESS_TOKEN, CHANNEL_SECRET, webhook_url=webhook_url)
    ).start()
    settings.LINE_CHANNEL_ACCESS_TOKEN = ACCESS_TOKEN
    settings.LINE_CHANNEL_SECRET = CHANNEL_SECRET
    settings.LINE_API_BASE_URL = server.base_url
    settings.LINE_ACCOUNT_LINK_URL = server.account_link_url
    settings.SITE_URL = portal_url
    yield server
    server.stop()


def test_link_and_unlink_line(open_page, portal_url, line_server):
    resident = UserFactory(email="line-resident@example.jp")
    line_user_id = make_user_id()
    page = open_page()
    log_in(page, resident.email)

    webhook_url = portal_url + reverse("notifications:line_webhook")
    status = post_webhook(
        webhook_url, webhook_body(event("follow", line_user_id)), CHANNEL_SECRET
    )
    [invitation] = line_server.state.pushed_texts(line_user_id)
    link_url = invitation.splitlines()[-1]

    page.goto(link_url)
    expect(page.get_by_role("heading", name="Link your LINE account")).to_be_visible()
    page.get_by_role("button", name="Link LINE account").click()
    expect(page.get_by_role("heading", name="Account linked")).to_be_visible()

    page.goto(reverse("accounts:profile"))
    expect(page.get_by_text("Your LINE account is linked")).to_be_visible()
    page.get_by_label("LINE only").check()
    page.get_by_role("button", name="Save notification setting").click()
    saved = page.get_by_text("Your notification setting has been saved.")
    expect(saved).to_be_visible()
    link = LineLink.objects.get(user=resident)

    page.get_by_role("button", name="Unlink LINE").click()
    expect(page.get_by_role("link", name="Link LINE")).to_be_visible()

    assert status == 200
    assert link_url.startswith(portal_url + "/notifications/line/link/?linkToken=")
    assert link.line_user_id == line_user_id
    assert link.delivery == LineLink.Delivery.LINE
    assert not LineLink.objects.filter(user=resident).exists()
    assert line_server.state.problems == []
