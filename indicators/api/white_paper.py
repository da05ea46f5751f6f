"""The white paper's tables as JSON, for prefectural staff only.

The white paper is staff-only, although most of its figures are public
elsewhere. Its collaboration tables count cases that only facilitators and
centre staff may see, and the pro bono tables count support requests by
workflow state, which the portal shows only to the concierge and staff.
The public indicator figures stay available at /api/indicators/<year>/.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from groups.permissions import is_prefectural_staff
from indicators.services import white_paper
from indicators.services.summary import shown_years

from .serializers import IndicatorYearSerializer


class IsPrefecturalStaff(permissions.BasePermission):
    message = _("Only prefectural staff may read the white paper.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_prefectural_staff(request.user)


class WhitePaperTableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.SerializerMethodField(
        help_text=_("One list of cells per row. Numbers are JSON numbers.")
    )
    note = serializers.CharField()

    def get_rows(self, table: white_paper.Table) -> list[list[Any]]:
        return [[white_paper.cell_as_json(cell) for cell in row] for row in table.rows]


class PillarSectionSerializer(serializers.Serializer):
    pillar = serializers.IntegerField()
    title = serializers.CharField()
    indicators = serializers.SerializerMethodField(
        help_text=_("The keys of the indicators of this pillar.")
    )
    tables = WhitePaperTableSerializer(many=True)

    def get_indicators(self, section: white_paper.PillarSection) -> list[str]:
        return [row.indicator.key for row in section.indicators]


class WhitePaperSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField()
    fiscal_year_label = serializers.CharField(source="label")
    frozen = serializers.BooleanField(source="is_frozen")
    generated_at = serializers.DateTimeField()
    indicators = IndicatorYearSerializer(many=True)
    indicator_table = WhitePaperTableSerializer()
    sections = PillarSectionSerializer(many=True)


class WhitePaperViewSet(viewsets.ViewSet):
    """The tables of the white paper of a fiscal year."""

    lookup_field = "fiscal_year"
    lookup_value_regex = r"\d{4}"
    permission_classes = [IsPrefecturalStaff]

    @extend_schema(responses=WhitePaperSerializer)
    def retrieve(self, request: Request, fiscal_year: str) -> Response:
        """Return the indicator table and each pillar's tables of a fiscal year."""
        year = int(fiscal_year)
        if year not in shown_years():
            raise Http404(_("No indicator figures exist for this fiscal year."))
        paper = white_paper.gather(year)
        return Response(WhitePaperSerializer(paper).data)
