"""Forms for the pages of group staff.

The forms check types and required fields. The services check the rules
and raise ValidationError, which the views attach to the bound form, so
what the user typed stays on the page.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from civic_portal.accounts.forms import NormalizedEmailField, PhoneField
from civic_portal.fiscal import JAPAN
from groups.models import CivicGroup
from volunteering.models import Attendance, VolunteerPost, VolunteerSession
from volunteering.services.posts import POST_FIELDS, check_post_fields
from volunteering.services.sessions import MAX_SERIES_SESSIONS, SeriesPattern

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    """A browser date-and-time picker whose values are in the site's time zone."""

    input_type = "datetime-local"

    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(format="%H:%M", **kwargs)


class PostForm(forms.ModelForm):
    """All the fields of a volunteer post, plus its group on creation."""

    group = forms.ModelChoiceField(
        queryset=CivicGroup.objects.none(),
        label=_("Civic group"),
        help_text=_("The group that runs this activity."),
    )

    class Meta:
        model = VolunteerPost
        fields = POST_FIELDS
        # The same normalisation as the profile and sign-up forms: full-width
        # input is accepted, and a phone number is stored as digits only.
        field_classes = {
            "contact_email": NormalizedEmailField,
            "contact_phone": PhoneField,
        }
        widgets = {
            "contact_phone": forms.TextInput(attrs={"type": "tel"}),
            "application_deadline": DateTimeLocalInput(),
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 6}),
            "tasks": forms.Textarea(attrs={"rows": 4}),
            "what_to_bring": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "application_deadline": _(
                "Japan time. Leave empty to take applications until the activity."
            ),
            "minimum_age": _("In years, on the day of the activity. Leave empty."),
            "auto_accept": _(
                "Confirm each application at once while places are free, "
                "without a decision by staff."
            ),
        }

    def __init__(
        self,
        *args,  # type: ignore[no-untyped-def]
        groups: QuerySet[CivicGroup] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        deadline = self.fields["application_deadline"]
        assert isinstance(deadline, forms.DateTimeField)
        deadline.input_formats = [DATETIME_FORMAT]
        if groups is None:
            del self.fields["group"]
            return
        group_field = self.fields["group"]
        assert isinstance(group_field, forms.ModelChoiceField)
        group_field.queryset = groups
        if len(groups) == 1:
            self.fields["group"].initial = groups[0]
            self.fields["group"].widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        """Run the service's checks across fields, also when other fields failed.

        Without this, errors such as a past deadline would appear only after
        every field was valid, one round later. Errors go only to fields
        that have none yet.
        """
        data = super().clean() or {}
        post = copy.copy(self.instance) if self.instance.pk else VolunteerPost()
        for name in POST_FIELDS:
            if name in data:
                setattr(post, name, data[name])
        try:
            check_post_fields(
                post,
                deadline_changed=(
                    not self.instance.pk or "application_deadline" in self.changed_data
                ),
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field not in self.errors:
                    self.add_error(field, messages)
        return data

    def post_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in POST_FIELDS}


class PostScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT],
        help_text=_("Japan time. The post publishes itself at this time."),
    )


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("Photo"), help_text=_("JPEG, PNG, GIF or WebP."))
    alt_text = forms.CharField(
        label=_("Description of the photo"),
        max_length=200,
        help_text=_("Read aloud by screen readers; say what the photo shows."),
    )


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT],
        help_text=_("Japan time."),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT],
        help_text=_("Japan time."),
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        max_value=10000,
        help_text=_("The number of people who can take part."),
    )

    @classmethod
    def for_session(cls, session: VolunteerSession) -> SessionForm:
        return cls(
            initial={
                "starts_at": session.starts_at,
                "ends_at": session.ends_at,
                "capacity": session.capacity,
            }
        )


WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
WEEK_OF_MONTH_CHOICES = [
    ("", _("Same day of the month as the start date")),
    (1, _("First")),
    (2, _("Second")),
    (3, _("Third")),
    (4, _("Fourth")),
    (-1, _("Last")),
]


class SessionSeriesForm(forms.Form):
    """A repeating pattern of sessions, with dates and times in Japan time."""

    frequency = forms.ChoiceField(
        label=_("Repeats"),
        choices=[("weekly", _("Weekly")), ("monthly", _("Monthly"))],
        widget=forms.RadioSelect,
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week (weekly)"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    week_of_month = forms.TypedChoiceField(
        label=_("Week of the month (monthly)"),
        choices=WEEK_OF_MONTH_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    weekday = forms.TypedChoiceField(
        label=_("Day of the week (monthly, with a week of the month)"),
        choices=[("", "---------"), *WEEKDAY_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    end_date = forms.DateField(
        label=_("End date"),
        required=False,
        widget=DateInput(),
        help_text=_("Give an end date, a number of sessions, or both."),
    )
    count = forms.IntegerField(
        label=_("Number of sessions"),
        required=False,
        min_value=1,
        max_value=MAX_SERIES_SESSIONS,
        help_text=format_lazy(_("At most {max}."), max=MAX_SERIES_SESSIONS),
    )
    start_time = forms.TimeField(label=_("Start time"), widget=TimeInput())
    end_time = forms.TimeField(label=_("End time"), widget=TimeInput())
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=10000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("end_date") is None and data.get("count") is None:
            raise forms.ValidationError(_("Enter an end date or a number of sessions."))
        return data

    def pattern(self) -> SeriesPattern:
        data = self.cleaned_data
        monthly = data["frequency"] == "monthly"
        return SeriesPattern(
            frequency=data["frequency"],
            start_date=data["start_date"],
            end_date=data.get("end_date"),
            count=data.get("count"),
            weekdays=tuple(data.get("weekdays") or ()),
            week_of_month=data.get("week_of_month") if monthly else None,
            weekday=data.get("weekday") if monthly else None,
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Sent to the volunteer."),
    )


class AttendanceRowForm(forms.Form):
    """One confirmed application's attendance on the attendance page."""

    application_id = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Attendance"),
        required=False,
        choices=[
            ("", _("Not recorded")),
            (Attendance.Status.CONFIRMED, _("Attended")),
            (Attendance.Status.NO_SHOW, _("Did not attend")),
        ],
    )
    hours = forms.DecimalField(
        label=_("Hours per person"),
        required=False,
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("24"))],
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Attendance.Status.CONFIRMED and not data.get("hours"):
            self.add_error("hours", _("Enter the hours per person."))
        return data


AttendanceFormSet = forms.formset_factory(AttendanceRowForm, extra=0)


class DayHoursForm(forms.Form):
    """Hours per person to confirm for a year-round day's unrecorded volunteers."""

    hours = forms.DecimalField(
        label=_("Hours per person"),
        max_digits=4,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0.01")),
            MaxValueValidator(Decimal("24")),
        ],
    )


class SessionChoiceField(forms.ModelChoiceField):
    """A choice of a post's sessions, each labelled by its start in Japan time."""

    def label_from_instance(self, obj: VolunteerSession) -> str:
        return date_format(
            timezone.localtime(obj.starts_at, JAPAN), "SHORT_DATETIME_FORMAT"
        )


class ReportForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(
        label=_("Report"), widget=forms.Textarea(attrs={"rows": 8}), max_length=10000
    )
    session = SessionChoiceField(
        label=_("Session"),
        queryset=VolunteerSession.objects.none(),
        required=False,
        help_text=_("The session this report is about, if any."),
    )

    def __init__(self, *args, post: VolunteerPost, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        session_field = self.fields["session"]
        assert isinstance(session_field, SessionChoiceField)
        # A report is about an activity that took place, newest first.
        session_field.queryset = post.sessions.filter(
            starts_at__lte=timezone.now()
        ).order_by("-starts_at", "-pk")


class ReportPhotoForm(forms.Form):
    image = forms.FileField(label=_("Photo"), required=False)
    alt_text = forms.CharField(
        label=_("Description of the photo"), max_length=200, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("image") and not (data.get("alt_text") or "").strip():
            self.add_error(
                "alt_text", _("Describe what the photo shows for screen readers.")
            )
        return data


ReportPhotoFormSet = forms.formset_factory(
    ReportPhotoForm, extra=6, max_num=6, validate_max=True
)
