"""The support centre API: public, read-only pages of the centres.

A centre's address, phone, mail address and hours are those of a public
office, so anyone may read them. Consultations have no API: they are
personal and shown only on the portal's pages to the asker and the centre.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets

from civic_portal.fiscal import JAPAN
from groups.models import Municipality, SupportCentre
from groups.services.centres import PAGE_FIELDS, in_display_order
from volunteering.api.serializers import MunicipalitySerializer
from volunteering.api.views import PortalPagination


class CentreSerializer(serializers.ModelSerializer):
    municipality = MunicipalitySerializer(read_only=True)
    scope_display = serializers.CharField(source="get_scope_display", read_only=True)
    operation_display = serializers.CharField(
        source="get_operation_display", read_only=True
    )

    class Meta:
        model = SupportCentre
        fields = [
            "id",
            "name",
            "municipality",
            "scope",
            "scope_display",
            "operation_display",
            "opened_on",
            "closed_on",
            *PAGE_FIELDS,
        ]


class CentreFilter(django_filters.FilterSet):
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"),
        queryset=Municipality.objects.all(),
        to_field_name="code",
    )
    scope = django_filters.ChoiceFilter(
        label=_("Scope"), choices=SupportCentre.Scope.choices
    )
    operation = django_filters.ChoiceFilter(
        label=_("Operating model"), choices=SupportCentre.Operation.choices
    )
    open = django_filters.BooleanFilter(
        label=_("Open today (Japan time)"), method="filter_open"
    )

    class Meta:
        model = SupportCentre
        fields = ["municipality", "scope", "operation", "open"]

    def filter_open(
        self, queryset: QuerySet[SupportCentre], name: str, value: bool | None
    ) -> QuerySet[SupportCentre]:
        if value is None:
            return queryset
        today = timezone.localdate(timezone=JAPAN)
        open_ids = SupportCentre.objects.open_on(today).values("pk")
        if value:
            return queryset.filter(pk__in=open_ids)
        return queryset.exclude(pk__in=open_ids)


@extend_schema_view(
    list=extend_schema(summary="List the support centres"),
    retrieve=extend_schema(summary="One support centre"),
)
class CentreViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CentreSerializer
    filterset_class = CentreFilter
    pagination_class = PortalPagination
    permission_classes = [permissions.AllowAny]
    queryset = in_display_order(SupportCentre.objects.all())
