"""Forms for enrolling, choosing an export's date range and naming a teacher."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from partner_links.models import PointsProgramme
from partner_links.services.programmes import validate_membership_id
from volunteering.forms import DateInput


class EnrolForm(forms.Form):
    membership_id = forms.CharField(label=_("Membership id"), max_length=50)
    consent = forms.BooleanField(
        label=_(
            "I agree that the portal shares the data listed above with the "
            "partner until I withdraw."
        ),
    )

    def __init__(self, *args: Any, programme: PointsProgramme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        if programme.membership_id_example:
            self.fields["membership_id"].help_text = _(
                "As printed on your membership card, for example %(example)s."
            ) % {"example": programme.membership_id_example}
        self.fields["membership_id"].widget.attrs["autocomplete"] = "off"

    def clean_membership_id(self) -> str:
        value = self.cleaned_data["membership_id"]
        return validate_membership_id(self.programme, value)


class DateRangeForm(forms.Form):
    """Activity days from *since* to *until*, both included."""

    since = forms.DateField(label=_("Activities from"), widget=DateInput())
    until = forms.DateField(label=_("Activities until"), widget=DateInput())

    def __init__(self, *args: Any, required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = required

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        since: dt.date | None = cleaned_data.get("since")
        until: dt.date | None = cleaned_data.get("until")
        if since and until and since > until:
            raise ValidationError(
                _("The first day is after the last day. Swap the two dates."),
                code="range_reversed",
            )
        return cleaned_data


class SchoolLinkForm(forms.Form):
    school_name = forms.CharField(label=_("School name"), max_length=200)
    teacher_name = forms.CharField(label=_("Teacher's name"), max_length=100)
    teacher_email = forms.EmailField(
        label=_("Teacher's e-mail address"),
        help_text=_(
            "The school address your teacher uses. The teacher gets a mail "
            "and signs in to the portal with this address."
        ),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that this teacher sees my record of confirmed volunteer "
            "hours until I stop sharing."
        ),
    )
