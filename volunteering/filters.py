"""Search filters for volunteer posts, shared by the search page and the API.

Date range, weekday or weekend, and free places apply to one and the same
upcoming session: a post matches when at least one of its sessions meets
all of them. Year-round posts have no dated sessions; they match every
date filter, and match "free places" unless their monthly capacity is
already taken for the current month.

Without those filters the search reads the next session start stored on
each post (VolunteerPost.next_session_starts_at) instead of the sessions
table. Results are ordered by the next matching session; year-round posts
come after every post with a dated session, newest published first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractIsoWeekDay, StrIndex
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic_portal.dates import BoundedDateFilter
from civic_portal.fiscal import JAPAN
from civic_portal.text import search_terms
from groups.models import ActivityField, Municipality

from .models import Application, VolunteerPost, VolunteerSession

WEEKEND_DAYS = (6, 7)  # ISO weekday numbers of Saturday and Sunday

# pg_trgm indexes three-character sequences, so its GIN index cannot serve
# a shorter term.
TRIGRAM_LENGTH = 3

SESSION_FILTERS = ("date_from", "date_to", "day_type", "has_places")


DAY_TYPE_CHOICES = (("weekday", _("Weekdays")), ("weekend", _("Weekends")))


class PostFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Keyword"), method="filter_keyword", max_length=100
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"),
        queryset=Municipality.objects.all(),
        to_field_name="code",
        empty_label=_("All municipalities"),
    )
    field = django_filters.ModelChoiceFilter(
        label=_("Activity field"),
        field_name="activity_field",
        queryset=ActivityField.objects.all(),
        to_field_name="number",
        empty_label=_("All fields"),
    )
    date_from = BoundedDateFilter(
        label=_("From"),
        method="filter_noop",
    )
    date_to = BoundedDateFilter(
        label=_("Until"),
        method="filter_noop",
    )
    day_type = django_filters.ChoiceFilter(
        label=_("Days"),
        choices=DAY_TYPE_CHOICES,
        method="filter_noop",
        empty_label=_("Any day"),
    )
    online = django_filters.BooleanFilter(
        label=_("Online only"),
        field_name="is_online",
        widget=forms.CheckboxInput,
        method="filter_true_only",
    )
    high_school = django_filters.BooleanFilter(
        label=_("Suitable for high-school students"),
        field_name="welcomes_high_school",
        widget=forms.CheckboxInput,
        method="filter_true_only",
    )
    has_places = django_filters.BooleanFilter(
        label=_("Free places left"),
        widget=forms.CheckboxInput,
        method="filter_noop",
    )

    class Meta:
        model = VolunteerPost
        fields: list[str] = []

    def filter_keyword(
        self, queryset: QuerySet[VolunteerPost], name: str, value: str
    ) -> QuerySet[VolunteerPost]:
        for term in search_terms(value):
            if len(term) >= TRIGRAM_LENGTH:
                queryset = queryset.filter(search_text__contains=term)
            else:
                # LIKE on a short term can lead PostgreSQL to read every
                # entry of the trigram index. strpos() is not indexable, so
                # it only tests the rows that the other conditions leave.
                position = StrIndex("search_text", Value(term))
                queryset = queryset.filter(GreaterThan(position, 0))
        return queryset

    def filter_true_only(
        self, queryset: QuerySet[VolunteerPost], name: str, value: bool | None
    ) -> QuerySet[VolunteerPost]:
        # An unticked box means "no restriction", not "only posts without it".
        if value:
            return queryset.filter(**{name: True})
        return queryset

    def filter_noop(
        self, queryset: QuerySet[VolunteerPost], name: str, value: object
    ) -> QuerySet[VolunteerPost]:
        # Session conditions are combined in filter_queryset.
        return queryset

    def filter_queryset(
        self, queryset: QuerySet[VolunteerPost]
    ) -> QuerySet[VolunteerPost]:
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if not any(data.get(name) for name in SESSION_FILTERS):
            return with_upcoming_session(queryset)
        sessions = matching_sessions(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            day_type=data.get("day_type") or None,
            has_places=bool(data.get("has_places")),
        )
        year_round = Q(kind=VolunteerPost.Kind.YEAR_ROUND)
        if data.get("has_places"):
            year_round &= ~Q(pk__in=full_year_round_posts())
        queryset = queryset.filter(
            Exists(sessions.filter(post=OuterRef("pk"))) | year_round
        )
        return order_by_next_session(queryset, sessions)


def with_upcoming_session(
    queryset: QuerySet[VolunteerPost],
) -> QuerySet[VolunteerPost]:
    """Keep year-round posts and posts with an upcoming session, soonest first."""
    now = timezone.now()
    upcoming = VolunteerSession.objects.filter(post=OuterRef("pk"), starts_at__gt=now)
    # A stored start that has passed stays until the periodic refresh rolls
    # it forward; only for those few posts are the sessions looked up.
    stored_is_upcoming = Q(next_session_starts_at__gt=now)
    stored_has_passed = (
        Q(next_session_starts_at__isnull=False)
        & Q(next_session_starts_at__lte=now)
        & Exists(upcoming)
    )
    queryset = queryset.filter(
        stored_is_upcoming | stored_has_passed | Q(kind=VolunteerPost.Kind.YEAR_ROUND)
    )
    return queryset.order_by(
        F("next_session_starts_at").asc(nulls_last=True), "-published_at", "-id"
    )


def matching_sessions(
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    day_type: str | None = None,
    has_places: bool = False,
) -> QuerySet[VolunteerSession]:
    """Upcoming sessions that meet every given condition, in Japan time."""
    sessions = VolunteerSession.objects.filter(starts_at__gt=timezone.now())
    if date_from:
        start = dt.datetime.combine(date_from, dt.time.min, tzinfo=JAPAN)
        sessions = sessions.filter(starts_at__gte=start)
    if date_to:
        end = dt.datetime.combine(
            date_to + dt.timedelta(days=1), dt.time.min, tzinfo=JAPAN
        )
        sessions = sessions.filter(starts_at__lt=end)
    if day_type:
        sessions = sessions.annotate(
            weekday=ExtractIsoWeekDay("starts_at", tzinfo=JAPAN)
        )
        if day_type == "weekend":
            sessions = sessions.filter(weekday__in=WEEKEND_DAYS)
        else:
            sessions = sessions.exclude(weekday__in=WEEKEND_DAYS)
    if has_places:
        sessions = sessions.filter(places_taken__lt=F("capacity"))
    return sessions


def full_year_round_posts() -> QuerySet[Any]:
    """Year-round posts whose monthly capacity is taken for this month."""
    today = timezone.localtime(timezone.now(), JAPAN).date()
    taken = (
        Application.objects.holding_places()
        .filter(
            post=OuterRef("pk"),
            session__isnull=True,
            activity_date__year=today.year,
            activity_date__month=today.month,
        )
        .values("post")
        .annotate(total=Sum("party_size"))
        .values("total")
    )
    return (
        VolunteerPost.objects.filter(
            kind=VolunteerPost.Kind.YEAR_ROUND, monthly_capacity__isnull=False
        )
        .annotate(taken=Coalesce(Subquery(taken), Value(0)))
        .filter(taken__gte=F("monthly_capacity"))
        .values("pk")
    )


def order_by_next_session(
    queryset: QuerySet[VolunteerPost], sessions: QuerySet[VolunteerSession]
) -> QuerySet[VolunteerPost]:
    """Order posts by their next matching session; year-round posts last."""
    next_start = (
        sessions.filter(post=OuterRef("pk"))
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    return queryset.alias(matching_session_starts_at=Subquery(next_start)).order_by(
        F("matching_session_starts_at").asc(nulls_last=True), "-published_at", "-id"
    )
