"""Account pages: sign-up and confirmation, log-in, passwords, profile, My page.

A new account cannot log in until its e-mail address is confirmed. The
address is the log-in name and the only channel for password resets and
application mails, so the portal opens no session for an address that
might belong to someone else. One check at log-in also covers every page
and API call that needs a signed-in user.
"""

import datetime as dt
import logging
from typing import Any, cast

from axes.helpers import get_cool_off
from axes.utils import reset as reset_login_attempts
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView, UpdateView

from civic_portal.accounts import selectors, services
from civic_portal.accounts.forms import (
    LoginForm,
    PortalPasswordResetForm,
    ProfileForm,
    ResendConfirmationForm,
    SignUpForm,
)
from civic_portal.accounts.models import User
from civic_portal.accounts.tokens import TokenState, check_confirmation_token
from civic_portal.fiscal import JAPAN
from civic_portal.security.ratelimit import RateLimitMixin
from facilitation.permissions import is_facilitator
from groups.permissions import is_centre_staff, is_prefectural_staff
from probono.permissions import is_concierge

logger = logging.getLogger(__name__)

SIGNUP_EMAIL_SESSION_KEY = "accounts_signup_email"


class SignUpView(FormView):
    template_name = "accounts/signup.html"
    form_class = SignUpForm
    success_url = reverse_lazy("accounts:signup_done")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            return redirect("accounts:dashboard")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"preferred_language": translation.get_language() or "ja"}

    def form_valid(self, form: SignUpForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            services.user_sign_up(
                email=data["email"],
                password=data["password1"],
                full_name=data["full_name"],
                name_kana=data["name_kana"],
                municipality=data["municipality"],
                birth_date=data["birth_date"],
                occupation=data["occupation"],
                preferred_language=data["preferred_language"],
                guardian_consent=data["guardian_consent"],
            )
        except ValidationError as error:
            field = "email" if error.code == "duplicate_email" else None
            form.add_error(field, error)
            return self.form_invalid(form)
        self.request.session[SIGNUP_EMAIL_SESSION_KEY] = data["email"]
        return super().form_valid(form)


class SignUpDoneView(TemplateView):
    template_name = "accounts/signup_done.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["email"] = self.request.session.get(SIGNUP_EMAIL_SESSION_KEY, "")
        return context


class ConfirmEmailView(View):
    """Confirm an address from the link in the sign-up mail."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        check = check_confirmation_token(token)
        if check.state is TokenState.VALID and check.user is not None:
            services.user_confirm_email(user=check.user)
            messages.success(
                request, _("Your e-mail address is confirmed. You can now log in.")
            )
            return redirect("accounts:login")
        if check.state is TokenState.USED:
            messages.info(
                request,
                _(
                    "This link has already been used. Your e-mail address is "
                    "confirmed, so you can log in."
                ),
            )
            return redirect("accounts:login")

        if check.state is TokenState.EXPIRED:
            problem = _("This confirmation link has expired. Ask for a new link below.")
        else:
            problem = _(
                "This confirmation link is not valid. It may have been copied "
                "incompletely or replaced by a newer link. Ask for a new link "
                "below."
            )
        logger.info("Confirmation link rejected: %s", check.state.value)
        context = {"problem": problem, "form": ResendConfirmationForm()}
        template = "accounts/confirm_email_failed.html"
        return render(request, template, context, status=400)


class ResendConfirmationView(FormView):
    template_name = "accounts/resend_confirmation.html"
    form_class = ResendConfirmationForm
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form: ResendConfirmationForm) -> HttpResponse:
        services.user_resend_confirmation(email=form.cleaned_data["email"])
        # The same message whether or not the address has an unconfirmed
        # account, so the form reveals nothing about who is registered.
        messages.info(
            self.request,
            _(
                "If this address belongs to an account that is not confirmed "
                "yet, we have sent a new confirmation mail. Please check your "
                "inbox in a few minutes."
            ),
        )
        return super().form_valid(form)


class LoginView(RateLimitMixin, auth_views.LoginView):
    rate_limit_scope = "login"
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Django's log-out view, which accepts only POST."""


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """Render the lockout page with the time, in Japan time, to try again.

    django-axes calls this (AXES_LOCKOUT_CALLABLE) instead of rendering
    AXES_LOCKOUT_TEMPLATE itself, because its own context has only the
    cool-off length, not the time a person can act on.
    """
    cool_off = get_cool_off(request) or dt.timedelta(hours=1)
    # NOTE: counting from now is right only while the setting
    # AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT keeps its default (True in
    # django-axes 8.3), because then every rejected attempt restarts the wait.
    retry_at = (timezone.now() + cool_off).astimezone(JAPAN)
    context = {
        "retry_at": retry_at,
        "cool_off_minutes": int(cool_off.total_seconds() // 60),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    logger.warning("Log-in locked out after %s failures", settings.AXES_FAILURE_LIMIT)
    return render(request, "accounts/locked_out.html", context, status=429)


class PasswordResetView(RateLimitMixin, auth_views.PasswordResetView):
    rate_limit_scope = "password_reset"
    template_name = "accounts/password_reset_form.html"
    form_class = PortalPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        if self.user is None:
            return response
        # The reset link arrived by mail, which proves the address too.
        if not self.user.email_confirmed:
            services.user_confirm_email(user=self.user)
        # The lockout page offers a password reset as the way back in, so a
        # new password ends the lockout instead of waiting for the cool-off.
        removed = reset_login_attempts(username=self.user.email)
        logger.info(
            "Password reset by user %s removed %s log-in failure records",
            self.user.pk,
            removed,
        )
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class ProfileView(LoginRequiredMixin, UpdateView):
    template_name = "accounts/profile.html"
    form_class = ProfileForm
    success_url = reverse_lazy("accounts:profile")

    def get_object(self, queryset: Any = None) -> User:
        return self.request.user  # type: ignore[return-value]

    def form_valid(self, form: ModelForm) -> HttpResponse:
        user = form.save()
        logger.info("User %s updated the profile", user.pk)
        language = user.preferred_language
        translation.activate(language)
        messages.success(self.request, _("Your profile has been saved."))
        response = HttpResponseRedirect(self.get_success_url())
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = cast(User, self.request.user)
        context["staff_groups"] = list(selectors.user_staff_groups(user=user))
        context["is_centre_staff"] = is_centre_staff(user)
        context["is_prefectural_staff"] = is_prefectural_staff(user)
        context["is_concierge"] = is_concierge(user)
        context["is_facilitator"] = is_facilitator(user)
        context["profile_url"] = reverse("accounts:profile")
        return context


class PrivacyConsentView(LoginRequiredMixin, View):
    """Record agreement to the current privacy notice from My page."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        services.user_record_privacy_consent(user=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Thank you. Your agreement has been recorded."))
        return redirect("accounts:dashboard")
