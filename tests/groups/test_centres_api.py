import datetime as dt

import pytest

from groups.models import SupportCentre
from tests.factories import municipality

pytestmark = pytest.mark.django_db

URL = "/api/centres/"


def add_centres(count):
    for number in range(count):
        SupportCentre.objects.create(
            name=f"テストセンター{number}",
            municipality=municipality("35215"),
            scope=SupportCentre.Scope.MUNICIPAL,
            operation=SupportCentre.Operation.PUBLIC_PUBLIC,
            opened_on=dt.date(2024, 4, 1),
        )


def test_list_is_public(client):
    response = client.get(URL)

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == SupportCentre.objects.count()
    first = body["results"][0]
    assert first["scope"] == "prefecture"
    assert first["municipality"]["code"] == "35203"
    assert "opening_hours" in first
    assert "closed_days" in first


def test_filter_by_municipality_and_scope(client):
    response = client.get(URL, {"municipality": "35202", "scope": "municipal"})

    results = response.json()["results"]
    assert len(results) == 1
    assert results[0]["municipality"]["code"] == "35202"


def test_filter_open_today(client):
    closed = SupportCentre.objects.get(municipality__code="35202")
    closed.closed_on = dt.date(2021, 3, 31)
    closed.save()

    open_ids = {c["id"] for c in client.get(URL, {"open": "true"}).json()["results"]}
    closed_ids = {c["id"] for c in client.get(URL, {"open": "false"}).json()["results"]}

    assert closed.pk not in open_ids
    assert closed_ids == {closed.pk}


def test_detail(client):
    centre = SupportCentre.objects.get(scope="prefecture")

    response = client.get(f"{URL}{centre.pk}/")

    assert response.json()["name"] == centre.name


def test_read_only(client, resident):
    client.force_login(resident)
    centre = SupportCentre.objects.get(scope="prefecture")

    assert client.post(URL, {"name": "x"}).status_code in (403, 405)
    assert client.patch(f"{URL}{centre.pk}/", {"name": "x"}).status_code in (403, 405)


def test_no_public_consultation_endpoint(client):
    assert client.get("/api/consultations/").status_code == 404


@pytest.mark.parametrize("count", [1, 30])
def test_list_bounded_queries(client, django_assert_max_num_queries, count):
    add_centres(count)

    with django_assert_max_num_queries(3):
        response = client.get(URL, {"page_size": 50})

    assert response.status_code == 200
