from decimal import Decimal

import pytest

from indicators.definitions import TargetRule, all_indicators, get_indicator
from indicators.services.progress import (
    progress_at_least_at_year_end,
    progress_cumulative_at_least,
    progress_increase_over_baseline,
    progress_of,
    progress_sum_over_plan_period,
)


def test_definitions_loaded_from_csv():
    indicators = all_indicators()

    assert list(indicators) == [
        "civic_groups",
        "young_majority_share",
        "municipalities_with_centre",
        "certified_npos",
        "probono_registrants",
        "volunteer_matches",
    ]
    matches = indicators["volunteer_matches"]
    assert matches.baseline_value == 1292
    assert (matches.baseline_first_year, matches.baseline_last_year) == (2018, 2021)
    assert (matches.target_first_year, matches.target_last_year) == (2022, 2026)
    assert matches.target_rule == TargetRule.SUM_OVER_PLAN_PERIOD
    assert indicators["probono_registrants"].baseline_value is None
    assert indicators["young_majority_share"].target_value is None
    assert indicators["young_majority_share"].decimal_places == 1


def test_definitions_have_every_text():
    for indicator in all_indicators().values():
        texts = indicator.texts
        for text in (
            texts.definition,
            texts.counted,
            texts.not_counted,
            texts.source,
            texts.limits,
        ):
            assert str(text).strip(), indicator.key


def test_at_least_on_straight_path():
    groups = get_indicator("civic_groups")
    # The path from 2,445 (2021) to 2,590 (2026) requires 2,474 in 2022.

    on_path = progress_at_least_at_year_end(groups, 2022, Decimal(2474))
    below = progress_at_least_at_year_end(groups, 2022, Decimal(2473))

    assert on_path.expected == Decimal("2474.0")
    assert on_path.on_track is True
    assert below.on_track is False
    assert on_path.percent == Decimal("20.0")
    assert on_path.change_from_baseline == 29


def test_at_least_compares_exact_path():
    centres = get_indicator("municipalities_with_centre")
    # 11 + 8 × 1/5 = 12.6, so 12 centres are behind and 13 on track.

    assert progress_at_least_at_year_end(centres, 2022, Decimal(12)).on_track is False
    assert progress_at_least_at_year_end(centres, 2022, Decimal(13)).on_track is True


def test_at_least_baseline_year_not_assessed():
    progress = progress_at_least_at_year_end(
        get_indicator("certified_npos"), 2021, Decimal(10)
    )

    assert progress.on_track is None
    assert progress.percent == Decimal("0.0")


def test_at_least_before_baseline_year_unmeasured():
    progress = progress_at_least_at_year_end(
        get_indicator("civic_groups"), 2019, Decimal(9)
    )

    assert progress.percent is None
    assert progress.change_from_baseline is None
    assert progress.on_track is None


def test_increase_before_baseline_year_unmeasured():
    progress = progress_increase_over_baseline(
        get_indicator("young_majority_share"), 2020, Decimal("12.0")
    )

    assert progress.change_from_baseline is None
    assert progress.on_track is None


def test_at_least_after_target_year():
    progress = progress_at_least_at_year_end(
        get_indicator("certified_npos"), 2028, Decimal(15)
    )

    assert progress.expected == Decimal("15.0")
    assert progress.on_track is True
    assert progress.percent == Decimal("100.0")


def test_cumulative_starts_from_zero():
    workers = get_indicator("probono_registrants")

    progress = progress_cumulative_at_least(workers, 2023, Decimal(40))

    assert progress.expected == Decimal("40.0")
    assert progress.on_track is True
    assert progress.percent == Decimal("40.0")


def test_increase_over_baseline_above():
    share = get_indicator("young_majority_share")

    above = progress_increase_over_baseline(share, 2022, Decimal("16.6"))
    equal = progress_increase_over_baseline(share, 2022, Decimal("16.5"))

    assert above.on_track is True
    assert above.change_from_baseline == Decimal("0.1")
    assert equal.on_track is False
    assert above.percent is None


def test_increase_over_baseline_no_value():
    share = get_indicator("young_majority_share")

    progress = progress_increase_over_baseline(share, 2022, None)

    assert progress.on_track is None


def test_sum_over_plan_period_pro_rata():
    matches = get_indicator("volunteer_matches")

    second_year = progress_sum_over_plan_period(matches, 2023, Decimal(600))
    behind = progress_sum_over_plan_period(matches, 2023, Decimal(599))

    assert second_year.expected == Decimal("600.0")
    assert second_year.on_track is True
    assert behind.on_track is False
    assert second_year.percent == Decimal("40.0")


def test_sum_over_plan_period_before_plan():
    matches = get_indicator("volunteer_matches")

    assert progress_sum_over_plan_period(matches, 2021, Decimal(421)).on_track is None


@pytest.mark.parametrize(
    ("key", "value", "plan_sum", "on_track"),
    [
        ("civic_groups", Decimal(2500), None, True),
        ("young_majority_share", Decimal("17.0"), None, True),
        ("volunteer_matches", Decimal(10), Decimal(300), True),
        ("volunteer_matches", Decimal(400), Decimal(299), False),
    ],
)
def test_progress_of_picks_rule(key, value, plan_sum, on_track):
    progress = progress_of(get_indicator(key), 2022, value, plan_sum)

    assert progress.on_track is on_track
