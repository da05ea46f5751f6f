from django.contrib import admin

from .models import (
    Activity,
    Campaign,
    Gallery,
    Loan,
    LoanItem,
    Participation,
    Photo,
    PhotoExport,
)


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "starts_on",
        "ends_on",
        "registration_open",
        "municipality",
    ]
    list_filter = ["registration_open", "municipality"]
    search_fields = ["title"]
    raw_id_fields = ["created_by"]


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "campaign", "group", "created_at", "withdrawn_at"]
    list_filter = ["campaign"]
    list_select_related = ["campaign", "group", "user"]
    search_fields = ["group__name", "user__email", "user__full_name"]
    raw_id_fields = ["group", "user"]
    inlines = [ActivityInline]


@admin.register(LoanItem)
class LoanItemAdmin(admin.ModelAdmin):
    list_display = ["name", "quantity", "is_active"]
    search_fields = ["name"]


@admin.register(Loan)
class LoanAdmin(admin.ModelAdmin):
    """Read-only loans: the staff pages check availability on every change."""

    list_display = ["__str__", "participation", "starts_on", "ends_on", "status"]
    list_filter = ["status", "item"]
    list_select_related = ["item", "participation__campaign", "participation__user"]
    readonly_fields = [field.name for field in Loan._meta.fields]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Gallery)
class GalleryAdmin(admin.ModelAdmin):
    list_display = ["campaign", "is_public"]


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["caption", "credit", "status", "people", "created_at"]
    list_filter = ["status", "people"]
    list_select_related = ["participation__campaign"]
    raw_id_fields = ["participation", "uploaded_by", "reviewed_by"]
    readonly_fields = ["image", "statement_at", "withdrawn_at"]


@admin.register(PhotoExport)
class PhotoExportAdmin(admin.ModelAdmin):
    list_display = ["campaign", "status", "done", "total", "created_at"]
    readonly_fields = [field.name for field in PhotoExport._meta.fields]
