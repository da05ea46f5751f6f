"""Forms of the worker bank: the registration, its skills and the concierge filter.

Numbers accept full-width digits. The forms check types and required
fields, and probono/services/workers.py checks the rules of a registration.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from groups.forms_reports import CountField
from groups.models import ActivityField, Municipality
from probono.models import ProbonoWorker, Skill, WorkerSkill, WorkMode
from probono.services.workers import WORKER_FIELDS, SkillEntry


class WorkerForm(forms.ModelForm):
    """The worker's own registration, without the skill rows."""

    hours_per_month = CountField(
        label=_("hours per month"),
        min_value=1,
        max_value=744,
        error_messages={
            "min_value": _("Give the hours you can offer a month: at least 1.")
        },
        help_text=_("Hours a month you can give, such as 10 or １０."),
    )
    max_projects = CountField(
        label=_("projects at a time"),
        min_value=1,
        max_value=10,
        initial=1,
        help_text=_("The most projects you take on at once."),
    )
    lives_in_prefecture = forms.TypedChoiceField(
        label=_("where you live"),
        choices=[
            (True, _("I live in Yamaguchi")),
            (False, _("I live outside Yamaguchi")),
        ],
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
        initial=True,
    )
    municipality = forms.ModelChoiceField(
        label=_("municipality"),
        queryset=Municipality.objects.all(),
        required=False,
        help_text=_("For people who live in Yamaguchi."),
    )
    activity_fields = forms.ModelMultipleChoiceField(
        label=_("fields of interest"),
        queryset=ActivityField.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_consent = forms.BooleanField(
        label=_(
            "I agree that my name and contact details are shared with a group "
            "once I accept a project with it."
        ),
        required=True,
    )

    class Meta:
        model = ProbonoWorker
        fields = [*WORKER_FIELDS, "activity_fields"]
        widgets = {"work_mode": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # Consent was recorded at registration. Deleting the registration
            # withdraws it.
            del self.fields["contact_consent"]

    def worker_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in WORKER_FIELDS}


class WorkerSkillForm(forms.ModelForm):
    years = CountField(label=_("years of experience"), max_value=70)

    class Meta:
        model = WorkerSkill
        fields = ["skill", "level", "years"]


WorkerSkillFormSet = forms.inlineformset_factory(
    ProbonoWorker,
    WorkerSkill,
    form=WorkerSkillForm,
    extra=2,
    min_num=1,
    validate_min=True,
    can_delete=True,
)


def skill_entries(formset: forms.BaseFormSet[Any]) -> list[SkillEntry]:
    """Return the skill rows of a valid formset, without the deleted ones."""
    entries = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        entries.append(SkillEntry(data["skill"], data["level"], data["years"]))
    return entries


class WorkerFilter(django_filters.FilterSet):
    """Filters of the concierge's worker list, on the page and in the API."""

    skill = django_filters.ModelChoiceFilter(
        label=_("Skill area"),
        queryset=Skill.objects.all(),
        field_name="worker_skills__skill",
        distinct=True,
    )
    lives_in_prefecture = django_filters.BooleanFilter(
        label=_("Lives in Yamaguchi"),
        widget=forms.Select(
            choices=[
                ("", _("Anywhere")),
                ("true", _("Inside Yamaguchi")),
                ("false", _("Outside Yamaguchi")),
            ]
        ),
    )
    work_mode = django_filters.ChoiceFilter(
        label=_("Remote or on site"), choices=WorkMode.choices
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=ProbonoWorker.Status.choices,
        method="filter_status",
    )

    class Meta:
        model = ProbonoWorker
        fields = ["skill", "lives_in_prefecture", "work_mode", "status"]

    def filter_status(
        self, queryset: QuerySet[ProbonoWorker], name: str, value: str
    ) -> QuerySet[ProbonoWorker]:
        return queryset.filter(status=value)

    @property
    def qs(self) -> QuerySet[ProbonoWorker]:
        queryset = super().qs
        # Deleted registrations contain no personal data, so they are listed
        # only when the status filter selects them.
        status = self.form.cleaned_data.get("status") if self.is_bound else None
        if not status:
            queryset = queryset.exclude(status=ProbonoWorker.Status.DELETED)
        return queryset
