from django.contrib import admin

from .models import (
    CourseCompletion,
    Facilitator,
    FacilitatorAppointment,
    HistoricalRecognitionTotal,
    Partner,
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
    list_display = ["fiscal_year", "kind", "title", "group", "partner", "designated_on"]
    list_filter = ["kind", "fiscal_year"]
    list_select_related = ["group", "partner"]
    search_fields = ["title", "citation", "group__name", "partner__name"]
    raw_id_fields = ["group", "partner"]


@admin.register(HistoricalRecognitionTotal)
class HistoricalRecognitionTotalAdmin(admin.ModelAdmin):
    list_display = ["kind", "first_fiscal_year", "last_fiscal_year", "count"]
    list_filter = ["kind"]
    search_fields = ["source"]
