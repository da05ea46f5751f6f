"""Registers the worker bank's API viewsets on the portal's router."""

from rest_framework.routers import DefaultRouter

from probono.api import case_studies, projects, proposals, requests, workers


def register(router: DefaultRouter) -> None:
    """Add the worker bank's viewsets to *router* (one line per area)."""
    router.register("probono/workers", workers.WorkerViewSet, basename="probono-worker")
    router.register(
        "probono/requests", requests.SupportRequestViewSet, basename="probono-request"
    )
    case_studies.register(router)
    projects.register(router)
    proposals.register(router)
