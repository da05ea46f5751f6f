"""The collaboration example API (read only), with the pages' reading rule.

Everyone reads published examples. The case's readers and the staff of a
group taking part also read the draft, as on the example page, because both
go through example_services.readable_examples.
"""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets

from facilitation.models import CollaborationExample, ExampleParty
from facilitation.services import examples as example_services
from volunteering.api.views import PortalPagination


class ExamplePartySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="party.name", read_only=True)
    has_consent = serializers.BooleanField(read_only=True)

    class Meta:
        model = ExampleParty
        fields = ["name", "what_they_did", "what_they_gained", "has_consent"]
        read_only_fields = fields


class ExampleSerializer(serializers.ModelSerializer):
    is_published = serializers.BooleanField(read_only=True)
    parties = ExamplePartySerializer(many=True, read_only=True)

    class Meta:
        model = CollaborationExample
        fields = ["id", "title", "summary", "is_published", "published_at", "parties"]
        read_only_fields = fields


class ExampleFilter(django_filters.FilterSet):
    published = django_filters.BooleanFilter(
        field_name="published_at",
        lookup_expr="isnull",
        exclude=True,
        label=_("Published"),
    )

    class Meta:
        model = CollaborationExample
        fields = ["published"]


@extend_schema_view(
    list=extend_schema(
        summary="Collaboration examples you may read",
        description="Published examples, and the drafts you may read: those of "
        "cases you read and those with a group you are staff of.",
    ),
    retrieve=extend_schema(summary="One collaboration example you may read"),
)
class ExampleViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ExampleSerializer
    pagination_class = PortalPagination
    permission_classes = [permissions.AllowAny]
    filterset_class = ExampleFilter
    queryset = CollaborationExample.objects.none()

    def get_queryset(self) -> QuerySet[CollaborationExample]:
        rows = ExampleParty.objects.select_related("party__group", "party__partner")
        return (
            example_services.readable_examples(self.request.user)
            .prefetch_related(Prefetch("parties", queryset=rows))
            .order_by("-published_at", "-pk")
        )
