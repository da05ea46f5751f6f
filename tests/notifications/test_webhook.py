import base64
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from notifications.models import LineLink, LineLinkToken, LineWebhookEvent
from tests.notifications.conftest import CHANNEL_SECRET
from tests.notifications.fake_line import event, make_user_id, sign, webhook_body

pytestmark = pytest.mark.django_db

INVITATION_EN = (
    "To get the portal's notifications on LINE, sign in and link your account:"
)


def test_missing_signature_rejected(line, post_webhook):
    response = post_webhook(event("follow", make_user_id()), signature=None)

    assert response.status_code == 400
    assert not LineWebhookEvent.objects.exists()
    assert line.requests == []


def test_wrong_signature_rejected(line, post_webhook):
    forged = base64.b64encode(b"x" * 32).decode()

    response = post_webhook(event("follow", make_user_id()), signature=forged)

    assert response.status_code == 400
    assert not LineWebhookEvent.objects.exists()
    assert line.requests == []


def test_signature_of_other_body_rejected(line, post_webhook):
    signed = webhook_body(event("message", make_user_id()))
    sent = webhook_body(event("follow", make_user_id()))

    response = post_webhook(body=sent, signature=sign(signed, CHANNEL_SECRET))

    assert response.status_code == 400
    assert line.requests == []


def test_follow_sends_link_invitation(line, post_webhook):
    line_user_id = make_user_id()

    response = post_webhook(event("follow", line_user_id))

    assert response.status_code == 200
    [token_request, push_request] = line.requests
    assert token_request.path == f"/v2/bot/user/{line_user_id}/linkToken"
    assert push_request.path == "/v2/bot/message/push"
    [text] = line.pushed_texts(line_user_id)
    assert "https://portal.example.jp/notifications/line/link/?linkToken=" in text
    assert INVITATION_EN in text
    with translation.override("ja"):
        assert gettext(INVITATION_EN) in text
    assert LineLinkToken.objects.get().line_user_id == line_user_id
    assert line.problems == []


@pytest.mark.parametrize("user_id", ["bad", "U" + "0" * 31, "u" + "0" * 32, ""])
def test_event_with_malformed_user_id_ignored(line, post_webhook, user_id):
    response = post_webhook(event("follow", user_id))

    assert response.status_code == 200
    assert line.requests == []
    assert not LineLinkToken.objects.exists()


def test_redelivered_event_handled_once(line, post_webhook):
    follow = event("follow", make_user_id())

    first = post_webhook(follow)
    second = post_webhook(follow)

    assert first.status_code == 200
    assert second.status_code == 200
    assert len(line.pushes) == 1
    assert LineWebhookEvent.objects.count() == 1


def test_other_events_ignored(line, post_webhook):
    message = event("message", make_user_id(), message={"type": "text", "text": "hi"})

    response = post_webhook(message)

    assert response.status_code == 200
    assert line.requests == []
    assert not LineWebhookEvent.objects.exists()


def test_verification_request_without_events_accepted(line, post_webhook):
    response = post_webhook()

    assert response.status_code == 200


def test_invalid_json_rejected(line, post_webhook):
    response = post_webhook(body=b"{not json")

    assert response.status_code == 400


def test_body_without_events_rejected(line, post_webhook):
    response = post_webhook(body=json.dumps({"destination": "U0"}).encode())

    assert response.status_code == 400


def test_webhook_get_not_allowed(line, client):
    response = client.get(reverse("notifications:line_webhook"))

    assert response.status_code == 405


def test_webhook_off_without_channel(settings, client):
    settings.LINE_CHANNEL_ACCESS_TOKEN = ""
    settings.LINE_CHANNEL_SECRET = ""

    response = client.post(
        reverse("notifications:line_webhook"),
        data=webhook_body(),
        content_type="application/json",
        HTTP_X_LINE_SIGNATURE="anything",
    )

    assert response.status_code == 404


def test_webhook_needs_no_csrf_token(line):
    strict_client = Client(enforce_csrf_checks=True)
    body = webhook_body()

    response = strict_client.post(
        reverse("notifications:line_webhook"),
        data=body,
        content_type="application/json",
        HTTP_X_LINE_SIGNATURE=sign(body, CHANNEL_SECRET),
    )

    assert response.status_code == 200


def test_follow_of_linked_user_sends_nothing(linked_resident, line, post_webhook):
    line_user_id = LineLink.objects.get().line_user_id

    post_webhook(event("follow", line_user_id))

    assert line.requests == []


def test_invitation_failure_does_not_fail_webhook(line, post_webhook):
    line.fail_next(400)

    response = post_webhook(event("follow", make_user_id()))

    assert response.status_code == 200
    assert line.pushes == []
