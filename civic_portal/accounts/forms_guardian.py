"""Forms of the centre staff screen for parents' and guardians' agreements."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civic_portal.accounts.forms import DateInput
from civic_portal.accounts.guardian_consent import STAFF_METHODS


class ResidentSearchForm(forms.Form):
    email = forms.EmailField(
        label=_("Resident's e-mail address"),
        help_text=_("The address the resident signs in with."),
    )


class GuardianConsentRecordForm(forms.Form):
    agreed_on = forms.DateField(
        label=_("Agreement given on"),
        widget=DateInput(),
        help_text=_("The date on the form, the mail or the visit."),
    )
    method = forms.ChoiceField(
        label=_("Received by"),
        choices=[(method.value, method.label) for method in STAFF_METHODS],
        widget=forms.RadioSelect,
    )


class GuardianConsentWithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawing"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the guardian asked by phone on 3 March."),
    )
