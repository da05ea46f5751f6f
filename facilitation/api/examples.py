"""The public API of published collaboration examples (read only)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets

from facilitation.models import CollaborationExample, ExampleParty
from facilitation.services import examples as example_services
from volunteering.api.views import PortalPagination


class ExamplePartySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="party.name", read_only=True)

    class Meta:
        model = ExampleParty
        fields = ["name", "what_they_did", "what_they_gained"]
        read_only_fields = fields


class ExampleSerializer(serializers.ModelSerializer):
    parties = ExamplePartySerializer(many=True, read_only=True)

    class Meta:
        model = CollaborationExample
        fields = ["id", "title", "summary", "published_at", "parties"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="Published collaboration examples"),
    retrieve=extend_schema(summary="One published collaboration example"),
)
class ExampleViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ExampleSerializer
    pagination_class = PortalPagination
    permission_classes = [permissions.AllowAny]
    queryset = CollaborationExample.objects.none()

    def get_queryset(self) -> QuerySet[CollaborationExample]:
        rows = ExampleParty.objects.select_related("party__group", "party__partner")
        return (
            example_services.public_examples()
            .prefetch_related(Prefetch("parties", queryset=rows))
            .order_by("-published_at", "-pk")
        )
