from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import IndicatorSnapshot, RecordedValue


@admin.register(RecordedValue)
class RecordedValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "fiscal_year", "value", "entered_by", "entered_at"]
    list_filter = ["indicator"]
    readonly_fields = ["entered_by", "entered_at"]

    def save_model(
        self, request: HttpRequest, obj: RecordedValue, form: Any, change: bool
    ) -> None:
        obj.entered_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


@admin.register(IndicatorSnapshot)
class IndicatorSnapshotAdmin(admin.ModelAdmin):
    """Read-only: snapshots are written by the compute and freeze services."""

    list_display = ["indicator", "fiscal_year", "value", "computed_at", "frozen_at"]
    list_filter = ["fiscal_year", "indicator"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: IndicatorSnapshot | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: IndicatorSnapshot | None = None
    ) -> bool:
        return False
