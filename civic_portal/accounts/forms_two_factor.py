"""Forms of two-factor log-in: verify, set-up, replace and turn off."""

import math
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from civic_portal.accounts import two_factor
from civic_portal.accounts.models import User
from civic_portal.accounts.two_factor import CodeCheck, CodeResult

CODE_MAX_LENGTH = 32


def wait_text(seconds: int) -> str:
    """Return a wait as "N seconds" below a minute, else as whole minutes rounded up."""
    if seconds < 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {
            "count": seconds
        }
    minutes = -(-seconds // 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {
        "count": minutes
    }


def _throttled_error(result: CodeResult) -> ValidationError:
    if result.retry_at is None:
        return ValidationError(
            _("Too many wrong codes. Wait a moment and try again."),
            code="throttled",
        )
    seconds = math.ceil((result.retry_at - timezone.now()).total_seconds())
    retry_at = formats.time_format(timezone.localtime(result.retry_at), "H:i:s")
    return ValidationError(
        _("Too many wrong codes. Wait %(wait)s and try again, from %(time)s."),
        code="throttled",
        params={"wait": wait_text(max(seconds, 1)), "time": retry_at},
    )


def _raise_unless_accepted(result: CodeResult, invalid: ValidationError) -> None:
    if result.check is CodeCheck.THROTTLED:
        raise _throttled_error(result)
    if result.check is not CodeCheck.ACCEPTED:
        raise invalid


class CodeField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", CODE_MAX_LENGTH)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"autocomplete": "one-time-code", "autocapitalize": "off"}
            ),
        )
        super().__init__(**kwargs)


class VerifyCodeForm(forms.Form):
    """The second log-in step: an authenticator code or a backup code."""

    code = CodeField(
        label=_("Code"),
        help_text=_(
            "The 6-digit code from your authenticator app, or one of your backup codes."
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.result: CodeResult | None = None

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        self.result = two_factor.verify_user_code(self.user, code)
        _raise_unless_accepted(
            self.result,
            ValidationError(
                _(
                    "This code is not valid. Check the time on your phone and "
                    "enter the code your app shows now, or use a backup code."
                ),
                code="invalid",
            ),
        )
        return code


class CurrentCodeMixin(forms.Form):
    """A field for a code of the device the user has now, to prove they have it."""

    current_code = CodeField(
        label=_("Code from your current authenticator app or a backup code"),
    )

    user: User
    current_result: CodeResult | None = None

    def clean_current_code(self) -> str:
        code = self.cleaned_data["current_code"]
        self.current_result = two_factor.verify_user_code(self.user, code)
        _raise_unless_accepted(
            self.current_result,
            ValidationError(
                _("This code is not valid for your current authenticator app."),
                code="invalid",
            ),
        )
        return code


class SetupForm(forms.Form):
    """Confirm a new authenticator app with a code it shows."""

    code = CodeField(
        label=_("Code from the app"),
        help_text=_("The 6-digit code your authenticator app shows for this portal."),
    )

    def __init__(
        self, *args: Any, user: User, device: TOTPDevice, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = device

    def clean_code(self) -> str:
        code = two_factor.normalize_code(self.cleaned_data["code"])
        if not two_factor.is_totp_code(code):
            raise ValidationError(
                _("Enter the 6 digits that your authenticator app shows."),
                code="invalid",
            )
        _raise_unless_accepted(
            two_factor.check_code(self.device, code),
            ValidationError(
                _(
                    "This code does not match the new key. Check that the app "
                    "added the key shown on this page and that the time on "
                    "your phone is right."
                ),
                code="invalid",
            ),
        )
        return code


class ReplaceForm(CurrentCodeMixin, SetupForm):
    """Set up a new app while the old one is still confirmed."""

    field_order = ["current_code", "code"]

    def clean_code(self) -> str:
        # Without a valid current code the new one is not checked, so a
        # failed attempt does not use up a code of the new app.
        if "current_code" in self.errors:
            return self.cleaned_data["code"]
        return super().clean_code()


class DisableForm(CurrentCodeMixin):
    """Turn two-factor log-in off, for users whose role does not require it."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
