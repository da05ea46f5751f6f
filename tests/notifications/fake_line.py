"""A local fake of the LINE Messaging API for tests, on 127.0.0.1.

It serves the two endpoints the portal calls, checks the request rules of
the Messaging API reference listed here, and records every request:

- POST /v2/bot/message/push: Bearer token, JSON body {"to": userId,
  "messages": [1 to 5 text messages of 1 to 5,000 characters]}.
- POST /v2/bot/user/{userId}/linkToken: Bearer token, empty body; returns
  {"linkToken": ...}.

GET /dialog/bot/accountLink imitates LINE's account-link dialog. For a
link token it issued, it posts the signed accountLink event with the
nonce to the portal's webhook, as LINE does, and shows a short page.

A request that breaks a rule gets 400 (or 401, 404, 405), and its problem
is added to `problems`. `fail_next` makes the next requests fail with a
given status, as LINE does under load (429) or during an outage (500).
"""

import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

USER_ID_PATTERN = re.compile(r"U[0-9a-f]{32}")
PUSH_PATH = "/v2/bot/message/push"
LINK_TOKEN_PATH = re.compile(r"/v2/bot/user/([^/]+)/linkToken")
ACCOUNT_LINK_PATH = "/dialog/bot/accountLink"
MAX_MESSAGES = 5
MAX_TEXT_LENGTH = 5000


def make_user_id() -> str:
    """Return a random LINE user ID of the real shape (U + 32 hex digits)."""
    return "U" + secrets.token_hex(16)


def sign(body: bytes, channel_secret: str) -> str:
    """Return the X-Line-Signature that LINE sends with *body*."""
    digest = hmac.new(channel_secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def event(event_type: str, line_user_id: str, **extra: Any) -> dict[str, Any]:
    """Return a webhook event of *event_type* from *line_user_id*."""
    return {
        "type": event_type,
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": line_user_id},
        "webhookEventId": uuid.uuid4().hex.upper()[:26],
        "deliveryContext": {"isRedelivery": False},
        **extra,
    }


def account_link_event(
    line_user_id: str, nonce: str, result: str = "ok"
) -> dict[str, Any]:
    return event(
        "accountLink",
        line_user_id,
        replyToken=secrets.token_hex(16),
        link={"result": result, "nonce": nonce},
    )


def webhook_body(*events: dict[str, Any]) -> bytes:
    payload = {"destination": "U" + "0" * 32, "events": list(events)}
    return json.dumps(payload).encode()


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    status: int = 0

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class FakeLine:
    """The fake's state, shared by the handler threads under `lock`."""

    access_token: str
    channel_secret: str
    webhook_url: str | None = None
    requests: list[RecordedRequest] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    link_tokens: dict[str, str] = field(default_factory=dict)
    used_link_tokens: set[str] = field(default_factory=set)
    account_links: list[dict[str, str]] = field(default_factory=list)
    forced_statuses: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, status: int, times: int = 1) -> None:
        """Make the next *times* API requests fail with HTTP *status*."""
        with self.lock:
            self.forced_statuses.extend([status] * times)

    @property
    def pushes(self) -> list[dict[str, Any]]:
        """Bodies of the push requests that were accepted (HTTP 200)."""
        with self.lock:
            return [
                request.json()
                for request in self.requests
                if request.path == PUSH_PATH and request.status == 200
            ]

    def pushed_texts(self, line_user_id: str) -> list[str]:
        return [
            message["text"]
            for push in self.pushes
            if push["to"] == line_user_id
            for message in push["messages"]
        ]


class FakeLineHandler(BaseHTTPRequestHandler):
    server: "FakeLineServer"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # Keep test output clean; requests are recorded instead.

    # API endpoints

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        path = urllib.parse.urlsplit(self.path).path
        record = RecordedRequest("POST", path, dict(self.headers.items()), body)
        state = self.server.state
        with state.lock:
            state.requests.append(record)
        status, answer = self._answer(record)
        record.status = status
        self._send_json(status, answer)

    def _answer(self, record: RecordedRequest) -> tuple[int, dict[str, Any]]:
        state = self.server.state
        link_token_match = LINK_TOKEN_PATH.fullmatch(record.path)
        if record.path != PUSH_PATH and link_token_match is None:
            return self._problem(404, f"unknown path {record.path}")
        expected = f"Bearer {state.access_token}"
        if record.headers.get("Authorization") != expected:
            return self._problem(401, "missing or wrong Authorization header")
        with state.lock:
            forced = state.forced_statuses.pop(0) if state.forced_statuses else None
        if forced is not None:
            return forced, {"message": f"forced status {forced}"}
        if link_token_match is not None:
            return self._issue_link_token(record, link_token_match.group(1))
        return self._push(record)

    def _issue_link_token(
        self, record: RecordedRequest, line_user_id: str
    ) -> tuple[int, dict[str, Any]]:
        if record.body:
            return self._problem(400, "linkToken request has a body")
        if not USER_ID_PATTERN.fullmatch(line_user_id):
            return self._problem(400, f"invalid userId {line_user_id!r}")
        token = secrets.token_urlsafe(24)
        with self.server.state.lock:
            self.server.state.link_tokens[token] = line_user_id
        return 200, {"linkToken": token}

    def _push(self, record: RecordedRequest) -> tuple[int, dict[str, Any]]:
        content_type = record.headers.get("Content-Type", "")
        if content_type.split(";")[0].strip() != "application/json":
            return self._problem(400, f"Content-Type is {content_type!r}")
        try:
            payload = record.json()
        except (UnicodeDecodeError, json.JSONDecodeError):
            return self._problem(400, "body is not JSON")
        problem = push_body_problem(payload)
        if problem:
            return self._problem(400, problem)
        return 200, {"sentMessages": [{"id": str(secrets.randbits(60))}]}

    def _problem(self, status: int, problem: str) -> tuple[int, dict[str, Any]]:
        with self.server.state.lock:
            self.server.state.problems.append(problem)
        return status, {"message": problem}

    def _send_json(self, status: int, answer: dict[str, Any]) -> None:
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    # The account-link dialog

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path != ACCOUNT_LINK_PATH:
            self._reject_method()
            return
        query = urllib.parse.parse_qs(url.query)
        token = query.get("linkToken", [""])[0]
        nonce = query.get("nonce", [""])[0]
        state = self.server.state
        with state.lock:
            line_user_id = state.link_tokens.get(token)
            usable = line_user_id is not None and token not in state.used_link_tokens
            if usable:
                state.used_link_tokens.add(token)
        if not usable or not nonce:
            self._send_page(400, "Invalid link token or nonce")
            return
        assert line_user_id is not None
        with state.lock:
            state.account_links.append({"userId": line_user_id, "nonce": nonce})
        if state.webhook_url:
            body = webhook_body(account_link_event(line_user_id, nonce))
            post_webhook(state.webhook_url, body, state.channel_secret)
        self._send_page(200, "Account linked")

    def _reject_method(self) -> None:
        """Record and reject a request with a method the path does not take."""
        path = urllib.parse.urlsplit(self.path).path
        record = RecordedRequest(self.command, path, dict(self.headers.items()), b"")
        with self.server.state.lock:
            self.server.state.requests.append(record)
        if path == PUSH_PATH or LINK_TOKEN_PATH.fullmatch(path):
            record.status, answer = self._problem(405, f"{self.command} {path}")
        else:
            record.status, answer = self._problem(404, f"unknown path {path}")
        self._send_json(record.status, answer)

    do_PUT = do_DELETE = do_PATCH = _reject_method

    def _send_page(self, status: int, text: str) -> None:
        data = (
            f"<!doctype html><html lang='en'><title>{text}</title>"
            f"<h1>{text}</h1></html>"
        ).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def push_body_problem(payload: Any) -> str | None:
    """Return what is wrong with a push request body, or None."""
    if not isinstance(payload, dict):
        return "body is not a JSON object"
    to = payload.get("to")
    if not isinstance(to, str) or not USER_ID_PATTERN.fullmatch(to):
        return f"invalid 'to': {to!r}"
    messages = payload.get("messages")
    if not isinstance(messages, list) or not 1 <= len(messages) <= MAX_MESSAGES:
        return "'messages' must be a list of 1 to 5 messages"
    for message in messages:
        if not isinstance(message, dict) or message.get("type") != "text":
            return "only text messages are expected"
        text = message.get("text")
        if not isinstance(text, str) or not 1 <= len(text) <= MAX_TEXT_LENGTH:
            return "text must have 1 to 5,000 characters"
    return None


def post_webhook(url: str, body: bytes, channel_secret: str) -> int:
    """POST a signed webhook body to *url* (the portal); return the status."""
    request = urllib.request.Request(  # noqa: S310 (the test's own live server)
        url,
        data=body,
        headers={
            "Content-Type": "application/json",
            "X-Line-Signature": sign(body, channel_secret),
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return int(response.status)


class FakeLineServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: FakeLine) -> None:
        super().__init__(("127.0.0.1", 0), FakeLineHandler)
        self.state = state
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def account_link_url(self) -> str:
        return self.base_url + ACCOUNT_LINK_PATH

    def start(self) -> "FakeLineServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)
