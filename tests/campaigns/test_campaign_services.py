import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from campaigns.models import Campaign
from campaigns.services.campaigns import create_campaign, update_campaign
from tests.campaigns.factories import ActivityFactory, CampaignFactory
from tests.factories import UserFactory, centre_staff

pytestmark = pytest.mark.django_db

FIELDS = {
    "title": "秋の県民活動促進月間",
    "description": "10月と11月は県民活動促進月間です。",
    "starts_on": dt.date(2026, 10, 1),
    "ends_on": dt.date(2026, 11, 30),
}


def test_create_campaign_by_prefectural_staff():
    staff = centre_staff(UserFactory())

    campaign = create_campaign(staff, **FIELDS)

    assert campaign.created_by == staff
    assert campaign.municipality is None


def test_create_campaign_rejects_reversed_period():
    staff = centre_staff(UserFactory())

    with pytest.raises(ValidationError) as error:
        create_campaign(staff, **{**FIELDS, "ends_on": dt.date(2026, 9, 30)})

    assert "ends_on" in error.value.error_dict


def test_create_campaign_allows_one_day_period():
    staff = centre_staff(UserFactory())

    campaign = create_campaign(staff, **{**FIELDS, "ends_on": FIELDS["starts_on"]})

    assert campaign.starts_on == campaign.ends_on


def test_database_rejects_reversed_period():
    with pytest.raises(IntegrityError):
        CampaignFactory(starts_on=dt.date(2026, 10, 2), ends_on=dt.date(2026, 10, 1))


def test_create_campaign_by_resident_denied(resident):
    with pytest.raises(PermissionDenied):
        create_campaign(resident, **FIELDS)


def test_group_staff_cannot_create_campaign(group_staff):
    with pytest.raises(PermissionDenied):
        create_campaign(group_staff, **FIELDS)


def test_municipal_staff_must_scope_campaign():
    staff = centre_staff(UserFactory(), scope="municipal")

    with pytest.raises(ValidationError) as error:
        create_campaign(staff, **FIELDS)

    assert "municipality" in error.value.error_dict


def test_municipal_staff_create_campaign_in_own_municipality():
    staff = centre_staff(UserFactory(), scope="municipal")
    own = staff.support_centres.get().municipality

    campaign = create_campaign(staff, **FIELDS, municipality=own)

    assert campaign.municipality == own


def test_municipal_staff_cannot_edit_prefectural_campaign():
    staff = centre_staff(UserFactory(), scope="municipal")
    campaign = CampaignFactory()

    with pytest.raises(PermissionDenied):
        update_campaign(
            campaign, staff, **FIELDS, registration_open=True, municipality=None
        )


def test_update_rejects_period_that_drops_activity():
    staff = centre_staff(UserFactory())
    activity = ActivityFactory()
    campaign = activity.participation.campaign
    later = activity.date + dt.timedelta(days=1)

    with pytest.raises(ValidationError, match="1 registered activities"):
        update_campaign(
            campaign,
            staff,
            **{**FIELDS, "starts_on": later, "ends_on": campaign.ends_on},
            registration_open=True,
            municipality=None,
        )


def test_phase_of_campaign():
    campaign = Campaign(starts_on=dt.date(2026, 10, 1), ends_on=dt.date(2026, 10, 31))

    assert campaign.phase(dt.date(2026, 9, 30)) == "upcoming"
    assert campaign.phase(dt.date(2026, 10, 1)) == "current"
    assert campaign.phase(dt.date(2026, 10, 31)) == "current"
    assert campaign.phase(dt.date(2026, 11, 1)) == "past"


def test_queryset_splits_by_phase():
    day = dt.date(2026, 10, 15)
    past = CampaignFactory(starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2026, 10, 14))
    current = CampaignFactory(starts_on=day, ends_on=day)
    upcoming = CampaignFactory(
        starts_on=dt.date(2026, 10, 16), ends_on=dt.date(2026, 10, 20)
    )

    assert list(Campaign.objects.past(day)) == [past]
    assert list(Campaign.objects.current(day)) == [current]
    assert list(Campaign.objects.upcoming(day)) == [upcoming]
