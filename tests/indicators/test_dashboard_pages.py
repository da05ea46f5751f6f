import datetime as dt
import re
from decimal import Decimal
from xml.etree import ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.definitions import INDICATOR_KEYS, get_indicator
from indicators.formatting import format_value
from indicators.services import summary
from indicators.services.compute import compute
from indicators.services.rows import BREAKDOWN_KEYS
from indicators.services.summary import series_by_indicator
from tests.factories import CivicGroupFactory, UserFactory, centre_staff
from tests.indicators.helpers import bulk_groups
from tests.indicators.rows_data import EXPECTED, FISCAL_YEAR, build_year_data

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
# Measured at 18: the session, the user and two role checks, the two
# stored-row queries, one query per indicator for its whole series, six
# for the breakdown by municipality. The count must not grow with the
# years shown or with the data.
DASHBOARD_MAX_QUERIES = 18


@pytest.fixture
def prefectural_user():
    return centre_staff(UserFactory(email="pref@example.jp"), scope="prefecture")


@pytest.fixture
def municipal_user():
    return centre_staff(UserFactory(email="city@example.jp"), scope="municipal")


@pytest.fixture
def staff_client(client, prefectural_user):
    client.force_login(prefectural_user)
    return client


def dashboard_url(year=FISCAL_YEAR):
    return f"{reverse('indicators:dashboard')}?year={year}"


def svg_of(html, chart_id):
    match = re.search(rf'<svg [^>]*id="{chart_id}".*?</svg>', html, re.S)
    assert match is not None, chart_id
    # The markup is the portal's own output, not untrusted input.
    return ET.fromstring(match.group(0))  # noqa: S314


def test_dashboard_anonymous_redirects_to_login(client):
    response = client.get(dashboard_url())

    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_dashboard_refused_for_resident(client, resident):
    client.force_login(resident)

    assert client.get(dashboard_url()).status_code == 403


def test_dashboard_refused_for_municipal_staff(client, municipal_user):
    client.force_login(municipal_user)

    assert client.get(dashboard_url()).status_code == 403


def test_dashboard_refused_for_group_staff(client, group_staff):
    client.force_login(group_staff)

    assert client.get(dashboard_url()).status_code == 403


def test_dashboard_open_to_django_staff(client):
    admin = UserFactory(email="admin@example.jp", is_staff=True)
    client.force_login(admin)

    assert client.get(dashboard_url()).status_code == 200


@pytest.mark.parametrize("year", ["abc", "1990", "-1", "99999999999999999999"])
def test_dashboard_shows_latest_year_for_bad_year(staff_client, year):
    response = staff_client.get(dashboard_url(year))

    assert response.status_code == 200
    assert response.context["fiscal_year"] == response.context["years"][0][0]
    assert "the latest year is shown" in response.content.decode()


def test_dashboard_shows_every_indicator(staff_client):
    build_year_data()

    response = staff_client.get(dashboard_url())

    assert response.status_code == 200
    html = response.content.decode()
    for key in INDICATOR_KEYS:
        assert f'id="panel-{key}"' in html
        assert f'id="chart-{key}"' in html
        assert f'id="chart-table-{key}"' in html
        assert reverse("indicators:rows", args=[key, FISCAL_YEAR]) in html


def test_dashboard_chosen_year_figures(staff_client):
    build_year_data()

    response = staff_client.get(dashboard_url())

    panels = {panel.indicator.key: panel for panel in response.context["panels"]}
    for key in INDICATOR_KEYS:
        assert panels[key].chosen.fiscal_year == FISCAL_YEAR
        assert panels[key].chosen.computed_value == EXPECTED[key], key
    assert panels["civic_groups"].chosen.progress.on_track is False
    assert "Behind" in response.content.decode()


def test_dashboard_breakdown_totals(staff_client):
    build_year_data()

    response = staff_client.get(dashboard_url())

    totals = response.context["breakdown"].totals
    for key in BREAKDOWN_KEYS:
        assert totals[key] == compute(key, FISCAL_YEAR), key
    html = response.content.decode()
    table = html[html.index('id="municipality-breakdown"') :]
    assert '<th scope="row">Shimonoseki</th>' in table


def test_dashboard_breakdown_footer_shows_totals(staff_client):
    build_year_data()

    response = staff_client.get(dashboard_url())

    html = response.content.decode()
    footer = html[html.index("<tfoot>", html.index('id="municipality-breakdown"')) :]
    footer = footer[: footer.index("</tfoot>")]
    cells = re.findall(r"<td>([^<]*)</td>", footer)
    assert cells == [str(EXPECTED[key]) for key in BREAKDOWN_KEYS]


def test_dashboard_chart_values_equal_table(staff_client):
    build_year_data()

    html = staff_client.get(dashboard_url()).content.decode()

    for key in INDICATOR_KEYS:
        indicator = get_indicator(key)
        svg = svg_of(html, f"chart-{key}")
        # The table's computed column shows frozen values too, with a badge.
        chart_values = {
            (
                int(marker.get("data-fiscal-year")),
                "recorded" if marker.get("data-kind") == "recorded" else "computed",
            ): format_value(indicator, Decimal(marker.get("data-value")))
            for marker in svg.iter()
            if marker.get("data-kind")
        }
        table = html[html.index(f'id="chart-table-{key}"') :]
        table = table[: table.index("</table>")]
        table_values = {}
        for year, computed, recorded in re.findall(
            r'data-fiscal-year="(\d+)">[^<]*</th>\s*'
            r'<td class="computed">([^<]*)(?:<small[^>]*>[^<]*</small>)?'
            r"(?:<span[^>]*>[^<]*</span>)?</td>\s*"
            r'<td class="recorded">([^<]*)',
            table,
        ):
            if computed.strip():
                table_values[(int(year), "computed")] = computed.strip()
            if recorded.strip():
                table_values[(int(year), "recorded")] = recorded.strip()
        assert chart_values == table_values, key
        assert chart_values, key


def dashboard_queries(client, monkeypatch, last_year):
    """Open the dashboard with the years up to *last_year* and count its queries."""
    monkeypatch.setattr(summary, "current_fiscal_year", lambda: last_year)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(dashboard_url())
    assert response.status_code == 200
    return len(queries)


def test_dashboard_queries_bounded(staff_client, monkeypatch):
    build_year_data()
    few_years = dashboard_queries(staff_client, monkeypatch, 2023)
    many_years = dashboard_queries(staff_client, monkeypatch, 2030)
    bulk_groups(300, dt.date(2023, 6, 1))
    for number in range(20):
        CivicGroupFactory(name=f"追加の会{number}")
    more_data = dashboard_queries(staff_client, monkeypatch, 2030)

    assert many_years == few_years
    assert more_data == few_years
    assert few_years <= DASHBOARD_MAX_QUERIES


def test_dashboard_series_queries_fixed(django_assert_num_queries):
    build_year_data()

    # Two queries for the stored rows, then one per indicator for all its
    # years, however many years the series has.
    with django_assert_num_queries(2 + len(INDICATOR_KEYS)):
        series_by_indicator(list(INDICATOR_KEYS), 2030)


def test_dashboard_in_japanese(japanese_client, prefectural_user):
    japanese_client.force_login(prefectural_user)

    response = japanese_client.get(dashboard_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "県民活動団体数" in html
    assert "市町" in html


def test_summary_page_has_progress_chart(client):
    bulk_groups(3, dt.date(2022, 6, 1))

    response = client.get(reverse("indicators:summary"), {"year": 2022})

    html = response.content.decode()
    svg = svg_of(html, "chart-progress")
    assert svg.get("role") == "img"
    assert 'id="chart-table-progress"' in html
    bars = {
        bar.get("data-indicator"): bar.get("data-percent")
        for bar in svg.iter(f"{SVG}rect")
        if bar.get("data-indicator")
    }
    rows = {row.indicator.key: row for row in response.context["rows"]}
    for key, percent in bars.items():
        assert Decimal(percent) == rows[key].progress.percent


def test_summary_staff_link_to_dashboard(staff_client):
    response = staff_client.get(reverse("indicators:summary"))

    assert reverse("indicators:dashboard") in response.content.decode()


def test_detail_page_has_series_chart(client):
    response = client.get(reverse("indicators:detail", args=["volunteer_matches"]))

    html = response.content.decode()
    svg = svg_of(html, "chart-volunteer_matches")
    recorded = {
        marker.get("data-fiscal-year"): marker.get("data-value")
        for marker in svg.iter(f"{SVG}circle")
        if marker.get("data-kind") == "recorded"
    }
    series = {row.fiscal_year: row for row, _label in response.context["series"]}
    assert recorded == {
        str(year): str(series[year].recorded_value) for year in (2018, 2019, 2020, 2021)
    }
    assert 'id="indicator-series"' in html
