"""The statistics API of the pro bono bank, for concierges and prefectural staff.

GET /api/probono/statistics/?year=2025 returns the figures of the
statistics page for that fiscal year, or for the current one when no
year is given. Anyone else gets 403.
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from civic_portal.fiscal import fiscal_year_of
from probono.services import statistics as stats
from probono.views.statistics import can_see_statistics

logger = logging.getLogger(__name__)


class IsStatisticsReader(permissions.IsAuthenticated):
    """Concierges and prefectural staff."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return super().has_permission(request, view) and can_see_statistics(
            request.user
        )


def _figures(figures: stats.YearStatistics) -> dict[str, Any]:
    return {
        "fiscal_year": figures.year,
        "as_of": figures.as_of,
        "registrants_at_fiscal_year_end": {
            str(year): count for year, count in figures.registrants.items()
        },
        "active_registrants": {
            "inside_prefecture": figures.active_inside,
            "outside_prefecture": figures.active_outside,
            "by_skill": [
                {
                    "skill": row.skill.key,
                    "inside_prefecture": row.inside,
                    "outside_prefecture": row.outside,
                }
                for row in figures.skills
            ],
        },
        "requests_by_state": figures.requests_by_state,
        "median_days_by_state": [
            {"state": row.state, "steps": row.steps, "median_days": row.median_days}
            for row in figures.median_days
        ],
        "hours": {
            "total_hours": str(figures.total_hours),
            "total_estimated_value_yen": str(figures.total_value),
            "by_skill": [
                {
                    "skill": row.skill.key,
                    "hours": str(row.hours),
                    "hourly_value_yen": row.skill.hourly_value,
                    "estimated_value_yen": str(row.value),
                }
                for row in figures.hours
            ],
        },
        "case_studies_published": {
            "in_fiscal_year": figures.case_studies_in_year,
            "by_fiscal_year_end": figures.case_studies_total,
        },
    }


class StatisticsViewSet(viewsets.ViewSet):
    permission_classes = [IsStatisticsReader]

    @extend_schema(
        summary="Pro bono statistics of one fiscal year (staff only)",
        parameters=[
            OpenApiParameter(
                "year",
                int,
                description=_(
                    "The fiscal year, such as 2025. Default: the current one."
                ),
            )
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def list(self, request: Request) -> Response:
        now = timezone.now()
        years = stats.available_years(now)
        raw_year = request.query_params.get("year")
        year = fiscal_year_of(now)
        if raw_year is not None:
            if not raw_year.isdigit() or int(raw_year) not in years:
                raise ValidationError(
                    {
                        "year": [
                            _(
                                "Invalid fiscal year %(year)s: choose one from "
                                "%(first)s to %(last)s."
                            )
                            % {"year": raw_year, "first": years[0], "last": years[-1]}
                        ]
                    }
                )
            year = int(raw_year)
        figures = stats.year_statistics(year, years[0], now)
        return Response(_figures(figures))
