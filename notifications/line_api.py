"""A small client for the LINE Messaging API: push messages and link tokens.

The base URL comes from settings.LINE_API_BASE_URL, so tests point it at a
local fake. The channel is configured only when both the channel access
token and the channel secret are set.
"""

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

# Limits of the push endpoint (Messaging API reference): at most 5 message
# objects per request and 5,000 characters per text message.
MAX_MESSAGES_PER_PUSH = 5
MAX_TEXT_LENGTH = 5000
TIMEOUT_SECONDS = 10


class LineApiError(Exception):
    """A Messaging API request that failed.

    *permanent* is True for a 4xx status other than 429: sending the same
    request again cannot succeed (blocked account, unknown user, bad token).
    """

    def __init__(self, message: str, *, status: int | None, permanent: bool) -> None:
        super().__init__(message)
        self.status = status
        self.permanent = permanent


def channel_configured() -> bool:
    """Return True when the LINE channel's access token and secret are set."""
    return bool(settings.LINE_CHANNEL_ACCESS_TOKEN and settings.LINE_CHANNEL_SECRET)


def _request(
    endpoint: str, path: str, payload: dict[str, Any] | None
) -> dict[str, Any]:
    url = settings.LINE_API_BASE_URL.rstrip("/") + path
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"LINE_API_BASE_URL must be an http(s) URL, not {url!r}.")
    data = json.dumps(payload).encode() if payload is not None else b""
    headers = {"Authorization": f"Bearer {settings.LINE_CHANNEL_ACCESS_TOKEN}"}
    if payload is not None:
        headers["Content-Type"] = "application/json"
    # The scheme is checked above, so urlopen cannot open a file: URL (S310).
    request = urllib.request.Request(  # noqa: S310
        url, data=data, headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=TIMEOUT_SECONDS
        ) as response:
            body = response.read()
    except urllib.error.HTTPError as error:
        status = error.code
        permanent = 400 <= status < 500 and status != 429
        raise LineApiError(
            f"LINE API {endpoint} request failed with HTTP {status}",
            status=status,
            permanent=permanent,
        ) from error
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise LineApiError(
            f"LINE API {endpoint} request failed: {error}",
            status=None,
            permanent=False,
        ) from error
    if not body:
        return {}
    result: dict[str, Any] = json.loads(body)
    return result


def push_text(line_user_id: str, text: str) -> None:
    """Push one text message to *line_user_id*.

    Raises LineApiError when the API rejects the request or cannot be reached.
    """
    if len(text) > MAX_TEXT_LENGTH:
        raise ValueError(f"LINE text message has {len(text)} characters.")
    payload = {"to": line_user_id, "messages": [{"type": "text", "text": text}]}
    _request("push", "/v2/bot/message/push", payload)


def issue_link_token(line_user_id: str) -> str:
    """Issue a link token for *line_user_id* (valid 10 minutes, single use)."""
    quoted = urllib.parse.quote(line_user_id, safe="")
    result = _request("linkToken", f"/v2/bot/user/{quoted}/linkToken", None)
    token = result.get("linkToken")
    if not isinstance(token, str) or not token:
        raise LineApiError(
            "LINE API returned no linkToken", status=None, permanent=False
        )
    return token
