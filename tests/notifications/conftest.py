from collections.abc import Iterator

import pytest
from celery.exceptions import Retry
from django.urls import reverse

from notifications.models import LineLink
from tests.notifications.fake_line import (
    FakeLine,
    FakeLineServer,
    make_user_id,
    sign,
    webhook_body,
)

ACCESS_TOKEN = "test-channel-access-token"
CHANNEL_SECRET = "test-channel-secret"


@pytest.fixture
def line_server(settings) -> Iterator[FakeLineServer]:
    """Start the fake Messaging API and configure the channel to use it."""
    server = FakeLineServer(FakeLine(ACCESS_TOKEN, CHANNEL_SECRET)).start()
    settings.LINE_CHANNEL_ACCESS_TOKEN = ACCESS_TOKEN
    settings.LINE_CHANNEL_SECRET = CHANNEL_SECRET
    settings.LINE_API_BASE_URL = server.base_url
    settings.LINE_ACCOUNT_LINK_URL = server.account_link_url
    settings.SITE_URL = "https://portal.example.jp"
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _retries_run_at_once(monkeypatch):
    """Run a push's retries at once, as a worker would run them later.

    The suite's eager Celery raises celery.exceptions.Retry where a worker
    would schedule the retry; this loop runs the next attempt instead.
    """
    from notifications.tasks import deliver_line_message

    def delay(message_id):
        retries = 0
        while True:
            try:
                return deliver_line_message.apply(
                    args=[message_id], retries=retries, throw=True
                )
            except Retry:
                retries += 1

    monkeypatch.setattr(deliver_line_message, "delay", delay)


@pytest.fixture
def line(line_server) -> FakeLine:
    """The fake's recorded requests and controls."""
    return line_server.state


@pytest.fixture
def post_webhook(client, django_capture_on_commit_callbacks):
    """Return a function that POSTs events to the webhook.

    The body is signed with the channel secret, unless *signature* gives
    another header value or None for no header.
    Tasks queued on commit (link invitations) run before it returns.
    """

    def post(*events, signature: str | None = "sign", body: bytes | None = None):
        data = body if body is not None else webhook_body(*events)
        headers = {}
        if signature == "sign":
            headers["HTTP_X_LINE_SIGNATURE"] = sign(data, CHANNEL_SECRET)
        elif signature is not None:
            headers["HTTP_X_LINE_SIGNATURE"] = signature
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("notifications:line_webhook"),
                data=data,
                content_type="application/json",
                **headers,
            )

    return post


@pytest.fixture
def linked_resident(resident, line):
    LineLink.objects.create(user=resident, line_user_id=make_user_id())
    return resident
