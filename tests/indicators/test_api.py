import datetime as dt

import pytest

from indicators.models import IndicatorSnapshot
from indicators.services.snapshots import current_fiscal_year, freeze_year
from tests.factories import UserFactory, centre_staff
from tests.indicators.helpers import bulk_groups

pytestmark = pytest.mark.django_db


@pytest.fixture
def prefectural_user():
    return centre_staff(UserFactory(email="pref@example.jp"), scope="prefecture")


def test_year_public_json(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        response = client.get("/api/indicators/2021/")

    assert response.status_code == 200
    data = response.json()
    assert data["fiscal_year"] == 2021
    assert data["frozen"] is False
    by_key = {row["key"]: row for row in data["indicators"]}
    assert len(by_key) == 6
    centres = by_key["municipalities_with_centre"]
    assert centres["computed_value"] == 11
    assert centres["recorded"]["value"] == 11
    assert centres["recorded"]["source"]
    assert centres["progress"]["on_track"] is None
    share = by_key["young_majority_share"]
    assert share["computed_value"] is None
    assert share["recorded"]["value"] == 16.5
    assert share["target_value"] is None
    matches = by_key["volunteer_matches"]
    assert matches["computed"] is False
    assert matches["computed_value"] is None
    assert matches["recorded"]["value"] == 421


def test_year_plan_period_sum(client):
    response = client.get("/api/indicators/2023/")

    matches = {row["key"]: row for row in response.json()["indicators"]}[
        "volunteer_matches"
    ]
    assert matches["plan_period_sum"] == 0
    assert matches["progress"]["expected"] == 600
    assert matches["progress"]["on_track"] is False
    assert matches["recorded"] is None


def test_year_rejects_bad_year(client):
    assert client.get("/api/indicators/1999/").status_code == 404
    assert client.get("/api/indicators/20x1/").status_code == 404


def test_definitions_list(client):
    response = client.get("/api/indicators/")

    keys = [row["key"] for row in response.json()]
    assert len(keys) == 6
    assert response.json()[0]["limits"]


def test_freeze_refused_for_anonymous(client):
    response = client.post(
        "/api/indicators/2021/freeze/",
        {"confirm": True},
        content_type="application/json",
    )

    assert response.status_code in (401, 403)
    assert not IndicatorSnapshot.objects.exists()


def test_freeze_refused_for_resident(client, resident):
    client.force_login(resident)

    response = client.post(
        "/api/indicators/2021/freeze/",
        {"confirm": True},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert not IndicatorSnapshot.objects.exists()


def test_compare_refused_for_resident(client, resident):
    client.force_login(resident)

    response = client.get("/api/indicators/2021/compare/")

    assert response.status_code == 403


def test_freeze_needs_confirm(client, prefectural_user):
    client.force_login(prefectural_user)

    response = client.post(
        "/api/indicators/2021/freeze/",
        {"confirm": False},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "confirm" in response.json()
    assert not IndicatorSnapshot.objects.exists()


def test_freeze_by_staff(client, prefectural_user):
    client.force_login(prefectural_user)

    response = client.post(
        "/api/indicators/2021/freeze/",
        {"confirm": True},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["frozen"] is True
    assert (
        IndicatorSnapshot.objects.filter(
            fiscal_year=2021, frozen_by=prefectural_user
        ).count()
        == 6
    )


def test_freeze_unfinished_year_rejected(client, prefectural_user):
    client.force_login(prefectural_user)

    response = client.post(
        f"/api/indicators/{current_fiscal_year()}/freeze/",
        {"confirm": True},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "has not ended" in response.json()["detail"]
    assert not IndicatorSnapshot.objects.filter(frozen_at__isnull=False).exists()


def test_compare_frozen_year_side_by_side(client, prefectural_user):
    freeze_year(2021, prefectural_user)
    bulk_groups(4, dt.date(2021, 5, 1))
    client.force_login(prefectural_user)

    compare = client.get("/api/indicators/2021/compare/").json()
    public = client.get("/api/indicators/2021/").json()

    groups = {row["key"]: row for row in compare}["civic_groups"]
    assert groups["stored"] == 0
    assert groups["recomputed"] == 4
    assert groups["difference"] == 4
    assert groups["frozen"] is True
    shown = {row["key"]: row for row in public["indicators"]}["civic_groups"]
    assert shown["computed_value"] == 0
    assert shown["frozen"] is True
