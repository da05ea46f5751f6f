"""The recognitions API: public, read-only, recognitions in force only.

The chief facilitator and prefectural staff record recognitions on the
managers' pages (and in the admin). The totals from before the portal
have their own endpoint, so that no client adds them to the portal's
records by mistake.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets

from facilitation.models import HistoricalRecognitionTotal, Recognition, RecognitionKind
from facilitation.services import recognitions as recognition_services
from volunteering.api.views import PortalPagination


class RecipientSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["group", "partner"])
    id = serializers.IntegerField()
    name = serializers.CharField()


class RecognitionSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    recipient = serializers.SerializerMethodField()

    class Meta:
        model = Recognition
        fields = [
            "id",
            "kind",
            "kind_display",
            "fiscal_year",
            "title",
            "citation",
            "recipient",
            "designated_on",
        ]
        read_only_fields = fields

    @extend_schema_field(RecipientSerializer)
    def get_recipient(self, recognition: Recognition) -> dict[str, object]:
        if recognition.group is not None:
            return {
                "type": "group",
                "id": recognition.group.pk,
                "name": recognition.group.name,
            }
        assert recognition.partner is not None  # The check constraint ensures one.
        return {
            "type": "partner",
            "id": recognition.partner.pk,
            "name": recognition.partner.name,
        }


class HistoricalTotalSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = HistoricalRecognitionTotal
        fields = [
            "kind",
            "kind_display",
            "first_fiscal_year",
            "last_fiscal_year",
            "count",
            "source",
        ]
        read_only_fields = fields


class RecognitionFilter(django_filters.FilterSet):
    fiscal_year = django_filters.NumberFilter(label=_("Fiscal year"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=RecognitionKind.choices)

    class Meta:
        model = Recognition
        fields = ["fiscal_year", "kind"]


@extend_schema_view(
    list=extend_schema(summary="List awards and model business sites"),
    retrieve=extend_schema(summary="One award or model business site"),
)
class RecognitionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RecognitionSerializer
    permission_classes = [permissions.AllowAny]
    pagination_class = PortalPagination
    filterset_class = RecognitionFilter

    def get_queryset(self) -> QuerySet[Recognition]:
        return (
            Recognition.objects.in_force()
            .with_recipient()
            .order_by("-fiscal_year", "kind", "designated_on", "pk")
        )


@extend_schema_view(
    list=extend_schema(summary="Recognition totals recorded before the portal"),
)
class HistoricalTotalViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = HistoricalTotalSerializer
    permission_classes = [permissions.AllowAny]
    pagination_class = None

    def get_queryset(self) -> QuerySet[HistoricalRecognitionTotal]:
        return recognition_services.historical_totals()
