"""Registers the collaboration app's API viewsets on the portal's router."""

from rest_framework.routers import DefaultRouter

from facilitation.api import (
    cases,
    examples,
    facilitators,
    meetings,
    partners,
    recognitions,
)


def register(router: DefaultRouter) -> None:
    """Add the collaboration app's viewsets to *router* (one line per area)."""
    router.register(
        "facilitation/partners",
        partners.PartnerViewSet,
        basename="facilitation-partner",
    )
    router.register(
        "facilitation/recognitions",
        recognitions.RecognitionViewSet,
        basename="facilitation-recognition",
    )
    router.register(
        "facilitation/historical-recognition-totals",
        recognitions.HistoricalTotalViewSet,
        basename="facilitation-historical-total",
    )
    router.register(
        "facilitation/facilitators",
        facilitators.FacilitatorViewSet,
        basename="facilitation-facilitator",
    )
    router.register(
        "facilitation/appointments",
        facilitators.AppointmentViewSet,
        basename="facilitation-appointment",
    )
    router.register(
        "facilitation/cases", cases.CaseViewSet, basename="facilitation-case"
    )
    router.register(
        "facilitation/meetings",
        meetings.MeetingViewSet,
        basename="facilitation-meeting",
    )
    router.register(
        "facilitation/action-items",
        meetings.ActionItemViewSet,
        basename="facilitation-action-item",
    )
    router.register(
        "facilitation/examples",
        examples.ExampleViewSet,
        basename="facilitation-example",
    )
