from django.contrib import admin

from .models import (
    CaseStudy,
    CaseStudyConsent,
    Evaluation,
    Interest,
    Milestone,
    ProbonoWorker,
    ProgressNote,
    ProjectMessage,
    Proposal,
    RequestEvent,
    Skill,
    SupportRequest,
    WorkerSkill,
    WorkLog,
)


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "name_en", "position", "hourly_value"]
    list_editable = ["hourly_value"]
    search_fields = ["key", "name", "name_en"]


class WorkerSkillInline(admin.TabularInline):
    model = WorkerSkill
    extra = 0


@admin.register(ProbonoWorker)
class ProbonoWorkerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "profession", "status", "work_mode", "registered_at"]
    list_filter = ["status", "work_mode", "lives_in_prefecture"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name", "profession", "employer"]
    raw_id_fields = ["user"]
    filter_horizontal = ["activity_fields"]
    inlines = [WorkerSkillInline]


@admin.register(WorkerSkill)
class WorkerSkillAdmin(admin.ModelAdmin):
    list_display = ["worker", "skill", "level", "years"]
    list_filter = ["skill", "level"]
    search_fields = ["worker__user__email", "skill__name"]
    raw_id_fields = ["worker"]


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    readonly_fields = ["from_state", "to_state", "actor", "note", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(SupportRequest)
class SupportRequestAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "state", "concierge", "created_at"]
    list_filter = ["state", "challenge", "work_mode"]
    list_select_related = ["group", "concierge"]
    search_fields = ["title", "group__name", "description"]
    raw_id_fields = ["group", "concierge", "created_by"]
    filter_horizontal = ["skills"]
    readonly_fields = ["state", "state_changed_at", "resume_state"]
    inlines = [RequestEventInline]


@admin.register(RequestEvent)
class RequestEventAdmin(admin.ModelAdmin):
    list_display = ["request", "from_state", "to_state", "actor", "created_at"]
    list_filter = ["to_state"]
    list_select_related = ["request", "actor"]
    search_fields = ["request__title", "note"]
    raw_id_fields = ["request", "actor"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """Proposals change status only through the workflow, which checks capacity."""

    list_display = ["request", "worker", "status", "score", "reply_by", "created_at"]
    list_filter = ["status"]
    list_select_related = ["request", "worker__user"]
    search_fields = ["request__title", "worker__user__email"]
    raw_id_fields = ["request", "worker", "proposed_by"]
    readonly_fields = ["status", "score", "score_parts", "replied_at"]


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["request", "worker", "created_at"]
    list_select_related = ["request", "worker__user"]
    search_fields = ["request__title", "worker__user__email", "note"]
    raw_id_fields = ["request", "worker"]


@admin.register(ProjectMessage)
class ProjectMessageAdmin(admin.ModelAdmin):
    list_display = ["request", "author", "created_at"]
    list_select_related = ["request", "author"]
    search_fields = ["request__title", "body"]
    raw_id_fields = ["request", "author"]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "request", "due_on", "done_on", "check_sent_at"]
    list_filter = ["due_on"]
    list_select_related = ["request"]
    search_fields = ["title", "request__title"]
    raw_id_fields = ["request", "created_by"]


@admin.register(ProgressNote)
class ProgressNoteAdmin(admin.ModelAdmin):
    list_display = ["request", "author", "created_at"]
    list_select_related = ["request", "author"]
    search_fields = ["request__title", "body"]
    raw_id_fields = ["request", "author"]


@admin.register(WorkLog)
class WorkLogAdmin(admin.ModelAdmin):
    list_display = ["request", "worker", "skill", "hours", "worked_on"]
    list_filter = ["skill"]
    list_select_related = ["request", "worker__user", "skill"]
    search_fields = ["request__title", "worker__user__email"]
    raw_id_fields = ["request", "worker"]


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["request", "party", "worker", "rating", "created_at"]
    list_filter = ["party", "rating"]
    list_select_related = ["request", "worker__user"]
    search_fields = ["request__title", "comment"]
    raw_id_fields = ["request", "worker", "author"]


class CaseStudyConsentInline(admin.TabularInline):
    model = CaseStudyConsent
    extra = 0
    raw_id_fields = ["worker", "given_by"]
    readonly_fields = ["given_at"]


@admin.register(CaseStudy)
class CaseStudyAdmin(admin.ModelAdmin):
    """Publishing goes through the concierge page, which checks every consent."""

    list_display = ["title", "request", "published_at"]
    list_select_related = ["request"]
    search_fields = ["title", "request__title", "challenge", "result"]
    raw_id_fields = ["request", "created_by"]
    filter_horizontal = ["skills"]
    readonly_fields = ["published_at"]
    inlines = [CaseStudyConsentInline]


@admin.register(CaseStudyConsent)
class CaseStudyConsentAdmin(admin.ModelAdmin):
    list_display = ["case_study", "worker", "given_by", "given_at", "withdrawn_at"]
    list_select_related = ["case_study", "worker__user", "given_by"]
    search_fields = ["case_study__title"]
    raw_id_fields = ["case_study", "worker", "given_by"]
