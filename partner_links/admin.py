"""Admin for health-points programmes, with read-only consent and export records.

Programmes are managed by prefectural staff. Enrolments, school links and
export log entries are consent records, so the admin shows them without
letting anyone change them.
"""

from typing import Any

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from groups.permissions import is_prefectural_staff

from .models import ExportLog, PointsProgramme, ProgrammeEnrolment, SchoolLink


class PrefecturalStaffAdminMixin:
    """Admin pages that prefectural staff, and only they, may use."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_prefectural_staff(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_prefectural_staff(request.user)


class ReadOnlyAdminMixin(PrefecturalStaffAdminMixin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PointsProgramme)
class PointsProgrammeAdmin(PrefecturalStaffAdminMixin, admin.ModelAdmin):
    list_display = ["name", "partner", "is_active", "consenting_count", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "partner__name"]
    raw_id_fields = ["partner_accounts"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_prefectural_staff(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_prefectural_staff(request.user)

    def get_queryset(self, request: HttpRequest) -> QuerySet[PointsProgramme]:
        return (
            super()
            .get_queryset(request)
            .select_related("partner")
            .annotate(
                consenting=Count(
                    "enrolments", filter=Q(enrolments__withdrawn_at__isnull=True)
                )
            )
        )

    @admin.display(description=_("consenting residents"), ordering="consenting")
    def consenting_count(self, programme: PointsProgramme) -> int:
        return programme.consenting  # type: ignore[attr-defined]


@admin.register(ProgrammeEnrolment)
class ProgrammeEnrolmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["programme", "resident", "consented_at", "withdrawn_at"]
    list_filter = ["programme"]
    list_select_related = ["programme", "resident"]
    search_fields = ["resident__email", "membership_id"]


@admin.register(SchoolLink)
class SchoolLinkAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["student", "school_name", "consented_at", "withdrawn_at"]
    list_select_related = ["student"]
    search_fields = ["school_name", "student__email", "teacher_email"]


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "programme",
        "exported_by",
        "channel",
        "since",
        "until",
        "row_count",
    ]
    list_filter = ["programme", "channel"]
    list_select_related = ["programme", "exported_by"]
