"""Signed links that confirm a new account's e-mail address.

A link carries the user's id and a keyed hash of the address it was sent
to, signed with the site's secret key and stamped with the time it was
made. The hash keeps the address itself out of the URL, because signed
data is only encoded, and URLs end up in access logs. Changing any
character breaks the signature, and a link older than the maximum age is
rejected. A link for an address that is already confirmed counts as used,
because confirming is the only thing a link can do.
"""

import enum
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from civic_portal.accounts.models import User

SALT = "civic_portal.accounts.confirm_email"

# How long a confirmation link stays valid, in seconds (3 days by default).
DEFAULT_MAX_AGE_SECONDS = 3 * 24 * 60 * 60


def confirmation_max_age_seconds() -> int:
    return getattr(
        settings, "EMAIL_CONFIRMATION_MAX_AGE_SECONDS", DEFAULT_MAX_AGE_SECONDS
    )


class TokenState(enum.Enum):
    VALID = "valid"
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"


@dataclass(frozen=True)
class TokenCheck:
    state: TokenState
    user: User | None = None


def _address_digest(email: str) -> str:
    return salted_hmac(SALT, email, algorithm="sha256").hexdigest()[:32]


def make_confirmation_token(user: User) -> str:
    payload = {"user": user.pk, "address": _address_digest(user.email)}
    return signing.dumps(payload, salt=SALT)


def check_confirmation_token(token: str) -> TokenCheck:
    """Return whether *token* may confirm an address, and for which user."""
    try:
        payload = signing.loads(
            token, salt=SALT, max_age=confirmation_max_age_seconds()
        )
    except signing.SignatureExpired:
        return TokenCheck(TokenState.EXPIRED)
    except signing.BadSignature:
        return TokenCheck(TokenState.INVALID)

    user_id = payload.get("user") if isinstance(payload, dict) else None
    if not isinstance(user_id, int):
        return TokenCheck(TokenState.INVALID)
    user = User.objects.filter(pk=user_id, is_active=True).first()
    # An address changed after the mail was sent makes the old link invalid.
    digest = payload.get("address")
    if (
        user is None
        or not isinstance(digest, str)
        or not constant_time_compare(digest, _address_digest(user.email))
    ):
        return TokenCheck(TokenState.INVALID)
    if user.email_confirmed:
        return TokenCheck(TokenState.USED, user)
    return TokenCheck(TokenState.VALID, user)
