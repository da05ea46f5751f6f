"""Forms for annual reports, support centre pages, consultations and imports."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from groups.models import (
    AGE_BANDS,
    INCOME_SOURCES,
    AnnualGroupReport,
    CivicGroup,
    Consultation,
    DigitalTool,
    SupportCentre,
)
from groups.services.centres import PAGE_FIELDS
from groups.services.reports import REPORT_FIELDS
from probono.models import Skill

# Thousands separators people type in counts and amounts: ",", "、" and
# the full-width forms that NFKC turns into them.
_THOUSANDS = re.compile(r"[,、]")


class CountField(forms.IntegerField):
    """A whole number of zero or more; full-width digits and commas are accepted."""

    # A text input, because a number input rejects full-width digits.
    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Enter a whole number, such as 12 or １２."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("initial", 0)
        # An empty count means none, so no count is required.
        kwargs["required"] = False
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = _THOUSANDS.sub("", unicodedata.normalize("NFKC", value)).strip()
        if value in (None, ""):
            return 0
        return super().to_python(value)


class AnnualReportForm(forms.ModelForm):
    """The annual group report; the service checks the values as a whole."""

    digital_tools = forms.MultipleChoiceField(
        label=_("Digital tools in use"),
        choices=DigitalTool.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    probono_skills = forms.ModelMultipleChoiceField(
        label=_("Skills you want pro bono help with"),
        queryset=Skill.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = AnnualGroupReport
        fields = [
            *(f"members_{band}" for band, _label in AGE_BANDS),
            *(f"participants_{band}" for band, _label in AGE_BANDS),
            "volunteers_taken_in",
            "main_activities",
            *(f"income_{source}" for source, _label in INCOME_SOURCES),
            "digital_tools",
            "wants_probono",
            "probono_skills",
            "self_evaluation",
            "self_evaluation_note",
        ]
        field_classes = {
            **{f"members_{band}": CountField for band, _label in AGE_BANDS},
            **{f"participants_{band}": CountField for band, _label in AGE_BANDS},
            "volunteers_taken_in": CountField,
            **{f"income_{source}": CountField for source, _label in INCOME_SOURCES},
        }
        widgets = {
            "main_activities": forms.Textarea(attrs={"rows": 4}),
            "self_evaluation": forms.RadioSelect,
            "self_evaluation_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Radio buttons need no empty "---------" choice.
        evaluation = self.fields["self_evaluation"]
        assert isinstance(evaluation, forms.TypedChoiceField)
        evaluation.choices = AnnualGroupReport.SelfEvaluation.choices

    def report_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in REPORT_FIELDS}

    def age_band_rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        """Return (label, members field, participants field) for each age band."""
        return [
            (label, self[f"members_{band}"], self[f"participants_{band}"])
            for band, label in AGE_BANDS
        ]

    def income_fields(self) -> list[forms.BoundField]:
        return [self[f"income_{source}"] for source, _label in INCOME_SOURCES]


class ReportYearForm(forms.Form):
    """The fiscal year and filter of the staff overview of filed reports."""

    year = forms.IntegerField(
        label=_("Fiscal year"), min_value=2000, max_value=2100, required=False
    )
    filed = forms.ChoiceField(
        label=_("Show"),
        choices=[
            ("", _("All groups")),
            ("yes", _("Groups that have filed")),
            ("no", _("Groups that have not filed")),
        ],
        required=False,
    )


CENTRE_PAGE_FIELDS = list(PAGE_FIELDS)


def _https_url_field(field: Any, **kwargs: Any) -> forms.Field | None:
    # Django 6 assumes https for a URL typed without a scheme; do so already.
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)  # type: ignore[no-any-return]


class CentrePageForm(forms.ModelForm):
    """The fields of a centre's public page that its own staff keep up to date."""

    formfield_callback = _https_url_field

    def page_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in CENTRE_PAGE_FIELDS}

    class Meta:
        model = SupportCentre
        fields = CENTRE_PAGE_FIELDS
        widgets = {
            "opening_hours": forms.Textarea(attrs={"rows": 3}),
            "closed_days": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 5}),
        }


class CentreCreateForm(forms.ModelForm):
    """A new support centre, added by prefectural staff with its opening month."""

    opening_month = forms.CharField(
        label=_("Opening month"),
        help_text=_(
            "Year and month, for example 2026-10. A municipality counts as "
            "having a centre from this month."
        ),
        widget=forms.TextInput(attrs={"type": "month"}),
    )

    formfield_callback = _https_url_field

    class Meta:
        model = SupportCentre
        fields = ["name", "municipality", "scope", *CENTRE_PAGE_FIELDS]
        widgets = CentrePageForm.Meta.widgets

    def centre_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or []}

    def clean_opening_month(self) -> dt.date:
        value = unicodedata.normalize("NFKC", self.cleaned_data["opening_month"])
        match = re.fullmatch(r"\s*(\d{4})\s*[-/年.]\s*(\d{1,2})\s*月?\s*", value)
        month = int(match.group(2)) if match else 0
        if match is None or not 1 <= month <= 12:
            raise ValidationError(
                _("Enter the opening month as year and month, for example 2026-10."),
                code="invalid_month",
            )
        return dt.date(int(match.group(1)), month, 1)


class ConsultationAskForm(forms.ModelForm):
    """A question that a signed-in resident or group staff asks a centre."""

    def __init__(self, *args: Any, groups: QuerySet[CivicGroup], **kwargs: Any):
        super().__init__(*args, **kwargs)
        centre_field = self.fields["centre"]
        assert isinstance(centre_field, forms.ModelChoiceField)
        centre_field.queryset = SupportCentre.objects.filter(
            closed_on__isnull=True
        ).select_related("municipality")
        group_field = self.fields["group"]
        assert isinstance(group_field, forms.ModelChoiceField)
        group_field.queryset = groups
        group_field.required = False
        group_field.label = _("Group you ask for (optional)")
        if not groups.exists():
            del self.fields["group"]

    class Meta:
        model = Consultation
        fields = ["centre", "group", "topic", "question"]
        widgets = {"question": forms.Textarea(attrs={"rows": 6})}


class ConsultationRecordForm(forms.ModelForm):
    """A consultation that centre staff took by phone, at the desk or by mail."""

    def __init__(self, *args: Any, centres: QuerySet[SupportCentre], **kwargs: Any):
        super().__init__(*args, **kwargs)
        centre_field = self.fields["centre"]
        assert isinstance(centre_field, forms.ModelChoiceField)
        centre_field.queryset = centres
        channel_field = self.fields["channel"]
        assert isinstance(channel_field, forms.ChoiceField)
        channel_field.choices = [
            choice
            for choice in Consultation.Channel.choices
            if choice[0] != Consultation.Channel.PORTAL
        ]
        group_field = self.fields["group"]
        assert isinstance(group_field, forms.ModelChoiceField)
        group_field.required = False
        group_field.queryset = CivicGroup.objects.public()

    class Meta:
        model = Consultation
        fields = [
            "centre",
            "channel",
            "asker_name",
            "group",
            "topic",
            "question",
            "answer",
            "follow_up",
        ]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 5}),
            "answer": forms.Textarea(attrs={"rows": 5}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
        }


class ConsultationAnswerForm(forms.ModelForm):
    """Centre staff's answer and follow-up notes, and whether the case is closed."""

    class Meta:
        model = Consultation
        fields = ["answer", "follow_up", "status"]
        widgets = {
            "answer": forms.Textarea(attrs={"rows": 6}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
        }


class ImportUploadForm(forms.Form):
    """A CSV file of groups to import, in UTF-8 or Shift_JIS (CP932)."""

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 (with or without BOM) or Shift_JIS, as Excel saves it."),
    )
    encoding = forms.ChoiceField(
        label=_("Encoding"),
        choices=[
            ("auto", _("Detect automatically")),
            ("utf-8", "UTF-8"),
            ("cp932", "Shift_JIS (CP932)"),
        ],
        initial="auto",
    )
