import datetime as dt

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from civic_portal.fiscal import JAPAN
from tests.factories import (
    ApplicationFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)
from volunteering.models import Application
from volunteering.services.applications import (
    application_cancel_by_staff,
    application_create_for_day,
    application_create_for_session,
    application_decline,
)
from volunteering.services.errors import ApplicationError


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_staff_cancel_moves_waitlist_up(session, group_staff):
    confirmed = ApplicationFactory(session=session, party_size=5)
    waiting = ApplicationFactory(session=session, status="waitlisted", party_size=2)
    application_cancel_by_staff(
        application_id=confirmed.pk, cancelled_by=group_staff, reason="体調不良"
    )
    waiting.refresh_from_db()
    session.refresh_from_db()
    assert waiting.status == Application.Status.PENDING
    assert session.places_taken == 2


def test_staff_cancel_after_start_keeps_waitlist(post, group_staff):
    started = VolunteerSessionFactory(
        post=post, starts_at=timezone.now() - dt.timedelta(hours=1), capacity=1
    )
    confirmed = ApplicationFactory(session=started)
    waiting = ApplicationFactory(session=started, status="waitlisted")
    application_cancel_by_staff(
        application_id=confirmed.pk, cancelled_by=group_staff, reason="欠席"
    )
    waiting.refresh_from_db()
    started.refresh_from_db()
    assert waiting.status == Application.Status.WAITLISTED
    assert started.places_taken == 0


def test_decline_pending_frees_place_for_waitlist(session, group_staff):
    pending = ApplicationFactory(session=session, status="pending", party_size=5)
    waiting = ApplicationFactory(session=session, status="waitlisted")
    application_decline(application_id=pending.pk, decided_by=group_staff)
    waiting.refresh_from_db()
    assert waiting.status == Application.Status.PENDING


@pytest.mark.parametrize(
    ("review_status", "group_status"),
    [
        ("pending", "active"),
        ("changes_requested", "active"),
        ("rejected", "active"),
        ("approved", "dissolved"),
    ],
)
def test_apply_to_hidden_group_rejected(
    group, post, session, resident, review_status, group_status
):
    group.review_status = review_status
    group.status = group_status
    group.save()

    with pytest.raises(ApplicationError) as raised:
        application_create_for_session(applicant=resident, session_id=session.pk)

    assert raised.value.messages == ["This post is not open for applications."]
    assert not Application.objects.exists()
    session.refresh_from_db()
    assert session.places_taken == 0


def test_apply_day_to_hidden_group_rejected(group, resident):
    post = VolunteerPostFactory(group=group, kind="year_round")
    group.status = "dissolved"
    group.save()

    with pytest.raises(ApplicationError) as raised:
        application_create_for_day(
            applicant=resident, post_id=post.pk, activity_date=timezone.localdate()
        )

    assert raised.value.messages == ["This post is not open for applications."]
    assert not Application.objects.exists()


def test_apply_to_public_group_accepted(post, session, resident):
    application = application_create_for_session(
        applicant=resident, session_id=session.pk
    )

    assert application.status == Application.Status.PENDING


def test_apply_day_within_a_year(group, resident):
    post = VolunteerPostFactory(group=group, kind="year_round")
    today = timezone.localtime(timezone.now(), JAPAN).date()

    application = application_create_for_day(
        applicant=resident, post_id=post.pk, activity_date=today + dt.timedelta(365)
    )

    assert application.activity_date == today + dt.timedelta(365)


def test_apply_day_over_a_year_ahead_rejected(group, resident):
    post = VolunteerPostFactory(group=group, kind="year_round")
    today = timezone.localtime(timezone.now(), JAPAN).date()
    latest = today + dt.timedelta(365)

    with pytest.raises(ApplicationError) as raised:
        application_create_for_day(
            applicant=resident,
            post_id=post.pk,
            activity_date=today + dt.timedelta(366),
        )

    assert raised.value.messages == [
        "The activity date is more than a year ahead. Choose a date on or "
        f"before {date_format(latest, 'SHORT_DATE_FORMAT')}."
    ]
    assert not Application.objects.exists()
