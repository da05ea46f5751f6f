"""Registers the registry's API viewsets on the portal's router."""

from rest_framework.routers import DefaultRouter

from groups.api import centres, directory, events


def register(router: DefaultRouter) -> None:
    """Add the registry's viewsets to *router* (one line per area)."""
    router.register("groups", directory.GroupViewSet, basename="group")
    router.register("centres", centres.CentreViewSet, basename="centre")
    router.register("events", events.EventViewSet, basename="event")
    router.register("grants", events.GrantViewSet, basename="grant")
