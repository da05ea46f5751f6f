"""API authentication that keeps the second log-in step for the roles that need it.

While TWO_FACTOR_ENFORCED is on, a user who has a two-factor device or
whose role requires one reaches the API only
- with a session that passed the second step (TwoFactorMiddleware already
  returns 403 to the others, and TwoFactorSessionAuthentication checks it
  again for API views), or
- with an API token that the portal issued to a session that passed the
  second step (TwoFactorTokenAuthentication).

A token key issued by new_token_key() carries an HMAC of the user id made
with SECRET_KEY. Tokens made elsewhere (the admin, DRF's drf_create_token)
lack it, so they work only for users without two-factor log-in.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.request import Request

from civic_portal.accounts import two_factor
from civic_portal.types import AnyUser

KEY_SALT = "civic_portal.accounts.api_authentication.token"
# DRF's Token.key has 40 characters: 24 random hex digits (96 bits) and 16
# hex digits of the HMAC.
RANDOM_HEX_DIGITS = 24
MAC_HEX_DIGITS = 16


def _mac(user_id: int, random_part: str, secret: str) -> str:
    value = f"{user_id}:{random_part}"
    digest = salted_hmac(KEY_SALT, value, secret=secret, algorithm="sha256")
    return digest.hexdigest()[:MAC_HEX_DIGITS]


def new_token_key(user_id: int) -> str:
    """Return a new token key for *user_id* that carries the portal's mark.

    Call it only where the user has passed the second step, or from the
    server's command line (manage.py issue_api_token).
    """
    random_part = secrets.token_hex(RANDOM_HEX_DIGITS // 2)
    return random_part + _mac(user_id, random_part, settings.SECRET_KEY)


@transaction.atomic
def issue_token(user_id: int) -> str:
    """Replace the user's API token with a new marked one and return its key.

    The previous token stops working at once.
    """
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user_id=user_id).delete()
    return Token.objects.create(user_id=user_id, key=new_token_key(user_id)).key


def has_portal_mark(user_id: int, key: str) -> bool:
    """Tell whether *key* was made by new_token_key() for *user_id*.

    Keys made with a secret in SECRET_KEY_FALLBACKS still count, so that
    rotating SECRET_KEY does not end the tokens at once.
    """
    if len(key) != RANDOM_HEX_DIGITS + MAC_HEX_DIGITS:
        return False
    random_part, mac = key[:RANDOM_HEX_DIGITS], key[RANDOM_HEX_DIGITS:]
    secrets_to_try = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return any(
        hmac.compare_digest(mac, _mac(user_id, random_part, secret))
        for secret in secrets_to_try
    )


def needs_second_step(user: AnyUser) -> bool:
    """Tell whether *user* must pass the second step before using the API."""
    if not two_factor.enforced() or not user.is_authenticated:
        return False
    return two_factor.has_confirmed_device(user) or two_factor.two_factor_required(user)


class TwoFactorSessionAuthentication(SessionAuthentication):
    """DRF's session authentication, rejecting sessions that owe the second step."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        # The middleware module imports DRF's views, which import this
        # module through DEFAULT_AUTHENTICATION_CLASSES.
        from civic_portal.accounts.middleware import known_not_needed

        result = super().authenticate(request)
        if result is None:
            return None
        django_request = request._request
        if two_factor.is_session_verified(django_request):
            return result
        if known_not_needed(django_request) or not needs_second_step(result[0]):
            return result
        raise exceptions.PermissionDenied(
            _("Complete the two-factor log-in step on the website first.")
        )


class TwoFactorTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, rejecting unmarked tokens of two-factor users."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        if has_portal_mark(user.pk, key) or not needs_second_step(user):
            return user, token
        raise exceptions.AuthenticationFailed(
            _(
                "This API token was not issued after a two-factor log-in. Log "
                "in on the website and replace the token."
            )
        )


class TwoFactorSessionScheme(SessionScheme):
    """The OpenAPI security scheme of TwoFactorSessionAuthentication: DRF's session.

    drf-spectacular matches the token scheme to subclasses of DRF's token
    authentication, but the session scheme only to the class itself.
    """

    target_class = (
        "civic_portal.accounts.api_authentication.TwoFactorSessionAuthentication"
    )
