import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from groups.models import CivicGroup
from indicators.definitions import INDICATOR_KEYS
from indicators.services.compute import compute
from indicators.services.rows import ROW_SOURCES
from indicators.services.snapshots import freeze_year
from indicators.views_rows import ROWS_PER_PAGE
from tests.factories import UserFactory, centre_staff
from tests.indicators.helpers import bulk_groups
from tests.indicators.rows_data import EXPECTED, FISCAL_YEAR, build_year_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def prefectural_user():
    return centre_staff(UserFactory(email="pref@example.jp"), scope="prefecture")


@pytest.fixture
def staff_client(client, prefectural_user):
    client.force_login(prefectural_user)
    return client


def rows_url(key, year=FISCAL_YEAR):
    return reverse("indicators:rows", args=[key, year])


def test_rows_anonymous_redirects_to_login(client):
    response = client.get(rows_url("civic_groups"))

    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_rows_refused_for_resident(client, resident):
    client.force_login(resident)

    assert client.get(rows_url("volunteer_matches")).status_code == 403
    assert client.get(rows_url("volunteer_matches") + "?format=csv").status_code == 403


def test_rows_refused_for_municipal_staff(client):
    municipal = centre_staff(UserFactory(email="city@example.jp"), scope="municipal")
    client.force_login(municipal)

    assert client.get(rows_url("probono_registrants")).status_code == 403
    assert (
        client.get(rows_url("probono_registrants") + "?format=xlsx").status_code == 403
    )


def test_rows_unknown_indicator(staff_client):
    assert staff_client.get(rows_url("no_such")).status_code == 404


def test_rows_year_without_computed_value(staff_client):
    # Matches before fiscal 2022 are recorded values only.
    assert staff_client.get(rows_url("volunteer_matches", 2021)).status_code == 404
    assert staff_client.get(rows_url("civic_groups", 1999)).status_code == 404


@pytest.mark.parametrize("key", INDICATOR_KEYS)
def test_rows_page_count_equals_value(staff_client, key):
    build_year_data()

    response = staff_client.get(rows_url(key))

    assert response.status_code == 200
    total = response.context["total"]
    assert response.context["computed_value"] == EXPECTED[key]
    assert len(response.context["cells"]) == total.rows
    if key == "young_majority_share":
        share = Decimal(100 * total.reaching) / Decimal(total.rows)
        assert share.quantize(Decimal("0.1")) == EXPECTED[key]
    else:
        assert total.value == compute(key, FISCAL_YEAR)
    assert response.context["page"].paginator.count == total.rows


def test_rows_page_hides_personal_data(staff_client):
    build_year_data()

    for key in ("volunteer_matches", "probono_registrants"):
        html = staff_client.get(rows_url(key)).content.decode()
        table = html[html.index('id="indicator-rows"') :]
        assert "@example.jp" not in table, key
        assert "山口 太郎" not in table, key


def test_rows_page_paginates(staff_client, django_assert_max_num_queries):
    bulk_groups(ROWS_PER_PAGE + 7, dt.date(2023, 6, 1))

    with django_assert_max_num_queries(15):
        first = staff_client.get(rows_url("civic_groups"))
    second = staff_client.get(rows_url("civic_groups") + "?page=2")
    beyond = staff_client.get(rows_url("civic_groups") + "?page=99")

    assert len(first.context["cells"]) == ROWS_PER_PAGE
    assert len(second.context["cells"]) == 7
    assert beyond.context["page"].number == 2
    assert first.context["total"].rows == ROWS_PER_PAGE + 7


@pytest.mark.parametrize("key", INDICATOR_KEYS)
def test_rows_page_queries_bounded(staff_client, key, django_assert_max_num_queries):
    build_year_data()

    with django_assert_max_num_queries(15):
        response = staff_client.get(rows_url(key))

    assert response.status_code == 200


def test_rows_frozen_year_shows_difference(staff_client, prefectural_user):
    bulk_groups(2, dt.date(2023, 6, 1))
    freeze_year(FISCAL_YEAR, prefectural_user)
    bulk_groups(3, dt.date(2023, 7, 1))

    response = staff_client.get(rows_url("civic_groups"))

    assert response.context["frozen"].value == 2
    assert response.context["total"].rows == 5
    assert "The data changed after the year was frozen" in response.content.decode()


def _csv_rows(response):
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.parametrize("key", INDICATOR_KEYS)
def test_rows_export_csv_and_excel_agree(staff_client, key):
    build_year_data()
    source = ROW_SOURCES[key]

    csv_response = staff_client.get(rows_url(key) + "?format=csv")
    xlsx_response = staff_client.get(rows_url(key) + "?format=xlsx")

    assert csv_response.status_code == 200
    assert xlsx_response.status_code == 200
    assert "attachment" in csv_response["Content-Disposition"]
    csv_rows = _csv_rows(csv_response)
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    xlsx_rows = [
        ["" if cell is None else str(cell) for cell in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    header = [str(column.label) for column in source.columns]
    assert csv_rows[0] == header
    assert xlsx_rows[0] == header
    assert len(csv_rows) - 1 == len(source.rows(FISCAL_YEAR))
    assert len(xlsx_rows) == len(csv_rows)
    csv_ids = [row[0] for row in csv_rows[1:]]
    xlsx_ids = [row[0] for row in xlsx_rows[1:]]
    assert csv_ids == xlsx_ids


def test_rows_export_matches_people(staff_client):
    build_year_data()

    response = staff_client.get(rows_url("volunteer_matches") + "?format=xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    people = rows[0].index("People")
    assert sum(row[people] for row in rows[1:]) == EXPECTED["volunteer_matches"]


def test_rows_export_neutralises_formulas(staff_client):
    build_year_data()
    CivicGroup.objects.filter(municipality__code="35213").update(name="=SUM(A1)")

    response = staff_client.get(rows_url("civic_groups") + "?format=csv")

    names = [row[1] for row in _csv_rows(response)[1:]]
    assert "'=SUM(A1)" in names
    assert "=SUM(A1)" not in names


def test_rows_page_in_japanese(japanese_client, prefectural_user):
    build_year_data()
    japanese_client.force_login(prefectural_user)

    response = japanese_client.get(rows_url("volunteer_matches"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "マッチング" in html
