"""The endpoint that keeps a signed-in session alive from the warning dialog."""

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import View

from civic_portal.accounts import session_expiry

logger = logging.getLogger(__name__)


class SessionExtendView(View):
    """Restart the idle time of the session (POST, with the CSRF token).

    Returns JSON with the seconds left, or status 401 for an anonymous
    request. A session that ran out is already logged out by the idle
    middleware, so it gets 401 too.
    """

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            detail = _("Your session has ended. Please log in again.")
            return JsonResponse({"detail": detail}, status=401)
        session_expiry.record_activity(request.session, force=True)
        return JsonResponse(
            {
                "remaining_seconds": session_expiry.remaining_seconds(request.session),
                "warning_seconds": session_expiry.warning_seconds(),
            }
        )
