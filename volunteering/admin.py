import logging

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from civic_portal.accounts.models import User
from groups.admin import NormalizedSearchMixin

from .models import (
    Application,
    Attendance,
    PostPhoto,
    PostReport,
    PostRevision,
    ReportPhoto,
    VolunteerPost,
    VolunteerSession,
)
from .services import capacity
from .services.errors import ApplicationError
from .services.sessions import session_send_call

logger = logging.getLogger(__name__)

# Places are kept by volunteering.services under a row lock; the admin
# shows them but never edits them directly.
SESSION_READONLY = ["places_taken", "call_sent_at", "reminder_sent_at"]


class SessionInline(admin.TabularInline):
    model = VolunteerSession
    extra = 0
    fields = ["starts_at", "ends_at", "capacity", *SESSION_READONLY]
    readonly_fields = SESSION_READONLY


class PostPhotoInline(admin.TabularInline):
    model = PostPhoto
    extra = 0
    fields = ["image", "alt_text", "position"]


@admin.register(VolunteerPost)
class VolunteerPostAdmin(NormalizedSearchMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "group",
        "municipality",
        "activity_field",
        "kind",
        "status",
        "published_at",
    ]
    list_filter = [
        "status",
        "kind",
        "is_online",
        "welcomes_high_school",
        "auto_accept",
        "activity_field",
        "municipality",
    ]
    list_select_related = ["group", "municipality", "activity_field"]
    search_fields = ["title", "group__name", "place", "contact_name"]
    autocomplete_fields = ["group", "municipality", "activity_field"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["search_text", "published_at", "created_at", "updated_at"]
    date_hierarchy = "published_at"
    inlines = [SessionInline, PostPhotoInline]


@admin.register(VolunteerSession)
class VolunteerSessionAdmin(admin.ModelAdmin):
    list_display = ["post", "starts_at", "ends_at", "capacity", "places_taken"]
    list_filter = ["post__status", "post__municipality"]
    list_select_related = ["post"]
    search_fields = ["post__title", "post__group__name"]
    autocomplete_fields = ["post"]
    readonly_fields = SESSION_READONLY
    date_hierarchy = "starts_at"
    actions = ["send_call"]

    @admin.action(description=_("Invite interested residents to apply"))
    def send_call(
        self, request: HttpRequest, queryset: QuerySet[VolunteerSession]
    ) -> None:
        # The service enforces the rules for calls (once per session, soon,
        # with free places) and queues the mails after commit.
        assert isinstance(request.user, User)
        queued = 0
        for session in queryset.select_related("post"):
            try:
                session_send_call(session_id=session.pk, sent_by=request.user)
            except ApplicationError as error:
                logger.info("Admin call for session %s rejected", session.pk)
                self.message_user(
                    request, f"{session}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                queued += 1
        if queued:
            self.message_user(
                request,
                ngettext(
                    "The call for %(count)d session is being sent.",
                    "The calls for %(count)d sessions are being sent.",
                    queued,
                )
                % {"count": queued},
                messages.SUCCESS,
            )


@admin.register(PostPhoto)
class PostPhotoAdmin(admin.ModelAdmin):
    list_display = ["alt_text", "post", "position"]
    list_select_related = ["post"]
    search_fields = ["alt_text", "post__title"]
    autocomplete_fields = ["post"]


@admin.register(PostRevision)
class PostRevisionAdmin(admin.ModelAdmin):
    list_display = ["post", "changed_by", "changed_at"]
    list_select_related = ["post", "changed_by"]
    search_fields = ["post__title", "changed_by__email"]
    autocomplete_fields = ["post"]
    raw_id_fields = ["changed_by"]
    readonly_fields = ["changed_at"]
    date_hierarchy = "changed_at"


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "applicant",
        "post",
        "session",
        "activity_date",
        "party_size",
        "status",
        "created_at",
    ]
    list_filter = ["status", "post__municipality", "post__activity_field"]
    list_select_related = ["applicant", "post", "session__post"]
    search_fields = [
        "applicant__email",
        "applicant__full_name",
        "post__title",
        "team_name",
    ]
    autocomplete_fields = ["post"]
    raw_id_fields = ["applicant", "session"]
    date_hierarchy = "created_at"

    # Changing these on a saved application would move places without the
    # services' lock and waitlist rules; staff use the group pages instead.
    locked_after_creation = ["post", "session", "activity_date", "party_size", "status"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: Application | None = None
    ) -> list[str]:
        readonly = ["created_at", "decided_at", "confirmed_at", "cancelled_at"]
        if obj is not None:
            readonly += self.locked_after_creation
        return readonly

    def save_model(
        self, request: HttpRequest, obj: Application, form: ModelForm, change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new application that holds places takes them on its session,
        # as the services do.
        # NOTE: the admin does not check capacity; it may overbook a session.
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if obj.session_id is not None and obj.holds_places:
                session = capacity.lock_session(obj.session_id)
                capacity.adjust_places(session, obj.party_size)
        logger.info(
            "Application %s added in the admin by user %s", obj.pk, request.user.pk
        )


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["application", "status", "hours", "confirmed_at"]
    list_filter = ["status"]
    list_select_related = [
        "application__applicant",
        "application__post",
        "application__session__post",
    ]
    search_fields = [
        "application__applicant__email",
        "application__applicant__full_name",
        "application__post__title",
    ]
    raw_id_fields = ["application", "confirmed_by"]


class ReportPhotoInline(admin.TabularInline):
    model = ReportPhoto
    extra = 0


@admin.register(PostReport)
class PostReportAdmin(admin.ModelAdmin):
    list_display = ["title", "post", "session", "published_at"]
    list_select_related = ["post", "session__post"]
    search_fields = ["title", "body", "post__title"]
    autocomplete_fields = ["post"]
    raw_id_fields = ["session", "created_by"]
    date_hierarchy = "published_at"
    inlines = [ReportPhotoInline]


@admin.register(ReportPhoto)
class ReportPhotoAdmin(admin.ModelAdmin):
    list_display = ["alt_text", "report"]
    list_select_related = ["report"]
    search_fields = ["alt_text", "report__title"]
    raw_id_fields = ["report"]
