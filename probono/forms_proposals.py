"""Forms for proposing workers, replying to proposals and saying one is interested."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from probono.models import ProbonoWorker
from probono.services import proposals as proposal_services


class ProposeForm(forms.Form):
    worker = forms.ModelChoiceField(
        queryset=ProbonoWorker.objects.all(), widget=forms.HiddenInput
    )
    message = forms.CharField(
        label=_("message to the worker"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why you think the worker fits the request, and what comes next."),
    )
    reply_days = forms.IntegerField(
        label=_("days to reply"),
        initial=proposal_services.DEFAULT_REPLY_DAYS,
        min_value=proposal_services.MIN_REPLY_DAYS,
        max_value=proposal_services.MAX_REPLY_DAYS,
        help_text=_("The proposal lapses if the worker has not replied by then."),
    )


class AcceptForm(forms.Form):
    note = forms.CharField(
        label=_("note to the concierge"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only the concierge sees it."),
    )


class InterestForm(forms.Form):
    note = forms.CharField(
        label=_("note to the concierge"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
