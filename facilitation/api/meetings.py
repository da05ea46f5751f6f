"""The meeting and action item API, with the same rules as the pages.

The chief facilitator, a meeting's attendees and the owners of its
action items list and read the meeting. Other meetings are not found
(404). The owner of an action item or the chief facilitator marks it done.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from civic_portal.accounts.models import User
from civic_portal.api_steps import rejection_response
from facilitation.api.cases import ROLE_CODES
from facilitation.models import ActionItem, Meeting
from facilitation.services import meetings as meeting_services
from volunteering.api.views import PortalPagination

logger = logging.getLogger(__name__)


class ActionItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionItem
        fields = [
            "id",
            "meeting",
            "case",
            "title",
            "owner",
            "due_on",
            "done",
            "done_at",
            "reminder_sent_at",
        ]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    action_items = ActionItemSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "series",
            "title",
            "starts_at",
            "ends_at",
            "location",
            "attendees",
            "agenda",
            "minutes",
            "action_items",
        ]
        read_only_fields = fields


class DoneSerializer(serializers.Serializer):
    done = serializers.BooleanField()


@extend_schema_view(
    list=extend_schema(summary="Information-sharing meetings you may read"),
    retrieve=extend_schema(summary="One meeting with its agenda and action items"),
)
class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MeetingSerializer
    pagination_class = PortalPagination
    permission_classes = [permissions.IsAuthenticated]
    queryset = Meeting.objects.none()

    def get_queryset(self) -> QuerySet[Meeting]:
        return (
            meeting_services.visible_meetings(self.request.user)
            .prefetch_related("attendees", "action_items")
            .order_by("starts_at", "pk")
        )


@extend_schema_view(
    list=extend_schema(summary="Action items of the meetings you may read"),
    retrieve=extend_schema(summary="One action item"),
)
class ActionItemViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = ActionItemSerializer
    pagination_class = PortalPagination
    permission_classes = [permissions.IsAuthenticated]
    queryset = ActionItem.objects.none()

    def get_queryset(self) -> QuerySet[ActionItem]:
        meetings = meeting_services.visible_meetings(self.request.user)
        return ActionItem.objects.filter(meeting__in=meetings).order_by(
            "done", "due_on", "pk"
        )

    @extend_schema(
        summary="Mark an action item done or not done",
        request=DoneSerializer,
        responses={
            200: ActionItemSerializer,
            403: OpenApiResponse(description="Not the owner or the chief facilitator."),
            404: OpenApiResponse(description="Not an item you may read."),
        },
    )
    @action(detail=True, methods=["post"])
    def done(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        serializer = DoneSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = request.user
        assert isinstance(user, User)
        if not meeting_services.can_update_item(user, item):
            raise PermissionDenied
        try:
            meeting_services.set_item_done(
                item, user, serializer.validated_data["done"]
            )
        except ValidationError as error:
            logger.info("API update of action item %s rejected", item.pk)
            return rejection_response(error, ROLE_CODES)
        return Response(ActionItemSerializer(item).data)
