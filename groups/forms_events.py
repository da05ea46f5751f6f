"""Forms for events, grant notices and the newsletter.

The forms check types and required fields. The services check the rules
across fields and raise ValidationError, which the views attach to the
bound form, so what the user typed stays on the page. Dates and times are
read and shown in Japan time, whatever the server's time zone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic_portal.dates import validate_date_in_range
from civic_portal.fiscal import JAPAN
from groups.models import (
    ActivityField,
    CivicGroup,
    Event,
    GrantNotice,
    NewsletterIssue,
)
from groups.services.events import (
    EVENT_FIELDS,
    GRANT_FIELDS,
    grant_deadline,
    validate_event_times,
)
from volunteering.forms import DATETIME_FORMAT, DateInput, DateTimeLocalInput, TimeInput

MONTH_FORMAT = "%Y-%m"


class JapanDateTimeField(forms.DateTimeField):
    """A date and time typed in Japan time."""

    widget = DateTimeLocalInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", [DATETIME_FORMAT])
        kwargs.setdefault("help_text", _("Japan time."))
        kwargs["validators"] = [validate_date_in_range, *kwargs.get("validators", [])]
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.datetime | None:
        with timezone.override(JAPAN):
            return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            return value.astimezone(JAPAN).replace(tzinfo=None)
        return value


class EventForm(forms.ModelForm):
    """The fields of an event, plus its group on creation."""

    group = forms.ModelChoiceField(
        queryset=CivicGroup.objects.none(),
        label=_("Civic group"),
        help_text=_("The group that holds the event."),
    )
    starts_at = JapanDateTimeField(label=_("Starts at"))
    ends_at = JapanDateTimeField(label=_("Ends at"))
    activity_fields = forms.ModelMultipleChoiceField(
        queryset=ActivityField.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Activity fields"),
    )

    class Meta:
        model = Event
        fields = [*EVENT_FIELDS, "activity_fields"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "how_to_apply": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "place": _("The venue and its address. Leave empty for an online event."),
            "how_to_apply": _(
                "For example: no booking needed, or apply by e-mail by 10 May."
            ),
        }

    def __init__(
        self,
        *args: Any,
        groups: QuerySet[CivicGroup] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fee"].widget.attrs["min"] = 0
        if groups is None:
            del self.fields["group"]
            return
        group_field = self.fields["group"]
        assert isinstance(group_field, forms.ModelChoiceField)
        group_field.queryset = groups
        if len(groups) == 1:
            group_field.initial = groups[0]
            group_field.widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        starts_at, ends_at = cleaned_data.get("starts_at"), cleaned_data.get("ends_at")
        if starts_at and ends_at:
            # Checked here as well as in the service, because the model's
            # check constraint would otherwise reject the form with a
            # message that names the constraint.
            try:
                validate_event_times(starts_at, ends_at)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data

    def event_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EVENT_FIELDS}


class GrantForm(forms.ModelForm):
    """The fields of a grant notice, with the deadline as a Japan date and time."""

    deadline_date = forms.DateField(
        label=_("Application deadline"),
        widget=DateInput(),
        validators=[validate_date_in_range],
        help_text=_("The last day on which applications are accepted, Japan time."),
    )
    deadline_time = forms.TimeField(
        label=_("Deadline time"),
        required=False,
        widget=TimeInput(),
        help_text=_("Japan time. Leave empty to accept applications until 23:59:59."),
    )
    eligible_fields = forms.ModelMultipleChoiceField(
        queryset=ActivityField.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Eligible activity fields"),
        help_text=_("Leave all unticked when every field is eligible."),
    )

    class Meta:
        model = GrantNotice
        fields = [name for name in GRANT_FIELDS if name != "deadline"] + [
            "eligible_fields"
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            deadline = self.instance.deadline.astimezone(JAPAN)
            self.initial["deadline_date"] = deadline.date()
            if deadline.time().replace(microsecond=0) != dt.time(23, 59, 59):
                self.initial["deadline_time"] = deadline.time()

    def grant_fields(self) -> dict[str, Any]:
        fields = {
            name: self.cleaned_data[name] for name in GRANT_FIELDS if name != "deadline"
        }
        fields["deadline"] = grant_deadline(
            self.cleaned_data["deadline_date"], self.cleaned_data.get("deadline_time")
        )
        return fields


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    language = forms.ChoiceField(
        label=_("Language of the newsletter"),
        choices=settings.LANGUAGES,
        help_text=_("The newsletter's notices and links are written in this language."),
    )


class NewsletterMonthForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        input_formats=[MONTH_FORMAT],
        validators=[validate_date_in_range],
        widget=forms.DateInput(format=MONTH_FORMAT, attrs={"type": "month"}),
        help_text=_(
            "The issue lists the events and grant notices added in this month."
        ),
    )


class NewsletterIssueForm(forms.ModelForm):
    class Meta:
        model = NewsletterIssue
        fields = ["subject", "introduction", "body"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 4}),
            "body": forms.Textarea(attrs={"rows": 20}),
        }
