"""The partner directory API, for facilitators and centre staff only.

Partners can be listed, read, created and changed; they are deactivated
rather than deleted, so there is no DELETE.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from civic_portal.accounts.models import User
from facilitation.api.permissions import CanUsePartnerDirectory
from facilitation.forms_partners import PartnerFilter
from facilitation.models import Partner
from facilitation.services import partners as partner_services
from groups.models import ActivityField, Municipality
from groups.normalize import clean_phone
from volunteering.api.serializers import ErrorSerializer
from volunteering.api.views import PortalPagination

logger = logging.getLogger(__name__)


class PartnerSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Municipality.objects.all(),
        allow_null=True,
        required=False,
        help_text="Local-government code (5 digits); null for outside Yamaguchi.",
    )
    activity_fields = serializers.SlugRelatedField(
        slug_field="number",
        queryset=ActivityField.objects.all(),
        many=True,
        required=False,
        help_text="Numbers of the NPO Act's fields of activity.",
    )
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Partner
        fields = [
            "id",
            *partner_services.PARTNER_FIELDS,
            "kind_display",
            "activity_fields",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # Partner.clean runs in the service and returns the same messages
        # as the pages, so the model's check constraint is not run here.
        validators: list[Any] = []

    def validate_contact_phone(self, value: str) -> str:
        try:
            return clean_phone(value)
        except ValidationError as error:
            raise serializers.ValidationError(error.messages) from error


def _bad_request(error: ValidationError) -> Response:
    if hasattr(error, "error_dict"):
        return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
    return Response(
        {"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST
    )


_WRITE_RESPONSES = {
    400: OpenApiResponse(ErrorSerializer, description="The input is invalid."),
    403: OpenApiResponse(description="Not a facilitator or centre staff."),
}


@extend_schema_view(
    list=extend_schema(summary="List partners (facilitators and centre staff)"),
    retrieve=extend_schema(summary="One partner with its contact person"),
    create=extend_schema(
        summary="Add a partner", responses={201: PartnerSerializer, **_WRITE_RESPONSES}
    ),
    update=extend_schema(
        summary="Change a partner",
        responses={200: PartnerSerializer, **_WRITE_RESPONSES},
    ),
    partial_update=extend_schema(
        summary="Change some fields of a partner",
        responses={200: PartnerSerializer, **_WRITE_RESPONSES},
    ),
)
class PartnerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PartnerSerializer
    permission_classes = [CanUsePartnerDirectory]
    pagination_class = PortalPagination
    filterset_class = PartnerFilter

    def get_queryset(self) -> QuerySet[Partner]:
        return partner_services.directory()

    def _save(
        self, request: Request, partner: Partner, partial: bool, code: int
    ) -> Response:
        serializer = self.get_serializer(partner, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        activity_fields = data.pop(
            "activity_fields",
            list(partner.activity_fields.all()) if partner.pk else [],
        )
        user = request.user
        assert isinstance(user, User)  # CanUsePartnerDirectory rejects anonymous users.
        try:
            partner = partner_services.save_partner(
                partner=partner, fields=data, activity_fields=activity_fields, user=user
            )
        except ValidationError as error:
            logger.info("API partner save by user %s rejected", user.pk)
            return _bad_request(error)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=partner.pk)).data,
            status=code,
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._save(request, Partner(), False, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        return self._save(request, self.get_object(), partial, status.HTTP_200_OK)
