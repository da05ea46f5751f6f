"""The support request API, with the same rules as the pages.

Group staff list their groups' requests and file new ones for a public
group they are staff of; a concierge lists every request. A request the
user may not read is not found (404). Transitions go through
probono.services.workflow, so a refused one gets the same message (400).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from civic_portal.accounts.forms import NormalizedEmailField
from civic_portal.api_steps import ServiceStepMixin, rejection_response
from groups.models import CivicGroup
from probono.models import RequestEvent, RequestState, Skill, SupportRequest
from probono.services import requests as request_services
from probono.services import workflow
from volunteering.api.serializers import ErrorSerializer, GroupSummarySerializer
from volunteering.api.views import PortalPagination

logger = logging.getLogger(__name__)


class RequestEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequestEvent
        fields = ["from_state", "to_state", "actor", "note", "created_at"]
        read_only_fields = fields


class SupportRequestSerializer(serializers.ModelSerializer):
    group = GroupSummarySerializer(read_only=True)
    skills: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="key", many=True, read_only=True
    )
    events = RequestEventSerializer(many=True, read_only=True)

    class Meta:
        model = SupportRequest
        fields = [
            "id",
            "group",
            "title",
            "challenge",
            "description",
            "outcome",
            "skills",
            "period_start",
            "period_end",
            "work_mode",
            "contact_name",
            "contact_email",
            "contact_phone",
            "state",
            "state_changed_at",
            "resume_state",
            "concierge",
            "cancel_reason",
            "created_at",
            "events",
        ]
        read_only_fields = fields


class NormalizedEmailSerializerField(serializers.EmailField):
    def to_internal_value(self, data: Any) -> str:
        return super().to_internal_value(NormalizedEmailField().to_python(str(data)))


class SupportRequestWriteSerializer(serializers.ModelSerializer):
    group = serializers.PrimaryKeyRelatedField(
        queryset=CivicGroup.objects.all(),
        help_text=_("The id of a public group you are staff of."),
    )
    skills = serializers.SlugRelatedField(
        slug_field="key",
        queryset=Skill.objects.all(),
        many=True,
        help_text=_("Keys of the skill areas needed, at least one."),
    )
    contact_email = NormalizedEmailSerializerField()

    class Meta:
        model = SupportRequest
        fields = [
            "group",
            "title",
            "challenge",
            "description",
            "outcome",
            "skills",
            "period_start",
            "period_end",
            "work_mode",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]
        # The service checks the period with a clear message, so the
        # model's check constraint is not run here.
        validators: list[Any] = []


class TransitionSerializer(serializers.Serializer):
    to_state = serializers.ChoiceField(choices=RequestState.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_view(
    list=extend_schema(summary="Support requests you may read"),
    retrieve=extend_schema(summary="One support request with its history"),
    create=extend_schema(
        summary="File a support request for one of your public groups",
        request=SupportRequestWriteSerializer,
        responses={
            201: SupportRequestSerializer,
            400: OpenApiResponse(ErrorSerializer, description="The input is invalid."),
            403: OpenApiResponse(description="Not staff of a public group."),
        },
    ),
)
class SupportRequestViewSet(
    ServiceStepMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = SupportRequestSerializer
    pagination_class = PortalPagination
    permission_classes = [permissions.IsAuthenticated]
    queryset = SupportRequest.objects.none()
    forbidden_codes = frozenset({"role_not_allowed"})

    def get_queryset(self) -> QuerySet[SupportRequest]:
        return (
            request_services.visible_to(self.request.user)
            .select_related("group")
            .prefetch_related("skills", "events")
            .order_by("-created_at", "-pk")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = self.signed_in_user()
        # Permission comes before validation, so that a user who may file
        # for no group learns nothing about the fields from a 400.
        if not CivicGroup.objects.public().managed_by(user).exists():
            logger.info(
                "API request filing by user %s denied: no public group", user.pk
            )
            raise PermissionDenied(
                _("Only the staff of a public group can file a support request for it.")
            )
        serializer = SupportRequestWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        group = data.pop("group")
        skills = data.pop("skills")
        if not group.is_public or not group.is_staff_member(user):
            logger.info(
                "API request filing for group %s by user %s denied", group.pk, user.pk
            )
            raise PermissionDenied(
                _("Only the staff of a public group can file a support request for it.")
            )
        try:
            support_request = request_services.file_request(
                user=user, group=group, skills=skills, **data
            )
        except ValidationError as error:
            logger.info("API request filing by user %s rejected", user.pk)
            return rejection_response(error)
        return self.object_response(support_request.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Move a support request to another state",
        request=TransitionSerializer,
        responses={
            200: SupportRequestSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="The transition is not allowed."
            ),
            403: OpenApiResponse(description="Your role may not make it."),
            404: OpenApiResponse(description="Not a request you may read."),
        },
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        support_request = self.get_object()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return self.step_response(
            lambda: workflow.transition(
                support_request,
                data["to_state"],
                self.signed_in_user(),
                note=data["note"],
            ),
            support_request.pk,
            rejected_log="API transition of request %s rejected",
        )
