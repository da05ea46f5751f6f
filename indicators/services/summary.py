"""The figures that pages, the API and exports show for an indicator and a year.

For each indicator and fiscal year there are up to two values, kept apart:

- the computed value: the frozen snapshot when the year is frozen, else a
  live computation from the data as it stood at the year end;
- the recorded value, entered from outside the portal with its source.

Progress and on-track are worked out from the computed value only, and for
the matches from the sum of the computed values over the plan years.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from indicators.definitions import (
    FIRST_SERIES_YEAR,
    PLAN_FIRST_YEAR,
    PLAN_LAST_YEAR,
    Indicator,
    TargetRule,
    all_indicators,
    get_indicator,
)
from indicators.models import IndicatorSnapshot, RecordedValue
from indicators.services.compute import (
    compute,
    compute_by_year,
    volunteer_matches_by_year,
)
from indicators.services.progress import Progress, progress_of
from indicators.services.snapshots import current_fiscal_year


@dataclass(frozen=True)
class IndicatorYear:
    """The figures of one indicator in one fiscal year."""

    indicator: Indicator
    fiscal_year: int
    computed_value: Decimal | None
    frozen_at: dt.datetime | None
    frozen_by_name: str
    recorded: RecordedValue | None
    plan_period_sum: Decimal | None
    progress: Progress

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def is_computed(self) -> bool:
        """Whether the portal computes this year, or has only a recorded value."""
        return self.indicator.is_computed_in(self.fiscal_year)

    @property
    def recorded_value(self) -> Decimal | None:
        if self.recorded is None:
            return None
        return self.indicator.quantize(self.recorded.value)


def shown_years() -> list[int]:
    """Return the fiscal years that pages and the API show, oldest first.

    They run from the first recorded year to the fiscal year in progress.
    """
    return list(range(FIRST_SERIES_YEAR, current_fiscal_year() + 1))


def _frozen_values(
    snapshots: list[IndicatorSnapshot],
) -> dict[tuple[str, int], IndicatorSnapshot]:
    return {(row.indicator, row.fiscal_year): row for row in snapshots if row.is_frozen}


def _plan_years_through(fiscal_year: int) -> range:
    return range(PLAN_FIRST_YEAR, min(fiscal_year, PLAN_LAST_YEAR) + 1)


def _matches_per_year(
    years: range, frozen: dict[tuple[str, int], IndicatorSnapshot]
) -> dict[int, Decimal | None]:
    """Return the computed matches of *years*, frozen years from their snapshot."""
    per_year: dict[int, Decimal | None] = {}
    live_years = [year for year in years if ("volunteer_matches", year) not in frozen]
    live = (
        volunteer_matches_by_year(min(live_years), max(live_years))
        if live_years
        else {}
    )
    for year in years:
        snapshot = frozen.get(("volunteer_matches", year))
        per_year[year] = snapshot.value if snapshot is not None else live[year]
    return per_year


def _plan_period_sum(
    per_year: dict[int, Decimal | None], fiscal_year: int
) -> Decimal | None:
    if fiscal_year < PLAN_FIRST_YEAR:
        return None
    return sum(
        (per_year[year] or Decimal(0) for year in _plan_years_through(fiscal_year)),
        Decimal(0),
    )


def _build(
    indicator: Indicator,
    fiscal_year: int,
    value: Decimal | None,
    snapshot: IndicatorSnapshot | None,
    recorded: RecordedValue | None,
    plan_period_sum: Decimal | None,
) -> IndicatorYear:
    if not indicator.is_computed_in(fiscal_year):
        value = None
    if value is not None:
        value = indicator.quantize(value)
    frozen_by = snapshot.frozen_by if snapshot is not None else None
    return IndicatorYear(
        indicator=indicator,
        fiscal_year=fiscal_year,
        computed_value=value,
        frozen_at=snapshot.frozen_at if snapshot is not None else None,
        frozen_by_name=frozen_by.get_full_name() if frozen_by is not None else "",
        recorded=recorded,
        plan_period_sum=plan_period_sum,
        progress=progress_of(indicator, fiscal_year, value, plan_period_sum),
    )


def year_summary(fiscal_year: int) -> list[IndicatorYear]:
    """Return the figures of the six indicators for *fiscal_year*.

    Runs a bounded number of queries: two for stored rows, one per unfrozen
    indicator, and one for the matches of the plan years.
    """
    plan_years = _plan_years_through(fiscal_year)
    snapshots = list(
        IndicatorSnapshot.objects.filter(
            fiscal_year__in=[fiscal_year, *plan_years]
        ).select_related("frozen_by")
    )
    frozen = _frozen_values(snapshots)
    recorded = {
        row.indicator: row
        for row in RecordedValue.objects.filter(fiscal_year=fiscal_year)
    }
    matches = _matches_per_year(_years_for_matches(fiscal_year), frozen)
    rows = []
    for key, indicator in all_indicators().items():
        snapshot = frozen.get((key, fiscal_year))
        if snapshot is not None:
            value = snapshot.value
        elif key == "volunteer_matches":
            value = matches[fiscal_year]
        else:
            value = compute(key, fiscal_year)
        plan_sum = (
            _plan_period_sum(matches, fiscal_year)
            if indicator.target_rule == TargetRule.SUM_OVER_PLAN_PERIOD
            else None
        )
        rows.append(
            _build(indicator, fiscal_year, value, snapshot, recorded.get(key), plan_sum)
        )
    return rows


def _years_for_matches(fiscal_year: int) -> range:
    """Return the years whose matches a summary of *fiscal_year* needs."""
    first = PLAN_FIRST_YEAR if fiscal_year >= PLAN_FIRST_YEAR else fiscal_year
    return range(first, fiscal_year + 1)


def indicator_series(key: str, last_year: int) -> list[IndicatorYear]:
    """Return the figures of indicator *key* from the first series year on.

    Runs the queries of series_by_indicator() for one indicator: at most
    three, whatever the number of years.
    """
    return series_by_indicator([key], last_year)[key]


def _computed_per_year(
    indicator: Indicator,
    years: range,
    frozen: dict[tuple[str, int], IndicatorSnapshot],
) -> dict[int, Decimal | None]:
    """Return the computed value of each year: frozen ones from their snapshot."""
    key = indicator.key
    if key == "volunteer_matches":
        return _matches_per_year(years, frozen)
    live_years = [
        year
        for year in years
        if (key, year) not in frozen and indicator.is_computed_in(year)
    ]
    live = compute_by_year(key, live_years)
    return {
        year: frozen[(key, year)].value if (key, year) in frozen else live.get(year)
        for year in years
    }


def series_by_indicator(
    keys: Sequence[str], last_year: int
) -> dict[str, list[IndicatorYear]]:
    """Return the figures of the indicators *keys* from the first series year on.

    Runs two queries for the stored rows of every indicator and one query
    per indicator for all its unfrozen years, so the count grows with
    neither the number of years nor the data. A fully frozen series needs
    no computing query.
    """
    years = range(FIRST_SERIES_YEAR, last_year + 1)
    snapshots = list(
        IndicatorSnapshot.objects.filter(
            indicator__in=keys, fiscal_year__in=list(years)
        ).select_related("frozen_by")
    )
    frozen = _frozen_values(snapshots)
    recorded = {
        (row.indicator, row.fiscal_year): row
        for row in RecordedValue.objects.filter(
            indicator__in=keys, fiscal_year__in=list(years)
        )
    }
    series: dict[str, list[IndicatorYear]] = {}
    for key in keys:
        indicator = get_indicator(key)
        per_year = _computed_per_year(indicator, years, frozen)
        rows = []
        for year in years:
            plan_sum = (
                _plan_period_sum(per_year, year)
                if indicator.target_rule == TargetRule.SUM_OVER_PLAN_PERIOD
                else None
            )
            rows.append(
                _build(
                    indicator,
                    year,
                    per_year[year],
                    frozen.get((key, year)),
                    recorded.get((key, year)),
                    plan_sum,
                )
            )
        series[key] = rows
    return series
