"""Figures of the pro bono bank for staff, computed by database aggregates.

Every figure is for a fiscal year in Japan time, counted as the data stood
at the year's end, or now for the current year. The cumulative count of
registrants is one of the plan's indicators, so the indicators app reuses
registrants_at() and registrants_by_fiscal_year().
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Count,
    DateTimeField,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber, TruncDate
from django.utils import timezone

from civic_portal.fiscal import (
    JAPAN,
    fiscal_year_bounds,
    fiscal_year_end,
    fiscal_year_of,
)
from probono.models import (
    CaseStudy,
    ProbonoWorker,
    RequestEvent,
    RequestState,
    Skill,
    SupportRequest,
    WorkLog,
)

# The first fiscal year of the prefecture's plan, in which the bank opened.
FIRST_FISCAL_YEAR = 2022

Status = ProbonoWorker.Status

# Hours are recorded to the tenth of an hour, and estimated values in whole yen.
TENTH = Decimal("0.1")
YEN = Decimal("1")


def registrants_at(moment: dt.datetime) -> int:
    """Return how many workers had registered by *moment*, deleted ones included."""
    return ProbonoWorker.objects.registered_by(moment).count()


def registrants_by_fiscal_year(first: int, last: int) -> dict[int, int]:
    """Return the cumulative registrants at the end of each fiscal year, in order.

    Runs one query, whatever the number of years.
    """
    if last < first:
        return {}
    counts = ProbonoWorker.objects.aggregate(
        **{
            f"fy{year}": Count(
                "pk",
                filter=Q(
                    pk__in=ProbonoWorker.objects.registered_by(
                        fiscal_year_end(year)
                    ).values("pk")
                ),
            )
            for year in range(first, last + 1)
        }
    )
    return {year: counts[f"fy{year}"] for year in range(first, last + 1)}


def active_at(moment: dt.datetime, prefix: str = "") -> Q:
    """Return a filter for workers registered and active at *moment*.

    *prefix* is the lookup path to the worker, such as "workers__".
    NOTE: only a worker's current pause is recorded (paused_at), so a
    worker who paused and resumed before now counts as active throughout.
    """
    return Q(**{f"{prefix}registered_at__lte": moment}) & (
        Q(**{f"{prefix}status": Status.ACTIVE})
        | Q(**{f"{prefix}status": Status.PAUSED, f"{prefix}paused_at__gt": moment})
        | Q(**{f"{prefix}status": Status.DELETED, f"{prefix}deleted_at__gt": moment})
    )


@dataclass(frozen=True)
class SkillRegistrants:
    skill: Skill
    inside: int
    outside: int

    @property
    def total(self) -> int:
        return self.inside + self.outside


def active_registrants_by_skill(moment: dt.datetime) -> list[SkillRegistrants]:
    """Return the active registrants of each skill, inside and outside Yamaguchi."""
    active = active_at(moment, "workers__")
    skills = Skill.objects.annotate(
        inside=Count(
            "workers",
            filter=active & Q(workers__lives_in_prefecture=True),
            distinct=True,
        ),
        outside=Count(
            "workers",
            filter=active & Q(workers__lives_in_prefecture=False),
            distinct=True,
        ),
    ).order_by("position", "pk")
    return [
        SkillRegistrants(skill=skill, inside=skill.inside, outside=skill.outside)
        for skill in skills
    ]


def active_registrants(moment: dt.datetime) -> tuple[int, int]:
    """Return the active registrants at *moment*: inside and outside Yamaguchi.

    A worker with several skills counts once here.
    """
    counts = ProbonoWorker.objects.filter(active_at(moment)).aggregate(
        inside=Count("pk", filter=Q(lives_in_prefecture=True)),
        outside=Count("pk", filter=Q(lives_in_prefecture=False)),
    )
    return counts["inside"], counts["outside"]


def requests_by_state(moment: dt.datetime) -> dict[str, int]:
    """Return how many requests were in each state at *moment*.

    A request's state at a moment is the target of its latest history
    step by then. Every state is in the result, in workflow order.
    """
    latest_state = (
        RequestEvent.objects.filter(request=OuterRef("pk"), created_at__lte=moment)
        .order_by("-created_at", "-pk")
        .values("to_state")[:1]
    )
    rows = (
        SupportRequest.objects.annotate(state_then=Subquery(latest_state))
        .filter(state_then__isnull=False)
        .values("state_then")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = {row["state_then"]: row["count"] for row in rows}
    return {state: counts.get(state, 0) for state in RequestState.values}


@dataclass(frozen=True)
class StateDuration:
    state: str
    steps: int
    median_days: float


def _closed_steps(start: dt.datetime, end: dt.datetime):  # type: ignore[no-untyped-def]
    """Return history steps that ended in [start, end), each with its duration.

    A step starts with an event (entering its to_state) and ends with the
    request's next event. A step still running has no end and is left out.
    """
    next_event = (
        RequestEvent.objects.filter(request=OuterRef("request"))
        .filter(
            Q(created_at__gt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
        )
        .order_by("created_at", "pk")
        .values("created_at")[:1]
    )
    return (
        RequestEvent.objects.annotate(
            left_at=Subquery(next_event, output_field=DateTimeField())
        )
        .filter(left_at__gte=start, left_at__lt=end)
        .annotate(
            duration=ExpressionWrapper(
                F("left_at") - F("created_at"), output_field=DurationField()
            )
        )
    )


def median_days_by_state(start: dt.datetime, end: dt.datetime) -> list[StateDuration]:
    """Return the median days spent per state, over steps that ended in [start, end).

    The median is found in the database on SQLite and PostgreSQL alike:
    window functions number each state's steps by duration, and only the
    one or two middle steps are read back.
    """
    middle = (
        _closed_steps(start, end)
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("to_state")],
                order_by=[F("duration").asc(), F("pk").asc()],
            ),
            total=Window(Count("pk"), partition_by=[F("to_state")]),
        )
        .filter(Q(position=(F("total") + 1) / 2) | Q(position=(F("total") + 2) / 2))
        .values_list("to_state", "duration", "total")
    )
    durations: dict[str, list[dt.timedelta]] = defaultdict(list)
    totals: dict[str, int] = {}
    for state, duration, total in middle:
        durations[state].append(duration)
        totals[state] = total
    result = []
    for state in RequestState.values:
        if state not in durations:
            continue
        values = durations[state]
        median = sum(values, dt.timedelta()) / len(values)
        result.append(
            StateDuration(
                state=state,
                steps=totals[state],
                median_days=round(median.total_seconds() / 86400, 1),
            )
        )
    return result


@dataclass(frozen=True)
class SkillHours:
    skill: Skill
    hours: Decimal
    value: Decimal


def hours_by_skill(year: int) -> list[SkillHours]:
    """Return the hours given in fiscal *year* per skill, with their estimated value.

    The value is hours times the skill's current hourly value, rounded to
    whole yen, so changing a rate changes the estimate of past years too.
    A log without a work date counts on the day it was recorded, in Japan
    time.
    """
    start, end = fiscal_year_bounds(year)
    day = Coalesce("worked_on", TruncDate("created_at", tzinfo=JAPAN))
    rows = (
        WorkLog.objects.annotate(day=day)
        .filter(day__gte=start.date(), day__lt=end.date())
        .values("skill")
        .annotate(
            hours_sum=Sum("hours"),
            value_sum=Sum(
                F("hours") * F("skill__hourly_value"),
                output_field=DecimalField(max_digits=16, decimal_places=1),
            ),
        )
        .order_by()
    )
    by_skill = {row["skill"]: row for row in rows}
    return [
        SkillHours(
            skill=skill,
            hours=Decimal(by_skill[skill.pk]["hours_sum"]).quantize(TENTH),
            value=Decimal(by_skill[skill.pk]["value_sum"]).quantize(
                YEN, rounding=ROUND_HALF_UP
            ),
        )
        for skill in Skill.objects.order_by("position", "pk")
        if skill.pk in by_skill
    ]


def case_studies_published(start: dt.datetime, end: dt.datetime) -> tuple[int, int]:
    """Return the case studies published in [start, end), and all published by *end*.

    A case study taken down has no publication time, so it counts in
    neither figure, also for the years when it was on the portal.
    """
    counts = CaseStudy.objects.aggregate(
        in_period=Count("pk", filter=Q(published_at__gte=start, published_at__lt=end)),
        total=Count("pk", filter=Q(published_at__lt=end)),
    )
    return counts["in_period"], counts["total"]


def available_years(now: dt.datetime) -> list[int]:
    """Return the fiscal years with figures: from the first data to the current year."""
    first_registered = ProbonoWorker.objects.aggregate(first=Min("registered_at"))
    first_filed = SupportRequest.objects.aggregate(first=Min("created_at"))
    first = FIRST_FISCAL_YEAR
    for moment in (first_registered["first"], first_filed["first"]):
        if moment is not None:
            first = min(first, fiscal_year_of(moment))
    return list(range(first, fiscal_year_of(now) + 1))


@dataclass(frozen=True)
class YearStatistics:
    """Every figure of the statistics page for one fiscal year."""

    year: int
    as_of: dt.datetime
    registrants: dict[int, int]
    skills: list[SkillRegistrants]
    active_inside: int
    active_outside: int
    requests_by_state: dict[str, int]
    median_days: list[StateDuration]
    hours: list[SkillHours]
    case_studies_in_year: int
    case_studies_total: int
    total_hours: Decimal = field(init=False)
    total_value: Decimal = field(init=False)

    def __post_init__(self) -> None:
        # At most one row per skill area, so summing here stays small.
        object.__setattr__(
            self, "total_hours", sum((r.hours for r in self.hours), Decimal(0))
        )
        object.__setattr__(
            self, "total_value", sum((r.value for r in self.hours), Decimal(0))
        )

    @property
    def is_empty(self) -> bool:
        return (
            not any(self.registrants.values())
            and not any(self.requests_by_state.values())
            and not self.hours
            and not self.case_studies_total
        )


def year_statistics(
    year: int, first_year: int, now: dt.datetime | None = None
) -> YearStatistics:
    """Compute every figure for fiscal *year*, registrants from *first_year* on.

    Figures of the current fiscal year are as of *now* (default: the
    current time).
    """
    now = now or timezone.now()
    start, end = fiscal_year_bounds(year)
    as_of = min(now, fiscal_year_end(year))
    until = min(now, end)
    inside, outside = active_registrants(as_of)
    in_year, total = case_studies_published(start, until)
    return YearStatistics(
        year=year,
        as_of=as_of,
        registrants=registrants_by_fiscal_year(first_year, year),
        skills=active_registrants_by_skill(as_of),
        active_inside=inside,
        active_outside=outside,
        requests_by_state=requests_by_state(as_of),
        median_days=median_days_by_state(start, until),
        hours=hours_by_skill(year),
        case_studies_in_year=in_year,
        case_studies_total=total,
    )
