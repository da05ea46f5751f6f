"""Forms of the facilitator roster and the training pages."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic_portal.accounts.forms import NormalizedEmailField
from civic_portal.accounts.models import User
from facilitation.models import Facilitator, TrainingCourse
from groups.models import SupportCentre
from volunteering.forms import DateInput

# The range only catches typing mistakes such as 226 or 20260.
FISCAL_YEAR_MIN = 2000
FISCAL_YEAR_MAX = 2100


class PortalUserField(NormalizedEmailField):
    """An e-mail address that must belong to a portal account; cleans to the User."""

    def clean(self, value: object) -> User:  # type: ignore[override]
        email = super().clean(value)
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(
                _(
                    "No portal account uses the e-mail address %(email)s. "
                    "Ask the person to sign up first."
                ),
                code="unknown_user",
                params={"email": email},
            )
        return user


class FacilitatorForm(forms.Form):
    user = PortalUserField(
        label=_("E-mail address of the person"),
        help_text=_("The address of the person's portal account."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Facilitator.Kind.choices)


class AppointmentForm(forms.Form):
    centre = forms.ModelChoiceField(
        label=_("Support centre"), queryset=SupportCentre.objects.all()
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("Ends on"),
        required=False,
        widget=DateInput(),
        help_text=_("The last day of the appointment. Leave empty if open-ended."),
    )


LAST_DAY_ERRORS = {
    "invalid": _("Enter a valid last day, for example 2027-03-31."),
    "required": _("Enter a valid last day, for example 2027-03-31."),
}


class EndAppointmentForm(forms.Form):
    ends_on = forms.DateField(
        label=_("Last day"),
        widget=DateInput(),
        initial=timezone.localdate,
        error_messages=LAST_DAY_ERRORS,
    )


class DeactivateForm(forms.Form):
    on = forms.DateField(
        label=_("Last day as a facilitator"),
        widget=DateInput(),
        initial=timezone.localdate,
        help_text=_("Open appointments end on this day."),
        error_messages=LAST_DAY_ERRORS,
    )


class CourseForm(forms.ModelForm):
    fiscal_year = forms.IntegerField(
        label=_("Fiscal year"),
        min_value=FISCAL_YEAR_MIN,
        max_value=FISCAL_YEAR_MAX,
        help_text=_("The year the course starts in, for example 2026."),
    )

    class Meta:
        model = TrainingCourse
        fields = ["title", "fiscal_year", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    title = forms.CharField(label=_("Title"), max_length=200)


class EnrolForm(forms.Form):
    person = PortalUserField(
        label=_("E-mail address of the participant"),
        help_text=_("The address of the person's portal account."),
    )


class CompletionForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=User.objects.all(), widget=forms.HiddenInput
    )
    completed_on = forms.DateField(
        label=_("Completed on"), widget=DateInput(), initial=timezone.localdate
    )
