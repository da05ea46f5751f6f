"""The API router: detail routes take digits only for integer keys."""

from typing import Any

from rest_framework.routers import DefaultRouter


class PortalRouter(DefaultRouter):
    """A DefaultRouter whose detail routes match only digits by default.

    Every model here has an integer primary key. Without this, a key such
    as "abc" reaches a queryset filter on an integer field, which raises
    and returns 500; now it matches no route and returns 404. A viewset
    with another key sets lookup_value_regex, which is kept.
    """

    def get_lookup_regex(self, viewset: Any, lookup_prefix: str = "") -> str:
        if hasattr(viewset, "lookup_value_regex"):
            return super().get_lookup_regex(viewset, lookup_prefix)
        lookup = getattr(viewset, "lookup_url_kwarg", None) or getattr(
            viewset, "lookup_field", "pk"
        )
        return f"(?P<{lookup_prefix}{lookup}>[0-9]+)"
