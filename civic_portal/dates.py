"""Limits on the dates that list filters and forms accept.

A date near year 1 or year 9999 overflows when it is turned into a Japan
time and then into UTC, so date inputs accept only dates between
EARLIEST_DATE and LATEST_DATE and reject others as invalid.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2999, 12, 31)


def validate_date_in_range(value: dt.date) -> None:
    """Raise ValidationError when *value* is outside the accepted range.

    A datetime is judged by its date.
    """
    day = value.date() if isinstance(value, dt.datetime) else value
    if EARLIEST_DATE <= day <= LATEST_DATE:
        return
    raise ValidationError(
        _("Enter a date between %(earliest)s and %(latest)s."),
        code="date_out_of_range",
        params={
            "earliest": EARLIEST_DATE.isoformat(),
            "latest": LATEST_DATE.isoformat(),
        },
    )


class BoundedDateFilter(django_filters.DateFilter):
    """A date filter with a date picker that rejects dates out of range."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                attrs={
                    "type": "date",
                    "min": EARLIEST_DATE.isoformat(),
                    "max": LATEST_DATE.isoformat(),
                }
            ),
        )
        kwargs["validators"] = [validate_date_in_range, *kwargs.get("validators", [])]
        super().__init__(*args, **kwargs)
