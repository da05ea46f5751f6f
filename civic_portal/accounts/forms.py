"""Account forms: sign-up, log-in, confirmation resend, profile, password reset."""

import datetime as dt
import re
import unicodedata
from typing import Any, cast

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    BaseUserCreationForm,
    PasswordResetForm,
)
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic_portal.accounts import ages
from civic_portal.accounts.models import User
from civic_portal.fiscal import JAPAN
from civic_portal.text import normalize_digits
from groups.models import ActivityField, Municipality

# Hiragana, katakana, the prolonged sound mark, the middle dot and spaces.
_KANA_NAME = re.compile(
    r"^[\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc-\u30fe・ 　]+$"
)

# Digits with the separators people write in phone numbers: spaces,
# brackets and the hyphen and dash characters.
_PHONE_SEPARATORS = re.compile(r"[\d\s()\-‐‑‒–—―−ー]*")

# Largest value of the 64-bit primary keys (BigAutoField).
_MAX_PK = 2**63 - 1


def _is_valid_pk(value: Any) -> bool:
    try:
        return 0 < int(str(value)) <= _MAX_PK
    except ValueError:
        return False


class ModelChoiceField(forms.ModelChoiceField):
    """A choice of one row that rejects ids the database cannot store.

    Django passes any integer to the query, where SQLite raises
    OverflowError, so such input gets the usual invalid-choice message
    instead.
    """

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not _is_valid_pk(value):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A choice of several rows that rejects ids the database cannot store."""

    def _check_values(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else []:
            if not _is_valid_pk(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        # django-stubs 5.x does not declare this private Django method.
        return super()._check_values(value)  # type: ignore[misc]


class NormalizedEmailField(forms.EmailField):
    """An e-mail field that accepts full-width input and compares in lower case."""

    def to_python(self, value: Any) -> str:
        value = unicodedata.normalize("NFKC", value or "")
        return (super().to_python(value) or "").lower()


def clean_name_kana(value: str) -> str:
    """Return the reading in full-width kana, or raise if it is not kana."""
    value = unicodedata.normalize("NFKC", value).strip()
    if not _KANA_NAME.match(value):
        raise ValidationError(
            _("Enter the reading of your name in hiragana or katakana."),
            code="invalid_kana",
        )
    return value


# A birth date further back than this is taken as a typing error.
MAX_AGE_YEARS = 120


def years_before(day: dt.date, years: int) -> dt.date:
    """Return the same calendar day *years* earlier, or 28 February for a 29th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def clean_birth_date(value: dt.date | None) -> dt.date | None:
    """Reject a birth date in the future or more than 120 years ago, in Japan time."""
    if value is None:
        return value
    today = timezone.now().astimezone(JAPAN).date()
    if value > today:
        raise ValidationError(
            _("The birth date cannot be in the future."), code="future"
        )
    earliest = years_before(today, MAX_AGE_YEARS)
    if value < earliest:
        raise ValidationError(
            _(
                "The birth date cannot be more than %(years)d years ago. "
                "Check the year."
            ),
            code="too_old",
            params={"years": MAX_AGE_YEARS},
        )
    return value


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


MUNICIPALITY_EMPTY_LABEL = _("Outside Yamaguchi Prefecture")


class SignUpForm(BaseUserCreationForm):
    """A new resident's account, with Django's password checks."""

    privacy_consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree to it"),
        error_messages={
            "required": _("You must agree to the privacy notice to create an account.")
        },
    )

    guardian_consent = forms.BooleanField(
        label=_("A parent or guardian agrees to my signing up"),
        required=False,
    )

    class Meta:
        model = User
        fields = (
            "email",
            "full_name",
            "name_kana",
            "municipality",
            "birth_date",
            "occupation",
            "preferred_language",
        )
        field_classes = {
            "email": NormalizedEmailField,
            "municipality": ModelChoiceField,
        }
        widgets = {
            "birth_date": DateInput(),
        }
        help_texts = {
            "email": _("You log in with this address; we send a link to confirm it."),
            "name_kana": _("In hiragana or katakana, for example やまぐち たろう."),
            "birth_date": _(
                "Some activities have age rules, and high-school certification "
                "needs it."
            ),
            "preferred_language": _("Pages and mails use this language."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("full_name", "name_kana", "birth_date", "occupation"):
            self.fields[name].required = True
        municipality = cast(forms.ModelChoiceField, self.fields["municipality"])
        municipality.empty_label = MUNICIPALITY_EMPTY_LABEL
        municipality.help_text = _("Where you live.")
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["birth_date"].widget.attrs["autocomplete"] = "bday"
        # Set here rather than on the field so that the text is translated
        # into the language of the request.
        self.fields["guardian_consent"].help_text = _(
            "Required if you are under %(age)d on the day you sign up. We "
            "record when you confirmed it."
        ) % {"age": ages.AGE_OF_MAJORITY}

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _("An account with this e-mail address already exists."),
                code="duplicate_email",
            )
        return email

    def clean_name_kana(self) -> str:
        return clean_name_kana(self.cleaned_data["name_kana"])

    def clean_birth_date(self) -> dt.date | None:
        return clean_birth_date(self.cleaned_data["birth_date"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned_data = self.cleaned_data
        birth_date = cleaned_data.get("birth_date")
        if birth_date is None:
            return cleaned_data
        try:
            ages.validate_signup_age(
                birth_date,
                guardian_consent=bool(cleaned_data.get("guardian_consent")),
                day=ages.today_in_japan(),
            )
        except ValidationError as error:
            if error.code == "below_signup_age":
                self.add_error("birth_date", error)
            else:
                self.add_error("guardian_consent", error)
        return cleaned_data


class LoginForm(AuthenticationForm):
    """Log-in by e-mail address and password, closed to unconfirmed addresses."""

    username = NormalizedEmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        "invalid_login": _(
            "The e-mail address or password is incorrect. Check both and try again."
        ),
        "inactive": _("This account is closed."),
        "email_not_confirmed": _(
            "Your e-mail address is not confirmed yet. Open the link in the "
            "confirmation mail, or ask for a new mail."
        ),
    }

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not user.email_confirmed:
            raise ValidationError(
                self.error_messages["email_not_confirmed"],
                code="email_not_confirmed",
            )


class ResendConfirmationForm(forms.Form):
    email = NormalizedEmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PhoneField(forms.CharField):
    """A Japanese phone number; full-width digits and hyphens are accepted."""

    def to_python(self, value: Any) -> str:
        typed = unicodedata.normalize("NFKC", super().to_python(value) or "")
        typed = typed.strip()
        # Keep other characters, such as letters, so that validation rejects
        # them instead of silently saving the digits alone.
        if _PHONE_SEPARATORS.fullmatch(typed):
            return normalize_digits(typed)
        return typed

    def validate(self, value: str) -> None:
        super().validate(value)
        if value and not re.fullmatch(r"0\d{9,10}", value):
            raise ValidationError(
                _(
                    "Enter a Japanese phone number of 10 or 11 digits starting "
                    "with 0, for example 083-933-2000."
                ),
                code="invalid_phone",
            )


class ProfileForm(forms.ModelForm):
    phone = PhoneField(
        label=_("Phone number"),
        required=False,
        max_length=20,
        help_text=_("Shown only to groups that accept you for an activity."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    class Meta:
        model = User
        fields = (
            "full_name",
            "name_kana",
            "municipality",
            "birth_date",
            "occupation",
            "phone",
            "preferred_language",
            "interest_fields",
            "interest_municipalities",
            "matching_mail_frequency",
        )
        field_classes = {
            "municipality": ModelChoiceField,
            "interest_fields": ModelMultipleChoiceField,
            "interest_municipalities": ModelMultipleChoiceField,
        }
        widgets = {
            "birth_date": DateInput(),
            "interest_fields": forms.CheckboxSelectMultiple,
            "interest_municipalities": forms.CheckboxSelectMultiple,
            "matching_mail_frequency": forms.RadioSelect,
        }
        help_texts = {
            "name_kana": SignUpForm.Meta.help_texts["name_kana"],
            "preferred_language": _(
                "Pages and mails use this language; saving also switches this site."
            ),
            "interest_fields": _("Matching mails suggest posts in these fields."),
            "interest_municipalities": _(
                "Matching mails suggest posts in these municipalities."
            ),
            "matching_mail_frequency": _(
                "How often we send new posts that match your interests."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("full_name", "name_kana", "birth_date", "occupation"):
            self.fields[name].required = True
        fields = cast(dict[str, forms.ModelChoiceField], self.fields)
        fields["municipality"].empty_label = MUNICIPALITY_EMPTY_LABEL
        fields["interest_fields"].queryset = ActivityField.objects.all()
        fields["interest_municipalities"].queryset = Municipality.objects.all()

    def clean_name_kana(self) -> str:
        return clean_name_kana(self.cleaned_data["name_kana"])

    def clean_birth_date(self) -> dt.date | None:
        """Validate a changed birth date against the sign-up age rules.

        A minor's account needs a guardian's agreement recorded at sign-up,
        so the profile rejects a change that makes the person a minor
        without one.
        """
        birth_date = clean_birth_date(self.cleaned_data["birth_date"])
        if birth_date is None or birth_date == self.initial.get("birth_date"):
            return birth_date
        try:
            ages.validate_signup_age(
                birth_date,
                guardian_consent=self.instance.guardian_consent_at is not None,
                day=ages.today_in_japan(),
            )
        except ValidationError as error:
            if error.code != "guardian_consent_required":
                raise
            raise ValidationError(
                _(
                    "With this birth date you are under %(age)d, and no parent's "
                    "or guardian's agreement is on record for this account. "
                    "Check the date, or ask a support centre to record the "
                    "agreement."
                ),
                code="guardian_consent_required",
                params={"age": ages.AGE_OF_MAJORITY},
            ) from error
        return birth_date


class PortalPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the mail sent by a task in the user's language."""

    email = NormalizedEmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def send_mail(  # type: ignore[override]
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from civic_portal.accounts.services import user_queue_password_reset_mail

        user_queue_password_reset_mail(user=context["user"])
