"""Forms for collaboration cases: opening, parties, answers, stages, notes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civic_portal.dates import validate_date_in_range
from facilitation.models import (
    CaseParty,
    CollaborationCase,
    Facilitator,
    Partner,
    Principle,
)
from groups.models import CivicGroup, SupportCentre
from volunteering.forms import DateInput


class CaseForm(forms.ModelForm):
    """Opening a case: the centre is one of the facilitator's current ones."""

    class Meta:
        model = CollaborationCase
        fields = ["centre", "title", "shared_goal", "next_steps"]
        widgets = {
            "shared_goal": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args: Any, centres: QuerySet[SupportCentre], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        centre = self.fields["centre"]
        centre.queryset = centres  # type: ignore[attr-defined]
        centre.empty_label = None  # type: ignore[attr-defined]


class CaseEditForm(forms.ModelForm):
    class Meta:
        model = CollaborationCase
        fields = ["title", "shared_goal", "next_steps"]
        widgets = {
            "shared_goal": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 4}),
        }


class PartyForm(forms.Form):
    """A new party: one civic group or one partner, with role and contribution."""

    group = forms.ModelChoiceField(
        queryset=CivicGroup.objects.none(),
        required=False,
        label=_("Civic group"),
    )
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.none(),
        required=False,
        label=_("Partner"),
        help_text=_("Choose a civic group or a partner, not both."),
    )
    role = forms.CharField(
        label=_("Role"),
        max_length=200,
        help_text=_("For example: organiser, venue, funding, volunteers."),
    )
    contribution = forms.CharField(
        label=_("What they contribute"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = (  # type: ignore[attr-defined]
            CivicGroup.objects.public().order_by("name")
        )
        self.fields["partner"].queryset = (  # type: ignore[attr-defined]
            Partner.objects.active().order_by("name")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        group, partner = cleaned.get("group"), cleaned.get("partner")
        if (
            "group" in cleaned
            and "partner" in cleaned
            and (group is None) == (partner is None)
        ):
            raise forms.ValidationError(
                _("Choose either a civic group or a partner."),
                code="group_or_partner",
            )
        return cleaned


class PartyEditForm(forms.ModelForm):
    class Meta:
        model = CaseParty
        fields = ["role", "contribution", "outcome"]
        widgets = {
            "contribution": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }


AGREES_CHOICES = [("yes", _("Agrees")), ("no", _("Does not agree yet"))]


class PrinciplesForm(forms.Form):
    """One party's answer (agrees or not, and a comment) to each principle."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for principle in Principle:
            self.fields[f"{principle.value}_agrees"] = forms.ChoiceField(
                label=principle.label,
                choices=AGREES_CHOICES,
                widget=forms.RadioSelect,
            )
            self.fields[f"{principle.value}_comment"] = forms.CharField(
                label=_("Comment on “%(principle)s”") % {"principle": principle.label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @classmethod
    def initial_from(cls, party: CaseParty) -> dict[str, str]:
        initial = {}
        for answer in party.principle_answers.all():
            initial[f"{answer.principle}_agrees"] = "yes" if answer.agrees else "no"
            initial[f"{answer.principle}_comment"] = answer.comment
        return initial

    def answers(self) -> dict[str, tuple[bool, str]]:
        """Return principle → (agrees, comment), as the service takes them."""
        return {
            principle.value: (
                self.cleaned_data[f"{principle.value}_agrees"] == "yes",
                self.cleaned_data[f"{principle.value}_comment"],
            )
            for principle in Principle
        }

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """Return (agrees, comment) bound fields per principle, for the template."""
        return [
            (self[f"{principle.value}_agrees"], self[f"{principle.value}_comment"])
            for principle in Principle
        ]


class StageForm(forms.Form):
    to_stage = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when discontinuing: the reason."),
    )


class NoteForm(forms.Form):
    held_on = forms.DateField(
        label=_("Meeting date"),
        widget=DateInput(),
        validators=[validate_date_in_range],
    )
    body = forms.CharField(
        label=pgettext_lazy("case meeting note", "Notes"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(
        self, *args: Any, date_bounds: tuple[dt.date, dt.date], **kwargs: Any
    ) -> None:
        """Let the date picker offer only *date_bounds*, the service's range."""
        super().__init__(*args, **kwargs)
        first, last = date_bounds
        attrs = self.fields["held_on"].widget.attrs
        attrs["min"] = first.isoformat()
        attrs["max"] = last.isoformat()


class InvitationForm(forms.Form):
    facilitator = forms.ModelChoiceField(
        queryset=Facilitator.objects.none(),
        label=_("Regional facilitator"),
        help_text=_("Regional facilitators of other centres who are not invited yet."),
    )
    requested_by_party = forms.ModelChoiceField(
        queryset=CaseParty.objects.none(),
        required=False,
        label=_("At the request of"),
        empty_label=_("The case's facilitator"),
    )

    def __init__(
        self,
        *args: Any,
        facilitators: QuerySet[Facilitator],
        parties: QuerySet[CaseParty],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = facilitators  # type: ignore[attr-defined]
        self.fields["requested_by_party"].queryset = parties  # type: ignore[attr-defined]
