"""Forms of the project workspace. The services check roles and states."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from probono.models import Evaluation, Skill
from probono.services import projects

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("message"),
        max_length=projects.MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("milestone"), max_length=200)
    due_on = forms.DateField(label=_("due on"), widget=DATE_INPUT)


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(
        label=_("done on"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leave empty for today."),
    )


class ProgressNoteForm(forms.Form):
    body = forms.CharField(
        label=_("progress note"),
        max_length=projects.MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WorkLogForm(forms.Form):
    skill = forms.ModelChoiceField(queryset=Skill.objects.none(), label=_("skill"))
    hours = forms.DecimalField(
        label=_("hours"),
        min_value=Decimal("0.1"),
        max_value=projects.MAX_HOURS_PER_ENTRY,
        decimal_places=1,
        max_digits=6,
        help_text=_("In steps of 0.1 hours, for example 1.5."),
    )
    worked_on = forms.DateField(
        label=_("worked on"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Optional: the day, for the hours of one day."),
    )

    def __init__(self, *args: Any, skills: QuerySet[Skill], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skill"].queryset = skills  # type: ignore[attr-defined]


class EvaluationForm(forms.Form):
    party = forms.ChoiceField(
        label=_("given by"), choices=Evaluation.Party.choices, widget=forms.HiddenInput
    )
    rating = forms.TypedChoiceField(
        label=_("rating"),
        coerce=int,
        choices=[(value, str(value)) for value in range(1, 6)],
        widget=forms.RadioSelect,
        help_text=_("1 is poor, 5 is excellent."),
    )
    comment = forms.CharField(
        label=_("comment"),
        required=False,
        max_length=projects.MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
