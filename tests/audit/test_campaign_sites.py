"""The campaign participation list and its export log the residents shown."""

import pytest
from django.urls import reverse
from django.utils import timezone

from civic_portal.audit.models import PersonalDataAccess
from civic_portal.audit.services import USER_EMAIL, USER_NAME
from tests.audit.helpers import logged_fields
from tests.campaigns.factories import (
    CampaignFactory,
    ParticipationFactory,
    PhotoFactory,
    group_participation,
)
from tests.factories import UserFactory, centre_staff

pytestmark = pytest.mark.django_db

SUMMARY = "campaigns.Participation.summary"


@pytest.fixture
def staff():
    return centre_staff(UserFactory(email="centre@example.jp"))


def _list_url(campaign, query=""):
    return reverse("campaigns:participation_list", args=[campaign.pk]) + query


def test_participation_list_logs_residents(client, staff):
    campaign = CampaignFactory()
    resident = ParticipationFactory(campaign=campaign)
    group_participation(campaign, UserFactory())
    client.force_login(staff)
    assert client.get(_list_url(campaign)).status_code == 200
    assert logged_fields(staff) == {resident.user_id: {USER_NAME, USER_EMAIL, SUMMARY}}
    row = PersonalDataAccess.objects.get()
    assert row.object_ref == f"campaigns.Campaign:{campaign.pk}"


def test_participation_list_queries_bounded(
    client, staff, django_assert_max_num_queries
):
    campaign = CampaignFactory()
    for _ in range(15):
        ParticipationFactory(campaign=campaign)
    client.force_login(staff)
    with django_assert_max_num_queries(20):
        client.get(_list_url(campaign))
    assert PersonalDataAccess.objects.count() == 15


def test_participation_export_logs_shared_residents(client, staff):
    campaign = CampaignFactory()
    shared = ParticipationFactory(campaign=campaign, share_consent_at=timezone.now())
    ParticipationFactory(campaign=campaign, share_consent_at=None)
    client.force_login(staff)
    response = client.get(_list_url(campaign, "?format=csv"))
    assert response.status_code == 200
    row = PersonalDataAccess.objects.get()
    assert row.subject_id == shared.user_id
    assert row.action == PersonalDataAccess.Action.EXPORTED
    assert set(row.field_names) == {USER_NAME, USER_EMAIL, SUMMARY}


def test_participation_list_rejects_residents(client):
    campaign = CampaignFactory()
    ParticipationFactory(campaign=campaign)
    client.force_login(UserFactory())
    assert client.get(_list_url(campaign)).status_code == 403
    assert client.get(_list_url(campaign, "?format=csv")).status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_own_participation_logs_nothing(client):
    participation = ParticipationFactory()
    client.force_login(participation.user)
    url = reverse("campaigns:participation_detail", args=[participation.pk])
    assert client.get(url).status_code == 200
    assert not PersonalDataAccess.objects.exists()


def test_photo_review_logs_uploaders(client, staff, django_assert_max_num_queries):
    campaign = CampaignFactory()
    photos = [PhotoFactory(participation__campaign=campaign) for _ in range(5)]
    client.force_login(staff)
    url = reverse("campaigns:photo_review", args=[campaign.pk])
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200
    logged = logged_fields(staff)
    assert set(logged) == {photo.uploaded_by_id for photo in photos}
    assert {
        "campaigns.Photo.image",
        "campaigns.Photo.credit",
        "campaigns.Photo.people",
        USER_NAME,
    } <= logged[photos[0].uploaded_by_id]


def test_photo_review_rejects_residents(client):
    campaign = PhotoFactory().participation.campaign
    client.force_login(UserFactory())
    url = reverse("campaigns:photo_review", args=[campaign.pk])
    assert client.get(url).status_code == 403
    assert not PersonalDataAccess.objects.exists()
