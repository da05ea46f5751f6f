import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from facilitation.models import RecognitionKind
from tests.facilitation.factories import PartnerFactory, RecognitionFactory
from tests.factories import CivicGroupFactory

pytestmark = pytest.mark.django_db

LIST = reverse("facilitation-recognition-list")
TOTALS = reverse("facilitation-historical-total-list")


@pytest.fixture
def api():
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def test_public_list_with_recipients(api):
    RecognitionFactory(group=CivicGroupFactory(name="萩の町並み保存会"))
    partner = PartnerFactory(name="周南化学株式会社", contact_email="p@x.example.jp")
    RecognitionFactory(
        group=None, partner=partner, kind=RecognitionKind.MODEL_BUSINESS_SITE
    )

    response = api.get(LIST)

    recipients = {row["recipient"]["name"]: row for row in response.json()["results"]}
    assert response.status_code == 200
    assert recipients["萩の町並み保存会"]["recipient"]["type"] == "group"
    assert recipients["周南化学株式会社"]["recipient"]["type"] == "partner"
    assert "p@x.example.jp" not in response.content.decode()


def test_filter_by_year_and_kind(api):
    RecognitionFactory(fiscal_year=2025, designated_on="2025-11-03")
    RecognitionFactory()
    RecognitionFactory(
        group=None, partner=PartnerFactory(), kind=RecognitionKind.MODEL_BUSINESS_SITE
    )

    response = api.get(LIST, {"fiscal_year": 2026, "kind": "award"})

    [row] = response.json()["results"]
    assert row["fiscal_year"] == 2026
    assert row["kind"] == "award"


def test_read_only(api, prefectural_staff):
    api.force_authenticate(prefectural_staff)

    response = api.post(LIST, {"title": "x"}, format="json")

    assert response.status_code == 405


def test_historical_totals_endpoint(api):
    response = api.get(TOTALS)

    totals = {row["kind"]: row for row in response.json()}
    assert response.status_code == 200
    assert totals["award"]["count"] == 115
    assert totals["award"]["first_fiscal_year"] == 2000
    assert totals["model_business_site"]["count"] == 95
    assert totals["model_business_site"]["first_fiscal_year"] == 1996
    assert totals["award"]["source"]


def test_list_queries_bounded(api, django_assert_max_num_queries):
    for _ in range(10):
        RecognitionFactory()
        RecognitionFactory(
            group=None,
            partner=PartnerFactory(),
            kind=RecognitionKind.MODEL_BUSINESS_SITE,
        )

    with django_assert_max_num_queries(2):
        response = api.get(LIST)

    assert len(response.json()["results"]) == 20
