"""Forms residents fill in: applying to a post and reporting their hours.

The forms check types and lengths. The application and attendance
services check the rules and raise ApplicationError, which the views show
on the same page with the bound form, so what the user typed stays.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from volunteering.models import VolunteerPost

MAX_PARTY_SIZE = 100


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ApplyForm(forms.Form):
    """An application to one session, or to one day of a year-round post.

    The number of people and the team name appear only when the post
    accepts teams, and the date only when the post is year-round.
    """

    activity_date = forms.DateField(
        label=_("Day you plan to come"),
        widget=DateInput(),
        help_text=_("Year-round activity: choose any day from today."),
    )
    party_size = forms.IntegerField(
        label=_("Number of people"),
        min_value=1,
        max_value=MAX_PARTY_SIZE,
        initial=1,
        help_text=_("Including you. Enter 1 if you come alone."),
    )
    team_name = forms.CharField(
        label=_("Company or group name"),
        max_length=200,
        required=False,
        help_text=_("Only when you apply for a team from a company or group."),
    )
    message = forms.CharField(
        label=_("Message to the group"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, post: VolunteerPost, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.post = post
        if not post.is_year_round:
            del self.fields["activity_date"]
        if not post.accepts_teams:
            del self.fields["party_size"]
            del self.fields["team_name"]
        elif not post.accepts_individuals:
            # The application service rejects a party of 1 with its message.
            self.fields["party_size"].initial = 2
            self.fields["party_size"].help_text = _(
                "This post takes teams of 2 or more people."
            )

    def service_arguments(self) -> dict[str, Any]:
        """Return the keyword arguments for the application services."""
        data = self.cleaned_data
        return {
            "party_size": data.get("party_size") or 1,
            "team_name": (data.get("team_name") or "").strip(),
            "message": (data.get("message") or "").strip(),
        }


class HoursForm(forms.Form):
    """Hours a volunteer reports for a finished activity, per person."""

    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal("0.25"),
        max_value=Decimal("24"),
        max_digits=5,
        decimal_places=2,
        help_text=_("Your own hours of activity, for example 2.5."),
        widget=forms.NumberInput(attrs={"step": "0.25"}),
    )
    note = forms.CharField(
        label=_("Note to the group"),
        max_length=500,
        required=False,
    )
