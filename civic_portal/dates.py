"""Date input limits shared by the list filters of the pages and the API.

A date near year 1 or year 9999 overflows when it is turned into a Japan
midnight and then into UTC, so filters accept only dates between
EARLIEST_FILTER_DATE and LATEST_FILTER_DATE and reject others as invalid.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST_FILTER_DATE = dt.date(1900, 1, 1)
LATEST_FILTER_DATE = dt.date(2999, 12, 31)


def validate_filter_date(value: dt.date) -> None:
    """Raise ValidationError when *value* is outside the filterable range."""
    if EARLIEST_FILTER_DATE <= value <= LATEST_FILTER_DATE:
        return
    raise ValidationError(
        _("Enter a date between %(earliest)s and %(latest)s."),
        code="date_out_of_range",
        params={
            "earliest": EARLIEST_FILTER_DATE.isoformat(),
            "latest": LATEST_FILTER_DATE.isoformat(),
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
                    "min": EARLIEST_FILTER_DATE.isoformat(),
                    "max": LATEST_FILTER_DATE.isoformat(),
                }
            ),
        )
        kwargs["validators"] = [validate_filter_date, *kwargs.get("validators", [])]
        super().__init__(*args, **kwargs)
