from django.contrib import admin

from .models import (
    ActionItem,
    CaseInvitation,
    CaseNote,
    CaseParty,
    CaseStageChange,
    CollaborationCase,
    CollaborationExample,
    CourseCompletion,
    ExampleParty,
    Facilitator,
    FacilitatorAppointment,
    HistoricalRecognitionTotal,
    Meeting,
    MeetingSeries,
    Partner,
    PrincipleAnswer,
    Recognition,
    TrainingAttendance,
    TrainingCourse,
    TrainingSession,
)


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "is_active", "updated_at"]
    list_filter = [
        "kind",
        "is_active",
        "offers_volunteer_leave",
        "takes_part_in_probono",
    ]
    list_select_related = ["municipality"]
    search_fields = ["name", "contact_name", "contact_email", "note"]
    filter_horizontal = ["activity_fields"]


class FacilitatorAppointmentInline(admin.TabularInline):
    model = FacilitatorAppointment
    extra = 0


@admin.register(Facilitator)
class FacilitatorAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "is_active", "created_at"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name"]
    raw_id_fields = ["user"]
    inlines = [FacilitatorAppointmentInline]


@admin.register(FacilitatorAppointment)
class FacilitatorAppointmentAdmin(admin.ModelAdmin):
    list_display = ["facilitator", "centre", "starts_on", "ends_on"]
    list_filter = ["centre"]
    list_select_related = ["facilitator__user", "centre"]
    search_fields = ["facilitator__user__email", "facilitator__user__full_name"]
    raw_id_fields = ["facilitator"]


class TrainingSessionInline(admin.TabularInline):
    model = TrainingSession
    extra = 0


@admin.register(TrainingCourse)
class TrainingCourseAdmin(admin.ModelAdmin):
    list_display = ["title", "fiscal_year", "created_at"]
    list_filter = ["fiscal_year"]
    search_fields = ["title", "description"]
    inlines = [TrainingSessionInline]


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "held_on"]
    list_select_related = ["course"]
    search_fields = ["title", "course__title"]


@admin.register(TrainingAttendance)
class TrainingAttendanceAdmin(admin.ModelAdmin):
    list_display = ["person", "session", "attended"]
    list_filter = ["attended"]
    list_select_related = ["person", "session"]
    search_fields = ["person__email", "person__full_name", "session__title"]
    raw_id_fields = ["person", "session"]


@admin.register(CourseCompletion)
class CourseCompletionAdmin(admin.ModelAdmin):
    list_display = ["user", "course", "completed_on", "recorded_by"]
    list_select_related = ["user", "course", "recorded_by"]
    search_fields = ["user__email", "user__full_name", "course__title"]
    raw_id_fields = ["user", "recorded_by"]


@admin.register(Recognition)
class RecognitionAdmin(admin.ModelAdmin):
    list_display = [
        "fiscal_year",
        "kind",
        "title",
        "group",
        "partner",
        "designated_on",
        "withdrawn_on",
    ]
    list_filter = ["kind", "fiscal_year", ("withdrawn_on", admin.EmptyFieldListFilter)]
    list_select_related = ["group", "partner"]
    search_fields = ["title", "citation", "group__name", "partner__name"]
    raw_id_fields = ["group", "partner"]


@admin.register(HistoricalRecognitionTotal)
class HistoricalRecognitionTotalAdmin(admin.ModelAdmin):
    list_display = ["kind", "first_fiscal_year", "last_fiscal_year", "count"]
    list_filter = ["kind"]
    search_fields = ["source"]


class CasePartyInline(admin.TabularInline):
    model = CaseParty
    extra = 0
    raw_id_fields = ["group", "partner"]


class CaseStageChangeInline(admin.TabularInline):
    model = CaseStageChange
    extra = 0
    readonly_fields = ["from_stage", "to_stage", "actor", "note", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(CollaborationCase)
class CollaborationCaseAdmin(admin.ModelAdmin):
    list_display = ["title", "centre", "facilitator", "stage", "created_at"]
    list_filter = ["stage", "centre"]
    list_select_related = ["centre", "facilitator__user"]
    search_fields = ["title", "shared_goal", "parties__group__name"]
    raw_id_fields = ["facilitator", "created_by"]
    # The stage moves only through the service, which checks the stage
    # table and records the history.
    readonly_fields = ["stage", "stage_changed_at"]
    inlines = [CasePartyInline, CaseStageChangeInline]


@admin.register(CaseStageChange)
class CaseStageChangeAdmin(admin.ModelAdmin):
    list_display = ["case", "from_stage", "to_stage", "actor", "created_at"]
    list_filter = ["to_stage"]
    list_select_related = ["case", "actor"]
    search_fields = ["case__title", "note"]
    raw_id_fields = ["case", "actor"]


@admin.register(CaseParty)
class CasePartyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "case", "role"]
    list_select_related = ["case", "group", "partner"]
    search_fields = ["case__title", "group__name", "partner__name", "role"]
    raw_id_fields = ["case", "group", "partner"]


@admin.register(PrincipleAnswer)
class PrincipleAnswerAdmin(admin.ModelAdmin):
    list_display = ["party", "principle", "agrees", "recorded_at"]
    list_filter = ["principle", "agrees"]
    list_select_related = ["party__group", "party__partner"]
    search_fields = ["party__case__title", "comment"]
    raw_id_fields = ["party", "recorded_by"]


@admin.register(CaseInvitation)
class CaseInvitationAdmin(admin.ModelAdmin):
    list_display = ["case", "facilitator", "created_at"]
    list_select_related = ["case", "facilitator__user"]
    search_fields = ["case__title", "facilitator__user__full_name"]
    raw_id_fields = ["case", "facilitator", "requested_by_party", "invited_by"]


@admin.register(CaseNote)
class CaseNoteAdmin(admin.ModelAdmin):
    list_display = ["case", "held_on", "author", "created_at"]
    list_select_related = ["case", "author"]
    search_fields = ["case__title", "body"]
    raw_id_fields = ["case", "author"]


class ExamplePartyInline(admin.TabularInline):
    model = ExampleParty
    extra = 0
    raw_id_fields = ["party", "consent_given_by", "consent_withdrawn_by"]


@admin.register(CollaborationExample)
class CollaborationExampleAdmin(admin.ModelAdmin):
    list_display = ["title", "case", "published_at"]
    list_select_related = ["case"]
    search_fields = ["title", "summary", "case__title"]
    raw_id_fields = ["case", "created_by", "published_by"]
    # Publishing checks every party's consent, so it happens on the site.
    readonly_fields = ["published_at", "published_by"]
    inlines = [ExamplePartyInline]


@admin.register(ExampleParty)
class ExamplePartyAdmin(admin.ModelAdmin):
    list_display = ["example", "party", "consent_given_at", "consent_withdrawn_at"]
    list_select_related = ["example", "party__group", "party__partner"]
    search_fields = ["example__title", "what_they_did", "what_they_gained"]
    raw_id_fields = [
        "example",
        "party",
        "consent_given_by",
        "consent_withdrawn_by",
    ]


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "frequency", "weekday", "starts_on", "ends_on"]
    list_filter = ["frequency"]
    search_fields = ["title", "location"]
    raw_id_fields = ["created_by"]
    filter_horizontal = ["attendees"]


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0
    raw_id_fields = ["owner", "case", "created_by"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "location", "series"]
    list_select_related = ["series"]
    search_fields = ["title", "location", "agenda", "minutes"]
    raw_id_fields = ["series", "created_by"]
    filter_horizontal = ["attendees"]
    date_hierarchy = "starts_at"
    inlines = [ActionItemInline]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "due_on", "done", "reminder_sent_at"]
    list_filter = ["done"]
    list_select_related = ["owner"]
    search_fields = ["title", "owner__email", "owner__full_name"]
    raw_id_fields = ["meeting", "owner", "case", "created_by"]
