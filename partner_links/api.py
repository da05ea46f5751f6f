"""The partner API: a programme's shareable participation, page by page.

GET /api/health-points/programmes/<id>/participation/?since=&until=&page=
returns the rows of the CSV export. A partner account authenticates with
its DRF token ("Authorization: Token <key>") and reads only the programmes
it is listed on; prefectural staff read every programme. Every request is
logged with its row count.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from civic_portal.accounts.api_authentication import (
    TwoFactorSessionAuthentication,
    TwoFactorTokenAuthentication,
)
from civic_portal.accounts.models import User
from civic_portal.audit.services import Action, record_access
from partner_links import selectors
from partner_links.forms import DateRangeForm
from partner_links.models import ExportLog, PointsProgramme
from partner_links.services import programmes as programme_services
from volunteering.api.views import PortalPagination


class ParticipationSerializer(serializers.Serializer):
    """One confirmed participation; the same fields as the CSV columns."""

    record_id = serializers.IntegerField(
        help_text="Attendance record id; the same in every export of this row."
    )
    membership_id = serializers.CharField(
        help_text="The resident's membership id in the programme."
    )
    activity_date = serializers.DateField(help_text="Day of the activity, Japan time.")
    activity_title = serializers.CharField(help_text="Title of the volunteer post.")
    hours = serializers.CharField(
        help_text="Confirmed hours per person as a decimal number, e.g. 2.5."
    )


@extend_schema(
    parameters=[
        OpenApiParameter(
            "since",
            OpenApiTypes.DATE,
            description="First activity day to include (YYYY-MM-DD).",
        ),
        OpenApiParameter(
            "until",
            OpenApiTypes.DATE,
            description="Last activity day to include (YYYY-MM-DD).",
        ),
    ]
)
class ParticipationListView(generics.ListAPIView):
    """Confirmed participation of consenting residents in one programme."""

    serializer_class = ParticipationSerializer
    # Token first, so a request without credentials gets 401 with a
    # "WWW-Authenticate: Token" header rather than 403.
    authentication_classes = [
        TwoFactorTokenAuthentication,
        TwoFactorSessionAuthentication,
    ]
    pagination_class = PortalPagination
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []
    queryset = PointsProgramme.objects.none()

    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        user = request.user
        assert isinstance(user, User)
        programme = get_object_or_404(PointsProgramme, pk=self.kwargs["pk"])
        if not selectors.can_export(user, programme):
            raise PermissionDenied(_("This account has no access to this programme."))
        form = DateRangeForm(request.query_params, required=False)
        if not form.is_valid():
            raise ValidationError(
                {
                    field: [str(message) for message in errors]
                    for field, errors in form.errors.items()
                }
            )
        since = form.cleaned_data.get("since")
        until = form.cleaned_data.get("until")
        page = self.paginate_queryset(
            selectors.shareable_participation(programme, since=since, until=until)
        )
        rows = list(selectors.participation_rows(page or []))
        record_access(
            request._request,
            [attendance.application.applicant_id for attendance in page or []],
            selectors.EXPORT_REGISTER_FIELDS,
            action=Action.EXPORTED,
            obj=programme,
        )
        programme_services.record_export(
            programme=programme,
            exported_by=user,
            channel=ExportLog.Channel.API,
            since=since,
            until=until,
            row_count=len(rows),
        )
        serializer = self.get_serializer(rows, many=True)
        return self.get_paginated_response(serializer.data)
