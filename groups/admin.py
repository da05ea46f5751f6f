from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from civic_portal.text import search_terms

from .admin_imports import IMPORT_CHANGE_LIST_TEMPLATE, GroupImportAdminMixin
from .models import (
    ActivityField,
    AnnualGroupReport,
    Certification,
    CivicGroup,
    Consultation,
    Event,
    GrantNotice,
    GroupChangeRequest,
    GroupInvitation,
    GroupMembership,
    GroupReview,
    GroupRevision,
    GroupStatusChange,
    Municipality,
    NewsletterIssue,
    NewsletterSubscription,
    SupportCentre,
    SupportCentreStaff,
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


class SupportCentreStaffInline(admin.TabularInline):
    model = SupportCentreStaff
    extra = 0
    raw_id_fields = ["user"]
    readonly_fields = ["created_at"]


@admin.register(SupportCentre)
class SupportCentreAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "scope", "operation", "opened_on"]
    list_filter = ["scope", "operation", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["name", "name_en", "municipality__name"]
    autocomplete_fields = ["municipality"]
    inlines = [SupportCentreStaffInline]


@admin.register(SupportCentreStaff)
class SupportCentreStaffAdmin(admin.ModelAdmin):
    list_display = ["user", "centre", "created_at"]
    list_filter = ["centre"]
    list_select_related = ["user", "centre"]
    search_fields = ["user__email", "user__full_name", "centre__name"]
    raw_id_fields = ["user"]


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    raw_id_fields = ["user"]
    readonly_fields = ["created_at"]


LIFECYCLE_HELP = _(
    "Status changes and certifications are read-only here. Record them on "
    "the group's review page, which checks their dates and keeps the dated "
    "history that the indicators count."
)


def lifecycle_help(group_id: int | None) -> str:
    """Return LIFECYCLE_HELP with a link to the group's review page, if saved."""
    if group_id is None:
        return str(LIFECYCLE_HELP)
    return format_html(
        '{} <a href="{}">{}</a>',
        LIFECYCLE_HELP,
        reverse("groups:review_group", args=[group_id]),
        _("Open the review page"),
    )


class LifecycleReadOnlyMixin:
    """Admin options that show lifecycle rows but never add, change or delete them.

    groups.services.lifecycle is the only writer of these rows. It locks
    the group, checks dates against the earlier rows and keeps the group's
    current status and certification in step.
    """

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class GroupStatusChangeInline(LifecycleReadOnlyMixin, admin.TabularInline):
    model = GroupStatusChange
    extra = 0
    raw_id_fields = ["recorded_by"]
    readonly_fields = ["recorded_at"]


class CertificationInline(LifecycleReadOnlyMixin, admin.TabularInline):
    model = Certification
    fk_name = "group"
    extra = 0
    raw_id_fields = ["renewal_of"]
    readonly_fields = ["recorded_at"]


@admin.register(CivicGroup)
class CivicGroupAdmin(GroupImportAdminMixin, NormalizedSearchMixin, admin.ModelAdmin):
    change_list_template = IMPORT_CHANGE_LIST_TEMPLATE
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
    readonly_fields = ["search_text", "created_at", "updated_at", "how_to_change"]
    date_hierarchy = "created_at"
    raw_id_fields = ["created_by"]
    inlines = [GroupMembershipInline, GroupStatusChangeInline, CertificationInline]

    @admin.display(description=_("Status and certification"))
    def how_to_change(self, group: CivicGroup) -> str:
        return lifecycle_help(group.pk)


@admin.register(GroupMembership)
class GroupMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "role", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "group"]
    search_fields = ["user__email", "user__full_name", "group__name"]
    autocomplete_fields = ["group"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at"]


@admin.register(GroupInvitation)
class GroupInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "group", "role", "created_at", "accepted_at"]
    list_filter = ["role"]
    list_select_related = ["group"]
    search_fields = ["email", "group__name"]
    raw_id_fields = ["group", "invited_by"]
    readonly_fields = ["created_at"]


@admin.register(GroupStatusChange)
class GroupStatusChangeAdmin(LifecycleReadOnlyMixin, admin.ModelAdmin):
    list_display = ["group", "status", "effective_on", "recorded_at"]
    list_filter = ["status"]
    list_select_related = ["group"]
    search_fields = ["group__name"]
    raw_id_fields = ["group", "recorded_by"]
    readonly_fields = ["how_to_change"]
    date_hierarchy = "effective_on"

    @admin.display(description=_("How to change"))
    def how_to_change(self, change: GroupStatusChange) -> str:
        return lifecycle_help(change.group_id)


@admin.register(Certification)
class CertificationAdmin(LifecycleReadOnlyMixin, admin.ModelAdmin):
    list_display = ["group", "kind", "certified_on", "expires_on", "revoked_on"]
    list_filter = ["kind"]
    list_select_related = ["group"]
    search_fields = ["group__name"]
    raw_id_fields = ["group", "renewal_of"]
    readonly_fields = ["how_to_change"]

    @admin.display(description=_("How to change"))
    def how_to_change(self, certification: Certification) -> str:
        return lifecycle_help(certification.group_id)


@admin.register(GroupReview)
class GroupReviewAdmin(admin.ModelAdmin):
    list_display = ["group", "action", "actor", "created_at"]
    list_filter = ["action"]
    list_select_related = ["group", "actor"]
    search_fields = ["group__name", "reason"]
    raw_id_fields = ["group", "change_request", "actor"]


@admin.register(GroupChangeRequest)
class GroupChangeRequestAdmin(admin.ModelAdmin):
    list_display = ["group", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["group"]
    search_fields = ["group__name", "name"]
    raw_id_fields = ["group", "requested_by"]


@admin.register(GroupRevision)
class GroupRevisionAdmin(admin.ModelAdmin):
    list_display = ["group", "changed_by", "changed_at"]
    list_select_related = ["group", "changed_by"]
    search_fields = ["group__name"]
    raw_id_fields = ["group", "changed_by"]
    readonly_fields = ["changes"]


@admin.register(Event)
class EventAdmin(NormalizedSearchMixin, admin.ModelAdmin):
    list_display = ["title", "group", "starts_at", "municipality", "status"]
    list_filter = ["status", "is_online", "municipality"]
    list_select_related = ["group", "municipality"]
    search_fields = ["title", "group__name"]
    raw_id_fields = ["group", "created_by"]
    filter_horizontal = ["activity_fields"]
    readonly_fields = ["search_text"]
    date_hierarchy = "starts_at"


@admin.register(GrantNotice)
class GrantNoticeAdmin(NormalizedSearchMixin, admin.ModelAdmin):
    list_display = ["title", "funder", "deadline", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "funder"]
    raw_id_fields = ["created_by"]
    filter_horizontal = ["eligible_fields"]
    readonly_fields = ["search_text"]
    date_hierarchy = "deadline"


@admin.register(NewsletterSubscription)
class NewsletterSubscriptionAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "language",
        "subscribed_at",
        "confirmed_at",
        "unsubscribed_at",
    ]
    list_filter = ["language", ("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    raw_id_fields = ["user"]


@admin.register(NewsletterIssue)
class NewsletterIssueAdmin(admin.ModelAdmin):
    list_display = ["subject", "month", "status", "recipients_sent", "sent_at"]
    list_filter = ["status"]
    search_fields = ["subject"]
    raw_id_fields = ["edited_by"]
    readonly_fields = ["recipients_total", "recipients_sent", "send_started_at"]


@admin.register(AnnualGroupReport)
class AnnualGroupReportAdmin(admin.ModelAdmin):
    list_display = ["group", "fiscal_year", "self_evaluation", "submitted_at"]
    list_filter = ["fiscal_year", "self_evaluation", "wants_probono"]
    list_select_related = ["group"]
    search_fields = ["group__name"]
    raw_id_fields = ["group", "submitted_by"]
    filter_horizontal = ["probono_skills"]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["topic", "centre", "channel", "status", "created_at"]
    list_filter = ["status", "channel", "topic", "centre"]
    list_select_related = ["centre"]
    search_fields = ["question", "answer", "asker_name"]
    raw_id_fields = ["asker", "group", "recorded_by", "answered_by"]
    date_hierarchy = "created_at"
