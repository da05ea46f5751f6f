"""The partner API: token authentication, programme scope, pagination, filters."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from partner_links.models import ExportLog
from tests.factories import UserFactory, centre_staff
from tests.partner_links.factories import (
    EnrolmentFactory,
    PointsProgrammeFactory,
    days_ago,
    participation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(partner_user):
    client = APIClient()
    token = Token.objects.create(user=partner_user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def url(programme) -> str:
    return reverse("partner_links:api_participation", args=[programme.pk])


def test_api_returns_csv_rows(api, programme):
    enrolment = EnrolmentFactory(programme=programme, membership_id="00004321")
    attendance = participation(enrolment.resident, days_ago(3), hours="3.00")

    response = api.get(url(programme))

    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert response.json()["results"] == [
        {
            "record_id": attendance.pk,
            "membership_id": "00004321",
            "activity_date": days_ago(3).isoformat(),
            "activity_title": attendance.application.post.title,
            "hours": "3",
        }
    ]


def test_api_needs_authentication(programme):
    response = APIClient().get(url(programme))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_api_rejects_bad_token(programme):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")

    assert client.get(url(programme)).status_code == 401


def test_api_other_programme_forbidden(api):
    other = PointsProgrammeFactory()
    enrolment = EnrolmentFactory(programme=other)
    participation(enrolment.resident, days_ago(3))

    response = api.get(url(other))

    assert response.status_code == 403
    assert "results" not in response.json()
    assert not ExportLog.objects.exists()


def test_api_resident_token_forbidden(programme):
    client = APIClient()
    token = Token.objects.create(user=UserFactory())
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    assert client.get(url(programme)).status_code == 403


def test_api_unknown_programme_not_found(api):
    response = api.get(reverse("partner_links:api_participation", args=[999999]))

    assert response.status_code == 404


def test_api_prefectural_staff_session(programme):
    client = APIClient()
    client.force_authenticate(centre_staff(UserFactory()))

    assert client.get(url(programme)).status_code == 200


def test_api_filters_since_until(api, programme):
    enrolment = EnrolmentFactory(programme=programme)
    participation(enrolment.resident, days_ago(20))
    middle = participation(enrolment.resident, days_ago(10))
    participation(enrolment.resident, days_ago(1))

    response = api.get(
        url(programme),
        {"since": days_ago(15).isoformat(), "until": days_ago(5).isoformat()},
    )

    assert [row["record_id"] for row in response.json()["results"]] == [middle.pk]


def test_api_since_alone(api, programme):
    enrolment = EnrolmentFactory(programme=programme)
    participation(enrolment.resident, days_ago(20))
    late = participation(enrolment.resident, days_ago(1))

    response = api.get(url(programme), {"since": days_ago(5).isoformat()})

    assert [row["record_id"] for row in response.json()["results"]] == [late.pk]


@pytest.mark.parametrize(
    "params",
    [{"since": "not-a-date"}, {"since": "2026-05-02", "until": "2026-05-01"}],
)
def test_api_invalid_range_rejected(api, programme, params):
    response = api.get(url(programme), params)

    assert response.status_code == 400
    assert not ExportLog.objects.exists()


def test_api_paginates(api, programme):
    enrolment = EnrolmentFactory(programme=programme)
    created = [
        participation(enrolment.resident, days_ago(day)) for day in range(25, 0, -1)
    ]

    first = api.get(url(programme)).json()
    second = api.get(first["next"]).json()
    small = api.get(url(programme), {"page_size": 10, "page": 3}).json()

    assert first["count"] == 25
    assert len(first["results"]) == 20
    assert len(second["results"]) == 5
    assert second["next"] is None
    ids = [row["record_id"] for row in first["results"] + second["results"]]
    assert ids == [attendance.pk for attendance in created]
    assert [row["record_id"] for row in small["results"]] == [
        attendance.pk for attendance in created[20:]
    ]


def test_api_page_out_of_range(api, programme):
    assert api.get(url(programme), {"page": 5}).status_code == 404


def test_api_logs_each_request(api, programme, partner_user):
    enrolment = EnrolmentFactory(programme=programme)
    participation(enrolment.resident, days_ago(3))

    api.get(url(programme), {"since": days_ago(5).isoformat()})

    entry = ExportLog.objects.get()
    assert entry.channel == "api"
    assert entry.exported_by == partner_user
    assert entry.since == days_ago(5)
    assert entry.until is None
    assert entry.row_count == 1


def test_api_withdrawal_applies_at_once(api, programme):
    enrolment = EnrolmentFactory(programme=programme)
    participation(enrolment.resident, days_ago(3))
    assert api.get(url(programme)).json()["count"] == 1

    from partner_links.services.programmes import withdraw

    withdraw(enrolment=enrolment)

    assert api.get(url(programme)).json()["count"] == 0


def test_api_query_count(api, programme, django_assert_max_num_queries):
    for _ in range(10):
        enrolment = EnrolmentFactory(programme=programme)
        participation(enrolment.resident, days_ago(3))
        participation(enrolment.resident, days_ago(2))

    with django_assert_max_num_queries(10):
        response = api.get(url(programme))

    assert len(response.json()["results"]) == 20
