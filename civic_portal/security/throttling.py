"""API throttles with the page limits' scopes (search, apply, export)."""

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle


class ActionScopedRateThrottle(ScopedRateThrottle):
    """DRF's ScopedRateThrottle, with a scope per viewset action if wanted.

    A view sets `throttle_scope` to count every request against one scope,
    or `throttle_scopes`, a dict from viewset action ("create", "list", ...)
    to scope, to count only those actions. The rates are the scopes'
    entries in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].
    """

    def allow_request(self, request: Request, view: Any) -> bool:
        action_scopes = getattr(view, "throttle_scopes", None)
        if action_scopes is None:
            return super().allow_request(request, view)
        scope = action_scopes.get(getattr(view, "action", None))
        if not scope:
            return True
        self.scope = scope
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return SimpleRateThrottle.allow_request(self, request, view)
