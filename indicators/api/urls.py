"""Registers the indicators API on the portal's router."""

from rest_framework.routers import DefaultRouter

from indicators.api import views


def register(router: DefaultRouter) -> None:
    """Add /indicators/ and /indicators/<fiscal_year>/ to *router*."""
    router.register("indicators", views.IndicatorYearViewSet, basename="indicator")
