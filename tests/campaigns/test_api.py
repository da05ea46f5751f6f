import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from campaigns.models import Photo
from tests.campaigns.factories import CampaignFactory, PhotoFactory, group_participation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_campaign_list_public(api):
    campaign = CampaignFactory()

    response = api.get(reverse("campaign-list"))

    assert response.status_code == 200
    assert response.json()["results"][0]["id"] == campaign.pk
    assert response.json()["results"][0]["phase"] == "current"


def test_campaign_phase_filter(api):
    CampaignFactory()
    past = CampaignFactory(
        starts_on=dt.date(2020, 10, 1), ends_on=dt.date(2020, 11, 30)
    )

    response = api.get(reverse("campaign-list"), {"phase": "past"})

    assert [row["id"] for row in response.json()["results"]] == [past.pk]


def test_campaign_bad_phase_rejected(api):
    response = api.get(reverse("campaign-list"), {"phase": "soon"})

    assert response.status_code == 400
    assert "phase" in response.json()


def test_gallery_lists_only_approved(api):
    approved = PhotoFactory(status=Photo.Status.APPROVED)
    PhotoFactory(participation=approved.participation)
    PhotoFactory(participation=approved.participation, status=Photo.Status.REJECTED)
    PhotoFactory(participation=approved.participation, status=Photo.Status.WITHDRAWN)

    response = api.get(reverse("campaign-photo-list"))

    assert [row["id"] for row in response.json()["results"]] == [approved.pk]


def test_gallery_hides_resident_name(api, resident):
    PhotoFactory(participation__user=resident, status=Photo.Status.APPROVED)

    row = api.get(reverse("campaign-photo-list")).json()["results"][0]

    assert row["group"] is None
    assert resident.email not in str(row)
    assert resident.full_name not in str(row)


def test_gallery_filter_by_campaign(api):
    photo = PhotoFactory(status=Photo.Status.APPROVED)
    PhotoFactory(status=Photo.Status.APPROVED)

    response = api.get(
        reverse("campaign-photo-list"),
        {"campaign": photo.participation.campaign_id},
    )

    assert [row["id"] for row in response.json()["results"]] == [photo.pk]


def test_gallery_bad_campaign_rejected(api):
    response = api.get(reverse("campaign-photo-list"), {"campaign": "x"})

    assert response.status_code == 400


def test_withdrawn_photo_not_found(api):
    photo = PhotoFactory(status=Photo.Status.WITHDRAWN)

    response = api.get(reverse("campaign-photo-detail", args=[photo.pk]))

    assert response.status_code == 404


def test_api_is_read_only(api, resident):
    api.force_authenticate(resident)

    response = api.post(reverse("campaign-list"), {"title": "x"})

    assert response.status_code == 405


def test_list_query_counts(api, django_assert_max_num_queries):
    campaign = CampaignFactory()
    for _ in range(10):
        CampaignFactory()
        participation = group_participation(campaign, UserFactory())
        PhotoFactory(participation=participation, status=Photo.Status.APPROVED)

    with django_assert_max_num_queries(2):
        api.get(reverse("campaign-list"))
    with django_assert_max_num_queries(2):
        api.get(reverse("campaign-photo-list"))
