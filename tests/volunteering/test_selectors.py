"""Tests for the reads behind the public and resident pages."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from civic_portal.fiscal import JAPAN
from tests.factories import (
    ApplicationFactory,
    GroupMembershipFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)
from volunteering import selectors
from volunteering.models import Application, Attendance, VolunteerPost

pytestmark = pytest.mark.django_db


def session_at(starts_at: dt.datetime, **fields):
    return VolunteerSessionFactory(
        starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=2), **fields
    )


def past_application(user, *, days_ago: int = 3, **fields) -> Application:
    starts = timezone.now() - dt.timedelta(days=days_ago)
    return ApplicationFactory(applicant=user, session=session_at(starts), **fields)


def record_attendance(application, status: str, hours: str) -> Attendance:
    return Attendance.objects.create(
        application=application,
        status=status,
        hours=Decimal(hours),
        submitted_at=timezone.now(),
    )


def year_round_application(user, activity_date: dt.date, **fields) -> Application:
    post = VolunteerPostFactory(kind=VolunteerPost.Kind.YEAR_ROUND)
    return ApplicationFactory(
        applicant=user, post=post, session=None, activity_date=activity_date, **fields
    )


def test_confirmed_hours_total_sums_confirmed(resident):
    record_attendance(past_application(resident), "confirmed", "2.5")
    record_attendance(past_application(resident), "confirmed", "3")
    assert selectors.confirmed_hours_total(resident) == Decimal("5.5")


def test_confirmed_hours_total_skips_others(resident, other_resident):
    record_attendance(past_application(resident), "submitted", "4")
    record_attendance(past_application(resident), "no_show", "0")
    cancelled = past_application(
        resident, status=Application.Status.CANCELLED_BY_VOLUNTEER
    )
    record_attendance(cancelled, "confirmed", "6")
    record_attendance(past_application(other_resident), "confirmed", "7")
    assert selectors.confirmed_hours_total(resident) == Decimal("0")


def test_confirmed_hours_total_without_rows(resident):
    total = selectors.confirmed_hours_total(resident)
    assert total == Decimal("0")
    assert isinstance(total, Decimal)


def test_hours_history_matches_total(resident, other_resident):
    later = record_attendance(
        past_application(resident, days_ago=2), "confirmed", "1.5"
    )
    earlier = record_attendance(
        past_application(resident, days_ago=9), "confirmed", "2"
    )
    record_attendance(past_application(resident), "submitted", "5")
    record_attendance(past_application(other_resident), "confirmed", "8")
    rows = list(selectors.hours_history(resident))
    assert rows == [earlier, later]
    assert sum(row.hours for row in rows) == selectors.confirmed_hours_total(resident)


def test_hours_history_puts_year_round_last(resident):
    session_row = record_attendance(past_application(resident), "confirmed", "1")
    day = timezone.localdate() - dt.timedelta(days=30)
    day_row = record_attendance(year_round_application(resident, day), "confirmed", "2")
    assert list(selectors.hours_history(resident)) == [session_row, day_row]


def test_hours_awaiting_approval_only_submitted(resident, other_resident):
    submitted = record_attendance(past_application(resident), "submitted", "3")
    record_attendance(past_application(resident), "confirmed", "2")
    record_attendance(past_application(other_resident), "submitted", "1")
    assert list(selectors.hours_awaiting_approval(resident)) == [submitted]


def test_activities_without_hours(resident, other_resident):
    open_one = past_application(resident)
    record_attendance(past_application(resident), "submitted", "2")
    past_application(resident, status=Application.Status.PENDING)
    ApplicationFactory(applicant=resident)  # next week
    past_application(other_resident)
    assert list(selectors.activities_without_hours(resident)) == [open_one]


def test_activities_without_hours_session_running(resident):
    starts = timezone.now() - dt.timedelta(hours=1)
    ApplicationFactory(applicant=resident, session=session_at(starts))
    assert list(selectors.activities_without_hours(resident)) == []


def test_activities_without_hours_year_round_today(resident):
    today = timezone.localtime(timezone.now(), JAPAN).date()
    today_one = year_round_application(resident, today)
    year_round_application(resident, today + dt.timedelta(days=1))
    assert list(selectors.activities_without_hours(resident)) == [today_one]


def test_activity_start_of_year_round_day(resident):
    application = year_round_application(resident, dt.date(2030, 4, 1))
    start = selectors.activity_start(application)
    assert start == dt.datetime(2030, 3, 31, 15, 0, tzinfo=dt.UTC)


def test_can_cancel_until_start(resident):
    future = ApplicationFactory(applicant=resident)
    started = past_application(resident, days_ago=0)
    declined = ApplicationFactory(
        applicant=resident, status=Application.Status.DECLINED
    )
    assert selectors.can_cancel(future) is True
    assert selectors.can_cancel(started) is False
    assert selectors.can_cancel(declined) is False


def test_own_application_or_404(resident, other_resident):
    mine = ApplicationFactory(applicant=resident)
    assert selectors.own_application_or_404(resident, mine.pk) == mine
    with pytest.raises(Http404):
        selectors.own_application_or_404(other_resident, mine.pk)


def test_applications_of_newest_first(resident, other_resident):
    first = ApplicationFactory(applicant=resident)
    second = ApplicationFactory(applicant=resident)
    ApplicationFactory(applicant=other_resident)
    assert list(selectors.applications_of(resident)) == [second, first]


def test_post_for_viewer_public_and_staff():
    draft = VolunteerPostFactory(status=VolunteerPost.Status.DRAFT)
    staff = GroupMembershipFactory(group=draft.group).user
    outsider = UserFactory()
    assert selectors.post_for_viewer(staff, draft.pk) == draft
    with pytest.raises(Http404):
        selectors.post_for_viewer(outsider, draft.pk)
    assert selectors.is_public(draft) is False


def test_post_for_viewer_published(client):
    post = VolunteerPostFactory()
    anonymous = client.get("/").wsgi_request.user
    assert selectors.post_for_viewer(anonymous, post.pk) == post
    assert selectors.is_public(post) is True


def test_calendar_user_by_token(resident):
    assert selectors.calendar_user(resident.calendar_token) == resident
    assert selectors.calendar_user(uuid.uuid4()) is None
    resident.is_active = False
    resident.save(update_fields=["is_active"])
    assert selectors.calendar_user(resident.calendar_token) is None


def test_calendar_applications_confirmed_only(resident, other_resident):
    confirmed = ApplicationFactory(applicant=resident)
    ApplicationFactory(applicant=resident, status=Application.Status.PENDING)
    ApplicationFactory(applicant=other_resident)
    assert list(selectors.calendar_applications(resident)) == [confirmed]


def test_search_next_session_annotations():
    post = VolunteerPostFactory()
    soon = timezone.now() + dt.timedelta(days=2)
    session_at(soon, post=post, capacity=6, places_taken=4)
    session_at(soon + dt.timedelta(days=5), post=post, capacity=9)
    post_filter = selectors.post_search({})
    assert post_filter.form.is_valid()
    rows = list(
        selectors.annotate_next_session(post_filter.qs, post_filter.form.cleaned_data)
    )
    assert rows == [post]
    assert rows[0].next_matching_free_places == 2
    assert rows[0].next_matching_ends_at == soon + dt.timedelta(hours=2)
