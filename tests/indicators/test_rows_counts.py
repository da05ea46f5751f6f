import datetime as dt
from decimal import Decimal

import pytest

from indicators.definitions import INDICATOR_KEYS
from indicators.services.compute import compute, young_majority_counts
from indicators.services.rows import (
    BREAKDOWN_KEYS,
    ROW_SOURCES,
    export_rows,
    municipality_breakdown,
    row_cells,
    rows_total,
)
from tests.indicators.rows_data import (
    EXPECTED,
    FISCAL_YEAR,
    MINE,
    SHIMONOSEKI,
    UBE,
    YAMAGUCHI,
    build_year_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_data():
    build_year_data()


def test_made_up_data_gives_expected_values(year_data):
    for key in INDICATOR_KEYS:
        assert compute(key, FISCAL_YEAR) == EXPECTED[key], key


@pytest.mark.parametrize(
    "key",
    [key for key in INDICATOR_KEYS if key != "young_majority_share"],
)
def test_rows_total_equals_computed_value(year_data, key):
    total = rows_total(key, FISCAL_YEAR)

    assert total.value == compute(key, FISCAL_YEAR)


@pytest.mark.parametrize("key", INDICATOR_KEYS)
def test_rows_listed_match_rows_total(year_data, key):
    source = ROW_SOURCES[key]

    listed = list(source.rows(FISCAL_YEAR))

    assert len(listed) == rows_total(key, FISCAL_YEAR).rows


def test_match_rows_add_up_to_people(year_data):
    listed = list(ROW_SOURCES["volunteer_matches"].rows(FISCAL_YEAR))

    assert sum(row.party_size for row in listed) == EXPECTED["volunteer_matches"]
    assert len(listed) == 4


def test_young_share_rows_give_share(year_data):
    listed = list(ROW_SOURCES["young_majority_share"].rows(FISCAL_YEAR))
    reaching = [row for row in listed if row.reaches_share]
    total = rows_total("young_majority_share", FISCAL_YEAR)

    assert (len(listed), len(reaching)) == young_majority_counts(FISCAL_YEAR)
    assert total.rows == 3
    assert total.reaching == 2
    share = Decimal(100 * len(reaching)) / Decimal(len(listed))
    assert share.quantize(Decimal("0.1")) == compute("young_majority_share", 2023)


def test_centre_rows_one_per_municipality(year_data):
    listed = list(ROW_SOURCES["municipalities_with_centre"].rows(FISCAL_YEAR))
    shimonoseki = next(row for row in listed if row.code == SHIMONOSEKI)

    assert len(listed) == 11
    assert len(shimonoseki.open_centres) == 2
    assert (
        "下関第二センター"
        in row_cells(ROW_SOURCES["municipalities_with_centre"], shimonoseki)[2]
    )


def test_certified_rows_show_covering_certification(year_data):
    source = ROW_SOURCES["certified_npos"]

    cells = [row_cells(source, row) for row in source.rows(FISCAL_YEAR)]

    assert len(cells) == 2
    assert {row[4] for row in cells} == {dt.date(2021, 7, 1), dt.date(2023, 1, 10)}


def test_rows_year_end_boundary(year_data):
    assert rows_total("civic_groups", FISCAL_YEAR + 1).rows == 6
    assert rows_total("probono_registrants", FISCAL_YEAR + 1).rows == 5
    assert rows_total("volunteer_matches", FISCAL_YEAR + 1).value == 4


def test_rows_hold_no_personal_contact(year_data):
    for key, source in ROW_SOURCES.items():
        for cells in export_rows(source, FISCAL_YEAR):
            text = " ".join(str(cell) for cell in cells)
            assert "@" not in text, key
            assert "山口 太郎" not in text, key


def test_match_rows_show_post_and_municipality(year_data):
    source = ROW_SOURCES["volunteer_matches"]
    header = [str(column.label) for column in source.columns]

    cells = list(export_rows(source, FISCAL_YEAR))

    assert header[:6] == [
        "Application ID",
        "Volunteer post",
        "Group",
        "Activity date",
        "Municipality",
        "People",
    ]
    assert {row[4] for row in cells} == {"Shimonoseki", "Ube"}
    assert "海岸清掃" in {row[1] for row in cells}


def test_breakdown_sums_to_total(year_data):
    breakdown = municipality_breakdown(FISCAL_YEAR)

    for key in BREAKDOWN_KEYS:
        column = [row.values[key] for row in breakdown.rows]
        column_sum = sum((value for value in column if value is not None), Decimal(0))
        assert column_sum == compute(key, FISCAL_YEAR), key
        assert breakdown.totals[key] == column_sum, key


def test_breakdown_by_municipality(year_data):
    breakdown = municipality_breakdown(FISCAL_YEAR)
    by_code = {
        row.municipality.code: row.values
        for row in breakdown.rows
        if row.municipality is not None
    }

    assert len(by_code) == 19
    assert by_code[SHIMONOSEKI]["civic_groups"] == 2
    assert by_code[SHIMONOSEKI]["municipalities_with_centre"] == 1
    assert by_code[SHIMONOSEKI]["volunteer_matches"] == 4
    assert by_code[UBE]["certified_npos"] == 1
    assert by_code[UBE]["volunteer_matches"] == 3
    assert by_code[MINE]["civic_groups"] == 1
    assert by_code[MINE]["municipalities_with_centre"] == 0
    assert by_code[YAMAGUCHI]["probono_registrants"] == 2


def test_breakdown_registrant_buckets(year_data):
    extra = municipality_breakdown(FISCAL_YEAR).rows[19:]

    assert [row.municipality for row in extra] == [None, None]
    assert extra[0].values["probono_registrants"] == 1
    assert extra[1].values["probono_registrants"] == 1
    assert extra[0].values["civic_groups"] is None


def test_breakdown_queries_bounded(year_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        municipality_breakdown(FISCAL_YEAR)


@pytest.mark.parametrize("key", INDICATOR_KEYS)
def test_rows_queries_bounded(year_data, key, django_assert_max_num_queries):
    source = ROW_SOURCES[key]

    with django_assert_max_num_queries(2):
        for row in source.rows(FISCAL_YEAR):
            row_cells(source, row)
