"""Forms for writing a case study, consenting to it and choosing a statistics year."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civic_portal.fiscal import fiscal_year_label
from probono.models import CaseStudy, Skill


class CaseStudyForm(forms.ModelForm):
    skills = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label=_("skills used"),
    )

    class Meta:
        model = CaseStudy
        fields = ["title", "challenge", "work_done", "result", "skills"]
        widgets = {
            "challenge": forms.Textarea(attrs={"rows": 5}),
            "work_done": forms.Textarea(attrs={"rows": 5}),
            "result": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "work_done": _("Describe the work without naming the workers."),
        }


class ConsentConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have read the case study above."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class FiscalYearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            (year, fiscal_year_label(year)) for year in reversed(years)
        ]
