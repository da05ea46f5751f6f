"""Signed, expiring links to a one-step apply confirmation page.

A matching mail carries one link per session. The token names the resident
and the session and is signed with the project's secret, so it cannot be
altered; it expires after settings.APPLY_LINK_MAX_AGE_SECONDS. Opening the
link only shows a confirmation page; the application is made by a POST
from that page, by the resident the token names. Once that resident has an
active application to the session, the link counts as used.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

_SALT = "volunteering.apply-link"


class ApplyLinkError(Exception):
    """A link that is expired or altered; `reason` is "expired" or "invalid"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ApplyLink:
    user_id: int
    session_id: int


def make_apply_token(*, user_id: int, session_id: int) -> str:
    return signing.dumps({"u": user_id, "s": session_id}, salt=_SALT, compress=True)


def read_apply_token(token: str) -> ApplyLink:
    """Return what *token* names, or raise ApplyLinkError."""
    try:
        payload = signing.loads(
            token, salt=_SALT, max_age=settings.APPLY_LINK_MAX_AGE_SECONDS
        )
    except signing.SignatureExpired as error:
        raise ApplyLinkError("expired") from error
    except signing.BadSignature as error:
        raise ApplyLinkError("invalid") from error
    try:
        return ApplyLink(user_id=int(payload["u"]), session_id=int(payload["s"]))
    except (KeyError, TypeError, ValueError) as error:
        raise ApplyLinkError("invalid") from error
