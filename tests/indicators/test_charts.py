import dataclasses
import datetime as dt
import unicodedata
from decimal import Decimal
from xml.etree import ElementTree as ET

import pytest
from django.utils import translation

from indicators.charts import (
    progress_chart,
    progress_text,
    series_chart,
    value_ticks,
    wrap_label,
)
from indicators.definitions import INDICATOR_KEYS, get_indicator
from indicators.formatting import COMPUTED, FROZEN, RECORDED, format_value
from indicators.services.progress import progress_of
from indicators.services.snapshots import freeze_year
from indicators.services.summary import indicator_series, year_summary
from tests.factories import UserFactory, centre_staff
from tests.indicators.helpers import bulk_groups, certify, confirm_match, japan_time

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
LAST_YEAR = 2025


def parse(svg):
    # The markup is the module's own output, not untrusted input.
    return ET.fromstring(str(svg))  # noqa: S314


def chart_of(key):
    indicator = get_indicator(key)
    series = indicator_series(key, LAST_YEAR)
    return series, series_chart(indicator, series, f"chart-{key}")


def markers(root, kind):
    return [marker for marker in root.iter() if marker.get("data-kind") == kind]


@pytest.fixture
def some_data():
    bulk_groups(4, dt.date(2022, 6, 1))
    bulk_groups(2, dt.date(2024, 6, 1))
    certify(certified_on=dt.date(2022, 5, 1))
    confirm_match(japan_time(2023, 5, 1), party_size=3)


@pytest.mark.parametrize("key", INDICATOR_KEYS)
def test_chart_parses_as_accessible_svg(some_data, key):
    _series, chart = chart_of(key)

    root = parse(chart.svg)

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None
    assert desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert get_indicator(key).name in title.text


@pytest.mark.parametrize("key", INDICATOR_KEYS)
def test_chart_contains_every_value(some_data, key):
    series, chart = chart_of(key)
    indicator = get_indicator(key)

    root = parse(chart.svg)
    desc = root.find(f"{SVG}desc").text

    computed = {
        row.fiscal_year: row.computed_value
        for row in series
        if row.computed_value is not None
    }
    recorded = {
        row.fiscal_year: row.recorded_value
        for row in series
        if row.recorded_value is not None
    }
    assert {
        int(marker.get("data-fiscal-year")): Decimal(marker.get("data-value"))
        for marker in markers(root, COMPUTED)
    } == computed
    assert {
        int(marker.get("data-fiscal-year")): Decimal(marker.get("data-value"))
        for marker in markers(root, RECORDED)
    } == recorded
    for value in [*computed.values(), *recorded.values()]:
        assert format_value(indicator, value) in desc


def test_chart_recorded_markers_hollow(some_data):
    _series, chart = chart_of("municipalities_with_centre")

    root = parse(chart.svg)

    assert all(marker.get("fill") == "none" for marker in markers(root, RECORDED))
    assert all(marker.get("fill") != "none" for marker in markers(root, COMPUTED))
    assert markers(root, RECORDED)


def test_chart_labels_baseline_and_target(some_data):
    _series, chart = chart_of("civic_groups")

    texts = [element.text for element in parse(chart.svg).iter(f"{SVG}text")]

    assert "Baseline 2,445" in texts
    assert "Target 2,590" in texts
    assert "Fiscal year" in texts
    assert "(groups)" in texts
    for legend in ("Computed value", "Recorded value", "Baseline", "Target"):
        assert legend in texts


def test_chart_sum_target_drawn_per_year(some_data):
    _series, chart = chart_of("volunteer_matches")

    texts = [element.text for element in parse(chart.svg).iter(f"{SVG}text")]
    desc = parse(chart.svg).find(f"{SVG}desc").text

    # 1,292 over four years and 1,500 over five, as yearly averages.
    assert "Baseline 323 a year" in texts
    assert "Target 300 a year" in texts
    assert "Baseline: 1,292" in desc
    assert "Target: 1,500" in desc
    assert chart.target.per_year


def test_chart_without_baseline(some_data):
    _series, chart = chart_of("probono_registrants")

    root = parse(chart.svg)

    assert chart.baseline is None
    assert "No baseline value." in root.find(f"{SVG}desc").text


def test_chart_increase_over_baseline_label(some_data):
    _series, chart = chart_of("young_majority_share")

    texts = [element.text for element in parse(chart.svg).iter(f"{SVG}text")]

    assert "Baseline 16.5% (target: higher)" in texts
    assert chart.target is None


def test_chart_fits_phone_width(some_data):
    _series, chart = chart_of("civic_groups")

    root = parse(chart.svg)
    _x, _y, width, _height = root.get("viewBox").split()

    assert width == "360"
    assert root.get("width") == "100%"
    assert int(root.get("font-size")) >= 12


def test_chart_escapes_text():
    indicator = get_indicator("civic_groups")

    with translation.override("en"):
        chart = series_chart(indicator, [], "chart-<b>")

    assert "<b>" not in str(chart.svg)
    assert parse(chart.svg).get("id") == "chart-<b>"


def test_chart_in_japanese(some_data):
    with translation.override("ja"):
        _series, chart = chart_of("civic_groups")

    root = parse(chart.svg)

    assert "県民活動団体数" in root.find(f"{SVG}title").text


def test_progress_chart_bars_match_progress(some_data):
    rows = year_summary(2023)

    root = parse(progress_chart(rows, "progress", "2023"))

    bars = {
        rect.get("data-indicator"): Decimal(rect.get("data-percent"))
        for rect in root.iter(f"{SVG}rect")
        if rect.get("data-indicator")
    }
    for row in rows:
        percent = row.progress.percent
        if percent is not None and percent != 0:
            assert bars[row.indicator.key] == percent
        else:
            assert row.indicator.key not in bars
    desc = root.find(f"{SVG}desc").text
    for row in rows:
        assert row.indicator.name in desc


def test_progress_chart_states_on_track_in_words(some_data):
    root = parse(progress_chart(year_summary(2023), "progress", "2023"))

    texts = " ".join(element.text or "" for element in root.iter(f"{SVG}text"))

    assert "Behind" in texts or "On track" in texts


def test_value_ticks_cover_values():
    ticks = value_ticks([Decimal(2445), Decimal(2590)], whole_numbers=True)

    assert ticks[0] <= 2445
    assert ticks[-1] >= 2590
    assert ticks[0] > 0
    assert len(ticks) <= 7


def test_value_ticks_start_at_zero():
    ticks = value_ticks([Decimal(3), Decimal(100)], whole_numbers=True)

    assert ticks[0] == 0
    assert ticks[-1] == 100


def test_value_ticks_whole_numbers_step():
    ticks = value_ticks([Decimal(1)], whole_numbers=True)

    assert ticks == [Decimal(0), Decimal(1)]


def test_value_ticks_without_values():
    ticks = value_ticks([], whole_numbers=False)

    assert ticks[0] == 0
    assert ticks[-1] == 1


def test_wrap_label_japanese():
    lines = wrap_label("若年層の参加割合が3割以上を占める県民活動団体の割合", 10)

    assert len(lines) == 3
    assert "".join(lines) == "若年層の参加割合が3割以上を占める県民活動団体の割合"


def test_wrap_label_english_at_spaces():
    lines = wrap_label("Pro bono worker bank registrants (cumulative)", 15)

    assert " ".join(lines) == "Pro bono worker bank registrants (cumulative)"
    assert all(not line.startswith(" ") for line in lines)
    assert len(lines) > 1


def test_wrap_label_mixed_text():
    text = "基準値から目標値までの道のりの45.2%を達成 · 順調"

    lines = wrap_label(text, 10)

    for line in lines:
        width = sum(
            1.0 if unicodedata.east_asian_width(char) in "WF" else 0.55 for char in line
        )
        assert width <= 10, line
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_chart_frozen_values_not_computed(some_data):
    staff = centre_staff(UserFactory(email="pref@example.jp"), scope="prefecture")
    freeze_year(2022, staff)
    series, chart = chart_of("civic_groups")

    root = parse(chart.svg)
    desc = root.find(f"{SVG}desc").text
    texts = [element.text for element in root.iter(f"{SVG}text")]
    frozen = markers(root, FROZEN)
    value = next(row for row in series if row.fiscal_year == 2022).computed_value

    assert [marker.get("data-fiscal-year") for marker in frozen] == ["2022"]
    assert frozen[0].tag == f"{SVG}rect"
    assert "(Frozen value)" in frozen[0].find(f"{SVG}title").text
    assert f"Frozen values: FY2022 (Reiwa 4) {value}." in desc
    assert "FY2022 (Reiwa 4)" not in desc.split("Computed values:")[1]
    assert "Frozen value" in texts
    assert "2022" not in {
        marker.get("data-fiscal-year") for marker in markers(root, COMPUTED)
    }


def test_chart_legend_without_frozen_values(some_data):
    _series, chart = chart_of("civic_groups")

    texts = [element.text for element in parse(chart.svg).iter(f"{SVG}text")]

    assert "Frozen value" not in texts


def regression_bars(root):
    return {
        rect.get("data-indicator"): rect
        for group in root.iter(f"{SVG}g")
        if group.get("class") == "regression"
        for rect in group.iter(f"{SVG}rect")
    }


def test_progress_chart_draws_regression(some_data):
    rows = year_summary(2023)
    groups = next(row for row in rows if row.indicator.key == "civic_groups")

    root = parse(progress_chart(rows, "progress", "2023"))

    # Five groups against a baseline of 2,445, and one certified NPO
    # against 10, are below their baselines.
    assert groups.progress.percent < 0
    bars = regression_bars(root)
    assert set(bars) == {"civic_groups", "certified_npos"}
    bar = bars["civic_groups"]
    assert Decimal(bar.get("data-percent")) == groups.progress.percent
    assert float(bar.get("width")) > 0
    assert bar.get("stroke-dasharray") == "3 2"
    assert len(list(root.iter(f"{SVG}polygon"))) == len(bars)
    texts = [element.text or "" for element in root.iter(f"{SVG}text")]
    assert "Baseline (0%)" in texts
    assert any(text.startswith("Below the baseline by 2,440") for text in texts)
    desc = root.find(f"{SVG}desc").text
    assert "Below the baseline by 2,440" in desc


def test_progress_chart_regression_left_of_baseline(some_data):
    root = parse(progress_chart(year_summary(2023), "progress", "2023"))

    regressions = regression_bars(root)
    bar = regressions["civic_groups"]
    zero_line = [
        line
        for line in root.iter(f"{SVG}line")
        if line.get("stroke-dasharray") == "none"
    ]
    assert len(zero_line) == 1
    zero_x = float(zero_line[0].get("x1"))
    assert float(bar.get("x")) + float(bar.get("width")) == pytest.approx(zero_x)
    forward = [
        rect
        for rect in root.iter(f"{SVG}rect")
        if rect.get("data-indicator") not in (None, *regressions)
    ]
    assert forward
    for rect in forward:
        assert float(rect.get("x")) == pytest.approx(zero_x)


def test_progress_chart_without_regression():
    bulk_groups(2460, dt.date(2020, 6, 1))
    rows = [row for row in year_summary(2023) if row.indicator.key == "civic_groups"]

    root = parse(progress_chart(rows, "progress", "2023"))

    texts = [element.text or "" for element in root.iter(f"{SVG}text")]
    assert rows[0].progress.percent > 0
    assert not regression_bars(root)
    assert "Baseline (0%)" not in texts


def test_progress_text_below_baseline_share():
    report_rows = year_summary(2023)
    share = next(
        row for row in report_rows if row.indicator.key == "young_majority_share"
    )
    below = dataclasses.replace(
        share,
        computed_value=Decimal("16.0"),
        progress=progress_of(share.indicator, 2023, Decimal("16.0")),
    )

    assert progress_text(below) == "Below the baseline by 0.5%"


def test_chart_names_japanese_font(some_data):
    _series, chart = chart_of("civic_groups")
    progress = parse(progress_chart(year_summary(2023), "progress", "2023"))

    # WeasyPrint does not pass the page's font into an inline SVG.
    for root in (parse(chart.svg), progress):
        assert root.get("font-family").startswith('"Noto Sans CJK JP", ')
        assert root.get("font-family").endswith("sans-serif")
