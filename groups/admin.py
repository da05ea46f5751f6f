from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from civic_portal.text import search_terms

from .models import (
    ActivityField,
    CivicGroup,
    GroupMembership,
    Municipality,
    SupportCentre,
)


class NormalizedSearchMixin:
    """Admin search that also matches the model's normalised `search_text`.

    The query is normalised like the stored text (NFKC, katakana folded to
    hiragana, lower case), so ｶﾀｶﾅ, カタカナ and かたかな find the same rows.
    """

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        results, may_have_duplicates = super().get_search_results(  # type: ignore[misc]
            request, queryset, search_term
        )
        terms = search_terms(search_term)
        if terms:
            normalized = queryset
            for term in terms:
                normalized = normalized.filter(search_text__contains=term)
            results = results | normalized
        return results, may_have_duplicates


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kana", "name_en", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "kana", "name_en"]


@admin.register(ActivityField)
class ActivityFieldAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "name_en"]
    search_fields = ["name", "name_en"]


@admin.register(SupportCentre)
class SupportCentreAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "scope", "operation", "opened_on"]
    list_filter = ["scope", "operation", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["name", "name_en", "municipality__name"]
    autocomplete_fields = ["municipality"]


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    raw_id_fields = ["user"]
    readonly_fields = ["created_at"]


@admin.register(CivicGroup)
class CivicGroupAdmin(NormalizedSearchMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "legal_form",
        "municipality",
        "review_status",
        "status",
        "approved_at",
    ]
    list_filter = ["review_status", "status", "legal_form", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["name", "name_kana"]
    autocomplete_fields = ["municipality"]
    filter_horizontal = ["activity_fields"]
    readonly_fields = ["search_text", "created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [GroupMembershipInline]


@admin.register(GroupMembership)
class GroupMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "role", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "group"]
    search_fields = ["user__email", "user__full_name", "group__name"]
    autocomplete_fields = ["group"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at"]
