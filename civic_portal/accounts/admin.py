import logging

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from civic_portal.accounts import two_factor
from civic_portal.accounts.forms import NormalizedEmailField
from civic_portal.accounts.models import SentNotification, User
from civic_portal.audit.admin_mixins import AccessLogAdminMixin

logger = logging.getLogger(__name__)


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)
        field_classes = {"email": NormalizedEmailField}

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with this e-mail address already exists."),
                code="duplicate_email",
            )
        return email


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes = {"email": NormalizedEmailField}

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        taken = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("An account with this e-mail address already exists."),
                code="duplicate_email",
            )
        return email


@admin.register(User)
class UserAdmin(AccessLogAdminMixin, DjangoUserAdmin):
    """Django's user admin, keyed on the e-mail address instead of a username."""

    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ("email",)
    list_display = (
        "email",
        "full_name",
        "municipality",
        "occupation",
        "email_confirmed",
        "is_staff",
        "date_joined",
    )
    list_filter = (
        "occupation",
        "municipality",
        "is_staff",
        "email_confirmed",
        "is_superuser",
        "is_active",
        "groups",
    )
    list_select_related = ("municipality",)
    search_fields = ("email", "full_name", "name_kana")
    filter_horizontal = (
        "groups",
        "user_permissions",
        "interest_fields",
        "interest_municipalities",
    )
    readonly_fields = (
        "last_login",
        "date_joined",
        "privacy_consent_at",
        "privacy_notice_version",
        "guardian_consent_at",
        "matching_mail_last_sent_at",
    )
    fieldsets = (
        (None, {"fields": ("email", "password", "email_confirmed")}),
        (
            _("Profile"),
            {
                "fields": (
                    "full_name",
                    "name_kana",
                    "municipality",
                    "birth_date",
                    "occupation",
                    "phone",
                    "preferred_language",
                )
            },
        ),
        (
            _("Interests and matching mail"),
            {
                "fields": (
                    "interest_fields",
                    "interest_municipalities",
                    "matching_mail_frequency",
                    "matching_mail_last_sent_at",
                )
            },
        ),
        (
            _("Privacy consent"),
            {
                "fields": (
                    "privacy_consent_at",
                    "privacy_notice_version",
                    "guardian_consent_at",
                )
            },
        ),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )
    actions = ["reset_two_factor"]

    @admin.action(
        description=_("Reset two-factor log-in (the user sets it up again)"),
        permissions=["change"],
    )
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Delete the authenticator apps and backup codes of the chosen users.

        For a person who lost their phone and their backup codes: at the
        next log-in they set up a new app, or log in with the password
        alone if their role does not require two-factor log-in.
        """
        count = 0
        for user in queryset:
            removed = two_factor.remove_devices(user=user)
            logger.info(
                "Admin user %s reset two-factor log-in of user %s (%s devices)",
                request.user.pk,
                user.pk,
                removed,
            )
            count += 1
        message = ngettext(
            "Two-factor log-in was reset for %(count)d user.",
            "Two-factor log-in was reset for %(count)d users.",
            count,
        ) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)


@admin.register(SentNotification)
class SentNotificationAdmin(admin.ModelAdmin):
    """Sent mails, read-only, because each row stops a retried task from resending."""

    list_display = ("key", "recipient", "sent_at")
    list_select_related = ("recipient",)
    search_fields = ("key", "recipient__email")
    date_hierarchy = "sent_at"
    readonly_fields = ("key", "recipient", "sent_at")

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
