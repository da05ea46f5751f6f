"""Compute the six indicators from the portal's data as it stood at a year end.

Each indicator is one database aggregate over dated rows (registration and
status dates, certification periods, centre openings, registration and
confirmation times), so a past year is recomputed as it stood on its last
day, not from today's state. The year end is 31 March in Japan time: a
date counts when it is on or before 31 March, a time when it is before
1 April 00:00 Japan time. So 23:30 on 31 March Japan time belongs to the
year that ends that day, even though it is 14:30 UTC.

compute_all() issues one query per indicator, whatever the size of the data.
compute_by_year() computes one indicator for several years in one query,
with one filtered aggregate per year over the same querysets, so a series
costs one query whatever the number of years.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Aggregate, Count, F, Q, QuerySet, Sum
from django.db.models.expressions import CombinedExpression
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual

from civic_portal.fiscal import fiscal_year_bounds, fiscal_year_end
from groups.models import (
    AnnualGroupReport,
    Certification,
    CivicGroup,
    SupportCentre,
)
from groups.models.annual_reports import AGE_BANDS, YOUNG_BANDS
from indicators.definitions import (
    INDICATOR_KEYS,
    PLAN_FIRST_YEAR,
    PLAN_LAST_YEAR,
    get_indicator,
)
from probono.models import ProbonoWorker
from volunteering.models import Application

logger = logging.getLogger(__name__)

# A group reaches the young share when under-40 participants are at least
# YOUNG_SHARE_NUMERATOR / YOUNG_SHARE_DENOMINATOR of all participants. The
# comparison stays in integers so that exactly 30% counts.
YOUNG_SHARE_NUMERATOR = 3
YOUNG_SHARE_DENOMINATOR = 10


def year_end_day(fiscal_year: int) -> dt.date:
    """Return 31 March that ends *fiscal_year*, the day dated rows are judged on."""
    return dt.date(fiscal_year + 1, 3, 31)


def counted_civic_groups(fiscal_year: int) -> QuerySet[CivicGroup]:
    """Return the groups registered and not dissolved on the year-end day."""
    return CivicGroup.objects.registered_on(year_end_day(fiscal_year))


def count_civic_groups(fiscal_year: int) -> Decimal:
    """Count the groups of counted_civic_groups()."""
    return Decimal(counted_civic_groups(fiscal_year).count())


def _sum_of_fields(names: list[str]) -> CombinedExpression | F:
    expression: CombinedExpression | F = F(names[0])
    for name in names[1:]:
        expression = expression + F(name)
    return expression


def all_participants() -> CombinedExpression | F:
    """Return the sum of a report's regular participants over every age band."""
    return _sum_of_fields([f"participants_{band}" for band, _label in AGE_BANDS])


def young_participants() -> CombinedExpression | F:
    """Return the sum of a report's regular participants under 40."""
    return _sum_of_fields([f"participants_{band}" for band in YOUNG_BANDS])


def young_share_reached() -> GreaterThanOrEqual:
    """Return the condition that a report's under-40 share is at least 30%."""
    return GreaterThanOrEqual(
        young_participants() * YOUNG_SHARE_DENOMINATOR,
        all_participants() * YOUNG_SHARE_NUMERATOR,
    )


def has_age_breakdown() -> GreaterThan:
    """Return the condition that a report counts at least one participant."""
    return GreaterThan(all_participants(), 0)


def reports_with_age_breakdown(fiscal_year: int) -> QuerySet[AnnualGroupReport]:
    """Return the annual reports of *fiscal_year* with at least one participant."""
    return AnnualGroupReport.objects.filter(fiscal_year=fiscal_year).filter(
        has_age_breakdown()
    )


def young_majority_counts(fiscal_year: int) -> tuple[int, int]:
    """Return (reports with an age breakdown, those with 30% or more under 40)."""
    counts = reports_with_age_breakdown(fiscal_year).aggregate(
        reporting=Count("pk"), reaching=Count("pk", filter=young_share_reached())
    )
    return counts["reporting"], counts["reaching"]


def young_majority_share(fiscal_year: int) -> Decimal | None:
    """Return the percentage of reporting groups with 30% or more under 40.

    Returns None when no group filed a report with an age breakdown.
    """
    return _young_share(*young_majority_counts(fiscal_year))


def _young_share(reporting: int, reaching: int) -> Decimal | None:
    if reporting == 0:
        return None
    share = Decimal(100 * reaching) / Decimal(reporting)
    return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def open_municipal_centres(fiscal_year: int) -> QuerySet[SupportCentre]:
    """Return the municipal centres open on the year-end day."""
    day = year_end_day(fiscal_year)
    return SupportCentre.objects.open_on(day).filter(
        scope=SupportCentre.Scope.MUNICIPAL
    )


def count_municipalities_with_centre(fiscal_year: int) -> Decimal:
    """Count municipalities with an open municipal centre on the year-end day."""
    count = open_municipal_centres(fiscal_year).aggregate(
        municipalities=Count("municipality", distinct=True)
    )["municipalities"]
    return Decimal(count)


def covering_certifications(fiscal_year: int) -> QuerySet[Certification]:
    """Return the certifications that cover the year-end day."""
    return Certification.objects.covering(year_end_day(fiscal_year))


def count_certified_npos(fiscal_year: int) -> Decimal:
    """Count groups whose certification covers the year-end day.

    A renewal starts the day after the certification it renews ends, so
    two certifications of one group can cover the same day only by a data
    error. The groups are counted distinct all the same.
    """
    count = covering_certifications(fiscal_year).aggregate(
        groups=Count("group", distinct=True)
    )["groups"]
    return Decimal(count)


def registrants_by_year_end(fiscal_year: int) -> QuerySet[ProbonoWorker]:
    """Return every worker registered before the year ended, deleted ones too."""
    return ProbonoWorker.objects.registered_by(fiscal_year_end(fiscal_year))


def count_probono_registrants(fiscal_year: int) -> Decimal:
    """Count the workers of registrants_by_year_end()."""
    return Decimal(registrants_by_year_end(fiscal_year).count())


def _matches_confirmed_between(start: dt.datetime, end: dt.datetime) -> Q:
    """Select applications confirmed in [start, end) that were matches at *end*.

    An application still confirmed counts. One cancelled later counts only
    when the cancellation came at or after *end*.
    """
    return Q(confirmed_at__gte=start, confirmed_at__lt=end) & (
        Q(status=Application.Status.CONFIRMED) | Q(cancelled_at__gte=end)
    )


def matched_applications(fiscal_year: int) -> QuerySet[Application]:
    """Return the applications whose people are the matches of *fiscal_year*."""
    start, end = fiscal_year_bounds(fiscal_year)
    return Application.objects.filter(_matches_confirmed_between(start, end))


def count_volunteer_matches(fiscal_year: int) -> Decimal:
    """Count the people confirmed in the fiscal year, by party size."""
    total = matched_applications(fiscal_year).aggregate(people=Sum("party_size"))[
        "people"
    ]
    return Decimal(total or 0)


def volunteer_matches_by_year(first_year: int, last_year: int) -> dict[int, Decimal]:
    """Count the matches of each fiscal year from *first_year* to *last_year*.

    One query with one filtered sum per year.
    """
    sums = {
        f"fy{year}": Sum(
            "party_size",
            filter=_matches_confirmed_between(*fiscal_year_bounds(year)),
        )
        for year in range(first_year, last_year + 1)
    }
    if not sums:
        return {}
    start, _end = fiscal_year_bounds(first_year)
    _start, end = fiscal_year_bounds(last_year)
    row = Application.objects.filter(
        confirmed_at__gte=start, confirmed_at__lt=end
    ).aggregate(**sums)
    return {
        year: Decimal(row[f"fy{year}"] or 0)
        for year in range(first_year, last_year + 1)
    }


def plan_period_years(fiscal_year: int) -> tuple[int, int] | None:
    """Return the plan years up to *fiscal_year*, or None before the plan."""
    if fiscal_year < PLAN_FIRST_YEAR:
        return None
    return PLAN_FIRST_YEAR, min(fiscal_year, PLAN_LAST_YEAR)


COMPUTERS: dict[str, Callable[[int], Decimal | None]] = {
    "civic_groups": count_civic_groups,
    "young_majority_share": young_majority_share,
    "municipalities_with_centre": count_municipalities_with_centre,
    "certified_npos": count_certified_npos,
    "probono_registrants": count_probono_registrants,
    "volunteer_matches": count_volunteer_matches,
}


def compute(key: str, fiscal_year: int) -> Decimal | None:
    """Compute indicator *key* for *fiscal_year* from the data as it stood.

    Returns None only for the young share of a year without reports.
    Raises KeyError for an unknown key.
    """
    indicator = get_indicator(key)
    value = COMPUTERS[key](fiscal_year)
    return None if value is None else indicator.quantize(value)


def _counts_by_year(
    rows: Callable[[int], QuerySet],
    aggregate: Callable[[Q], Aggregate],
    years: Sequence[int],
) -> dict[int, int]:
    """Aggregate the rows that *rows(year)* selects, for every year in one query.

    The query scans the model of *rows* once, with one aggregate per year
    whose filter keeps the primary keys of that year's queryset. So each
    year is counted by the same queryset as its single-year count.
    """
    if not years:
        return {}
    model = rows(years[0]).model
    aggregates = {
        f"fy{year}": aggregate(Q(pk__in=rows(year).order_by().values("pk")))
        for year in years
    }
    result = model._default_manager.aggregate(**aggregates)
    return {year: result[f"fy{year}"] or 0 for year in years}


def _count_rows(condition: Q) -> Aggregate:
    return Count("pk", filter=condition)


def _by_year(
    rows: Callable[[int], QuerySet], aggregate: Callable[[Q], Aggregate]
) -> Callable[[Sequence[int]], dict[int, Decimal | None]]:
    def count(years: Sequence[int]) -> dict[int, Decimal | None]:
        return {
            year: Decimal(value)
            for year, value in _counts_by_year(rows, aggregate, years).items()
        }

    return count


def young_majority_share_by_year(years: Sequence[int]) -> dict[int, Decimal | None]:
    """Return young_majority_share() of each of *years*, in one query."""
    if not years:
        return {}
    # A report belongs to one fiscal year, so each year's counts filter the
    # rows of reports_with_age_breakdown() directly, without a subquery.
    aggregates: dict[str, Aggregate] = {}
    for year in years:
        aggregates[f"reporting{year}"] = _count_rows(Q(fiscal_year=year))
        aggregates[f"reaching{year}"] = _count_rows(
            Q(young_share_reached(), fiscal_year=year)
        )
    result = (
        AnnualGroupReport.objects.filter(fiscal_year__in=list(years))
        .filter(has_age_breakdown())
        .aggregate(**aggregates)
    )
    return {
        year: _young_share(result[f"reporting{year}"], result[f"reaching{year}"])
        for year in years
    }


def _matches_by_year(years: Sequence[int]) -> dict[int, Decimal | None]:
    if not years:
        return {}
    per_year = volunteer_matches_by_year(min(years), max(years))
    return {year: per_year[year] for year in years}


COMPUTERS_BY_YEAR: dict[str, Callable[[Sequence[int]], dict[int, Decimal | None]]] = {
    # NOTE: on the benchmark's PostgreSQL data set this one query took about
    # 1.2x the time of one query per year, unlike the other indicators
    # (benchmarks/README.md). It keeps the dashboard's query count fixed.
    "civic_groups": _by_year(counted_civic_groups, _count_rows),
    "young_majority_share": young_majority_share_by_year,
    "municipalities_with_centre": _by_year(
        open_municipal_centres,
        lambda condition: Count("municipality", distinct=True, filter=condition),
    ),
    "certified_npos": _by_year(
        covering_certifications,
        lambda condition: Count("group", distinct=True, filter=condition),
    ),
    "probono_registrants": _by_year(registrants_by_year_end, _count_rows),
    "volunteer_matches": _matches_by_year,
}


def compute_by_year(key: str, years: Sequence[int]) -> dict[int, Decimal | None]:
    """Compute indicator *key* for each of *years* in one query.

    Gives the same values as compute() year by year. Raises KeyError for
    an unknown key.
    """
    indicator = get_indicator(key)
    values = COMPUTERS_BY_YEAR[key](years)
    return {
        year: None if value is None else indicator.quantize(value)
        for year, value in values.items()
    }


def compute_all(fiscal_year: int) -> dict[str, Decimal | None]:
    """Compute the six indicators for *fiscal_year*, one query each."""
    values = {key: compute(key, fiscal_year) for key in INDICATOR_KEYS}
    logger.info("Computed the indicators of fiscal %s", fiscal_year)
    return values
