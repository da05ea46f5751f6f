"""Registers the collaboration app's API viewsets on the portal's router."""

from rest_framework.routers import DefaultRouter


def register(router: DefaultRouter) -> None:
    """Add the collaboration app's viewsets to *router* (one line per area)."""
