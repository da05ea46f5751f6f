from django.contrib import admin

from civic_portal.jobs.models import PendingTask


@admin.register(PendingTask)
class PendingTaskAdmin(admin.ModelAdmin):
    list_display = ("name", "created_at", "attempts", "last_error")
    list_filter = ("name",)
    search_fields = ("name",)
    readonly_fields = (
        "name",
        "args",
        "kwargs",
        "options",
        "created_at",
        "attempts",
        "last_error",
    )

    def has_add_permission(self, request: object) -> bool:
        return False
