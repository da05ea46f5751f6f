"""Registers the indicators API on the portal's router."""

from rest_framework.routers import DefaultRouter

from indicators.api import views, white_paper


def register(router: DefaultRouter) -> None:
    """Add /indicators/, /indicators/<fiscal_year>/ and the white paper to *router*."""
    router.register("indicators", views.IndicatorYearViewSet, basename="indicator")
    router.register(
        "indicators/white-paper",
        white_paper.WhitePaperViewSet,
        basename="indicator-white-paper",
    )
