"""JSON shapes of the indicators API. The figures come from indicators.services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(OpenApiTypes.NUMBER)
class IndicatorNumberField(serializers.Field):
    """A figure as a JSON number: a whole number for counts, else a decimal."""

    def to_representation(self, value: Decimal) -> int | float:
        if value == value.to_integral_value():
            return int(value)
        return float(value)


class ProgressSerializer(serializers.Serializer):
    percent = IndicatorNumberField(
        allow_null=True,
        help_text=_(
            "Share of the way from the baseline to the target, or of the target "
            "for a sum over the plan period, in percent."
        ),
    )
    change_from_baseline = IndicatorNumberField(
        allow_null=True, help_text=_("The value minus the baseline value.")
    )
    expected = IndicatorNumberField(
        allow_null=True,
        help_text=_(
            "The value that the straight path from the baseline to the target, "
            "or the pro-rata share of a plan-period sum, requires in this year."
        ),
    )
    on_track = serializers.BooleanField(
        allow_null=True,
        help_text=_("Null for the baseline year and earlier, and without a value."),
    )


class RecordedSerializer(serializers.Serializer):
    value = IndicatorNumberField(source="recorded_value")
    # The metaclass moves declared fields off the class, so this field does
    # not replace Field.source at run time. mypy checks only the class body.
    source = serializers.CharField(source="recorded.source")  # type: ignore[assignment]


class IndicatorYearSerializer(serializers.Serializer):
    key = serializers.CharField(source="indicator.key")
    name = serializers.CharField(source="indicator.name")
    unit = serializers.CharField(source="indicator.unit")
    target_rule = serializers.CharField(source="indicator.target_rule")
    computed_value = IndicatorNumberField(
        allow_null=True,
        help_text=_(
            "Computed from the portal's data as it stood at the year end, or the "
            "frozen value of a frozen year. Null when there is no data."
        ),
    )
    computed = serializers.BooleanField(
        source="is_computed",
        help_text=_(
            "False for years before the portal's data for this indicator "
            "starts: only a recorded value can exist."
        ),
    )
    frozen = serializers.BooleanField(source="is_frozen")
    frozen_at = serializers.DateTimeField(allow_null=True)
    recorded = serializers.SerializerMethodField(
        help_text=_("The value entered from outside the portal, with its source.")
    )
    plan_period_sum = IndicatorNumberField(
        allow_null=True,
        help_text=_("For a sum over the plan period: the sum up to this year."),
    )
    baseline_value = IndicatorNumberField(
        source="indicator.baseline_value", allow_null=True
    )
    baseline_period = serializers.CharField(source="indicator.baseline_period_label")
    target_value = IndicatorNumberField(
        source="indicator.target_value", allow_null=True
    )
    target_period = serializers.CharField(source="indicator.target_period_label")
    progress = ProgressSerializer()

    @extend_schema_field(RecordedSerializer(allow_null=True))
    def get_recorded(self, row: Any) -> dict[str, Any] | None:
        if row.recorded is None:
            return None
        return dict(RecordedSerializer(row).data)


class FiscalYearSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField()
    fiscal_year_label = serializers.CharField()
    frozen = serializers.BooleanField(
        help_text=_("Whether prefectural staff froze the year's figures.")
    )
    indicators = IndicatorYearSerializer(many=True)


class DefinitionSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    name_ja = serializers.CharField()
    name_en = serializers.CharField()
    unit = serializers.CharField()
    policy_pillar = serializers.IntegerField()
    target_rule = serializers.CharField()
    baseline_value = IndicatorNumberField(allow_null=True)
    baseline_period = serializers.CharField(source="baseline_period_label")
    target_value = IndicatorNumberField(allow_null=True)
    target_period = serializers.CharField(source="target_period_label")
    definition = serializers.CharField(source="texts.definition")
    counted = serializers.CharField(source="texts.counted")
    not_counted = serializers.CharField(source="texts.not_counted")
    source = serializers.CharField(source="texts.source")  # type: ignore[assignment]
    limits = serializers.CharField(source="texts.limits")


class ComparisonSerializer(serializers.Serializer):
    key = serializers.CharField(source="indicator.key")
    stored = IndicatorNumberField(allow_null=True)
    frozen = serializers.SerializerMethodField()
    recomputed = IndicatorNumberField(allow_null=True)
    difference = IndicatorNumberField(allow_null=True)
    differs = serializers.BooleanField()

    def get_frozen(self, row: Any) -> bool:
        return row.snapshot is not None and row.snapshot.is_frozen


class FreezeSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(
        help_text=_("Must be true: freezing a year cannot be undone.")
    )

    def validate_confirm(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(
                _("Set confirm to true to freeze the year.")
            )
        return value
