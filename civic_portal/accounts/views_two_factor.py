"""Two-factor log-in pages: verify, set-up, backup codes, overview, turn off.

The `next` target of the log-in page travels through verify and set-up as
a query parameter or hidden field, and is followed only when
url_has_allowed_host_and_scheme accepts it.
"""

import logging
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from civic_portal.accounts import two_factor
from civic_portal.accounts.forms_two_factor import (
    DisableForm,
    ReplaceForm,
    SetupForm,
    VerifyCodeForm,
)
from civic_portal.accounts.models import User
from civic_portal.security.ratelimit import RateLimitMixin

logger = logging.getLogger(__name__)

# Backup codes of a finished set-up, kept in the session until the codes
# page has shown them once.
BACKUP_CODES_SESSION_KEY = "two_factor_new_backup_codes"


def safe_next_url(request: HttpRequest) -> str:
    """Return the `next` target of *request* if it is safe, else ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        return target
    return ""


def _with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


@method_decorator(never_cache, name="dispatch")
class SignedInFormView(LoginRequiredMixin, FormView):
    """A form page of the signed-in user that may first redirect elsewhere."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        return self.redirect_first(request) or super().dispatch(
            request, *args, **kwargs
        )

    def redirect_first(self, request: HttpRequest) -> HttpResponse | None:
        """Return a redirect when the page does not apply to this user."""
        return None

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs


class CodeFormView(RateLimitMixin, SignedInFormView):
    """A form page that checks a two-factor code, with the two_factor rate limit."""

    rate_limit_scope = "two_factor"


class TwoFactorVerifyView(CodeFormView):
    """The second log-in step after the password."""

    template_name = "accounts/two_factor/verify.html"
    form_class = VerifyCodeForm

    def redirect_first(self, request: HttpRequest) -> HttpResponse | None:
        next_url = safe_next_url(request)
        if two_factor.is_session_verified(request):
            return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
        if not two_factor.has_confirmed_device(request.user):
            return redirect(_with_next("accounts:two_factor_setup", next_url))
        return None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["next"] = safe_next_url(self.request)
        return context

    def form_valid(self, form: VerifyCodeForm) -> HttpResponse:
        assert form.result is not None and form.result.device is not None
        two_factor.mark_session_verified(self.request, form.result.device)
        if form.result.used_backup_code:
            left = two_factor.backup_codes_left(cast(User, self.request.user))
            messages.warning(
                self.request,
                _(
                    "You used a backup code. You have %(count)s left. If you "
                    "lost your phone, set up your authenticator app again."
                )
                % {"count": left},
            )
        next_url = safe_next_url(self.request)
        return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


class TwoFactorSetupView(CodeFormView):
    """Add an authenticator app, or replace the current one.

    Replacing needs a code of the current app or a backup code as well,
    so a person with access to an open session alone cannot take
    over the second factor.
    """

    template_name = "accounts/two_factor/setup.html"

    def redirect_first(self, request: HttpRequest) -> HttpResponse | None:
        user = cast(User, request.user)
        # Only an existing authenticator app needs a code of its own to be
        # replaced. Backup codes alone (as `manage.py addstatictoken` gives
        # a locked-out administrator) are proven by the verified session.
        self.replacing = two_factor.totp_device_of(user) is not None
        verified = two_factor.is_session_verified(request)
        if two_factor.has_confirmed_device(user) and not verified:
            next_url = safe_next_url(request)
            return redirect(_with_next("accounts:two_factor_verify", next_url))
        self.device = two_factor.pending_totp_device(user)
        return None

    def get_form_class(self) -> type[SetupForm]:
        return ReplaceForm if self.replacing else SetupForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["device"] = self.device
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["replacing"] = self.replacing
        context["qr_svg"] = two_factor.totp_qr_svg(self.device)
        context["key_text"] = two_factor.totp_key_text(self.device)
        context["next"] = safe_next_url(self.request)
        context["required"] = two_factor.two_factor_required(self.request.user)
        return context

    def form_valid(self, form: SetupForm) -> HttpResponse:
        user = cast(User, self.request.user)
        codes = two_factor.confirm_totp_device(user=user, device=self.device)
        two_factor.mark_session_verified(self.request, self.device)
        self.request.session[BACKUP_CODES_SESSION_KEY] = codes
        next_url = safe_next_url(self.request)
        return redirect(_with_next("accounts:two_factor_backup_codes", next_url))


@method_decorator(never_cache, name="dispatch")
class TwoFactorBackupCodesView(LoginRequiredMixin, TemplateView):
    """Show the new backup codes once, right after set-up."""

    template_name = "accounts/two_factor/backup_codes.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
        if not codes:
            return redirect("accounts:two_factor")
        context = self.get_context_data(
            codes=codes,
            next=safe_next_url(request) or resolve_url(settings.LOGIN_REDIRECT_URL),
        )
        return self.render_to_response(context)


class TwoFactorOverviewView(LoginRequiredMixin, TemplateView):
    """The state of two-factor log-in, linked from the profile page."""

    template_name = "accounts/two_factor/overview.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = cast(User, self.request.user)
        context["device"] = two_factor.totp_device_of(user)
        context["backup_codes_left"] = two_factor.backup_codes_left(user)
        context["required"] = two_factor.two_factor_required(user)
        return context


class TwoFactorDisableView(CodeFormView):
    """Turn two-factor log-in off, for users whose role does not require it."""

    template_name = "accounts/two_factor/disable.html"
    form_class = DisableForm

    def redirect_first(self, request: HttpRequest) -> HttpResponse | None:
        if two_factor.two_factor_required(request.user):
            messages.error(
                request,
                _("Your role requires two-factor log-in, so it cannot be turned off."),
            )
            return redirect("accounts:two_factor")
        if not two_factor.has_confirmed_device(request.user):
            return redirect("accounts:two_factor")
        return None

    def form_valid(self, form: DisableForm) -> HttpResponse:
        user = cast(User, self.request.user)
        removed = two_factor.remove_devices(user=user)
        logger.info(
            "User %s turned two-factor log-in off (%s devices)", user.pk, removed
        )
        messages.success(self.request, _("Two-factor log-in is now off."))
        return redirect("accounts:two_factor")
