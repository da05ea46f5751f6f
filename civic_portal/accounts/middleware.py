"""Middleware for idle session expiry and the two-factor log-in rule.

Both run in process_view, after URL resolution, so they can tell pages
from API views and name the few views that stay open. They must come
after AuthenticationMiddleware, django-otp's OTPMiddleware and
MessageMiddleware in MIDDLEWARE.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework.views import APIView

from civic_portal.accounts import session_expiry, two_factor

logger = logging.getLogger(__name__)

# Session key: the Unix time until which the user is known not to need
# two-factor log-in, so the role queries do not run on every request.
TWO_FACTOR_NOT_NEEDED_UNTIL_KEY = "two_factor_not_needed_until"
# How long that result is trusted. A role granted during a session takes
# effect within this time.
ROLE_RECHECK_SECONDS = 300

# Views that a signed-in user who still owes the second step can open.
TWO_FACTOR_OPEN_VIEWS = frozenset(
    {
        "accounts:two_factor_verify",
        "accounts:two_factor_setup",
        "accounts:logout",
        "accounts:session_extend",
        "set_language",
    }
)

# Views that an ended session reaches as anonymous instead of being sent
# to log in: the log-in page itself, log-out, the language switch, and the
# extend endpoint, which returns 401 JSON to the dialog's script.
SESSION_END_PASS_THROUGH_VIEWS = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:session_extend",
        "set_language",
    }
)


def known_not_needed(request: HttpRequest) -> bool:
    """Tell whether the session recorded lately that its user needs no second step."""
    until = request.session.get(TWO_FACTOR_NOT_NEEDED_UNTIL_KEY)
    if not isinstance(until, int | float):
        return False
    return session_expiry.current_time() < until


def _is_api_view(view_func: Callable[..., Any]) -> bool:
    view_class = getattr(view_func, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)


def _view_name(request: HttpRequest) -> str:
    match = request.resolver_match
    return match.view_name if match is not None else ""


class _ViewMiddleware:
    """Middleware whose work happens in process_view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)


class SessionIdleTimeoutMiddleware(_ViewMiddleware):
    """Log out sessions idle for longer than SESSION_IDLE_TIMEOUT_SECONDS.

    A page request of an ended session is redirected to the login page
    with a message and `next`. An API request goes on as anonymous.
    """

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        if not request.user.is_authenticated:
            return None
        now = session_expiry.current_time()
        if not session_expiry.is_expired(request.session, now):
            session_expiry.record_activity(request.session, now)
            return None

        user_id = request.user.pk
        logout(request)
        logger.info("Session of user %s ended after the idle timeout", user_id)
        passes = _view_name(request) in SESSION_END_PASS_THROUGH_VIEWS
        if passes or _is_api_view(view_func):
            return None
        messages.info(
            request,
            _(
                "Your session ended because you were inactive for a while. "
                "Please log in again."
            ),
        )
        return redirect_to_login(request.get_full_path(), resolve_url("accounts:login"))


class TwoFactorMiddleware(_ViewMiddleware):
    """Hold back signed-in users who still owe the second log-in step.

    A user with a confirmed device goes to the verify page until the
    session is verified. A user whose role requires two-factor log-in
    (two_factor.two_factor_required) and who has no device goes to set-up.
    Only the views in TWO_FACTOR_OPEN_VIEWS stay open, and API views
    return 403. Nothing is checked while TWO_FACTOR_ENFORCED is off.
    """

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        if not two_factor.enforced() or not request.user.is_authenticated:
            return None
        if two_factor.is_session_verified(request):
            return None
        if _view_name(request) in TWO_FACTOR_OPEN_VIEWS:
            return None
        if known_not_needed(request):
            return None

        user = request.user
        if two_factor.has_confirmed_device(user):
            target = "accounts:two_factor_verify"
        elif two_factor.two_factor_required(user):
            target = "accounts:two_factor_setup"
        else:
            request.session[TWO_FACTOR_NOT_NEEDED_UNTIL_KEY] = (
                session_expiry.current_time() + ROLE_RECHECK_SECONDS
            )
            return None

        request.session.pop(TWO_FACTOR_NOT_NEEDED_UNTIL_KEY, None)
        if _is_api_view(view_func):
            detail = _("Complete the two-factor log-in step on the website first.")
            return JsonResponse({"detail": detail}, status=403)
        return redirect_to_login(request.get_full_path(), reverse(target))
