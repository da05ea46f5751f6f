"""Progress toward each indicator's target and whether it is on track.

There is one function per target rule of the plan:

- at least the target at the year end, and a cumulative count of at
  least the target: progress is the share of the way from the baseline to
  the target. The indicator is on track when the value is at least the
  value on a straight path from (baseline year, baseline value) to
  (target year, target value).
- higher than the baseline: the change from the baseline in the
  indicator's unit. The indicator is on track when it is above the
  baseline.
- a sum over the plan period: progress is the running sum over the plan
  years so far as a share of the target. The indicator is on track when
  the running sum is at least the target's pro-rata share for the years
  so far.

On-track is None for the baseline year and earlier, when there is no plan
path yet to compare with, and when there is no value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from indicators.definitions import Indicator, TargetRule

HUNDRED = Decimal(100)
ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class Progress:
    """Progress of one indicator's value in one fiscal year.

    `percent` is the share of the target reached (per rule, see the module
    docstring), `change_from_baseline` the value minus the baseline, and
    `expected` the value that the plan path or the pro-rata share requires
    in that year, rounded to one decimal place.
    """

    compared_value: Decimal | None
    percent: Decimal | None
    change_from_baseline: Decimal | None
    expected: Decimal | None
    on_track: bool | None


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole == 0:
        return None
    return (part * HUNDRED / whole).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def _rounded(value: Decimal | None) -> Decimal | None:
    """Round an expected value to one decimal place for display.

    On-track compares with the exact value, so 12.5 requires 13 groups.
    """
    if value is None:
        return None
    return value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def _straight_path_value(indicator: Indicator, fiscal_year: int) -> Decimal | None:
    """Return the value on the straight path from the baseline to the target."""
    baseline = indicator.baseline_value or Decimal(0)
    target = indicator.target_value
    start_year = indicator.baseline_last_year
    end_year = indicator.target_last_year
    if target is None or fiscal_year <= start_year:
        return None
    years_done = min(fiscal_year, end_year) - start_year
    return baseline + (target - baseline) * years_done / (end_year - start_year)


def progress_at_least_at_year_end(
    indicator: Indicator, fiscal_year: int, value: Decimal | None
) -> Progress:
    """Compare a year-end count with the straight path to its target.

    Years before the baseline year are not measured against the plan.
    """
    baseline = indicator.baseline_value or Decimal(0)
    target = indicator.target_value
    if value is None or target is None or fiscal_year < indicator.baseline_last_year:
        return Progress(value, None, None, None, None)
    expected = _straight_path_value(indicator, fiscal_year)
    return Progress(
        compared_value=value,
        percent=_percent(value - baseline, target - baseline),
        change_from_baseline=value - baseline,
        expected=_rounded(expected),
        on_track=None if expected is None else value >= expected,
    )


def progress_cumulative_at_least(
    indicator: Indicator, fiscal_year: int, value: Decimal | None
) -> Progress:
    """Compare a cumulative count with the straight path to its target.

    An indicator without a baseline value (the pro bono bank started with
    the plan) starts its path from zero in the baseline year.
    """
    return progress_at_least_at_year_end(indicator, fiscal_year, value)


def progress_increase_over_baseline(
    indicator: Indicator, fiscal_year: int, value: Decimal | None
) -> Progress:
    """Compare a value with its baseline: on track when it is above it."""
    baseline = indicator.baseline_value
    if value is None or baseline is None or fiscal_year < indicator.baseline_last_year:
        return Progress(value, None, None, None, None)
    after_baseline = fiscal_year > indicator.baseline_last_year
    return Progress(
        compared_value=value,
        percent=None,
        change_from_baseline=value - baseline,
        expected=baseline if after_baseline else None,
        on_track=value > baseline if after_baseline else None,
    )


def progress_sum_over_plan_period(
    indicator: Indicator, fiscal_year: int, running_sum: Decimal | None
) -> Progress:
    """Compare the running sum over the plan years with the pro-rata target.

    *running_sum* is the sum from the plan's first year up to *fiscal_year*.
    """
    target = indicator.target_value
    first_year = indicator.target_first_year
    last_year = indicator.target_last_year
    if running_sum is None or target is None or fiscal_year < first_year:
        return Progress(running_sum, None, None, None, None)
    # NOTE: the current fiscal year counts as a whole year of the share, so
    # early in a year the running sum looks behind until its matches arrive.
    years_done = min(fiscal_year, last_year) - first_year + 1
    expected = target * years_done / (last_year - first_year + 1)
    return Progress(
        compared_value=running_sum,
        percent=_percent(running_sum, target),
        change_from_baseline=None,
        expected=_rounded(expected),
        on_track=running_sum >= expected,
    )


RULES: dict[TargetRule, Callable[[Indicator, int, Decimal | None], Progress]] = {
    TargetRule.AT_LEAST_AT_YEAR_END: progress_at_least_at_year_end,
    TargetRule.CUMULATIVE_AT_LEAST: progress_cumulative_at_least,
    TargetRule.INCREASE_OVER_BASELINE: progress_increase_over_baseline,
    TargetRule.SUM_OVER_PLAN_PERIOD: progress_sum_over_plan_period,
}


def progress_of(
    indicator: Indicator,
    fiscal_year: int,
    value: Decimal | None,
    plan_period_sum: Decimal | None = None,
) -> Progress:
    """Return the progress of *indicator* in *fiscal_year* by its target rule.

    The sum rule reads *plan_period_sum*, the other rules *value*.
    """
    rule = indicator.target_rule
    compared = plan_period_sum if rule == TargetRule.SUM_OVER_PLAN_PERIOD else value
    return RULES[rule](indicator, fiscal_year, compared)
