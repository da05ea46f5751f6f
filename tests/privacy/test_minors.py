"""The rule for minors' personal data, on each page, mail and export it covers.

A 17-year-old applied to two groups: group A confirmed the application
(it accepted the minor), group B has it pending. Staff of A and centre
staff see the name and contact details; everyone else sees the
placeholder or gets 404. The adult case stays as before.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from campaigns.exports import exportable_photo_list, participation_rows
from campaigns.models import Photo
from civic_portal.accounts.ages import today_in_japan
from civic_portal.privacy.minors import (
    MinorsPolicy,
    can_see_personal_data,
    group_can_see_personal_data,
    is_minor,
)
from facilitation.models import Facilitator
from probono.permissions import CONCIERGE_GROUP
from tests.campaigns.factories import (
    ActivityFactory,
    LoanFactory,
    ParticipationFactory,
    PhotoFactory,
)
from tests.factories import (
    ApplicationFactory,
    GroupMembershipFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
    centre_staff,
)
from tests.partner_links.factories import PointsProgrammeFactory
from volunteering import tasks
from volunteering.models import Application

MINOR_NAME = "未成年 花子"
MINOR_EMAIL = "minor@example.jp"
MINOR_PHONE = "090-1111-2222"
PLACEHOLDER = "Applicant under 18"


def years_ago(years: int, days: int = 0) -> dt.date:
    today = today_in_japan()
    return today.replace(year=today.year - years) - dt.timedelta(days=days)


@pytest.fixture
def minor(db):
    return UserFactory(
        email=MINOR_EMAIL,
        full_name=MINOR_NAME,
        phone=MINOR_PHONE,
        birth_date=years_ago(17, days=30),
        occupation="high_school",
    )


@pytest.fixture
def accepting_membership(db):
    return GroupMembershipFactory(user__email="accepting@example.jp")


@pytest.fixture
def accepting_staff(accepting_membership):
    return accepting_membership.user


@pytest.fixture
def applied_membership(db):
    return GroupMembershipFactory(user__email="applied@example.jp")


@pytest.fixture
def applied_staff(applied_membership):
    return applied_membership.user


@pytest.fixture
def accepted(minor, accepting_membership):
    post = VolunteerPostFactory(group=accepting_membership.group)
    return ApplicationFactory(
        session=VolunteerSessionFactory(post=post, capacity=5),
        applicant=minor,
        status=Application.Status.CONFIRMED,
    )


@pytest.fixture
def pending(minor, applied_membership):
    post = VolunteerPostFactory(group=applied_membership.group)
    return ApplicationFactory(
        session=VolunteerSessionFactory(post=post, capacity=5),
        applicant=minor,
        status=Application.Status.PENDING,
        message="友達と参加したいです。",
    )


def _centre_staff():
    return centre_staff(UserFactory(email="centre@example.jp"))


def _other_group_staff():
    return GroupMembershipFactory(user__email="other-group@example.jp").user


def _concierge():
    user = UserFactory(email="concierge@example.jp")
    user.groups.add(Group.objects.get_or_create(name=CONCIERGE_GROUP)[0])
    return user


def _facilitator():
    user = UserFactory(email="facilitator@example.jp")
    Facilitator.objects.create(user=user, kind=Facilitator.Kind.REGIONAL)
    return user


def _prefectural_staff():
    return UserFactory(email="prefecture@example.jp", is_staff=True)


def _partner():
    user = UserFactory(email="partner@example.jp")
    PointsProgrammeFactory().partner_accounts.add(user)
    return user


OUTSIDERS = {
    "other group": _other_group_staff,
    "concierge": _concierge,
    "facilitator": _facilitator,
    "prefectural staff": _prefectural_staff,
    "partner": _partner,
}


def _client(client, user):
    client.force_login(user)
    return client


# The rule itself


def test_minor_by_birth_date(minor):
    assert is_minor(minor)
    assert not is_minor(UserFactory(birth_date=years_ago(18)))
    assert not is_minor(UserFactory(birth_date=None))


def test_eighteenth_birthday_ends_minority(db):
    today = today_in_japan()
    turning = UserFactory(birth_date=years_ago(18))
    assert not is_minor(turning, today)
    assert is_minor(turning, today - dt.timedelta(days=1))


def test_accepting_group_staff_see_minor(accepted, pending, accepting_staff, minor):
    assert can_see_personal_data(accepting_staff, minor)


def test_applied_group_staff_do_not_see_minor(accepted, pending, applied_staff, minor):
    assert not can_see_personal_data(applied_staff, minor)


def test_centre_staff_see_minor(pending, minor):
    assert can_see_personal_data(_centre_staff(), minor)


def test_minor_sees_themselves(pending, minor):
    assert can_see_personal_data(minor, minor)


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_do_not_see_minor(accepted, pending, minor, role):
    assert not can_see_personal_data(OUTSIDERS[role](), minor)


def test_anonymous_does_not_see_minor(accepted, minor):
    assert not can_see_personal_data(AnonymousUser(), minor)


@pytest.mark.parametrize("role", OUTSIDERS)
def test_everyone_sees_adult(db, role):
    adult = UserFactory(email="adult@example.jp")
    assert can_see_personal_data(OUTSIDERS[role](), adult)


def test_cancelled_acceptance_hides_minor(accepted, accepting_staff, minor):
    Application.objects.filter(pk=accepted.pk).update(
        status=Application.Status.CANCELLED_BY_VOLUNTEER
    )
    assert not can_see_personal_data(accepting_staff, minor)


def test_group_rule_follows_acceptance(accepted, pending, minor):
    assert group_can_see_personal_data(accepted.post.group_id, minor)
    assert not group_can_see_personal_data(pending.post.group_id, minor)


def test_policy_prefetch_is_bounded(accepting_membership, django_assert_num_queries):
    accepting_staff = accepting_membership.user
    group = accepting_membership.group
    minors = [
        UserFactory(email=f"m{n}@example.jp", birth_date=years_ago(16))
        for n in range(5)
    ]
    for person in minors[:3]:
        ApplicationFactory(session__post__group=group, applicant=person)

    policy = MinorsPolicy(accepting_staff)
    with django_assert_num_queries(2):
        policy.prefetch(minors)
        seen = [policy.can_see(person) for person in minors]

    assert seen == [True, True, True, False, False]


# Applicant lists of group staff


def _applicants_url(application):
    return reverse("volunteering:post_applications", args=[application.post_id])


def test_applicant_list_hides_pending_minor(client, pending, applied_staff):
    response = _client(client, applied_staff).get(_applicants_url(pending))

    body = response.content.decode()
    assert response.status_code == 200
    assert PLACEHOLDER in body
    assert "Under 18" in body
    assert pending.message in body
    assert MINOR_NAME not in body
    assert MINOR_EMAIL not in body
    assert MINOR_PHONE not in body


def test_applicant_list_of_accepting_group(client, accepted, pending, accepting_staff):
    response = _client(client, accepting_staff).get(_applicants_url(accepted))

    body = response.content.decode()
    assert MINOR_NAME in body
    assert MINOR_EMAIL in body
    assert MINOR_PHONE in body
    assert PLACEHOLDER not in body


def test_applicant_list_of_other_post_after_acceptance(
    client, accepted, accepting_staff, minor
):
    # Group A accepted the minor for one post. A pending application to its
    # other post shows the name too, because the group is the accepting one.
    other_post = VolunteerPostFactory(group=accepted.post.group)
    ApplicationFactory(
        session=VolunteerSessionFactory(post=other_post, capacity=5),
        applicant=minor,
        status=Application.Status.PENDING,
    )
    response = _client(client, accepting_staff).get(
        reverse("volunteering:post_applications", args=[other_post.pk])
    )

    assert MINOR_NAME in response.content.decode()


def test_session_applicant_list_hides_minor(client, pending, applied_staff):
    response = _client(client, applied_staff).get(
        reverse("volunteering:staff_session_applications", args=[pending.session_id])
    )

    body = response.content.decode()
    assert PLACEHOLDER in body
    assert MINOR_NAME not in body


@pytest.mark.parametrize("role", OUTSIDERS)
def test_applicant_list_404_for_outsiders(client, pending, role):
    response = _client(client, OUTSIDERS[role]()).get(_applicants_url(pending))
    assert response.status_code == 404


def test_applicant_list_404_for_centre_staff(client, pending):
    # Centre staff may see a minor's data, but the list belongs to the group.
    response = _client(client, _centre_staff()).get(_applicants_url(pending))
    assert response.status_code == 404


def test_applicant_list_shows_pending_adult(client, applied_staff, pending):
    adult = UserFactory(email="adult@example.jp", full_name="成人 太郎")
    ApplicationFactory(
        session=pending.session, applicant=adult, status=Application.Status.PENDING
    )
    response = _client(client, applied_staff).get(_applicants_url(pending))

    body = response.content.decode()
    assert "成人 太郎" in body
    assert "adult@example.jp" not in body


def _add_applicants(session, count):
    for n in range(count):
        birth = years_ago(16) if n % 2 else years_ago(30)
        ApplicationFactory(
            session=session,
            applicant=UserFactory(
                email=f"row{session.pk}-{n}@example.jp", birth_date=birth
            ),
            status=Application.Status.PENDING,
        )


@pytest.mark.parametrize("rows", [2, 20])
def test_applicant_list_queries_bounded(
    client, applied_staff, pending, rows, django_assert_max_num_queries
):
    _add_applicants(pending.session, rows)
    signed_in = _client(client, applied_staff)

    with django_assert_max_num_queries(12):
        response = signed_in.get(_applicants_url(pending))

    assert response.content.decode().count(PLACEHOLDER) == 1 + rows // 2


# Attendance of confirmed volunteers


def test_attendance_shows_accepted_minor(client, accepted, accepting_staff):
    response = _client(client, accepting_staff).get(
        reverse("volunteering:staff_session_attendance", args=[accepted.session_id])
    )

    body = response.content.decode()
    assert MINOR_NAME in body
    assert PLACEHOLDER not in body


@pytest.mark.parametrize("role", OUTSIDERS)
def test_attendance_404_for_outsiders(client, accepted, role):
    response = _client(client, OUTSIDERS[role]()).get(
        reverse("volunteering:staff_session_attendance", args=[accepted.session_id])
    )
    assert response.status_code == 404


# Mails to group staff


def test_received_mail_hides_pending_minor(pending, applied_staff):
    tasks.send_application_mail(pending.pk, "received")

    [staff_mail] = [m for m in mail.outbox if m.to == [applied_staff.email]]
    # Staff mails are written in Japanese, the portal's default language.
    assert "18歳未満の応募者" in staff_mail.body
    assert MINOR_NAME not in staff_mail.body
    assert pending.message in staff_mail.body
    for message in mail.outbox:
        if message.to != [MINOR_EMAIL]:
            assert MINOR_NAME not in message.body


def test_cancel_mail_to_accepting_group_names_minor(accepted, accepting_staff):
    other_post = VolunteerPostFactory(group=accepted.post.group)
    second = ApplicationFactory(
        session=VolunteerSessionFactory(post=other_post, capacity=5),
        applicant=accepted.applicant,
        status=Application.Status.CANCELLED_BY_VOLUNTEER,
    )
    tasks.send_application_mail(second.pk, "cancelled_by_volunteer")

    [staff_mail] = [m for m in mail.outbox if m.to == [accepting_staff.email]]
    assert MINOR_NAME in staff_mail.body


# Campaign participations, photos and exports


@pytest.fixture
def minor_participation(minor):
    participation = ParticipationFactory(user=minor, share_consent_at=timezone.now())
    ActivityFactory(participation=participation)
    minor.guardian_consent_at = timezone.now()
    minor.save(update_fields=["guardian_consent_at"])
    return participation


def _participations_url(participation):
    return reverse("campaigns:participation_list", args=[participation.campaign_id])


def test_participations_page_centre_staff_see_minor(client, minor_participation):
    response = _client(client, _centre_staff()).get(
        _participations_url(minor_participation)
    )

    body = response.content.decode()
    assert MINOR_NAME in body
    assert MINOR_EMAIL in body


def test_participations_page_hides_minor_from_prefecture(client, minor_participation):
    response = _client(client, _prefectural_staff()).get(
        _participations_url(minor_participation)
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Participant under 18" in body
    assert MINOR_NAME not in body
    assert MINOR_EMAIL not in body


@pytest.mark.parametrize("role", ["other group", "concierge", "facilitator", "partner"])
def test_participations_page_403_for_others(client, minor_participation, role):
    response = _client(client, OUTSIDERS[role]()).get(
        _participations_url(minor_participation)
    )
    assert response.status_code == 403


@pytest.mark.parametrize("rows", [2, 12])
def test_participations_page_queries_bounded(
    client, minor_participation, rows, django_assert_max_num_queries
):
    for n in range(rows):
        person = UserFactory(
            email=f"p{n}@example.jp", birth_date=years_ago(16 if n % 2 else 40)
        )
        ActivityFactory(
            participation__campaign=minor_participation.campaign,
            participation__user=person,
        )
    signed_in = _client(client, _prefectural_staff())

    with django_assert_max_num_queries(14):
        signed_in.get(_participations_url(minor_participation))


def test_participation_export_hides_minor_from_prefecture(minor_participation):
    campaign = minor_participation.campaign

    rows = list(participation_rows(campaign, MinorsPolicy(_prefectural_staff())))

    assert rows[0][0] == "Participant under 18"
    assert MINOR_EMAIL not in rows[0]


def test_participation_export_for_centre_staff(minor_participation):
    campaign = minor_participation.campaign

    rows = list(participation_rows(campaign, MinorsPolicy(_centre_staff())))

    assert rows[0][0] == MINOR_NAME
    assert MINOR_EMAIL in rows[0]


def test_participation_export_page_for_prefecture(client, minor_participation):
    response = _client(client, _prefectural_staff()).get(
        _participations_url(minor_participation) + "?format=csv"
    )

    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    body = content.decode("utf-8-sig")
    assert "Participant under 18" in body
    assert MINOR_EMAIL not in body


@pytest.fixture
def minor_photo(minor_participation, minor):
    return PhotoFactory(
        participation=minor_participation,
        uploaded_by=minor,
        credit=MINOR_NAME,
        status=Photo.Status.APPROVED,
        reviewed_at=timezone.now(),
    )


def test_gallery_replaces_minor_credit(client, minor_photo):
    response = client.get(
        reverse("campaigns:gallery", args=[minor_photo.participation.campaign_id])
    )

    body = response.content.decode()
    assert "Participant under 18" in body
    assert MINOR_NAME not in body


def test_gallery_api_replaces_minor_credit(client, minor_photo):
    response = client.get(reverse("campaign-photo-list"))

    [photo] = response.json()["results"]
    assert photo["credit"] == "Participant under 18"


def test_adult_credit_unchanged(client, db):
    photo = PhotoFactory(status=Photo.Status.APPROVED, reviewed_at=timezone.now())
    response = client.get(
        reverse("campaigns:gallery", args=[photo.participation.campaign_id])
    )
    assert photo.credit in response.content.decode()


def test_withdrawn_agreement_leaves_gallery(minor_photo, minor):
    minor.guardian_consent_at = None
    minor.save(update_fields=["guardian_consent_at"])
    campaign = minor_photo.participation.campaign

    assert not Photo.objects.in_gallery().filter(pk=minor_photo.pk).exists()
    assert exportable_photo_list(campaign) == []


def test_photo_review_hides_minor_from_prefecture(client, minor_photo):
    response = _client(client, _prefectural_staff()).get(
        reverse("campaigns:photo_review", args=[minor_photo.participation.campaign_id])
        + "?status=approved"
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Participant under 18" in body
    assert MINOR_NAME not in body


def test_photo_review_centre_staff_see_minor(client, minor_photo):
    response = _client(client, _centre_staff()).get(
        reverse("campaigns:photo_review", args=[minor_photo.participation.campaign_id])
        + "?status=approved"
    )

    assert MINOR_NAME in response.content.decode()


@pytest.mark.parametrize("rows", [2, 12])
def test_attendance_queries_bounded(
    client, accepted, accepting_staff, rows, django_assert_max_num_queries
):
    for n in range(rows):
        ApplicationFactory(
            session=accepted.session,
            applicant=UserFactory(
                email=f"a{n}@example.jp", birth_date=years_ago(16 if n % 2 else 40)
            ),
        )
    signed_in = _client(client, accepting_staff)

    with django_assert_max_num_queries(10):
        response = signed_in.get(
            reverse("volunteering:staff_session_attendance", args=[accepted.session_id])
        )

    assert PLACEHOLDER not in response.content.decode()


@pytest.mark.parametrize("rows", [2, 12])
def test_photo_review_queries_bounded(
    client, minor_photo, rows, django_assert_max_num_queries
):
    campaign = minor_photo.participation.campaign
    for n in range(rows):
        person = UserFactory(
            email=f"u{n}@example.jp", birth_date=years_ago(16 if n % 2 else 40)
        )
        PhotoFactory(
            participation=ParticipationFactory(campaign=campaign, user=person),
            status=Photo.Status.APPROVED,
            reviewed_at=timezone.now(),
        )
    signed_in = _client(client, _prefectural_staff())

    with django_assert_max_num_queries(12):
        response = signed_in.get(
            reverse("campaigns:photo_review", args=[campaign.pk]) + "?status=approved"
        )

    assert MINOR_NAME not in response.content.decode()


@pytest.mark.parametrize("rows", [2, 12])
def test_gallery_queries_bounded(
    client, minor_photo, rows, django_assert_max_num_queries
):
    campaign = minor_photo.participation.campaign
    for n in range(rows):
        person = UserFactory(
            email=f"g{n}@example.jp",
            birth_date=years_ago(16 if n % 2 else 40),
            guardian_consent_at=timezone.now(),
        )
        PhotoFactory(
            participation=ParticipationFactory(campaign=campaign, user=person),
            status=Photo.Status.APPROVED,
            reviewed_at=timezone.now(),
        )

    with django_assert_max_num_queries(6):
        response = client.get(reverse("campaigns:gallery", args=[campaign.pk]))

    assert response.content.decode().count("Participant under 18") == 1 + rows // 2


# Loans of campaign items


def _loans_page(client, user):
    return _client(client, user).get(reverse("campaigns:staff_loans"))


def test_loans_page_hides_minor_from_prefecture(client, minor_participation):
    LoanFactory(participation=minor_participation)

    body = _loans_page(client, _prefectural_staff()).content.decode()

    assert "Participant under 18" in body
    assert MINOR_NAME not in body


def test_loans_page_centre_staff_see_minor(client, minor_participation):
    LoanFactory(participation=minor_participation)

    body = _loans_page(client, _centre_staff()).content.decode()

    assert MINOR_NAME in body


@pytest.mark.parametrize("role", ["other group", "concierge", "facilitator", "partner"])
def test_loans_page_403_for_others(client, minor_participation, role):
    LoanFactory(participation=minor_participation)

    assert _loans_page(client, OUTSIDERS[role]()).status_code == 403


@pytest.mark.parametrize("rows", [2, 12])
def test_loans_page_queries_bounded(
    client, minor_participation, rows, django_assert_max_num_queries
):
    LoanFactory(participation=minor_participation)
    for n in range(rows):
        person = UserFactory(
            email=f"l{n}@example.jp", birth_date=years_ago(16 if n % 2 else 40)
        )
        LoanFactory(
            participation=ParticipationFactory(
                campaign=minor_participation.campaign, user=person
            )
        )
    signed_in = _client(client, _prefectural_staff())

    with django_assert_max_num_queries(12):
        response = signed_in.get(reverse("campaigns:staff_loans"))

    assert response.content.decode().count("Participant under 18") == 1 + rows // 2
