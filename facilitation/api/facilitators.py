"""The facilitator API: the roster and appointments to centres.

Only the chief facilitator and prefectural staff may use it, as on the
pages. Appointments go through facilitation.services.facilitators, so a
rejected one (no completed course, the chief outside the prefectural
centre, an overlap) gets the same message with status 400.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from civic_portal.accounts.models import User
from civic_portal.audit.api import AccessLogMixin
from civic_portal.audit.services import USER_EMAIL, USER_NAME
from facilitation.api.permissions import CanManageFacilitators
from facilitation.models import Facilitator, FacilitatorAppointment
from facilitation.services import facilitators as facilitator_services
from groups.models import SupportCentre
from volunteering.api.serializers import ErrorSerializer
from volunteering.api.views import PortalPagination

logger = logging.getLogger(__name__)


class AppointmentSerializer(serializers.ModelSerializer):
    facilitator = serializers.PrimaryKeyRelatedField(
        queryset=Facilitator.objects.select_related("user")
    )
    centre = serializers.PrimaryKeyRelatedField(queryset=SupportCentre.objects.all())
    centre_name = serializers.CharField(source="centre.name", read_only=True)
    ends_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "The last day of the appointment. Leave it out or null if open-ended."
        ),
    )

    class Meta:
        model = FacilitatorAppointment
        fields = ["id", "facilitator", "centre", "centre_name", "starts_on", "ends_on"]
        # The service checks the dates and rules with clear messages.
        validators: list[Any] = []


class EndAppointmentSerializer(serializers.Serializer):
    ends_on = serializers.DateField(help_text=_("The last day of the appointment."))


class FacilitatorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.get_full_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    appointments = AppointmentSerializer(many=True, read_only=True)

    class Meta:
        model = Facilitator
        fields = [
            "id",
            "name",
            "email",
            "kind",
            "kind_display",
            "is_active",
            "appointments",
        ]
        read_only_fields = fields


def _bad_request(error: ValidationError) -> Response:
    if hasattr(error, "error_dict"):
        return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
    return Response(
        {"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST
    )


def _signed_in_user(request: Request) -> User:
    # CanManageFacilitators has already rejected anonymous requests.
    assert isinstance(request.user, User)
    return request.user


@extend_schema_view(
    list=extend_schema(summary="List facilitators with their appointments"),
    retrieve=extend_schema(summary="One facilitator with their appointments"),
)
class FacilitatorViewSet(AccessLogMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = FacilitatorSerializer
    permission_classes = [CanManageFacilitators]
    pagination_class = PortalPagination

    def audit_shown(self, instance: Facilitator) -> dict[int, tuple[str, ...]]:
        fields = (USER_NAME, USER_EMAIL, "facilitation.Facilitator.kind")
        return {instance.user.pk: fields}

    def get_queryset(self) -> QuerySet[Facilitator]:
        return facilitator_services.roster()


class AppointmentFilter(django_filters.FilterSet):
    facilitator = django_filters.NumberFilter(label=_("Facilitator id"))
    centre = django_filters.NumberFilter(label=_("Support centre id"))
    current_on = django_filters.DateFilter(
        label=_("In force on this date"), method="filter_current_on"
    )

    class Meta:
        model = FacilitatorAppointment
        fields = ["facilitator", "centre", "current_on"]

    def filter_current_on(
        self, queryset: QuerySet[FacilitatorAppointment], name: str, value: dt.date
    ) -> QuerySet[FacilitatorAppointment]:
        return queryset.current_on(value)  # type: ignore[attr-defined]


_WRITE_RESPONSES = {
    400: OpenApiResponse(ErrorSerializer, description="The appointment is rejected."),
    403: OpenApiResponse(description="Not the chief facilitator or prefectural staff."),
}


@extend_schema_view(
    list=extend_schema(summary="List appointments of facilitators to centres"),
    retrieve=extend_schema(summary="One appointment"),
    create=extend_schema(
        summary="Appoint a facilitator to a centre",
        responses={201: AppointmentSerializer, **_WRITE_RESPONSES},
    ),
)
class AppointmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AppointmentSerializer
    permission_classes = [CanManageFacilitators]
    pagination_class = PortalPagination
    filterset_class = AppointmentFilter

    def get_queryset(self) -> QuerySet[FacilitatorAppointment]:
        return FacilitatorAppointment.objects.select_related("centre").order_by(
            "-starts_on", "pk"
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = _signed_in_user(request)
        try:
            appointment = facilitator_services.appoint(
                by=user, **serializer.validated_data
            )
        except ValidationError as error:
            logger.info("API appointment by user %s rejected", user.pk)
            return _bad_request(error)
        return Response(
            self.get_serializer(appointment).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Set the last day of an appointment",
        request=EndAppointmentSerializer,
        responses={200: AppointmentSerializer, **_WRITE_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        appointment = self.get_object()
        serializer = EndAppointmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = _signed_in_user(request)
        try:
            appointment = facilitator_services.end_appointment(
                appointment=appointment,
                ends_on=serializer.validated_data["ends_on"],
                by=user,
            )
        except ValidationError as error:
            logger.info(
                "API end of appointment %s by user %s rejected", appointment.pk, user.pk
            )
            return _bad_request(error)
        return Response(self.get_serializer(appointment).data)
