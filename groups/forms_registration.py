"""Forms for registering a group, reviewing it and managing its staff.

The forms normalise what people type (full-width digits, any kind of
hyphen) and check types and required fields. The services in
groups/services check the rules and raise ValidationError, which the
views attach to the bound form, so what the user typed stays on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from civic_portal.accounts.forms import NormalizedEmailField
from groups.models import (
    ActivityField,
    Certification,
    CivicGroup,
    GroupChangeRequest,
    GroupMembership,
    GroupReview,
)
from groups.normalize import (
    clean_corporate_number,
    clean_group_name,
    clean_phone,
    clean_postal_code,
)
from groups.services.profile import PROFILE_FIELDS
from groups.services.registration import CONDITIONS, REGISTRATION_FIELDS

MAX_SOCIAL_LINKS = 5

PUBLIC_NOTE = _("Shown on the group's public page.")
PRIVATE_NOTE = _(
    "Private: only the group's staff and support centre staff see these "
    "details. They never appear on public pages or in public API results "
    "and exports."
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class SocialLinksField(forms.CharField):
    """Web addresses of social media pages, one a line, stored as a list."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        # A list arrives from the API's JSON, text from the form's textarea.
        # Both are checked alike.
        if isinstance(value, list | tuple):
            if not all(isinstance(item, str) for item in value):
                raise ValidationError(
                    _("Enter each social media link as a web address."),
                    code="invalid_link",
                )
            lines = list(value)
        else:
            lines = (super().to_python(value) or "").splitlines()
        links = [line.strip() for line in lines if line.strip()]
        if len(links) > MAX_SOCIAL_LINKS:
            raise ValidationError(
                _("Enter at most %(max)d addresses.") % {"max": MAX_SOCIAL_LINKS},
                code="max_links",
            )
        validate_url = URLValidator(schemes=["http", "https"])
        for link in links:
            try:
                validate_url(link)
            except ValidationError:
                raise ValidationError(
                    _("This is not a valid web address: %(link)s") % {"link": link},
                    code="invalid_link",
                ) from None
        return links


@dataclass
class Fieldset:
    """A titled part of a form that templates/accounts/_form_fields.html can render.

    It offers the parts of a form's interface that the template reads;
    its errors are empty because the whole form's summary comes first.
    """

    legend: Any
    fields: list[forms.BoundField]
    # Text shown under the legend, for example who can see the fields.
    note: Any = ""
    errors: tuple[()] = ()

    def visible_fields(self) -> list[forms.BoundField]:
        return self.fields

    def hidden_fields(self) -> list[forms.BoundField]:
        return []


class GroupProfileForm(forms.ModelForm):
    """The fields that group staff fill in on the profile, grouped in fieldsets.

    Subclasses name their fields in `fieldset_layout` as (legend, field
    names, note) triples. The template walks `fieldsets()` so that a long
    form reads in short sections on a phone, and each note tells whether
    the section is published.
    """

    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )
    social_links = SocialLinksField(
        label=_("Social media links"),
        required=False,
        help_text=_("One web address a line, at most five."),
    )
    activity_fields = forms.ModelMultipleChoiceField(
        queryset=ActivityField.objects.all(),
        label=_("Activity fields"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose every field the group works in."),
    )

    REQUIRED: tuple[str, ...] = (
        "representative",
        "municipality",
        "description",
        "contact_name",
        "contact_email",
    )
    fieldset_layout: tuple[tuple[Any, tuple[str, ...], Any], ...] = (
        (
            _("About the group"),
            (
                "representative",
                "founded_on",
                "member_count",
                "activity_fields",
                "description",
            ),
            PUBLIC_NOTE,
        ),
        (_("Address"), ("municipality", "postal_code", "address"), PUBLIC_NOTE),
        (
            _("Public contact and links"),
            ("public_email", "public_phone", "website", "social_links"),
            PUBLIC_NOTE,
        ),
        (
            _("Private contact (not shown in public)"),
            ("contact_name", "contact_email", "contact_phone"),
            PRIVATE_NOTE,
        ),
    )

    class Meta:
        model = CivicGroup
        fields = [*PROFILE_FIELDS, "activity_fields"]
        widgets = {
            "founded_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        # Each private field repeats its section's note, for a reader who
        # reads a single field.
        help_texts = {
            "contact_email": _(
                "Seen only by the group's staff and support centre staff."
            ),
            "contact_phone": _(
                "Seen only by the group's staff and support centre staff."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.REQUIRED:
            if name in self.fields:
                self.fields[name].required = True
        municipality = self.fields["municipality"]
        assert isinstance(municipality, forms.ModelChoiceField)
        municipality.empty_label = _("Choose a municipality")

    def clean_postal_code(self) -> str:
        return clean_postal_code(self.cleaned_data.get("postal_code", ""))

    def clean_public_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("public_phone", ""))

    def clean_contact_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("contact_phone", ""))

    def fieldsets(self) -> list[Fieldset]:
        return [
            Fieldset(
                legend, [self[name] for name in names if name in self.fields], note
            )
            for legend, names, note in self.fieldset_layout
        ]

    def group_fields(self) -> dict[str, Any]:
        """Return the cleaned values of the group's own (not many-to-many) fields."""
        return {
            name: self.cleaned_data[name]
            for name in (*REGISTRATION_FIELDS, "wants_probono")
            if name in self.cleaned_data
        }


class RegistrationForm(GroupProfileForm):
    """An application to register a group, with the four-condition declaration.

    The corporate number is a plain form field, not a model field of this
    form, so that its uniqueness is checked by the service with a clear
    message instead of by the model's constraint.
    """

    corporate_number = forms.CharField(
        label=_("Corporate number"),
        required=False,
        max_length=40,
        help_text=_(
            "The 13-digit number of a corporation (法人番号). Required for "
            "corporations; full-width digits and hyphens are accepted."
        ),
    )

    REQUIRED = ("name", "name_kana", "legal_form", *GroupProfileForm.REQUIRED)
    fieldset_layout = (
        (
            _("Name and legal form"),
            ("name", "name_kana", "legal_form", "corporate_number"),
            PUBLIC_NOTE,
        ),
        *GroupProfileForm.fieldset_layout,
        (_("Declaration"), tuple(f"declare_{key}" for key in CONDITIONS), ""),
    )

    class Meta(GroupProfileForm.Meta):
        fields = [
            name for name in REGISTRATION_FIELDS if name != "corporate_number"
        ] + ["activity_fields"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name_kana"].help_text = _("The reading of the name in hiragana.")
        declared = bool(self.instance.pk and self.instance.declared_conditions_at)
        for key, text in CONDITIONS.items():
            self.fields[f"declare_{key}"] = forms.BooleanField(
                label=text,
                required=True,
                initial=declared,
                error_messages={"required": _("Tick this box to declare it.")},
            )
        if self.instance.pk:
            self.initial.setdefault("corporate_number", self.instance.corporate_number)

    def clean_name(self) -> str:
        return clean_group_name(self.cleaned_data.get("name", ""))

    def clean_corporate_number(self) -> str:
        return clean_corporate_number(self.cleaned_data.get("corporate_number", ""))

    def declared_conditions(self) -> bool:
        return all(self.cleaned_data.get(f"declare_{key}") for key in CONDITIONS)

    def application(self) -> dict[str, Any]:
        """Return the keyword arguments that the registration services take."""
        return {
            "fields": self.group_fields(),
            "activity_fields": self.cleaned_data["activity_fields"],
            "declared_conditions": self.declared_conditions(),
        }


class ChangeRequestForm(forms.ModelForm):
    """A change of the legal facts; empty fields keep the current value."""

    legal_form = forms.ChoiceField(
        label=_("Legal form"),
        required=False,
        choices=[("", _("Unchanged")), *CivicGroup.LegalForm.choices],
    )
    corporate_number = forms.CharField(
        label=_("Corporate number"),
        required=False,
        max_length=40,
        help_text=_("13 digits; full-width digits and hyphens are accepted."),
    )
    certification_kind = forms.ChoiceField(
        label=_("New certification"),
        required=False,
        choices=[("", _("None")), *Certification.Kind.choices],
        help_text=_("For a certification or its renewal granted to the corporation."),
    )

    class Meta:
        model = GroupChangeRequest
        fields = [
            "name",
            "name_kana",
            "legal_form",
            "corporate_number",
            "certification_kind",
            "certified_on",
            "note",
        ]
        widgets = {
            "certified_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"certified_on": _("Certified on")}

    def clean_name(self) -> str:
        return clean_group_name(self.cleaned_data.get("name", ""))

    def clean_corporate_number(self) -> str:
        return clean_corporate_number(self.cleaned_data.get("corporate_number", ""))

    def request_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class DecisionForm(forms.Form):
    """A reviewer's decision on an application or a change request."""

    action = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (GroupReview.Action.APPROVED, _("Approve")),
            (GroupReview.Action.CHANGES_REQUESTED, _("Ask for changes")),
            (GroupReview.Action.REJECTED, _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason or message to the applicant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Required to ask for changes or to reject. Sent to the applicant by mail."
        ),
    )


class InvitationForm(forms.Form):
    # The same field as sign-up, so a full-width address is accepted.
    email = NormalizedEmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=GroupMembership.Role.choices,
        initial=GroupMembership.Role.EDITOR,
        help_text=_(
            "Admins can also invite and remove staff; editors edit the profile, "
            "posts and events."
        ),
    )


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CivicGroup.Status.choices)
    effective_on = forms.DateField(label=_("From"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class CertificationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Certification.Kind.choices)
    certified_on = forms.DateField(label=_("Certified on"), widget=DateInput())
