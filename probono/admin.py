from django.contrib import admin

from .models import ProbonoWorker, RequestEvent, Skill, SupportRequest, WorkerSkill


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
