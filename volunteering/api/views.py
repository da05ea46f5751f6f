"""The volunteering API: public posts and the resident's own applications.

Reading posts needs no login. A resident sees, makes and cancels only
their own applications; another resident's application is not found (404).
Writes go through volunteering.services, so the API keeps the same rules
as the pages.
"""

import logging
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from civic_portal.accounts.models import User
from volunteering import search_cache
from volunteering.filters import PostFilter
from volunteering.models import Application, VolunteerPost, VolunteerSession
from volunteering.services.applications import (
    application_cancel_by_volunteer,
    application_create_for_day,
    application_create_for_session,
)
from volunteering.services.errors import ApplicationError

from .serializers import (
    ApplicationCreateSerializer,
    ApplicationSerializer,
    ErrorSerializer,
    PostSerializer,
)

logger = logging.getLogger(__name__)


class PortalPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def _signed_in_user(request: Request) -> User:
    # The IsAuthenticated permission has already rejected anonymous users.
    assert isinstance(request.user, User)
    return request.user


def _error_response(error: ApplicationError) -> Response:
    return Response({"detail": " ".join(error.messages)}, status=400)


# Filters whose FilterSet methods do not reveal the value's type.
POST_FILTER_PARAMETERS = [
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="From (Japan date)"),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Until (Japan date)"),
    OpenApiParameter("online", OpenApiTypes.BOOL, description="Online only"),
    OpenApiParameter(
        "high_school",
        OpenApiTypes.BOOL,
        description="Suitable for high-school students",
    ),
    OpenApiParameter("has_places", OpenApiTypes.BOOL, description="Free places left"),
]


@extend_schema_view(
    list=extend_schema(
        summary="Search published volunteer posts",
        description="Takes the same filters as the search page.",
        parameters=POST_FILTER_PARAMETERS,
    ),
    retrieve=extend_schema(summary="One published volunteer post"),
)
class PostViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PostSerializer
    filterset_class = PostFilter
    pagination_class = PortalPagination
    permission_classes = [permissions.AllowAny]
    throttle_scope = "search"

    def get_queryset(self) -> QuerySet[VolunteerPost]:
        upcoming = VolunteerSession.objects.upcoming().order_by("starts_at", "pk")
        return (
            VolunteerPost.objects.published()
            .select_related("group", "municipality", "activity_field")
            .prefetch_related(
                Prefetch("sessions", queryset=upcoming, to_attr="upcoming_sessions"),
                "photos",
            )
            .order_by("-published_at", "-pk")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # The page links in the data are absolute, so the key includes the
        # scheme and host. The key is made before any data is read.
        key = search_cache.make_key(
            "api", request.GET, get_language(), request.build_absolute_uri("/")
        )
        data = search_cache.cached(key)
        if data is not None:
            return Response(data)
        response = super().list(request, *args, **kwargs)
        search_cache.store(key, response.data)
        return response

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # The search filters keep only posts with an upcoming session; a
        # post whose sessions have passed can still be looked up by id.
        if self.action == "retrieve":
            return queryset
        return super().filter_queryset(queryset)


@extend_schema_view(
    list=extend_schema(summary="My applications, newest first"),
    retrieve=extend_schema(summary="One of my applications"),
)
class MyApplicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ApplicationSerializer
    pagination_class = PortalPagination
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["status"]
    queryset = Application.objects.none()
    # Counted by civic_portal.security.throttling.ActionScopedRateThrottle.
    throttle_scopes = {"create": "apply"}

    def get_queryset(self) -> QuerySet[Application]:
        return (
            Application.objects.filter(applicant_id=self.request.user.pk)
            .select_related("post__group", "session")
            .order_by("-created_at", "-pk")
        )

    def get_serializer_class(self) -> type[BaseSerializer]:
        if self.action == "create":
            return ApplicationCreateSerializer
        return ApplicationSerializer

    @extend_schema(
        summary="Apply to a session or to a year-round post",
        request=ApplicationCreateSerializer,
        responses={
            201: ApplicationSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="The input is invalid or the rules do not allow "
                "the application (for example, the deadline has passed).",
            ),
        },
    )
    def create(self, request: Request) -> Response:
        serializer = ApplicationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            if data.get("session") is not None:
                application = application_create_for_session(
                    applicant=_signed_in_user(request),
                    session_id=data["session"].pk,
                    party_size=data["party_size"],
                    team_name=data["team_name"],
                    message=data["message"],
                )
            else:
                application = application_create_for_day(
                    applicant=_signed_in_user(request),
                    post_id=data["post"].pk,
                    activity_date=data["activity_date"],
                    party_size=data["party_size"],
                    team_name=data["team_name"],
                    message=data["message"],
                )
        except ApplicationError as error:
            logger.info("API application by user %s rejected", request.user.pk)
            return _error_response(error)
        application = self.get_queryset().get(pk=application.pk)
        return Response(
            ApplicationSerializer(application).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Cancel my application",
        request=None,
        responses={
            200: ApplicationSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="The application is no longer active or the "
                "activity has started.",
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        application = self.get_object()
        try:
            application_cancel_by_volunteer(
                application_id=application.pk, applicant=_signed_in_user(request)
            )
        except ApplicationError as error:
            logger.info("API cancel of application %s rejected", application.pk)
            return _error_response(error)
        application = self.get_queryset().get(pk=application.pk)
        return Response(ApplicationSerializer(application).data)
