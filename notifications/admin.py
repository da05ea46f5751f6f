from django.contrib import admin

from notifications.models import (
    LineLink,
    LineLinkNonce,
    LineLinkToken,
    LineMessage,
    LineWebhookEvent,
)


@admin.register(LineLink)
class LineLinkAdmin(admin.ModelAdmin):
    list_display = ["user", "delivery", "linked_at", "consecutive_failures"]
    list_filter = ["delivery"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name"]
    raw_id_fields = ["user"]
    readonly_fields = ["line_user_id", "linked_at", "switched_to_mail_at"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by the linking flow or the webhook; admins only read them."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(LineLinkToken)
class LineLinkTokenAdmin(ReadOnlyAdmin):
    list_display = ["pk", "issued_at", "expires_at", "used_at"]
    exclude = ["token_hash"]


@admin.register(LineLinkNonce)
class LineLinkNonceAdmin(ReadOnlyAdmin):
    list_display = ["pk", "user", "created_at", "expires_at", "used_at"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    exclude = ["nonce_hash"]


@admin.register(LineMessage)
class LineMessageAdmin(ReadOnlyAdmin):
    list_display = ["key", "user", "status", "attempts", "created_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["user"]
    search_fields = ["key", "user__email"]
    exclude = ["mail_body", "mail_headers"]


@admin.register(LineWebhookEvent)
class LineWebhookEventAdmin(ReadOnlyAdmin):
    list_display = ["webhook_event_id", "event_type", "received_at"]
    list_filter = ["event_type"]
