"""The LINE webhook: signature check and the follow, unfollow and accountLink events.

LINE signs each request with the channel secret: X-Line-Signature is the
base64 HMAC-SHA256 of the raw request body. Each event is handled once per
webhookEventId, because LINE may redeliver an event.
"""

import base64
import hashlib
import hmac
import logging
import re
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from notifications import linking
from notifications.models import LineWebhookEvent

logger = logging.getLogger(__name__)

HANDLED_EVENT_TYPES = ("follow", "unfollow", "accountLink")
# A LINE user ID is "U" and 32 lowercase hexadecimal digits.
USER_ID_PATTERN = re.compile(r"U[0-9a-f]{32}")


def signature_for(body: bytes, channel_secret: str) -> str:
    """Return the X-Line-Signature value of *body*."""
    digest = hmac.new(channel_secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signature_valid(body: bytes, signature: str | None) -> bool:
    """Return True when *signature* signs *body* with the channel secret."""
    if not signature or not settings.LINE_CHANNEL_SECRET:
        return False
    expected = signature_for(body, settings.LINE_CHANNEL_SECRET)
    return hmac.compare_digest(expected.encode(), signature.encode())


def _user_id(event: dict[str, Any]) -> str | None:
    source = event.get("source")
    if not isinstance(source, dict) or source.get("type") != "user":
        return None
    user_id = source.get("userId")
    if not isinstance(user_id, str) or not USER_ID_PATTERN.fullmatch(user_id):
        return None
    return user_id


def handle_events(events: list[Any]) -> int:
    """Handle the events of one webhook request; return how many were handled.

    Events of other types, events without a user source, and events seen
    before (same webhookEventId) are skipped.
    """
    handled = 0
    for event in events:
        if not isinstance(event, dict):
            continue
        event_type = event.get("type")
        line_user_id = _user_id(event)
        if event_type not in HANDLED_EVENT_TYPES or line_user_id is None:
            continue
        event_id = event.get("webhookEventId")
        try:
            with transaction.atomic():
                if isinstance(event_id, str) and event_id:
                    LineWebhookEvent.objects.create(
                        webhook_event_id=event_id[:64], event_type=event_type
                    )
                _handle_event(event_type, line_user_id, event)
        except IntegrityError:
            logger.info("LINE webhook event %s was handled before; skipped", event_id)
            continue
        handled += 1
    return handled


def _handle_event(event_type: str, line_user_id: str, event: dict[str, Any]) -> None:
    if event_type == "follow":
        from notifications.tasks import send_link_invitation

        transaction.on_commit(
            lambda: send_link_invitation.delay(line_user_id), robust=True
        )
    elif event_type == "unfollow":
        linking.forget_line_user(line_user_id)
    else:
        _handle_account_link(line_user_id, event)


def _handle_account_link(line_user_id: str, event: dict[str, Any]) -> None:
    link = event.get("link")
    if not isinstance(link, dict):
        return
    nonce = link.get("nonce")
    if not isinstance(nonce, str) or not nonce:
        return
    if link.get("result") == "ok":
        linking.complete_account_link(line_user_id, nonce)
    else:
        linking.fail_account_link(nonce)
