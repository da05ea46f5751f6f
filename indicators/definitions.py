"""The six indicators of the five-year civic activity plan (fiscal 2022 to 2026).

Baselines, targets, units, target rules and pillars come from the shipped
copy of the plan's table, indicators/data/plan_indicators.csv. The texts
that explain each indicator (what is counted, what is not, where the data
comes from, known limits) are here, translatable. Every page, API and
export that shows an indicator reads it from this module.
"""

from __future__ import annotations

import csv
import enum
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from civic_portal.fiscal import fiscal_year_label

PLAN_CSV = Path(__file__).resolve().parent / "data" / "plan_indicators.csv"

# The plan period. The portal's own data starts with it, and earlier
# years are recorded values.
PLAN_FIRST_YEAR = 2022
PLAN_LAST_YEAR = 2026
# The earliest fiscal year shown in a series: the first recorded matches.
FIRST_SERIES_YEAR = 2018
# The first fiscal year whose value the portal computes, where its data
# starts later than the series. The portal's matches start with the plan
# in fiscal 2022, and earlier years exist only as recorded values, so a
# computed 0 beside them would mislead.
FIRST_COMPUTED_YEAR = {"volunteer_matches": PLAN_FIRST_YEAR}


class TargetRule(enum.StrEnum):
    """The rule by which the plan sets an indicator's target."""

    AT_LEAST_AT_YEAR_END = "at_least_at_year_end"
    INCREASE_OVER_BASELINE = "increase_over_baseline"
    CUMULATIVE_AT_LEAST = "cumulative_at_least"
    SUM_OVER_PLAN_PERIOD = "sum_over_plan_period"


TARGET_RULE_LABELS: dict[TargetRule, Promise] = {
    TargetRule.AT_LEAST_AT_YEAR_END: _("At least the target value at the year end"),
    TargetRule.INCREASE_OVER_BASELINE: _("Higher than the baseline value"),
    TargetRule.CUMULATIVE_AT_LEAST: _(
        "Cumulative count of at least the target value at the year end"
    ),
    TargetRule.SUM_OVER_PLAN_PERIOD: _(
        "Sum over the plan period of at least the target value"
    ),
}

UNIT_LABELS: dict[str, Promise] = {
    "groups": _("groups"),
    "percent": _("percent"),
    "municipalities": _("municipalities"),
    "corporations": _("corporations"),
    "people": _("people"),
}

PILLAR_LABELS: dict[int, Promise] = {
    1: _("Understanding and participation"),
    2: _("Stronger groups"),
    3: _("Collaboration"),
}


@dataclass(frozen=True)
class IndicatorTexts:
    """The translatable explanation of one indicator for its public page."""

    definition: Promise
    counted: Promise
    not_counted: Promise
    source: Promise
    limits: Promise


TEXTS: dict[str, IndicatorTexts] = {
    "civic_groups": IndicatorTexts(
        definition=_(
            "The number of civic groups in the portal's registry that are "
            "registered and not dissolved on 31 March, the last day of the "
            "fiscal year."
        ),
        counted=_(
            "Groups whose registration was approved on or before the year end "
            "and whose latest status change on or before that day is not "
            "dissolution. Dormant groups are counted."
        ),
        not_counted=_(
            "Applications still under review or rejected, groups dissolved on "
            "or before the year end, and registrations approved after it."
        ),
        source=_(
            "The group registry: each group's registration date and its dated "
            "status changes."
        ),
        limits=_(
            "A dissolution recorded late with an earlier effective date "
            "changes the count of past years until the year is frozen."
        ),
    ),
    "young_majority_share": IndicatorTexts(
        definition=_(
            "Among the groups that filed the fiscal year's annual report with "
            "an age breakdown, the percentage whose regular participants under "
            "40 make up at least 30 percent of all regular participants."
        ),
        counted=_(
            "Annual reports of the fiscal year with at least one regular "
            "participant in the age breakdown. A group with exactly 30 percent "
            "participants under 40 is counted as reaching the share."
        ),
        not_counted=_(
            "Groups that did not file that year's report, and reports with no "
            "participants in the age breakdown."
        ),
        source=_("The annual group reports: regular participants by age band."),
        limits=_(
            "The share covers only groups that filed a report, so it changes "
            "with the groups that report. Reports arrive after the year end, "
            "so the figure grows more reliable until the year is frozen."
        ),
    ),
    "municipalities_with_centre": IndicatorTexts(
        definition=_(
            "The number of the prefecture's 19 municipalities with an open "
            "municipal civic-activity support centre on 31 March, the last day "
            "of the fiscal year."
        ),
        counted=_(
            "Distinct municipalities with a municipal centre that opened in or "
            "before the year end's month and had not closed by then. A centre "
            "counts from its opening month."
        ),
        not_counted=_(
            "The prefectural centre, and a second centre in a municipality that "
            "already has one."
        ),
        source=_("The support centre list: each centre's opening and closing date."),
        limits=_(
            "Opening dates are known to the month only, so each centre is taken "
            "as open from the first day of its opening month."
        ),
    ),
    "certified_npos": IndicatorTexts(
        definition=_(
            "The number of certified NPO corporations (including special "
            "certification) whose certification covers 31 March, the last day "
            "of the fiscal year."
        ),
        counted=_(
            "Groups with a certification that started on or before the year "
            "end, expires on or after it and was not revoked by then. A "
            "certification lasts five years, a special one three."
        ),
        not_counted=_(
            "Certifications that expired or were revoked on or before the year "
            "end, and NPO corporations that are not certified."
        ),
        source=_("The group registry's dated certification records."),
        limits=_(
            "Only corporations registered in the portal are counted, so a "
            "certified corporation that never registered is missing."
        ),
    ),
    "probono_registrants": IndicatorTexts(
        definition=_(
            "The cumulative number of people registered in the pro bono worker "
            "bank by the end of the fiscal year."
        ),
        counted=_(
            "Every registration made on or before 31 March 23:59 Japan time, "
            "including registrations that were later paused or deleted."
        ),
        not_counted=_("Registrations made after the year end."),
        source=_("The pro bono worker bank: each registration's time."),
        limits=_(
            "A person who deletes the registration and registers again is "
            "counted twice. The bank started with the plan, so there is no "
            "baseline value."
        ),
    ),
    "volunteer_matches": IndicatorTexts(
        definition=_(
            "The number of people confirmed for a volunteer activity through "
            "the matching site in the fiscal year, and its sum over the plan "
            "period."
        ),
        counted=_(
            "Each person of an application confirmed between 1 April and "
            "31 March Japan time: a team application counts as many matches "
            "as people confirmed. A volunteer who did not show up still counts."
        ),
        not_counted=_(
            "Applications still awaiting confirmation, declined or on the "
            "waitlist, and confirmed applications cancelled before the year end."
        ),
        source=_(
            "The matching site's applications: confirmation and cancellation times."
        ),
        limits=_(
            "An application cancelled after the year end still counts for the "
            "year in which it was confirmed. Years before fiscal 2022 are "
            "recorded values from the prefecture's own records."
        ),
    ),
}


@dataclass(frozen=True)
class Indicator:
    """One indicator of the plan with its baseline, target and texts.

    A baseline or target that covers several years (the matches) has a
    first and a last year; a single-year one has the same year twice.
    """

    key: str
    name_ja: str
    name_en: str
    unit: str
    decimal_places: int
    baseline_value: Decimal | None
    baseline_first_year: int
    baseline_last_year: int
    target_value: Decimal | None
    target_first_year: int
    target_last_year: int
    target_rule: TargetRule
    policy_pillar: int
    texts: IndicatorTexts

    @property
    def name(self) -> str:
        """The name in the active language: English for "en", else Japanese."""
        if translation.get_language() == "en":
            return self.name_en
        return self.name_ja

    @property
    def unit_label(self) -> Promise:
        return UNIT_LABELS[self.unit]

    @property
    def target_rule_label(self) -> Promise:
        return TARGET_RULE_LABELS[self.target_rule]

    @property
    def pillar_label(self) -> Promise:
        return PILLAR_LABELS[self.policy_pillar]

    @property
    def first_computed_year(self) -> int:
        return FIRST_COMPUTED_YEAR.get(self.key, FIRST_SERIES_YEAR)

    def is_computed_in(self, fiscal_year: int) -> bool:
        """Tell whether the portal computes a value for *fiscal_year*."""
        return fiscal_year >= self.first_computed_year

    @property
    def baseline_period_label(self) -> str:
        return _period_label(self.baseline_first_year, self.baseline_last_year)

    @property
    def target_period_label(self) -> str:
        return _period_label(self.target_first_year, self.target_last_year)

    def quantize(self, value: Decimal) -> Decimal:
        """Round *value* to the indicator's number of decimal places."""
        return value.quantize(Decimal(1).scaleb(-self.decimal_places))


def _period_label(first_year: int, last_year: int) -> str:
    """Return 2021（令和3）年度, or a range of two such labels for a period."""
    if first_year == last_year:
        return fiscal_year_label(first_year)
    return f"{fiscal_year_label(first_year)}〜{fiscal_year_label(last_year)}"


def _year_span(text: str) -> tuple[int, int]:
    """Parse "2021" or "2018-2021" into its first and last year."""
    first, _sep, last = text.partition("-")
    return int(first), int(last or first)


def _decimal_or_none(text: str) -> Decimal | None:
    return Decimal(text) if text.strip() else None


def _load(path: Path) -> dict[str, Indicator]:
    indicators: dict[str, Indicator] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = row["key"]
            baseline_first, baseline_last = _year_span(row["baseline_fiscal_year"])
            target_first, target_last = _year_span(row["target_fiscal_year"])
            indicators[key] = Indicator(
                key=key,
                name_ja=row["name_ja"],
                name_en=row["name_en"],
                unit=row["unit"],
                decimal_places=1 if row["unit"] == "percent" else 0,
                baseline_value=_decimal_or_none(row["baseline_value"]),
                baseline_first_year=baseline_first,
                baseline_last_year=baseline_last,
                target_value=_decimal_or_none(row["target_value"]),
                target_first_year=target_first,
                target_last_year=target_last,
                target_rule=TargetRule(row["target_rule"]),
                policy_pillar=int(row["policy_pillar"]),
                texts=TEXTS[key],
            )
    return indicators


@cache
def all_indicators() -> dict[str, Indicator]:
    """Return the six indicators by key, in the plan's order."""
    return _load(PLAN_CSV)


def get_indicator(key: str) -> Indicator:
    """Return the indicator *key*; raise KeyError for an unknown key."""
    return all_indicators()[key]


INDICATOR_KEYS: tuple[str, ...] = tuple(TEXTS)
