"""Forms for meeting series, single meetings and action items."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from civic_portal.accounts.models import User
from civic_portal.dates import validate_date_in_range
from facilitation.models import (
    ActionItem,
    CollaborationCase,
    Facilitator,
    Meeting,
    MeetingSeries,
)
from volunteering.forms import DateInput, DateTimeLocalInput, TimeInput


class AttendeesMixin(forms.Form):
    attendees = forms.ModelMultipleChoiceField(
        queryset=Facilitator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Attendees"),
        help_text=_("The regional facilitators invited to the meetings."),
    )

    def set_attendee_choices(self, choices: QuerySet[Facilitator]) -> None:
        self.fields["attendees"].queryset = choices  # type: ignore[attr-defined]


class SeriesForm(AttendeesMixin, forms.ModelForm):
    class Meta:
        model = MeetingSeries
        fields = [
            "title",
            "location",
            "frequency",
            "weekday",
            "week_of_month",
            "start_time",
            "end_time",
            "starts_on",
            "ends_on",
        ]
        widgets = {
            "frequency": forms.RadioSelect,
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }
        help_texts = {
            "start_time": _("Japan time."),
            "week_of_month": _(
                "Monthly series only: for example the second Tuesday of each month."
            ),
        }

    def __init__(
        self, *args: Any, attendee_choices: QuerySet[Facilitator], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.set_attendee_choices(attendee_choices)
        for name in ("starts_on", "ends_on"):
            self.fields[name].validators.append(validate_date_in_range)

    def clean(self) -> dict[str, Any]:
        # A field error here also keeps the model's check constraint on
        # that field from adding a second, less clear message.
        cleaned = super().clean() or {}
        start_time, end_time = cleaned.get("start_time"), cleaned.get("end_time")
        if start_time and end_time and end_time <= start_time:
            self.add_error("end_time", _("The end time must be after the start time."))
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The last date is before the first date."))
        return cleaned


class MeetingForm(AttendeesMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["title", "starts_at", "ends_at", "location"]
        widgets: dict[str, forms.Widget] = {
            "starts_at": DateTimeLocalInput(),
            "ends_at": DateTimeLocalInput(),
        }
        help_texts = {"starts_at": _("Japan time.")}

    def __init__(
        self, *args: Any, attendee_choices: QuerySet[Facilitator], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.set_attendee_choices(attendee_choices)
        for name in ("starts_at", "ends_at"):
            self.fields[name].validators.append(validate_date_in_range)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return cleaned


class MeetingEditForm(MeetingForm):
    class Meta(MeetingForm.Meta):
        fields = ["title", "starts_at", "ends_at", "location", "agenda", "minutes"]
        widgets = {
            **MeetingForm.Meta.widgets,
            "agenda": forms.Textarea(attrs={"rows": 12}),
            "minutes": forms.Textarea(attrs={"rows": 12}),
        }


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["title", "owner", "due_on", "case"]
        widgets = {"due_on": DateInput()}

    def __init__(
        self,
        *args: Any,
        owners: QuerySet[User],
        cases: QuerySet[CollaborationCase],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        self.fields["owner"].label_from_instance = (  # type: ignore[attr-defined]
            lambda user: user.get_short_name()
        )
        self.fields["case"].queryset = cases  # type: ignore[attr-defined]
        self.fields["due_on"].validators.append(validate_date_in_range)


class ItemDoneForm(forms.Form):
    done = forms.BooleanField(required=False, widget=forms.HiddenInput)


class RescheduleForm(forms.Form):
    due_on = forms.DateField(
        label=_("New due date"),
        widget=DateInput(),
        validators=[validate_date_in_range],
    )
