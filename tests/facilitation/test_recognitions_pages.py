import datetime as dt

import pytest
from django.urls import reverse

from facilitation.models import RecognitionKind
from tests.facilitation.factories import PartnerFactory, RecognitionFactory
from tests.factories import CivicGroupFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("facilitation:recognition_index")


def year_url(year):
    return reverse("facilitation:recognition_year", args=[year])


def test_index_public_with_years(client):
    RecognitionFactory(group=CivicGroupFactory(name="萩の町並み保存会"))
    RecognitionFactory(
        group=None,
        partner=PartnerFactory(name="周南化学株式会社"),
        kind=RecognitionKind.MODEL_BUSINESS_SITE,
    )

    response = client.get(INDEX)

    [summary] = response.context["years"]
    assert response.status_code == 200
    assert summary.year == 2026
    assert summary.awards == 1
    assert summary.model_business_sites == 1
    assert "FY2026 (Reiwa 8)" in response.content.decode()
    assert "年度" not in response.content.decode()


def test_historical_totals_shown_apart(client):
    RecognitionFactory()

    content = client.get(INDEX).content.decode()
    portal_section = content.index('id="portal-records"')
    totals_section = content.index('id="historical-totals"')

    assert portal_section < totals_section
    assert "Totals from before the portal" in content
    assert "FY2000 to FY2022" in content
    assert "FY1996 to FY2022" in content
    assert ">115<" in content[totals_section:]
    assert ">95<" in content[totals_section:]
    assert "山口県の集計" in content[totals_section:]
    assert ">115<" not in content[portal_section:totals_section]


def test_year_page_lists_by_kind(client):
    RecognitionFactory(
        group=CivicGroupFactory(name="萩の町並み保存会"),
        designated_on=dt.date(2026, 11, 3),
    )
    RecognitionFactory(
        group=None,
        partner=PartnerFactory(name="周南化学株式会社", contact_email="p@x.example.jp"),
        kind=RecognitionKind.MODEL_BUSINESS_SITE,
        designated_on=dt.date(2027, 2, 1),
    )
    RecognitionFactory(fiscal_year=2025, designated_on=dt.date(2025, 11, 3))

    response = client.get(year_url(2026))

    content = response.content.decode()
    assert response.status_code == 200
    assert [r.recipient_name for r in response.context["awards"]] == [
        "萩の町並み保存会"
    ]
    assert [r.recipient_name for r in response.context["model_business_sites"]] == [
        "周南化学株式会社"
    ]
    assert "p@x.example.jp" not in content
    assert 'id="historical-totals"' in content


def test_year_without_records(client):
    response = client.get(year_url(2010))

    assert response.status_code == 200
    assert "None recorded in the portal for this year." in response.content.decode()


@pytest.mark.parametrize("year", [1989, 2101])
def test_year_out_of_range_not_found(client, year):
    assert client.get(year_url(year)).status_code == 404


def test_year_queries_bounded(client, django_assert_max_num_queries):
    for _ in range(10):
        RecognitionFactory()
        RecognitionFactory(
            group=None,
            partner=PartnerFactory(),
            kind=RecognitionKind.MODEL_BUSINESS_SITE,
        )

    with django_assert_max_num_queries(4):
        response = client.get(year_url(2026))

    assert len(response.context["awards"]) == 10
    assert len(response.context["model_business_sites"]) == 10


def test_index_queries_bounded(client, django_assert_max_num_queries):
    for year in range(2023, 2027):
        RecognitionFactory(fiscal_year=year, designated_on=dt.date(year, 11, 3))

    with django_assert_max_num_queries(4):
        response = client.get(INDEX)

    assert len(response.context["years"]) == 4


def test_year_page_in_japanese(japanese_client):
    RecognitionFactory(group=CivicGroupFactory(name="萩の町並み保存会"))

    response = japanese_client.get(year_url(2026))

    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ja">' in content
    assert "2026（令和8）年度" in content
    assert "萩の町並み保存会" in content
