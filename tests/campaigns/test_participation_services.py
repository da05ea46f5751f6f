import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from campaigns.models import Loan, Participation, Photo
from campaigns.models.campaigns import MAX_EXPECTED_PARTICIPANTS
from campaigns.services.participations import (
    ActivityData,
    register_participation,
    set_share_consent,
    update_participation,
    withdraw_participation,
)
from groups.models import CivicGroup
from tests.campaigns.factories import (
    ActivityFactory,
    CampaignFactory,
    LoanFactory,
    PhotoFactory,
)
from tests.factories import municipality

pytestmark = pytest.mark.django_db


def activity(campaign, **changes) -> ActivityData:
    fields = {
        "title": "海岸清掃",
        "date": campaign.starts_on,
        "place": "秋穂海岸",
        "municipality": municipality(),
        "expected_participants": 12,
        **changes,
    }
    return ActivityData(**fields)


def test_resident_registers_with_activity(resident):
    campaign = CampaignFactory()

    participation = register_participation(
        campaign, resident, summary="清掃します", activities=[activity(campaign)]
    )

    assert participation.group is None
    assert participation.activities.count() == 1
    assert participation.share_consent_at is None


def test_resident_consent_is_timestamped(resident):
    campaign = CampaignFactory()

    participation = register_participation(
        campaign,
        resident,
        summary="清掃します",
        activities=[activity(campaign)],
        share_consent=True,
    )

    assert participation.share_consent_at is not None


def test_group_staff_register_group(group, group_staff):
    campaign = CampaignFactory()

    participation = register_participation(
        campaign, group_staff, group=group, summary="x", activities=[activity(campaign)]
    )

    assert participation.group == group
    assert participation.share_consent_at is None


def test_other_group_staff_cannot_register_group(group, other_group_staff):
    campaign = CampaignFactory()

    with pytest.raises(PermissionDenied):
        register_participation(
            campaign,
            other_group_staff,
            group=group,
            summary="x",
            activities=[activity(campaign)],
        )


def test_pending_group_cannot_register(group, group_staff):
    group.review_status = CivicGroup.ReviewStatus.PENDING
    group.save()
    campaign = CampaignFactory()

    with pytest.raises(ValidationError, match="approved groups"):
        register_participation(
            campaign,
            group_staff,
            group=group,
            summary="x",
            activities=[activity(campaign)],
        )


def test_second_registration_rejected(resident):
    campaign = CampaignFactory()
    register_participation(
        campaign, resident, summary="x", activities=[activity(campaign)]
    )

    with pytest.raises(ValidationError, match="already registered"):
        register_participation(
            campaign, resident, summary="y", activities=[activity(campaign)]
        )


def test_registration_after_withdrawal_allowed(resident):
    campaign = CampaignFactory()
    first = register_participation(
        campaign, resident, summary="x", activities=[activity(campaign)]
    )
    withdraw_participation(first, resident)

    second = register_participation(
        campaign, resident, summary="y", activities=[activity(campaign)]
    )

    assert second.pk != first.pk


@pytest.mark.parametrize("offset", [-1, 1])
def test_activity_date_outside_period_rejected(resident, offset):
    campaign = CampaignFactory()
    day = campaign.starts_on if offset < 0 else campaign.ends_on

    with pytest.raises(ValidationError) as error:
        register_participation(
            campaign,
            resident,
            summary="x",
            activities=[activity(campaign, date=day + dt.timedelta(days=offset))],
        )

    assert "date" in error.value.error_dict


def test_activity_on_last_day_accepted(resident):
    campaign = CampaignFactory()

    participation = register_participation(
        campaign,
        resident,
        summary="x",
        activities=[activity(campaign, date=campaign.ends_on)],
    )

    assert participation.activities.get().date == campaign.ends_on


def test_activity_outside_scope_rejected(resident):
    campaign = CampaignFactory(municipality=municipality("35201"))

    with pytest.raises(ValidationError) as error:
        register_participation(
            campaign, resident, summary="x", activities=[activity(campaign)]
        )

    assert "municipality" in error.value.error_dict


@pytest.mark.parametrize("expected", [0, MAX_EXPECTED_PARTICIPANTS + 1])
def test_expected_participants_out_of_range(resident, expected):
    campaign = CampaignFactory()

    with pytest.raises(ValidationError) as error:
        register_participation(
            campaign,
            resident,
            summary="x",
            activities=[activity(campaign, expected_participants=expected)],
        )

    assert "expected_participants" in error.value.error_dict
    assert not Participation.objects.exists()


def test_expected_participants_maximum_accepted(resident):
    campaign = CampaignFactory()

    participation = register_participation(
        campaign,
        resident,
        summary="x",
        activities=[
            activity(campaign, expected_participants=MAX_EXPECTED_PARTICIPANTS)
        ],
    )

    activity_ = participation.activities.get()
    assert activity_.expected_participants == MAX_EXPECTED_PARTICIPANTS


def test_registration_needs_an_activity(resident):
    with pytest.raises(ValidationError, match="at least one activity"):
        register_participation(CampaignFactory(), resident, summary="x", activities=[])


def test_closed_campaign_rejects_registration(resident):
    campaign = CampaignFactory(registration_open=False)

    with pytest.raises(ValidationError, match="not taking registrations"):
        register_participation(
            campaign, resident, summary="x", activities=[activity(campaign)]
        )


def test_ended_campaign_rejects_registration(resident):
    campaign = CampaignFactory(
        starts_on=dt.date(2020, 10, 1), ends_on=dt.date(2020, 10, 31)
    )

    with pytest.raises(ValidationError, match="not taking registrations"):
        register_participation(
            campaign, resident, summary="x", activities=[activity(campaign)]
        )


def test_update_replaces_activities(resident):
    kept = ActivityFactory(participation__user=resident)
    dropped = ActivityFactory(participation=kept.participation)
    campaign = kept.participation.campaign

    update_participation(
        kept.participation,
        resident,
        summary="新しい説明",
        activities=[
            activity(campaign, pk=kept.pk, title="変更後"),
            activity(campaign, title="追加"),
        ],
    )

    titles = sorted(kept.participation.activities.values_list("title", flat=True))
    assert titles == ["変更後", "追加"]
    assert not kept.participation.activities.filter(pk=dropped.pk).exists()


def test_update_ignores_other_participations_activity(resident):
    own = ActivityFactory(participation__user=resident)
    foreign = ActivityFactory()
    campaign = own.participation.campaign

    update_participation(
        own.participation,
        resident,
        summary="x",
        activities=[activity(campaign, pk=foreign.pk, title="乗っ取り")],
    )

    foreign.refresh_from_db()
    assert foreign.title == "海岸清掃"


def test_other_resident_cannot_update(resident, other_resident):
    own = ActivityFactory(participation__user=resident)

    with pytest.raises(PermissionDenied):
        update_participation(
            own.participation,
            other_resident,
            summary="x",
            activities=[activity(own.participation.campaign)],
        )


def test_withdraw_cancels_loans_and_hides_photos(resident):
    own = ActivityFactory(participation__user=resident).participation
    requested = LoanFactory(participation=own)
    lent = LoanFactory(participation=own, status=Loan.Status.LENT)
    photo = PhotoFactory(participation=own, status=Photo.Status.APPROVED)

    withdraw_participation(own, resident)

    requested.refresh_from_db()
    lent.refresh_from_db()
    photo.refresh_from_db()
    assert requested.status == Loan.Status.CANCELLED
    assert lent.status == Loan.Status.LENT
    assert photo.status == Photo.Status.WITHDRAWN
    assert not Participation.objects.active().filter(pk=own.pk).exists()


def test_withdraw_clears_share_consent(resident):
    own = ActivityFactory(participation__user=resident).participation
    set_share_consent(own, resident, give=True)

    withdraw_participation(own, resident)

    own.refresh_from_db()
    assert own.share_consent_at is None


def test_share_consent_only_by_resident(resident, other_resident):
    own = ActivityFactory(participation__user=resident).participation

    with pytest.raises(PermissionDenied):
        set_share_consent(own, other_resident, give=True)
