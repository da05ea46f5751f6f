"""The indicators API: public figures per fiscal year, staff freeze and compare.

Anyone may read the definitions and a year's figures. Freezing a year and
comparing it with a recompute are for prefectural staff; other users get 403.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from civic_portal.accounts.models import User
from civic_portal.fiscal import fiscal_year_label
from groups.permissions import is_prefectural_staff
from indicators.definitions import all_indicators
from indicators.services import snapshots
from indicators.services.summary import shown_years, year_summary

from .serializers import (
    ComparisonSerializer,
    DefinitionSerializer,
    FiscalYearSerializer,
    FreezeSerializer,
)

logger = logging.getLogger(__name__)


class IsPrefecturalStaff(permissions.BasePermission):
    message = _("Only prefectural staff may freeze or compare a fiscal year.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_prefectural_staff(request.user)


def _fiscal_year(text: str) -> int:
    year = int(text)
    if year not in shown_years():
        raise Http404(_("No indicator figures exist for this fiscal year."))
    return year


def _year_payload(fiscal_year: int) -> dict:
    rows = year_summary(fiscal_year)
    return {
        "fiscal_year": fiscal_year,
        "fiscal_year_label": fiscal_year_label(fiscal_year),
        "frozen": any(row.is_frozen for row in rows),
        "indicators": rows,
    }


class IndicatorYearViewSet(viewsets.ViewSet):
    """The six indicators: definitions, and the figures of each fiscal year."""

    lookup_field = "fiscal_year"
    lookup_value_regex = r"\d{4}"
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=DefinitionSerializer(many=True))
    def list(self, request: Request) -> Response:
        """List the six indicators with baseline, target, rule and definition."""
        indicators = list(all_indicators().values())
        return Response(DefinitionSerializer(indicators, many=True).data)

    @extend_schema(responses=FiscalYearSerializer)
    def retrieve(self, request: Request, fiscal_year: str) -> Response:
        """Return the six indicators of a fiscal year with progress and on-track."""
        year = _fiscal_year(fiscal_year)
        return Response(FiscalYearSerializer(_year_payload(year)).data)

    @extend_schema(
        request=FreezeSerializer,
        responses={
            200: FiscalYearSerializer,
            400: OpenApiResponse(
                description=_(
                    "The confirmation is missing, or the year has not ended or "
                    "is frozen already."
                )
            ),
        },
    )
    @action(detail=True, methods=["post"], permission_classes=[IsPrefecturalStaff])
    def freeze(self, request: Request, fiscal_year: str) -> Response:
        """Freeze a fiscal year's figures and record who froze them and when."""
        year = _fiscal_year(fiscal_year)
        confirmation = FreezeSerializer(data=request.data)
        confirmation.is_valid(raise_exception=True)
        assert isinstance(request.user, User)
        try:
            snapshots.freeze_year(year, request.user)
        except ValidationError as error:
            logger.info(
                "Freeze of fiscal %s by user %s rejected: %s",
                year,
                request.user.pk,
                error.messages,
            )
            return Response(
                {"detail": " ".join(error.messages)},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(FiscalYearSerializer(_year_payload(year)).data)

    @extend_schema(responses=ComparisonSerializer(many=True))
    @action(detail=True, methods=["get"], permission_classes=[IsPrefecturalStaff])
    def compare(self, request: Request, fiscal_year: str) -> Response:
        """Set each stored value beside a recompute from today's data."""
        year = _fiscal_year(fiscal_year)
        comparisons = snapshots.compare_year(year)
        return Response(ComparisonSerializer(comparisons, many=True).data)
