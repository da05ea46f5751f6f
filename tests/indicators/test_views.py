import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import IndicatorSnapshot
from indicators.services.snapshots import freeze_year
from tests.factories import UserFactory, centre_staff
from tests.indicators.helpers import bulk_groups

pytestmark = pytest.mark.django_db


@pytest.fixture
def prefectural_user():
    return centre_staff(UserFactory(email="pref@example.jp"), scope="prefecture")


@pytest.fixture
def municipal_user():
    return centre_staff(UserFactory(email="city@example.jp"), scope="municipal")


def test_summary_lists_six_indicators(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        response = client.get(reverse("indicators:summary"), {"year": 2021})

    assert response.status_code == 200
    html = response.content.decode()
    for key in (
        "civic_groups",
        "young_majority_share",
        "municipalities_with_centre",
        "certified_npos",
        "probono_registrants",
        "volunteer_matches",
    ):
        assert f'id="indicator-{key}"' in html
    assert "Recorded value" in html
    assert "Computed value" in html


def test_summary_labels_recorded_and_computed(client):
    response = client.get(reverse("indicators:summary"), {"year": 2021})

    rows = {row.indicator.key: row for row in response.context["rows"]}
    centres = rows["municipalities_with_centre"]
    assert centres.computed_value == 11
    assert centres.recorded_value == 11
    assert centres.recorded is not None
    matches = rows["volunteer_matches"]
    assert matches.recorded_value == 421
    assert matches.computed_value is None
    assert not matches.is_computed


def test_summary_rejects_bad_year(client):
    for year in ("abc", 1990):
        response = client.get(reverse("indicators:summary"), {"year": year})
        assert response.status_code == 200
        assert "the latest year is shown" in response.content.decode()


def test_summary_in_japanese(japanese_client):
    response = japanese_client.get(reverse("indicators:summary"), {"year": 2021})

    assert "県民活動団体数" in response.content.decode()


def test_detail_page_shows_definition(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        response = client.get(
            reverse("indicators:detail", args=["young_majority_share"])
        )

    html = response.content.decode()
    assert response.status_code == 200
    assert "What is counted" in html
    assert "What is not counted" in html
    assert "only groups that filed a report" in html
    assert 'id="indicator-series"' in html


def test_detail_series_starts_2018(client):
    response = client.get(reverse("indicators:detail", args=["volunteer_matches"]))

    series = [row for row, _label in response.context["series"]]
    assert series[0].fiscal_year == 2018
    assert series[0].recorded_value == 281
    assert series[0].computed_value is None
    assert series[4].fiscal_year == 2022
    assert series[4].computed_value == 0
    assert series[4].recorded is None


def test_detail_unknown_key(client):
    response = client.get(reverse("indicators:detail", args=["no_such"]))

    assert response.status_code == 404


def test_year_page_anonymous_redirects(client):
    response = client.get(reverse("indicators:year", args=[2021]))

    assert response.status_code == 302


def test_year_page_refused_for_municipal_staff(client, municipal_user):
    client.force_login(municipal_user)

    get_response = client.get(reverse("indicators:year", args=[2021]))
    post_response = client.post(
        reverse("indicators:year", args=[2021]),
        {"action": "freeze", "confirm": "on"},
    )

    assert get_response.status_code == 403
    assert post_response.status_code == 403
    assert not IndicatorSnapshot.objects.exists()


def test_year_page_refused_for_resident(client, resident):
    client.force_login(resident)

    response = client.post(
        reverse("indicators:year", args=[2021]), {"action": "compute", "confirm": "on"}
    )

    assert response.status_code == 403
    assert not IndicatorSnapshot.objects.exists()


def test_year_page_freeze_needs_confirm(client, prefectural_user):
    client.force_login(prefectural_user)

    response = client.post(
        reverse("indicators:year", args=[2021]), {"action": "freeze"}
    )

    assert response.status_code == 400
    assert not IndicatorSnapshot.objects.exists()


def test_year_page_freeze_records_who(client, prefectural_user):
    client.force_login(prefectural_user)

    response = client.post(
        reverse("indicators:year", args=[2021]), {"action": "freeze", "confirm": "on"}
    )

    assert response.status_code == 302
    snapshots = IndicatorSnapshot.objects.filter(fiscal_year=2021)
    assert snapshots.count() == 6
    assert all(row.frozen_by == prefectural_user for row in snapshots)
    assert all(row.frozen_at is not None for row in snapshots)


def test_year_page_shows_differences(client, prefectural_user):
    freeze_year(2021, prefectural_user)
    bulk_groups(3, dt.date(2021, 6, 1))
    client.force_login(prefectural_user)

    response = client.get(reverse("indicators:year", args=[2021]))

    by_key = {row.indicator.key: row for row in response.context["comparisons"]}
    assert by_key["civic_groups"].stored == 0
    assert by_key["civic_groups"].recomputed == 3
    assert by_key["civic_groups"].difference == Decimal(3)
    assert "Frozen value" in response.content.decode()


def test_year_page_compute_stores(client, prefectural_user):
    client.force_login(prefectural_user)

    response = client.post(
        reverse("indicators:year", args=[2024]), {"action": "compute", "confirm": "on"}
    )

    assert response.status_code == 302
    assert IndicatorSnapshot.objects.filter(fiscal_year=2024).count() == 6
    assert not IndicatorSnapshot.objects.filter(frozen_at__isnull=False).exists()


def test_year_page_refreeze_rejected(client, prefectural_user):
    freeze_year(2021, prefectural_user)
    client.force_login(prefectural_user)

    response = client.post(
        reverse("indicators:year", args=[2021]),
        {"action": "freeze", "confirm": "on"},
        follow=True,
    )

    assert "frozen already" in response.content.decode()


def test_year_page_unknown_year(client, prefectural_user):
    client.force_login(prefectural_user)

    response = client.get(reverse("indicators:year", args=[1999]))

    assert response.status_code == 404
