import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from civic_portal.fiscal import (
    JAPAN,
    era_year,
    fiscal_year_bounds,
    fiscal_year_label,
    fiscal_year_of,
)


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (dt.date(2021, 4, 1), 2021),
        (dt.date(2022, 3, 31), 2021),
        (dt.date(2022, 1, 15), 2021),
        (dt.date(2021, 3, 31), 2020),
    ],
)
def test_fiscal_year_of_date(day, year):
    assert fiscal_year_of(day) == year


def test_fiscal_year_of_uses_japan_time():
    # 23:30 on 31 March in Japan is 14:30 UTC the same day.
    late_evening = dt.datetime(2022, 3, 31, 14, 30, tzinfo=dt.UTC)
    assert fiscal_year_of(late_evening) == 2021
    # 00:30 on 1 April in Japan is still 31 March in UTC.
    after_midnight = dt.datetime(2022, 3, 31, 15, 30, tzinfo=dt.UTC)
    assert fiscal_year_of(after_midnight) == 2022


def test_fiscal_year_of_rejects_naive_datetime():
    with pytest.raises(ValueError, match="aware"):
        fiscal_year_of(dt.datetime(2022, 3, 31, 12, 0))


def test_fiscal_year_of_other_time_zone():
    new_york = ZoneInfo("America/New_York")
    # 11:00 on 31 March in New York is 00:00 on 1 April in Japan.
    assert fiscal_year_of(dt.datetime(2022, 3, 31, 11, 0, tzinfo=new_york)) == 2022


def test_fiscal_year_bounds():
    start, end = fiscal_year_bounds(2021)
    assert start == dt.datetime(2021, 4, 1, tzinfo=JAPAN)
    assert end == dt.datetime(2022, 4, 1, tzinfo=JAPAN)


@pytest.mark.parametrize(
    ("year", "label"),
    [
        (2018, "平成30"),
        (2019, "令和元"),
        (2020, "令和2"),
        (2021, "令和3"),
        (2026, "令和8"),
        (1989, "平成元"),
        (1988, "昭和63"),
    ],
)
def test_era_year(year, label):
    assert era_year(year) == label


def test_fiscal_year_label_japanese():
    with translation.override("ja"):
        assert fiscal_year_label(2021) == "2021（令和3）年度"
        assert fiscal_year_label(2019) == "2019（令和元）年度"


@pytest.mark.parametrize(
    ("year", "label"),
    [
        (2025, "FY2025 (Reiwa 7)"),
        (2019, "FY2019 (Reiwa 1)"),
        (2018, "FY2018 (Heisei 30)"),
        (1988, "FY1988 (Showa 63)"),
    ],
)
def test_fiscal_year_label_english(year, label):
    with translation.override("en"):
        assert fiscal_year_label(year) == label
