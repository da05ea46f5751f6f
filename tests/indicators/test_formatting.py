"""Figures formatted by the indicator's unit, the same on every page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from indicators.definitions import get_indicator
from indicators.formatting import (
    format_change,
    format_number,
    format_path_value,
    format_value,
)
from indicators.services.summary import year_summary
from tests.factories import UserFactory, centre_staff
from tests.indicators.helpers import bulk_groups
from tests.indicators.rows_data import FISCAL_YEAR, build_year_data

VALUES = [
    ("civic_groups", Decimal("2532.00"), "2,532"),
    ("civic_groups", Decimal(5), "5"),
    ("young_majority_share", Decimal("16.5"), "16.5%"),
    ("young_majority_share", Decimal(40), "40.0%"),
    ("municipalities_with_centre", Decimal("11.00"), "11"),
    ("volunteer_matches", Decimal(1292), "1,292"),
]


@pytest.mark.parametrize(("key", "value", "text"), VALUES)
def test_format_value_by_unit(key, value, text):
    assert format_value(get_indicator(key), value) == text


@pytest.mark.parametrize("language", ["en", "ja"])
def test_format_value_same_in_both_languages(language):
    with translation.override(language):
        assert format_value(get_indicator("civic_groups"), Decimal(2445)) == "2,445"


def test_format_number_keeps_places():
    assert format_number(Decimal("40.0")) == "40.0"
    assert format_number(1234) == "1,234"
    assert format_number(Decimal("2445")) == "2,445"
    assert format_number(Decimal("-2440.5"), 0) == "-2,440"


def test_format_change_signed():
    groups = get_indicator("civic_groups")
    share = get_indicator("young_majority_share")

    assert format_change(groups, Decimal(29)) == "+29"
    assert format_change(groups, Decimal(-2440)) == "-2,440"
    assert format_change(groups, Decimal(0)) == "0"
    assert format_change(share, Decimal("-0.4")) == "-0.4 points"
    assert format_change(share, Decimal("10.2")) == "+10.2 points"


def test_path_value_whole_units_round_up():
    groups = get_indicator("civic_groups")
    centres = get_indicator("municipalities_with_centre")
    share = get_indicator("young_majority_share")

    assert format_path_value(groups, Decimal("2532.0")) == "2,532"
    # 12.6 municipalities: 12 are behind and 13 on track.
    assert format_path_value(centres, Decimal("12.6")) == "13"
    assert format_path_value(share, Decimal("16.5")) == "16.5%"


@pytest.mark.django_db
def test_summary_page_path_without_decimals(client):
    bulk_groups(3, dt.date(2022, 6, 1))

    html = client.get(reverse("indicators:summary"), {"year": 2025}).content.decode()

    # The path from 2,445 (2021) to 2,590 (2026) is 2,561 in 2025.
    assert "path: 2,561)" in html
    assert "2561.0" not in html
    # The centres' path is 11 + 8 × 4/5 = 17.4 municipalities, so 18.
    assert "path: 18)" in html


@pytest.mark.django_db
def test_dashboard_formats_every_figure(client):
    build_year_data()
    staff = centre_staff(UserFactory(email="pref@example.jp"), scope="prefecture")
    client.force_login(staff)

    response = client.get(reverse("indicators:dashboard"), {"year": FISCAL_YEAR})

    html = response.content.decode()
    rows = {row.indicator.key: row for row in year_summary(FISCAL_YEAR)}
    path = rows["civic_groups"].progress.expected
    assert path == Decimal("2503.0")
    assert "path: 2,503)" in html
    assert "2503.0" not in html
    assert "66.7%" in html
    assert "Baseline 2,445" in html
