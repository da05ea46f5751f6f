"""Idle expiry of signed-in sessions.

The session stores the time of the user's last request (Unix seconds). A
session idle for longer than SESSION_IDLE_TIMEOUT_SECONDS is logged out
by civic_portal.accounts.middleware.SessionIdleTimeoutMiddleware. Pages
tell the browser how many seconds are left, and session-timeout.js warns
SESSION_IDLE_WARNING_SECONDS before the end.
"""

import time
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

LAST_ACTIVITY_SESSION_KEY = "last_activity"

# Writing the session on every request would cost a database write per
# page, so the stored time moves only once it is this much out of date.
# The remaining time that pages show is counted from the stored time, so
# the browser never expects more time than the server grants.
MAX_WRITE_INTERVAL_SECONDS = 60


def current_time() -> float:
    """Return the time in Unix seconds. Tests replace it with a fixed clock."""
    return time.time()


def idle_timeout_seconds() -> int:
    """Return the idle time after which a session ends (0 turns expiry off)."""
    return int(settings.SESSION_IDLE_TIMEOUT_SECONDS)


def warning_seconds() -> int:
    """Return how long before the end the browser shows the warning."""
    return min(int(settings.SESSION_IDLE_WARNING_SECONDS), idle_timeout_seconds())


def last_activity(session: SessionBase) -> float | None:
    value = session.get(LAST_ACTIVITY_SESSION_KEY)
    return float(value) if isinstance(value, int | float) else None


def is_expired(session: SessionBase, now: float | None = None) -> bool:
    """Tell whether the session has been idle longer than the timeout."""
    timeout = idle_timeout_seconds()
    last = last_activity(session)
    if timeout <= 0 or last is None:
        return False
    now = current_time() if now is None else now
    return now - last > timeout


def record_activity(
    session: SessionBase, now: float | None = None, force: bool = False
) -> None:
    """Store *now* as the last activity, unless the stored time is recent.

    With *force*, store it anyway, as the extend endpoint does.
    """
    now = current_time() if now is None else now
    last = last_activity(session)
    interval = min(MAX_WRITE_INTERVAL_SECONDS, idle_timeout_seconds() // 30)
    if force or last is None or now - last >= interval:
        session[LAST_ACTIVITY_SESSION_KEY] = now


def remaining_seconds(session: SessionBase, now: float | None = None) -> int:
    """Return the whole seconds left before the session ends (never negative)."""
    timeout = idle_timeout_seconds()
    last = last_activity(session)
    now = current_time() if now is None else now
    if last is None:
        return timeout
    return max(0, int(last + timeout - now))


def record_login_activity(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    """Start the idle time at log-in (a receiver of user_logged_in)."""
    if request is not None and hasattr(request, "session"):
        record_activity(request.session, force=True)
