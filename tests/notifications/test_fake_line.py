"""The fake Messaging API rejects the malformed requests it should catch.

The portal's tests trust the fake to catch a wrong request, so these
checks send wrong requests to it directly.
"""

import json
import urllib.error
import urllib.request

import pytest

from tests.notifications.fake_line import (
    FakeLine,
    FakeLineServer,
    make_user_id,
)

TOKEN = "fake-test-token"


@pytest.fixture
def server():
    fake = FakeLineServer(FakeLine(TOKEN, "secret")).start()
    yield fake
    fake.stop()


def send(server, path, body=None, *, method="POST", headers=None):
    """Send a request to the fake; return the HTTP status."""
    request = urllib.request.Request(  # noqa: S310 (the fake on 127.0.0.1)
        server.base_url + path,
        data=body,
        headers=headers if headers is not None else {},
        method=method,
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def push(server, payload, **headers):
    all_headers = {
        "Authorization": f"Bearer {TOKEN}",
        "Content-Type": "application/json",
        **headers,
    }
    return send(
        server,
        "/v2/bot/message/push",
        json.dumps(payload).encode(),
        headers=all_headers,
    )


def text_push(text, to=None, count=1):
    return {
        "to": to or make_user_id(),
        "messages": [{"type": "text", "text": text}] * count,
    }


def test_valid_push_accepted(server):
    assert push(server, text_push("こんにちは")) == 200
    assert server.state.problems == []


@pytest.mark.parametrize(
    ("payload", "expected_problem"),
    [
        (text_push(""), "text must have 1 to 5,000 characters"),
        (text_push("x" * 5001), "text must have 1 to 5,000 characters"),
        (text_push("x", count=6), "'messages' must be a list of 1 to 5 messages"),
        (text_push("x", count=0), "'messages' must be a list of 1 to 5 messages"),
        (text_push("x", to="someone"), "invalid 'to': 'someone'"),
        ({"to": make_user_id(), "messages": [{"type": "image"}]}, "only text"),
        (["not", "an", "object"], "body is not a JSON object"),
    ],
)
def test_bad_push_body_rejected(server, payload, expected_problem):
    assert push(server, payload) == 400
    [problem] = server.state.problems
    assert problem.startswith(expected_problem)


def test_longest_text_accepted(server):
    assert push(server, text_push("x" * 5000)) == 200


def test_wrong_token_rejected(server):
    assert push(server, text_push("x"), Authorization="Bearer other") == 401


def test_missing_token_rejected(server):
    status = send(
        server,
        "/v2/bot/message/push",
        json.dumps(text_push("x")).encode(),
        headers={"Content-Type": "application/json"},
    )

    assert status == 401


def test_wrong_content_type_rejected(server):
    assert push(server, text_push("x"), **{"Content-Type": "text/plain"}) == 400


def test_get_on_api_rejected(server):
    status = send(server, "/v2/bot/message/push", method="GET")

    assert status == 405
    assert server.state.problems == ["GET /v2/bot/message/push"]


def test_unknown_path_rejected(server):
    status = send(
        server, "/v2/bot/message/multicast", b"{}", headers={"Authorization": "x"}
    )

    assert status == 404


def test_link_token_issued(server):
    user_id = make_user_id()

    status = send(
        server,
        f"/v2/bot/user/{user_id}/linkToken",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )

    assert status == 200
    assert list(server.state.link_tokens.values()) == [user_id]


def test_link_token_with_body_rejected(server):
    status = send(
        server,
        f"/v2/bot/user/{make_user_id()}/linkToken",
        b"{}",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )

    assert status == 400


def test_forced_statuses_used_in_order(server):
    server.state.fail_next(429)
    server.state.fail_next(500)

    statuses = [push(server, text_push("x")) for _ in range(3)]

    assert statuses == [429, 500, 200]
