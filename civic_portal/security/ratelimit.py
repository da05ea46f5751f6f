"""Fixed-window request limits for pages, counted in the default cache.

Each scope in settings.RATE_LIMITS ("login", "search", ...) allows a number
of requests per window of seconds to one client: the signed-in user, or
else the client IP address as DRF's throttles see it (NUM_PROXIES). A
request over the limit gets the 429 page in the visitor's language with a
Retry-After header. The API uses DRF's throttles with the same scopes
(civic_portal.security.throttling).

A fixed window lets a client send up to twice the limit across the edge
of two windows. That is the price of a cheap counter, which works across
processes when the cache is Redis.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)

ViewFunction = TypeVar("ViewFunction", bound=Callable[..., HttpResponse])


@dataclass(frozen=True)
class Rate:
    """A limit of *requests* per window of *seconds*."""

    requests: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """Parse "<requests>/<seconds>", for example "30/600"."""
    try:
        requests_text, seconds_text = text.split("/")
        rate = Rate(int(requests_text), int(seconds_text))
    except ValueError as error:
        raise ImproperlyConfigured(
            f"Invalid rate limit {text!r}: use <requests>/<seconds>, like 30/600."
        ) from error
    if rate.requests < 1 or rate.seconds < 1:
        raise ImproperlyConfigured(
            f"Invalid rate limit {text!r}: both numbers must be at least 1."
        )
    return rate


def rate_for(scope: str) -> Rate:
    """Return the configured rate of *scope*, or raise ImproperlyConfigured."""
    try:
        return parse_rate(settings.RATE_LIMITS[scope])
    except KeyError as error:
        raise ImproperlyConfigured(
            f"RATE_LIMITS has no rate for the scope {scope!r}."
        ) from error


def client_ip(request: HttpRequest) -> str:
    """Return the client address by the rule of DRF's throttles.

    That is REMOTE_ADDR, or with REST_FRAMEWORK["NUM_PROXIES"] set, the
    address that many hops back in X-Forwarded-For. django-axes uses this
    function too (AXES_CLIENT_IP_CALLABLE), so all limits agree.
    """
    # DRF's get_ident reads only request.META, so a Django request will do.
    return BaseThrottle().get_ident(cast(Any, request))


def client_key(request: HttpRequest) -> str:
    """Return the identity a limit counts against: user id or client address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return "ip:" + client_ip(request)


def seconds_until_allowed(request: HttpRequest, scope: str) -> int | None:
    """Count this request against *scope* and return the wait if it is over.

    Returns None while the client is within the limit, else the number of
    seconds until the current window ends.
    """
    if not settings.RATE_LIMIT_ENABLED:
        return None
    rate = rate_for(scope)
    now = int(time.time())
    window = now // rate.seconds
    window_end = (window + 1) * rate.seconds
    key = f"ratelimit:{scope}:{client_key(request)}:{window}"
    cache.add(key, 0, timeout=window_end - now + 1)
    try:
        count = cache.incr(key)
    except ValueError:
        # The key expired between add() and incr(): this request opens it.
        cache.set(key, 1, timeout=window_end - now + 1)
        count = 1
    if count <= rate.requests:
        return None
    if count == rate.requests + 1:
        # One line per client and window, however many requests follow.
        # The URL name, not the path, which may contain a link token.
        match = request.resolver_match
        logger.warning(
            "Rate limit %r reached (%d requests in %d s) on %s",
            scope,
            rate.requests,
            rate.seconds,
            match.view_name if match else "an unresolved URL",
        )
    return max(window_end - now, 1)


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    """Render the 429 page with the minutes until the visitor may try again."""
    context = {"retry_after_minutes": max(1, -(-retry_after // 60))}
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited_response(request: HttpRequest, scope: str) -> HttpResponse | None:
    """Count this request against *scope* and return the 429 page if it is over.

    For a view that limits only some of its requests, such as the file
    export of a page that is also shown as HTML.
    """
    retry_after = seconds_until_allowed(request, scope)
    if retry_after is None:
        return None
    return too_many_requests(request, retry_after)


def rate_limit(
    scope: str, methods: Collection[str] = ("POST",)
) -> Callable[[ViewFunction], ViewFunction]:
    """Limit a view function's requests with *methods* to the rate of *scope*."""
    rate_for(scope)

    def decorator(view: ViewFunction) -> ViewFunction:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods:
                limited = rate_limited_response(request, scope)
                if limited is not None:
                    return limited
            return view(request, *args, **kwargs)

        return cast(ViewFunction, wrapped)

    return decorator


class RateLimitMixin:
    """Limit a class-based view's requests to the rate of `rate_limit_scope`.

    Only requests whose method is in `rate_limit_methods` count.
    """

    rate_limit_scope: str = ""
    rate_limit_methods: Collection[str] = ("POST",)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.method in self.rate_limit_methods:
            limited = rate_limited_response(request, self.rate_limit_scope)
            if limited is not None:
                return limited
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
