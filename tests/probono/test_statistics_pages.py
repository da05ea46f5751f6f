import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from civic_portal.fiscal import JAPAN, fiscal_year_of
from probono.models import ProbonoWorker, Skill
from tests.factories import (
    ProbonoWorkerFactory,
    SupportRequestFactory,
    UserFactory,
    centre_staff,
)
from tests.probono.factories_case_studies import (
    WorkLogFactory,
    concierge_user,
    history,
)

pytestmark = pytest.mark.django_db

API_URL = "/api/probono/statistics/"


@pytest.fixture
def concierge():
    return concierge_user()


@pytest.fixture
def api():
    client = APIClient()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def some_figures():
    worker = ProbonoWorkerFactory()
    ProbonoWorker.objects.filter(pk=worker.pk).update(
        registered_at=dt.datetime(2024, 5, 1, tzinfo=JAPAN)
    )
    request = SupportRequestFactory()
    history(
        request,
        [
            ("", "received", dt.datetime(2024, 6, 1, tzinfo=JAPAN)),
            ("received", "hearing", dt.datetime(2024, 6, 3, tzinfo=JAPAN)),
        ],
    )
    Skill.objects.filter(key="it_web").update(hourly_value=4000)
    WorkLogFactory(
        request=request, worker=worker, hours=3, worked_on=dt.date(2024, 7, 1)
    )


def test_page_for_concierge(client, concierge):
    some_figures()
    client.force_login(concierge)

    response = client.get(reverse("probono:statistics"), {"year": 2024})

    content = response.content.decode()
    figures = response.context["figures"]
    assert response.status_code == 200
    assert figures.year == 2024
    assert figures.registrants[2024] == 1
    assert figures.total_value == 12000
    assert "<caption>" in content
    assert "12,000" in content


def test_page_defaults_to_current_year(client, concierge):
    client.force_login(concierge)

    response = client.get(reverse("probono:statistics"))

    assert response.context["figures"].year == fiscal_year_of(timezone.now())


def test_page_empty_state(client, concierge):
    client.force_login(concierge)

    response = client.get(reverse("probono:statistics"))

    assert "There are no figures yet" in response.content.decode()


def test_page_for_prefectural_centre_staff(client):
    user = centre_staff(UserFactory(email="pref@example.jp"))
    client.force_login(user)

    assert client.get(reverse("probono:statistics")).status_code == 200


def test_page_for_django_staff(client):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(reverse("probono:statistics")).status_code == 200


def test_page_forbidden_to_municipal_centre_staff(client):
    user = centre_staff(UserFactory(email="city@example.jp"), scope="municipal")
    client.force_login(user)

    assert client.get(reverse("probono:statistics")).status_code == 403


def test_page_forbidden_to_resident(client, resident):
    client.force_login(resident)

    assert client.get(reverse("probono:statistics")).status_code == 403


def test_page_forbidden_to_group_staff(client, group_staff):
    client.force_login(group_staff)

    assert client.get(reverse("probono:statistics")).status_code == 403


def test_page_needs_login(client):
    response = client.get(reverse("probono:statistics"))

    assert response.status_code == 302
    assert "/accounts/" in response.url


def test_bad_year_shows_error(client, concierge):
    client.force_login(concierge)

    response = client.get(reverse("probono:statistics"), {"year": "1999"})

    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    assert response.context["figures"].year == fiscal_year_of(timezone.now())


def test_csv_export(client, concierge):
    some_figures()
    client.force_login(concierge)

    response = client.get(
        reverse("probono:statistics"), {"year": 2024, "format": "csv"}
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="probono-statistics-2024.csv"' in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Table,Item,Figure,Value"
    assert "Hours given and estimated value,Total,Estimated value (yen),12000" in text


def test_excel_export(client, concierge):
    some_figures()
    client.force_login(concierge)

    response = client.get(
        reverse("probono:statistics"), {"year": 2024, "format": "xlsx"}
    )

    assert response.status_code == 200
    assert 'filename="probono-statistics-2024.xlsx"' in response["Content-Disposition"]
    assert response.content.startswith(b"PK")


def test_csv_with_bad_year_shows_page(client, concierge):
    client.force_login(concierge)

    response = client.get(reverse("probono:statistics"), {"year": "x", "format": "csv"})

    assert response["Content-Type"].startswith("text/html")
    assert "year" in response.context["form"].errors


def test_csv_forbidden_to_resident(client, resident):
    client.force_login(resident)

    response = client.get(reverse("probono:statistics"), {"format": "csv"})

    assert response.status_code == 403


def test_page_query_count(client, concierge, django_assert_max_num_queries):
    for _index in range(3):
        some_figures()
    client.force_login(concierge)

    with django_assert_max_num_queries(16):
        response = client.get(reverse("probono:statistics"), {"year": 2024})

    assert response.context["figures"].registrants[2024] == 3


def test_page_in_japanese(japanese_client):
    user = concierge_user("ja-concierge@example.jp")
    user.preferred_language = "ja"
    user.save()
    japanese_client.force_login(user)

    response = japanese_client.get(reverse("probono:statistics"))

    assert response.status_code == 200
    assert '<html lang="ja">' in response.content.decode()


def test_api_for_concierge(api, concierge):
    some_figures()
    api.force_authenticate(concierge)

    response = api.get(API_URL, {"year": 2024})

    assert response.status_code == 200
    body = response.json()
    assert body["fiscal_year"] == 2024
    assert body["registrants_at_fiscal_year_end"]["2024"] == 1
    assert body["requests_by_state"]["hearing"] == 1
    assert body["median_days_by_state"] == [
        {"state": "received", "steps": 1, "median_days": 2.0}
    ]
    assert body["hours"]["total_estimated_value_yen"] == "12000"
    assert body["hours"]["total_hours"] == "3.0"


def test_api_forbidden_to_resident(api, resident):
    api.force_authenticate(resident)

    assert api.get(API_URL).status_code == 403


def test_api_forbidden_to_anonymous(api):
    assert api.get(API_URL).status_code in (401, 403)


def test_api_bad_year(api, concierge):
    api.force_authenticate(concierge)

    response = api.get(API_URL, {"year": "abc"})

    assert response.status_code == 400
    assert response.json()["year"][0].startswith("Invalid fiscal year abc")
