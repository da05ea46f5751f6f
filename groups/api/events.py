"""The events and grant notices API.

Reading needs no login: the event list has the upcoming published events
of public groups, and the grant list the published notices, open ones
first, with the same filters as the pages. Staff of a group create, edit,
publish and cancel that group's events. Creating an event for another
group is forbidden (403), and another group's event is not found (404)
for every write. Writes go through groups.services.events, so the API
keeps the same rules as the pages.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from civic_portal.accounts.models import User
from groups import selectors_events as selectors
from groups.filters_events import EventFilter, GrantFilter, order_by_deadline
from groups.models import ActivityField, CivicGroup, Event, GrantNotice, Municipality
from groups.permissions import can_edit
from groups.services import events as services
from volunteering.api.serializers import (
    ActivityFieldSerializer,
    ErrorSerializer,
    GroupSummarySerializer,
    MunicipalitySerializer,
)
from volunteering.api.views import PortalPagination

logger = logging.getLogger(__name__)

WRITE_ACTIONS = ("create", "update", "partial_update", "publish", "cancel")


class EventSerializer(serializers.ModelSerializer):
    group = GroupSummarySerializer(read_only=True)
    municipality = MunicipalitySerializer(read_only=True)
    activity_fields = ActivityFieldSerializer(many=True, read_only=True)

    class Meta:
        model = Event
        fields = ["id", "group", *services.EVENT_FIELDS, "activity_fields", "status"]
        read_only_fields = fields


class EventWriteSerializer(serializers.ModelSerializer):
    """The fields staff send; the group is set on creation only."""

    group = serializers.PrimaryKeyRelatedField(
        queryset=CivicGroup.objects.all(),
        help_text=_("The id of a group you are staff of. Ignored on updates."),
    )
    municipality = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Municipality.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Five-digit local-government code."),
    )
    activity_fields = serializers.SlugRelatedField(
        slug_field="number",
        queryset=ActivityField.objects.all(),
        many=True,
        required=False,
        help_text=_("Numbers of the activity fields (1 to 20)."),
    )

    class Meta:
        model = Event
        fields = ["group", *services.EVENT_FIELDS, "activity_fields"]
        # The services check the rule across start and end with a clear
        # message, so the model's check constraint is not run here.
        validators: list[Any] = []


class GrantSerializer(serializers.ModelSerializer):
    eligible_fields = ActivityFieldSerializer(many=True, read_only=True)
    is_closed = serializers.BooleanField(
        read_only=True, help_text=_("The application deadline has passed.")
    )

    class Meta:
        model = GrantNotice
        fields = [
            "id",
            "title",
            "funder",
            "amount",
            "max_amount",
            "deadline",
            "is_closed",
            "eligible_fields",
            "description",
            "url",
        ]


def _signed_in_user(request: Request) -> User:
    # The IsAuthenticatedOrReadOnly permission has already rejected
    # anonymous writes.
    assert isinstance(request.user, User)
    return request.user


def _bad_request(error: ValidationError) -> Response:
    if hasattr(error, "error_dict"):
        return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
    return Response(
        {"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST
    )


EVENT_FILTER_PARAMETERS = [
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="From (Japan date)"),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Until (Japan date)"),
    OpenApiParameter("online", OpenApiTypes.BOOL, description="Online only"),
    OpenApiParameter("free", OpenApiTypes.BOOL, description="Free of charge only"),
]
WRITE_RESPONSES = {
    400: OpenApiResponse(
        ErrorSerializer, description="The input is invalid, by field."
    ),
    404: OpenApiResponse(description="Not an event of a group you are staff of."),
}


@extend_schema_view(
    list=extend_schema(
        summary="Search upcoming public events",
        description="Takes the same filters as the events page.",
        parameters=EVENT_FILTER_PARAMETERS,
    ),
    retrieve=extend_schema(
        summary="One event",
        description="Drafts are found only by the staff of the event's group.",
    ),
    create=extend_schema(
        summary="Create a draft event for one of your groups",
        request=EventWriteSerializer,
        responses={201: EventSerializer, **WRITE_RESPONSES},
    ),
    update=extend_schema(
        summary="Change an event of your group",
        request=EventWriteSerializer,
        responses={200: EventSerializer, **WRITE_RESPONSES},
    ),
    partial_update=extend_schema(
        summary="Change some fields of an event of your group",
        request=EventWriteSerializer,
        responses={200: EventSerializer, **WRITE_RESPONSES},
    ),
)
class EventViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = EventSerializer
    filterset_class = EventFilter
    pagination_class = PortalPagination
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    queryset = Event.objects.none()

    def get_queryset(self) -> QuerySet[Event]:
        if self.action in WRITE_ACTIONS:
            return selectors.events_managed_by(self.request.user)
        if self.action == "retrieve":
            return selectors.events_visible_to(self.request.user)
        return selectors.upcoming_public_events()

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def _event_response(self, event: Event, code: int = status.HTTP_200_OK) -> Response:
        event = selectors.events_managed_by(self.request.user).get(pk=event.pk)
        return Response(EventSerializer(event).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = EventWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        group = data.pop("group")
        user = _signed_in_user(request)
        if not can_edit(user, group):
            logger.info(
                "API event create for group %s by user %s denied", group.pk, user.pk
            )
            raise PermissionDenied(_("You are not staff of this group."))
        try:
            event = services.event_create(
                group=group,
                created_by=user,
                fields=data,
                activity_fields=data.pop("activity_fields", []),
            )
        except ValidationError as error:
            logger.info("API event create by user %s rejected", user.pk)
            return _bad_request(error)
        return self._event_response(event, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        event = self.get_object()
        partial = kwargs.get("partial", False)
        serializer = EventWriteSerializer(event, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("group", None)
        try:
            services.event_update(
                event=event,
                fields=data,
                activity_fields=data.pop("activity_fields", None),
            )
        except ValidationError as error:
            logger.info("API update of event %s rejected", event.pk)
            return _bad_request(error)
        return self._event_response(event)

    @extend_schema(
        summary="Publish a draft event of your group",
        request=None,
        responses={200: EventSerializer, **WRITE_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        event = self.get_object()
        try:
            services.event_publish(event=event)
        except ValidationError as error:
            logger.info("API publish of event %s rejected", event.pk)
            return _bad_request(error)
        return self._event_response(event)

    @extend_schema(
        summary="Cancel an event of your group",
        request=None,
        responses={200: EventSerializer, **WRITE_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        event = self.get_object()
        try:
            services.event_cancel(event=event)
        except ValidationError as error:
            logger.info("API cancel of event %s rejected", event.pk)
            return _bad_request(error)
        return self._event_response(event)


@extend_schema_view(
    list=extend_schema(
        summary="Search published grant notices",
        description="Open notices first, the nearest deadline at the top. "
        "Takes the same filters as the grants page.",
        parameters=[
            OpenApiParameter(
                "open", OpenApiTypes.BOOL, description="Still open for applications"
            )
        ],
    ),
    retrieve=extend_schema(summary="One published grant notice"),
)
class GrantViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = GrantSerializer
    filterset_class = GrantFilter
    pagination_class = PortalPagination
    permission_classes = [permissions.AllowAny]

    def get_queryset(self) -> QuerySet[GrantNotice]:
        return order_by_deadline(selectors.published_grants())
