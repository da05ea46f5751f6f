"""Filters of the event and grant notice lists, shared by the pages and the API.

Dates are Japan dates: an event matches a date range when it takes place
on at least one day of the range, judged in Japan time.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import BooleanField, Case, F, QuerySet, Value, When
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from civic_portal.dates import BoundedDateFilter
from civic_portal.fiscal import JAPAN
from civic_portal.search import KeywordFilterSet
from groups.models import ActivityField, Event, GrantNotice, Municipality


def municipality_filter() -> django_filters.ModelChoiceFilter:
    """Return a filter on the municipality, by its local-government code."""
    return django_filters.ModelChoiceFilter(
        label=_("Municipality"),
        queryset=Municipality.objects.all(),
        to_field_name="code",
        empty_label=_("All municipalities"),
    )


def activity_field_filter(
    field_name: str, label: str | Promise | None = None
) -> django_filters.ModelChoiceFilter:
    """Return a filter on the activity field *field_name*, by field number."""
    return django_filters.ModelChoiceFilter(
        label=label or _("Activity field"),
        field_name=field_name,
        queryset=ActivityField.objects.all(),
        to_field_name="number",
        empty_label=_("All fields"),
    )


def _japan_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=JAPAN)


class EventFilter(KeywordFilterSet):
    municipality = municipality_filter()
    field = activity_field_filter("activity_fields")
    date_from = BoundedDateFilter(
        label=_("From"),
        method="filter_date_from",
    )
    date_to = BoundedDateFilter(
        label=_("Until"),
        method="filter_date_to",
    )
    online = django_filters.BooleanFilter(
        label=_("Online only"),
        field_name="is_online",
        widget=forms.CheckboxInput,
        method="filter_true_only",
    )
    free = django_filters.BooleanFilter(
        label=_("Free of charge only"),
        widget=forms.CheckboxInput,
        method="filter_free",
    )

    class Meta:
        model = Event
        fields: list[str] = []

    def filter_date_from(
        self, queryset: QuerySet[Event], name: str, value: dt.date
    ) -> QuerySet[Event]:
        return queryset.filter(ends_at__gt=_japan_midnight(value))

    def filter_date_to(
        self, queryset: QuerySet[Event], name: str, value: dt.date
    ) -> QuerySet[Event]:
        day_after = value + dt.timedelta(days=1)
        return queryset.filter(starts_at__lt=_japan_midnight(day_after))

    def filter_free(
        self, queryset: QuerySet[Event], name: str, value: bool | None
    ) -> QuerySet[Event]:
        if value:
            return queryset.filter(fee=0)
        return queryset


class GrantFilter(KeywordFilterSet):
    field = activity_field_filter("eligible_fields", _("Eligible activity field"))
    open = django_filters.BooleanFilter(
        label=_("Still open for applications"),
        widget=forms.CheckboxInput,
        method="filter_open",
    )

    class Meta:
        model = GrantNotice
        fields: list[str] = []

    def filter_open(
        self, queryset: QuerySet[GrantNotice], name: str, value: bool | None
    ) -> QuerySet[GrantNotice]:
        if value:
            return queryset.filter(deadline__gte=timezone.now())
        return queryset


def order_by_deadline(grants: QuerySet[GrantNotice]) -> QuerySet[GrantNotice]:
    """Order open notices by the nearest deadline, then closed ones, latest first.

    Each notice gets `is_closed`, true when its deadline has passed.
    """
    now = timezone.now()
    is_closed = Case(
        When(deadline__lt=now, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    open_deadline = Case(When(deadline__gte=now, then=F("deadline")))
    return (
        grants.annotate(is_closed=is_closed)
        .alias(open_deadline=open_deadline)
        .order_by("is_closed", "open_deadline", "-deadline", "pk")
    )
