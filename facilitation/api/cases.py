"""The collaboration case API, with the same rules as the pages.

A signed-in user lists and reads the cases they may read (see
facilitation.services.cases); any other case is not found (404). Opening
a case, moving its stage and adding notes go through the same services,
so a refused step gets the same message: 403 for a missing role, 400 for
a rule of the case.
"""

from __future__ import annotations

import logging
from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from civic_portal.api_steps import ServiceStepMixin
from facilitation.models import (
    CaseNote,
    CaseParty,
    CaseStage,
    CaseStageChange,
    CollaborationCase,
    PrincipleAnswer,
)
from facilitation.services import cases as case_services
from groups.models import SupportCentre
from volunteering.api.serializers import ErrorSerializer
from volunteering.api.views import PortalPagination

logger = logging.getLogger(__name__)

# Service error codes that mean "your role may not do this" (403).
ROLE_CODES = frozenset({"not_case_manager", "not_case_facilitator", "not_facilitator"})


class PrincipleAnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = PrincipleAnswer
        fields = ["principle", "agrees", "comment", "recorded_at"]
        read_only_fields = fields


class CasePartySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    principle_answers = PrincipleAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = CaseParty
        fields = [
            "id",
            "name",
            "group",
            "partner",
            "role",
            "contribution",
            "outcome",
            "principle_answers",
        ]
        read_only_fields = fields


class StageChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseStageChange
        fields = ["from_stage", "to_stage", "actor", "note", "created_at"]
        read_only_fields = fields


class CaseNoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseNote
        fields = ["id", "held_on", "body", "author", "created_at"]
        read_only_fields = ["id", "author", "created_at"]


class CaseSerializer(serializers.ModelSerializer):
    parties = CasePartySerializer(many=True, read_only=True)
    stage_changes = StageChangeSerializer(many=True, read_only=True)
    notes = CaseNoteSerializer(many=True, read_only=True)

    class Meta:
        model = CollaborationCase
        fields = [
            "id",
            "centre",
            "facilitator",
            "title",
            "shared_goal",
            "stage",
            "stage_changed_at",
            "discontinued_reason",
            "next_steps",
            "created_at",
            "updated_at",
            "parties",
            "notes",
            "stage_changes",
        ]
        read_only_fields = fields


class CaseOpenSerializer(serializers.Serializer):
    centre = serializers.PrimaryKeyRelatedField(
        queryset=SupportCentre.objects.all(),
        help_text=_("The id of a centre you are appointed to today."),
    )
    title = serializers.CharField(max_length=200)
    shared_goal = serializers.CharField()
    next_steps = serializers.CharField(required=False, allow_blank=True, default="")


class StageSerializer(serializers.Serializer):
    to_stage = serializers.ChoiceField(choices=CaseStage.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CaseFilter(django_filters.FilterSet):
    # An unknown stage is a 400 with the valid choices, not an unfiltered list.
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=CaseStage.choices)

    class Meta:
        model = CollaborationCase
        fields = ["stage"]


@extend_schema_view(
    list=extend_schema(summary="Collaboration cases you may read"),
    retrieve=extend_schema(summary="One case with parties, notes and history"),
    create=extend_schema(
        summary="Open a collaboration case at one of your centres",
        request=CaseOpenSerializer,
        responses={
            201: CaseSerializer,
            400: OpenApiResponse(ErrorSerializer, description="The input is invalid."),
            403: OpenApiResponse(description="Not a facilitator."),
        },
    ),
)
class CaseViewSet(
    ServiceStepMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CaseSerializer
    pagination_class = PortalPagination
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = CaseFilter
    queryset = CollaborationCase.objects.none()
    forbidden_codes = ROLE_CODES

    def get_queryset(self) -> QuerySet[CollaborationCase]:
        return (
            case_services.visible_cases(self.request.user)
            .prefetch_related(
                "parties__group",
                "parties__partner",
                "parties__principle_answers",
                "notes",
                "stage_changes",
            )
            .order_by("-created_at", "-pk")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = CaseOpenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = self.signed_in_user()
        try:
            case = case_services.open_case(user=user, **serializer.validated_data)
        except ValidationError as error:
            logger.info("API case opening by user %s rejected", user.pk)
            return self.rejection_response(error)
        return self.object_response(case.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Move a case to another stage",
        request=StageSerializer,
        responses={
            200: CaseSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="The step is not allowed."
            ),
            403: OpenApiResponse(description="You may not manage this case."),
            404: OpenApiResponse(description="Not a case you may read."),
        },
    )
    @action(detail=True, methods=["post"])
    def stage(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        serializer = StageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return self.step_response(
            lambda: case_services.transition(
                case, data["to_stage"], self.signed_in_user(), note=data["note"]
            ),
            case.pk,
            rejected_log="API stage change of case %s rejected",
        )

    @extend_schema(
        summary="Add dated meeting notes to a case",
        request=CaseNoteSerializer,
        responses={
            201: CaseNoteSerializer,
            400: OpenApiResponse(ErrorSerializer, description="The input is invalid."),
            403: OpenApiResponse(description="You may not add notes to this case."),
            404: OpenApiResponse(description="Not a case you may read."),
        },
    )
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        serializer = CaseNoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            note = case_services.add_note(
                case,
                self.signed_in_user(),
                held_on=serializer.validated_data["held_on"],
                body=serializer.validated_data["body"],
            )
        except ValidationError as error:
            logger.info("API note on case %s rejected", case.pk)
            return self.rejection_response(error)
        return Response(CaseNoteSerializer(note).data, status=status.HTTP_201_CREATED)
