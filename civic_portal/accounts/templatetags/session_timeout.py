"""The idle-session warning dialog that base.html puts on every page."""

from typing import Any

from django import template

from civic_portal.accounts import session_expiry

register = template.Library()


@register.inclusion_tag("accounts/session/timeout_dialog.html", takes_context=True)
def session_timeout_dialog(context: dict[str, Any]) -> dict[str, Any]:
    """Render the dialog for a signed-in user, with the seconds left.

    Renders nothing for anonymous visitors or when idle expiry is off.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return {"show": False}
    if session_expiry.idle_timeout_seconds() <= 0:
        return {"show": False}
    return {
        "show": True,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "remaining_seconds": session_expiry.remaining_seconds(request.session),
        "warning_seconds": session_expiry.warning_seconds(),
    }
