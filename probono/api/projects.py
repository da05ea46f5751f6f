"""The project workspace API, with the same rules as the workspace page.

Each list sits under its request, for example
/api/probono/requests/<id>/messages/. Only participants read and write:
the group's staff, the team members and concierges. Anyone else gets
404 for the request. A participant whose role may not make a change gets 403,
and bad input or a request in the wrong state gets 400 with the message.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from civic_portal.accounts.models import User
from probono.models import (
    Evaluation,
    Milestone,
    ProgressNote,
    ProjectMessage,
    Skill,
    SupportRequest,
    WorkLog,
)
from probono.services import projects
from probono.services.projects import ProjectAccess
from volunteering.api.serializers import ErrorSerializer
from volunteering.api.views import PortalPagination

logger = logging.getLogger(__name__)

REQUEST_ID = OpenApiParameter(
    "request_pk",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description="The id of the support request.",
)
WRITE_RESPONSES = {
    400: OpenApiResponse(ErrorSerializer, description="The input is invalid."),
    403: OpenApiResponse(description="Your role may not make this change."),
    404: OpenApiResponse(description="Not a project you take part in."),
}


@extend_schema_field(OpenApiTypes.STR)
class ParticipantNameField(serializers.Field):
    """A user's display name, never their e-mail address."""

    def to_representation(self, value: User | None) -> str:
        return projects.display_name(value)


class MessageSerializer(serializers.ModelSerializer):
    author_name = ParticipantNameField(source="author", read_only=True)

    class Meta:
        model = ProjectMessage
        fields = ["id", "author_name", "body", "created_at"]
        read_only_fields = ["id", "author_name", "created_at"]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due_on", "done_on", "check_sent_at", "created_at"]
        read_only_fields = ["id", "done_on", "check_sent_at", "created_at"]


class MilestoneDoneSerializer(serializers.Serializer):
    done_on = serializers.DateField(
        required=False, allow_null=True, help_text="The day reached; today if empty."
    )


class ProgressNoteSerializer(serializers.ModelSerializer):
    author_name = ParticipantNameField(source="author", read_only=True)

    class Meta:
        model = ProgressNote
        fields = ["id", "author_name", "body", "created_at"]
        read_only_fields = ["id", "author_name", "created_at"]


class WorkLogSerializer(serializers.ModelSerializer):
    worker_name = ParticipantNameField(source="worker.user", read_only=True)
    skill = serializers.SlugRelatedField(slug_field="key", queryset=Skill.objects.all())
    hours = serializers.DecimalField(max_digits=6, decimal_places=1)

    class Meta:
        model = WorkLog
        fields = ["id", "worker_name", "skill", "hours", "worked_on", "created_at"]
        read_only_fields = ["id", "worker_name", "created_at"]


class EvaluationSerializer(serializers.ModelSerializer):
    worker_name = serializers.SerializerMethodField()
    rating = serializers.IntegerField()

    class Meta:
        model = Evaluation
        fields = ["id", "party", "worker_name", "rating", "comment", "created_at"]
        read_only_fields = ["id", "worker_name", "created_at"]

    def get_worker_name(self, evaluation: Evaluation) -> str | None:
        if evaluation.worker is None:
            return None
        return projects.worker_name(evaluation.worker)


def _bad_request(error: ValidationError) -> Response:
    if getattr(error, "code", None) == "role_not_allowed":
        raise PermissionDenied(" ".join(error.messages))
    if hasattr(error, "error_dict"):
        return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
    return Response(
        {"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST
    )


class ProjectViewSet(viewsets.GenericViewSet):
    """Base of the workspace viewsets: finds the project and the user's access."""

    permission_classes = [permissions.IsAuthenticated]
    pagination_class = PortalPagination

    def project(self) -> tuple[SupportRequest, ProjectAccess]:
        if not hasattr(self, "_project"):
            support_request = (
                SupportRequest.objects.select_related("group", "concierge")
                .filter(pk=self.kwargs["request_pk"])
                .first()
            )
            if support_request is None:
                raise NotFound
            access = projects.access_of(self.request.user, support_request)
            if not access.can_take_part:
                logger.info(
                    "API: user %s denied the project of request %s",
                    self.request.user.pk,
                    support_request.pk,
                )
                raise NotFound
            self._project = (support_request, access)
        return self._project

    def user(self) -> User:
        # IsAuthenticated has already rejected anonymous requests.
        assert isinstance(self.request.user, User)
        return self.request.user

    def created(self, instance: Any) -> Response:
        serializer = self.get_serializer(instance)
        return Response(serializer.data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[REQUEST_ID])
class MessageViewSet(mixins.ListModelMixin, ProjectViewSet):
    serializer_class = MessageSerializer
    queryset = ProjectMessage.objects.none()

    def get_queryset(self) -> QuerySet[ProjectMessage]:
        support_request, _access = self.project()
        return support_request.messages.select_related("author").order_by(
            "created_at", "pk"
        )

    @extend_schema(
        summary="Post a message to the project's thread",
        responses={201: MessageSerializer, **WRITE_RESPONSES},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        support_request, _access = self.project()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            message = projects.post_message(
                support_request, self.user(), serializer.validated_data["body"]
            )
        except ValidationError as error:
            return _bad_request(error)
        return self.created(message)


@extend_schema(parameters=[REQUEST_ID])
class MilestoneViewSet(mixins.ListModelMixin, ProjectViewSet):
    serializer_class = MilestoneSerializer
    queryset = Milestone.objects.none()

    def get_queryset(self) -> QuerySet[Milestone]:
        support_request, _access = self.project()
        return support_request.milestones.order_by("due_on", "pk")

    @extend_schema(
        summary="Add a milestone (concierge or group staff)",
        responses={201: MilestoneSerializer, **WRITE_RESPONSES},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        support_request, _access = self.project()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            milestone = projects.add_milestone(
                support_request, self.user(), **serializer.validated_data
            )
        except ValidationError as error:
            return _bad_request(error)
        return self.created(milestone)

    @extend_schema(
        summary="Mark a milestone done (concierge or group staff)",
        request=MilestoneDoneSerializer,
        responses={200: MilestoneSerializer, **WRITE_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def done(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        support_request, _access = self.project()
        milestone = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        milestone.request = support_request
        serializer = MilestoneDoneSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            projects.mark_done(
                milestone, self.user(), serializer.validated_data.get("done_on")
            )
        except ValidationError as error:
            return _bad_request(error)
        return Response(MilestoneSerializer(milestone).data)


@extend_schema(parameters=[REQUEST_ID])
class ProgressNoteViewSet(mixins.ListModelMixin, ProjectViewSet):
    serializer_class = ProgressNoteSerializer
    queryset = ProgressNote.objects.none()

    def get_queryset(self) -> QuerySet[ProgressNote]:
        support_request, _access = self.project()
        return support_request.progress_notes.select_related("author").order_by(
            "-created_at", "-pk"
        )

    @extend_schema(
        summary="Add a progress note",
        responses={201: ProgressNoteSerializer, **WRITE_RESPONSES},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        support_request, _access = self.project()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            note = projects.add_progress_note(
                support_request, self.user(), serializer.validated_data["body"]
            )
        except ValidationError as error:
            return _bad_request(error)
        return self.created(note)


@extend_schema(parameters=[REQUEST_ID])
class WorkLogViewSet(mixins.ListModelMixin, ProjectViewSet):
    serializer_class = WorkLogSerializer
    queryset = WorkLog.objects.none()

    def get_queryset(self) -> QuerySet[WorkLog]:
        support_request, _access = self.project()
        return support_request.work_logs.select_related(
            "worker__user", "skill"
        ).order_by("-created_at", "-pk")

    @extend_schema(
        summary="Log your own hours (team members)",
        responses={201: WorkLogSerializer, **WRITE_RESPONSES},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        support_request, _access = self.project()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            work_log = projects.log_hours(
                support_request, self.user(), **serializer.validated_data
            )
        except ValidationError as error:
            return _bad_request(error)
        return self.created(work_log)


@extend_schema(parameters=[REQUEST_ID])
class EvaluationViewSet(mixins.ListModelMixin, ProjectViewSet):
    serializer_class = EvaluationSerializer
    queryset = Evaluation.objects.none()

    def get_queryset(self) -> QuerySet[Evaluation]:
        support_request, _access = self.project()
        return support_request.evaluations.select_related("worker__user").order_by(
            "created_at", "pk"
        )

    @extend_schema(
        summary="Evaluate a delivered project for your group or as a worker",
        responses={201: EvaluationSerializer, **WRITE_RESPONSES},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        support_request, _access = self.project()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            evaluation = projects.evaluate(
                support_request, self.user(), **serializer.validated_data
            )
        except ValidationError as error:
            return _bad_request(error)
        return self.created(evaluation)


def register(router: DefaultRouter) -> None:
    """Add the workspace viewsets under /probono/requests/<id>/."""
    prefix = r"probono/requests/(?P<request_pk>[0-9]+)"
    for path, viewset, name in (
        ("messages", MessageViewSet, "message"),
        ("milestones", MilestoneViewSet, "milestone"),
        ("progress-notes", ProgressNoteViewSet, "progress-note"),
        ("work-logs", WorkLogViewSet, "work-log"),
        ("evaluations", EvaluationViewSet, "evaluation"),
    ):
        router.register(f"{prefix}/{path}", viewset, basename=f"probono-project-{name}")
