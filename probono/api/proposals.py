"""The proposal API, with the same rules as the pages.

- /api/probono/proposals/: a concierge lists every proposal, proposes a
  worker and withdraws a pending proposal. A worker lists their own
  proposals and accepts or declines them. Other users see an empty list,
  and a proposal they may not read is not found (404).
- /api/probono/requests/<id>/candidates/: the ranked candidates of a
  request with the parts of their match score, for concierges only.
- /api/probono/open-requests/: the open requests for registered workers,
  without the groups' contact details.
- /api/probono/interests/: a worker's interest in open requests (list,
  create, delete). Concierges list every interest.

Rules live in probono.services.proposals, so a refused step gets the same
message as on the pages (400), and a step the user's role may not make
gets 403.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from civic_portal.accounts.models import User
from civic_portal.api_steps import ServiceStepMixin
from probono.models import Interest, ProbonoWorker, Proposal, SupportRequest
from probono.permissions import is_concierge
from probono.services import matching
from probono.services import proposals as proposal_services
from volunteering.api.serializers import ErrorSerializer
from volunteering.api.views import PortalPagination

logger = logging.getLogger(__name__)

# Service error codes that mean "your role may not do this" (403) rather
# than "this input or state is wrong" (400).
FORBIDDEN_CODES = frozenset({"role_not_allowed", "not_your_proposal"})


def _display_name(worker: ProbonoWorker) -> str:
    return worker.user.get_full_name() if worker.user else ""


# --- Serializers -----------------------------------------------------------


class ScorePartSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    points = serializers.IntegerField()
    max_points = serializers.IntegerField()
    reason = serializers.CharField()


class OpenRequestSerializer(serializers.ModelSerializer):
    """A support request as workers see it: no group contact details."""

    skills: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="key", many=True, read_only=True
    )
    municipality = serializers.SerializerMethodField()
    state = serializers.CharField(read_only=True)
    challenge = serializers.CharField(read_only=True)
    work_mode = serializers.CharField(read_only=True)

    class Meta:
        model = SupportRequest
        fields = [
            "id",
            "title",
            "challenge",
            "description",
            "outcome",
            "skills",
            "period_start",
            "period_end",
            "work_mode",
            "municipality",
            "state",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_municipality(self, request: SupportRequest) -> str | None:
        municipality = request.group.municipality
        return str(municipality) if municipality else None


class ProposedRequestSerializer(OpenRequestSerializer):
    """A request as the proposed worker sees it, with the group's name."""

    group_name = serializers.CharField(source="group.name", read_only=True)

    class Meta(OpenRequestSerializer.Meta):
        fields = [*OpenRequestSerializer.Meta.fields, "group_name"]
        read_only_fields = fields


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.EmailField()
    phone = serializers.CharField()


class WorkerProposalSerializer(serializers.ModelSerializer):
    """A proposal as its worker sees it; the contact appears after accepting."""

    request = ProposedRequestSerializer(read_only=True)
    status = serializers.CharField(read_only=True)
    contact = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id",
            "request",
            "message",
            "status",
            "reply_by",
            "reply_note",
            "replied_at",
            "created_at",
            "contact",
        ]
        read_only_fields = fields

    @extend_schema_field(ContactSerializer(allow_null=True))
    def get_contact(self, proposal: Proposal) -> dict[str, str] | None:
        if proposal.status != Proposal.Status.ACCEPTED:
            return None
        request = proposal.request
        return {
            "name": request.contact_name,
            "email": request.contact_email,
            "phone": request.contact_phone,
        }


class ConciergeProposalSerializer(serializers.ModelSerializer):
    """A proposal as concierges see it, with the worker and the score parts."""

    worker_name = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True)
    score_parts = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id",
            "request",
            "worker",
            "worker_name",
            "proposed_by",
            "message",
            "score",
            "score_parts",
            "status",
            "reply_by",
            "reply_note",
            "replied_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_worker_name(self, proposal: Proposal) -> str:
        return _display_name(proposal.worker)

    @extend_schema_field(ScorePartSerializer(many=True))
    def get_score_parts(self, proposal: Proposal) -> Any:
        parts = matching.parts_from_json(proposal.score_parts or {})
        return ScorePartSerializer(parts, many=True).data


class ProposeSerializer(serializers.Serializer):
    request = serializers.PrimaryKeyRelatedField(
        queryset=SupportRequest.objects.all(),
        help_text=_("The id of the support request."),
    )
    worker = serializers.PrimaryKeyRelatedField(
        queryset=ProbonoWorker.objects.all(),
        help_text=_("The id of the pro bono worker to propose."),
    )
    message = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000
    )
    reply_days = serializers.IntegerField(
        required=False,
        default=proposal_services.DEFAULT_REPLY_DAYS,
        min_value=proposal_services.MIN_REPLY_DAYS,
        max_value=proposal_services.MAX_REPLY_DAYS,
        help_text=_("Days the worker has to reply before the proposal lapses."),
    )


class ReplySerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text=_("Optional note to the concierge, such as a reason for declining."),
    )


class CandidateSerializer(serializers.Serializer):
    worker = serializers.IntegerField(source="worker.pk")
    name = serializers.SerializerMethodField()
    profession = serializers.CharField(source="worker.profession")
    score = serializers.IntegerField(source="score.total")
    parts = ScorePartSerializer(source="score.parts", many=True)
    load = serializers.IntegerField()
    max_projects = serializers.IntegerField(source="worker.max_projects")
    interested = serializers.BooleanField()
    interest_note = serializers.CharField()

    def get_name(self, candidate: matching.Candidate) -> str:
        return _display_name(candidate.worker)


class InterestSerializer(serializers.ModelSerializer):
    request = serializers.PrimaryKeyRelatedField(
        queryset=SupportRequest.objects.all(),
        help_text=_("The id of an open support request."),
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000
    )

    class Meta:
        model = Interest
        fields = ["id", "request", "worker", "note", "created_at"]
        read_only_fields = ["id", "worker", "created_at"]


# --- Viewsets --------------------------------------------------------------


# Concierges get ConciergeProposalSerializer, everyone else the worker's view.
PROPOSAL_FOR_ROLE = PolymorphicProxySerializer(
    component_name="ProposalForRole",
    serializers=[ConciergeProposalSerializer, WorkerProposalSerializer],
    resource_type_field_name=None,
)


@extend_schema_view(
    list=extend_schema(
        summary="Proposals: all for a concierge, your own for a worker",
        responses=PolymorphicProxySerializer(
            component_name="ProposalForRole",
            serializers=[ConciergeProposalSerializer, WorkerProposalSerializer],
            resource_type_field_name=None,
            many=True,
        ),
        parameters=[
            OpenApiParameter("request", int, description="Only this request's."),
            OpenApiParameter("status", str, description="Only this status."),
        ],
    ),
    retrieve=extend_schema(
        summary="One proposal you may read", responses=PROPOSAL_FOR_ROLE
    ),
)
class ProposalViewSet(
    ServiceStepMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = PortalPagination
    serializer_class = WorkerProposalSerializer
    queryset = Proposal.objects.none()
    forbidden_codes = FORBIDDEN_CODES

    def _is_concierge(self) -> bool:
        return is_concierge(self.request.user)

    def get_queryset(self) -> QuerySet[Proposal]:
        queryset = Proposal.objects.select_related(
            "worker__user", "request__group__municipality"
        ).prefetch_related("request__skills")
        if not self._is_concierge():
            queryset = queryset.filter(worker__user=self.signed_in_user())
        request_id = self.request.query_params.get("request")
        if request_id and request_id.isdigit():
            queryset = queryset.filter(request_id=int(request_id))
        status_filter = self.request.query_params.get("status")
        if status_filter:
            queryset = queryset.filter(status=status_filter)
        return queryset.order_by("-created_at", "-pk")

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self._is_concierge():
            return ConciergeProposalSerializer
        return WorkerProposalSerializer

    @extend_schema(
        summary="Propose a worker for a support request (concierges only)",
        request=ProposeSerializer,
        responses={
            201: ConciergeProposalSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Refused: see detail."),
            403: OpenApiResponse(description="Not a concierge."),
        },
    )
    def create(self, request: Request) -> Response:
        if not self._is_concierge():
            raise PermissionDenied(_("Only a concierge can propose workers."))
        serializer = ProposeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            proposal = proposal_services.propose(
                data["request"],
                data["worker"],
                self.signed_in_user(),
                message=data["message"],
                reply_days=data["reply_days"],
            )
        except ValidationError as error:
            logger.info("API proposal by user %s rejected", request.user.pk)
            return self.rejection_response(error)
        return self.object_response(proposal.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Withdraw a pending proposal (concierges only)",
        request=None,
        responses={
            200: ConciergeProposalSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Not pending."),
            403: OpenApiResponse(description="Not a concierge."),
        },
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        return self.step_response(
            lambda: proposal_services.withdraw(proposal, self.signed_in_user()),
            proposal.pk,
            rejected_log="API withdrawal of proposal %s rejected",
        )

    @extend_schema(
        summary="Accept a proposal made to you",
        request=ReplySerializer,
        responses={
            200: WorkerProposalSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Refused: see detail."),
            403: OpenApiResponse(description="Not your proposal."),
        },
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        return self._reply(request, proposal_services.accept)

    @extend_schema(
        summary="Decline a proposal made to you, with an optional reason",
        request=ReplySerializer,
        responses={
            200: WorkerProposalSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Not pending."),
            403: OpenApiResponse(description="Not your proposal."),
        },
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        return self._reply(request, proposal_services.decline)

    def _reply(
        self, request: Request, reply: Callable[[Proposal, User, str], Proposal]
    ) -> Response:
        proposal = self.get_object()
        serializer = ReplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = serializer.validated_data["note"]
        return self.step_response(
            lambda: reply(proposal, self.signed_in_user(), note),
            proposal.pk,
            rejected_log="API reply to proposal %s rejected",
            serializer_class=WorkerProposalSerializer,
        )


REQUEST_PK = OpenApiParameter(
    "request_pk", int, OpenApiParameter.PATH, description="The support request's id."
)


@extend_schema_view(
    list=extend_schema(
        summary="Ranked candidates of a support request (concierges only)",
        parameters=[REQUEST_PK],
    )
)
class CandidateViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = PortalPagination
    serializer_class = CandidateSerializer
    # Only for the schema: candidates are ranked in Python, not queried.
    queryset = ProbonoWorker.objects.none()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not is_concierge(request.user):
            raise PermissionDenied(_("Only a concierge can see the candidates."))
        support_request = get_object_or_404(
            SupportRequest.objects.select_related("group"),
            pk=self.kwargs["request_pk"],
        )
        candidates = matching.rank_candidates(support_request)
        logger.info(
            "Concierge %s listed the candidates of request %s",
            request.user.pk,
            support_request.pk,
        )
        page = self.paginate_queryset(candidates)  # type: ignore[arg-type]
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)


def _registered_worker(user: Any, message: str | None = None) -> ProbonoWorker:
    """Return *user*'s registration, or raise PermissionDenied with *message*."""
    worker = (
        ProbonoWorker.objects.filter(user_id=user.pk)
        .exclude(status=ProbonoWorker.Status.DELETED)
        .first()
    )
    if worker is None:
        raise PermissionDenied(
            message or _("Only registered pro bono workers see open requests.")
        )
    return worker


@extend_schema_view(
    list=extend_schema(summary="Open support requests (registered workers only)")
)
class OpenRequestViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = PortalPagination
    serializer_class = OpenRequestSerializer
    queryset = SupportRequest.objects.none()

    def get_queryset(self) -> QuerySet[SupportRequest]:
        _registered_worker(self.request.user)
        return (
            proposal_services.open_requests()
            .select_related("group__municipality")
            .prefetch_related("skills")
            .order_by("-created_at", "-pk")
        )


@extend_schema_view(
    list=extend_schema(
        summary="Interests: all for a concierge, your own for a worker",
        parameters=[
            OpenApiParameter("request", int, description="Only this request's."),
        ],
    ),
    create=extend_schema(
        summary="Say that you are interested in an open request",
        responses={
            201: InterestSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Refused: see detail."),
            403: OpenApiResponse(description="Not a registered pro bono worker."),
        },
    ),
    destroy=extend_schema(summary="Take back your interest"),
)
class InterestViewSet(
    ServiceStepMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = PortalPagination
    serializer_class = InterestSerializer
    queryset = Interest.objects.none()
    forbidden_codes = FORBIDDEN_CODES

    def get_queryset(self) -> QuerySet[Interest]:
        queryset = Interest.objects.all()
        if self.action != "list" or not is_concierge(self.request.user):
            queryset = queryset.filter(worker__user=self.signed_in_user())
        request_id = self.request.query_params.get("request")
        if request_id and request_id.isdigit():
            queryset = queryset.filter(request_id=int(request_id))
        return queryset.order_by("-created_at", "-pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # The role is checked before the body, so a user who is not a worker
        # gets 403 whatever they send. A paused worker gets the service's 400.
        _registered_worker(
            request.user, _("Only active pro bono workers can say they are interested.")
        )
        serializer = InterestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            interest = proposal_services.express_interest(
                serializer.validated_data["request"],
                self.signed_in_user(),
                note=serializer.validated_data["note"],
            )
        except ValidationError as error:
            return self.rejection_response(error)
        return Response(
            InterestSerializer(interest).data, status=status.HTTP_201_CREATED
        )

    def perform_destroy(self, instance: Interest) -> None:
        try:
            proposal_services.withdraw_interest(instance.request, self.signed_in_user())
        except ValidationError as error:
            raise serializers.ValidationError({"detail": error.messages}) from error


def register(router: DefaultRouter) -> None:
    """Add the proposal, candidate, open request and interest viewsets."""
    router.register("probono/proposals", ProposalViewSet, basename="probono-proposal")
    router.register(
        r"probono/requests/(?P<request_pk>[0-9]+)/candidates",
        CandidateViewSet,
        basename="probono-candidate",
    )
    router.register(
        "probono/open-requests", OpenRequestViewSet, basename="probono-open-request"
    )
    router.register("probono/interests", InterestViewSet, basename="probono-interest")
