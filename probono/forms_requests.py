"""Forms for filing a support request and for the concierge's steps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from civic_portal.accounts.forms import NormalizedEmailField
from groups.models import CivicGroup
from probono.models import Skill, SupportRequest


class SupportRequestForm(forms.ModelForm):
    contact_email = NormalizedEmailField(label=_("contact e-mail address"))
    skills = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label=_("skills needed"),
    )

    class Meta:
        model = SupportRequest
        fields = [
            "group",
            "title",
            "challenge",
            "description",
            "outcome",
            "skills",
            "period_start",
            "period_end",
            "work_mode",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}),
            "period_end": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, groups: QuerySet[CivicGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return cleaned


class TransitionForm(forms.Form):
    to_state = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when cancelling: the reason."),
    )


class HearingNotesForm(forms.Form):
    hearing_notes = forms.CharField(
        label=_("hearing notes"), widget=forms.Textarea(attrs={"rows": 8})
    )
