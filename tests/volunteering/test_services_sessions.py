import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.formats import date_format

from civic_portal.fiscal import JAPAN
from tests.factories import (
    ApplicationFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)
from volunteering.models import Application, VolunteerSession
from volunteering.services.sessions import (
    SeriesPattern,
    check_series,
    series_dates,
    session_create,
    session_delete,
    session_send_call,
    session_series_create,
    session_update,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def soon(hours: float = 48) -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=hours)


def test_session_create(post, group_staff):
    session = session_create(
        post_id=post.pk,
        starts_at=soon(),
        ends_at=soon(51),
        capacity=4,
        created_by=group_staff,
    )
    assert session.post == post
    assert session.capacity == 4
    assert session.places_taken == 0


@pytest.mark.parametrize(
    ("start", "end", "capacity", "expected"),
    [
        (-1, 2, 3, {"starts_at": ["The start is in the past. Enter a later time."]}),
        (5, 5, 3, {"ends_at": ["The end must be after the start."]}),
        (5, 4, 3, {"ends_at": ["The end must be after the start."]}),
        (5, 6, 0, {"capacity": ["The capacity must be at least 1."]}),
    ],
)
def test_session_create_rejects(post, group_staff, start, end, capacity, expected):
    now = timezone.now()
    with pytest.raises(ValidationError) as excinfo:
        session_create(
            post_id=post.pk,
            starts_at=now + dt.timedelta(hours=start),
            ends_at=now + dt.timedelta(hours=end),
            capacity=capacity,
            created_by=group_staff,
        )
    assert excinfo.value.message_dict == expected


def test_session_create_rejects_year_round(group, group_staff):
    post = VolunteerPostFactory(group=group, kind="year_round")
    with pytest.raises(ValidationError) as excinfo:
        session_create(
            post_id=post.pk,
            starts_at=soon(),
            ends_at=soon(50),
            capacity=2,
            created_by=group_staff,
        )
    assert excinfo.value.messages == [
        "A year-round post has no dated sessions. Change its schedule first."
    ]


def test_session_update_rejects_capacity_below_taken(session, group_staff):
    ApplicationFactory(session=session, party_size=3)
    session.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        session_update(
            session_id=session.pk,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            capacity=2,
            changed_by=group_staff,
        )
    assert excinfo.value.message_dict == {
        "capacity": [
            "3 places are already taken. Enter a capacity of 3 or more, or "
            "cancel applications first."
        ]
    }


def test_session_update_rejects_started(post, group_staff):
    started = VolunteerSessionFactory(post=post, starts_at=soon(-1))
    with pytest.raises(ValidationError) as excinfo:
        session_update(
            session_id=started.pk,
            starts_at=soon(),
            ends_at=soon(50),
            capacity=5,
            changed_by=group_staff,
        )
    assert excinfo.value.messages == [
        "This session has already started and can no longer be changed."
    ]


def test_session_update_rejects_past_start(session, group_staff):
    with pytest.raises(ValidationError) as excinfo:
        session_update(
            session_id=session.pk,
            starts_at=soon(-2),
            ends_at=soon(2),
            capacity=5,
            changed_by=group_staff,
        )
    assert list(excinfo.value.message_dict) == ["starts_at"]


def test_session_update_more_capacity_promotes_waitlist(
    session, group_staff, django_capture_on_commit_callbacks
):
    ApplicationFactory(session=session, party_size=5)
    waiting = ApplicationFactory(session=session, status="waitlisted", party_size=2)
    session.refresh_from_db()
    session_update(
        session_id=session.pk,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        capacity=7,
        changed_by=group_staff,
    )
    waiting.refresh_from_db()
    session.refresh_from_db()
    assert waiting.status == Application.Status.PENDING
    assert session.places_taken == 7
    assert session.capacity == 7


def test_session_update_same_capacity_keeps_waitlist(session, group_staff):
    ApplicationFactory(session=session, party_size=5)
    waiting = ApplicationFactory(session=session, status="waitlisted")
    session.refresh_from_db()
    session_update(
        session_id=session.pk,
        starts_at=session.starts_at + dt.timedelta(hours=1),
        ends_at=session.ends_at + dt.timedelta(hours=1),
        capacity=5,
        changed_by=group_staff,
    )
    waiting.refresh_from_db()
    assert waiting.status == Application.Status.WAITLISTED


def test_session_delete_empty(session, group_staff):
    session_delete(session_id=session.pk, deleted_by=group_staff)
    assert not VolunteerSession.objects.filter(pk=session.pk).exists()


def test_session_delete_with_cancelled_applications(session, group_staff):
    ApplicationFactory(session=session, status="cancelled_by_volunteer")
    session_delete(session_id=session.pk, deleted_by=group_staff)
    assert not VolunteerSession.objects.filter(pk=session.pk).exists()


def test_session_delete_rejects_active_applications(session, group_staff):
    ApplicationFactory(session=session)
    ApplicationFactory(session=session, status="waitlisted")
    with pytest.raises(ValidationError) as excinfo:
        session_delete(session_id=session.pk, deleted_by=group_staff)
    assert excinfo.value.messages == [
        "This session has 2 active applications. Cancel them first, then delete "
        "the session."
    ]
    assert VolunteerSession.objects.filter(pk=session.pk).exists()


# Series


def test_series_weekly_by_end_date():
    pattern = SeriesPattern(
        frequency="weekly",
        start_date=dt.date(2027, 1, 4),  # a Monday
        end_date=dt.date(2027, 1, 17),
        weekdays=(2, 5),
    )
    assert series_dates(pattern) == [
        dt.date(2027, 1, 6),
        dt.date(2027, 1, 9),
        dt.date(2027, 1, 13),
        dt.date(2027, 1, 16),
    ]


def test_series_weekly_by_count():
    pattern = SeriesPattern(
        frequency="weekly", start_date=dt.date(2027, 1, 4), count=3, weekdays=(0,)
    )
    assert series_dates(pattern) == [
        dt.date(2027, 1, 4),
        dt.date(2027, 1, 11),
        dt.date(2027, 1, 18),
    ]


def test_series_monthly_same_day_skips_short_months():
    pattern = SeriesPattern(
        frequency="monthly", start_date=dt.date(2027, 1, 31), count=3
    )
    assert series_dates(pattern) == [
        dt.date(2027, 1, 31),
        dt.date(2027, 3, 31),
        dt.date(2027, 5, 31),
    ]


def test_series_monthly_second_saturday():
    pattern = SeriesPattern(
        frequency="monthly",
        start_date=dt.date(2027, 1, 1),
        end_date=dt.date(2027, 3, 31),
        week_of_month=2,
        weekday=5,
    )
    assert series_dates(pattern) == [
        dt.date(2027, 1, 9),
        dt.date(2027, 2, 13),
        dt.date(2027, 3, 13),
    ]


def test_series_monthly_last_sunday():
    pattern = SeriesPattern(
        frequency="monthly",
        start_date=dt.date(2027, 1, 1),
        count=2,
        week_of_month=-1,
        weekday=6,
    )
    assert series_dates(pattern) == [dt.date(2027, 1, 31), dt.date(2027, 2, 28)]


def test_series_monthly_skips_week_before_start():
    pattern = SeriesPattern(
        frequency="monthly",
        start_date=dt.date(2027, 1, 20),
        count=1,
        week_of_month=2,
        weekday=5,
    )
    assert series_dates(pattern) == [dt.date(2027, 2, 13)]


def test_series_rejects_more_than_100():
    pattern = SeriesPattern(
        frequency="weekly",
        start_date=dt.date(2027, 1, 1),
        end_date=dt.date(2028, 1, 1),
        weekdays=(0, 1, 2),
    )
    with pytest.raises(ValidationError) as excinfo:
        series_dates(pattern)
    assert excinfo.value.messages == [
        "The series would have more than 100 sessions. Choose an earlier end date."
    ]


def test_series_allows_exactly_100():
    pattern = SeriesPattern(
        frequency="weekly", start_date=dt.date(2027, 1, 1), count=100, weekdays=(0,)
    )
    assert len(series_dates(pattern)) == 100


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (
            SeriesPattern(frequency="weekly", start_date=dt.date(2027, 1, 1)),
            ["Enter an end date or a number of sessions."],
        ),
        (
            SeriesPattern(frequency="weekly", start_date=dt.date(2027, 1, 1), count=2),
            ["Choose at least one day of the week."],
        ),
        (
            SeriesPattern(
                frequency="weekly",
                start_date=dt.date(2027, 1, 1),
                count=101,
                weekdays=(1,),
            ),
            ["Enter a number of sessions from 1 to 100."],
        ),
        (
            SeriesPattern(
                frequency="monthly",
                start_date=dt.date(2027, 1, 5),
                end_date=dt.date(2027, 1, 4),
            ),
            ["The end date is before the start date."],
        ),
        (
            SeriesPattern(
                frequency="monthly",
                start_date=dt.date(2027, 1, 5),
                count=2,
                week_of_month=2,
            ),
            ["Choose the day of the week."],
        ),
    ],
)
def test_series_rejects_incomplete_pattern(pattern, expected):
    with pytest.raises(ValidationError) as excinfo:
        series_dates(pattern)
    assert excinfo.value.messages == expected


def test_series_create_in_japan_time(post, group_staff):
    start = timezone.localtime(timezone.now(), JAPAN).date() + dt.timedelta(days=3)
    pattern = SeriesPattern(
        frequency="weekly", start_date=start, count=3, weekdays=(start.weekday(),)
    )
    sessions = session_series_create(
        post_id=post.pk,
        pattern=pattern,
        start_time=dt.time(9, 0),
        end_time=dt.time(12, 30),
        capacity=8,
        created_by=group_staff,
    )
    assert len(sessions) == 3
    first = VolunteerSession.objects.filter(post=post).order_by("starts_at").first()
    assert first.starts_at == dt.datetime.combine(start, dt.time(9), tzinfo=JAPAN)
    assert first.starts_at.astimezone(dt.UTC).hour == 0
    assert first.ends_at - first.starts_at == dt.timedelta(hours=3, minutes=30)
    assert first.capacity == 8


def test_series_create_rejects_past_first_session(post, group_staff):
    today = timezone.localtime(timezone.now(), JAPAN).date()
    pattern = SeriesPattern(
        frequency="weekly",
        start_date=today - dt.timedelta(days=1),
        count=2,
        weekdays=((today - dt.timedelta(days=1)).weekday(),),
    )
    with pytest.raises(ValidationError) as excinfo:
        session_series_create(
            post_id=post.pk,
            pattern=pattern,
            start_time=dt.time(9),
            end_time=dt.time(10),
            capacity=3,
            created_by=group_staff,
        )
    assert list(excinfo.value.message_dict) == ["start_date"]
    assert not VolunteerSession.objects.filter(post=post).exists()


def test_series_create_rejects_end_before_start(post, group_staff):
    start = timezone.localtime(timezone.now(), JAPAN).date() + dt.timedelta(days=30)
    pattern = SeriesPattern(frequency="monthly", start_date=start, count=2)
    with pytest.raises(ValidationError) as excinfo:
        session_series_create(
            post_id=post.pk,
            pattern=pattern,
            start_time=dt.time(12),
            end_time=dt.time(9),
            capacity=3,
            created_by=group_staff,
        )
    assert excinfo.value.message_dict == {
        "end_time": ["The end must be after the start."]
    }


# Calls to residents


@pytest.fixture
def call_task():
    with mock.patch("volunteering.tasks.send_session_call.delay") as delay:
        yield delay


def test_session_send_call_queues_once(
    session, group_staff, call_task, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session_send_call(session_id=session.pk, sent_by=group_staff)
    call_task.assert_called_once_with(session.pk)
    session.refresh_from_db()
    assert session.call_sent_at is not None

    with pytest.raises(ValidationError) as excinfo:
        session_send_call(session_id=session.pk, sent_by=group_staff)
    assert excinfo.value.messages[0].startswith(
        "A call for this session was already sent on "
    )
    assert call_task.call_count == 1


def test_session_send_call_rejects_later_than_7_days(post, group_staff, call_task):
    later = VolunteerSessionFactory(post=post, starts_at=soon(24 * 8))
    with pytest.raises(ValidationError) as excinfo:
        session_send_call(session_id=later.pk, sent_by=group_staff)
    assert excinfo.value.messages == [
        "A call can be sent only for sessions that start within 7 days."
    ]


def test_session_send_call_rejects_full(session, group_staff, call_task):
    ApplicationFactory(session=session, party_size=5)
    with pytest.raises(ValidationError) as excinfo:
        session_send_call(session_id=session.pk, sent_by=group_staff)
    assert excinfo.value.messages == ["This session is full, so no call is needed."]
    session.refresh_from_db()
    assert session.call_sent_at is None


def test_session_send_call_rejects_started(post, group_staff, call_task):
    started = VolunteerSessionFactory(post=post, starts_at=soon(-1))
    with pytest.raises(ValidationError) as excinfo:
        session_send_call(session_id=started.pk, sent_by=group_staff)
    assert excinfo.value.messages == ["This session has already started or ended."]


def test_session_send_call_rejects_draft_post(group, group_staff, call_task):
    draft = VolunteerPostFactory(group=group, status="draft")
    session = VolunteerSessionFactory(post=draft)
    with pytest.raises(ValidationError) as excinfo:
        session_send_call(session_id=session.pk, sent_by=group_staff)
    assert excinfo.value.messages == [
        "The post is not open for applications, so no call can be sent."
    ]


def test_session_create_rejects_start_in_9999(post, group_staff):
    latest = timezone.localtime(timezone.now(), JAPAN).date() + dt.timedelta(730)
    with pytest.raises(ValidationError) as excinfo:
        session_create(
            post_id=post.pk,
            starts_at=dt.datetime(9999, 1, 1, 9, tzinfo=JAPAN),
            ends_at=dt.datetime(9999, 1, 1, 12, tzinfo=JAPAN),
            capacity=3,
            created_by=group_staff,
        )
    assert excinfo.value.message_dict == {
        "starts_at": [
            "The start is more than 2 years ahead. Enter a date on or before "
            f"{date_format(latest, 'SHORT_DATE_FORMAT')}."
        ]
    }
    assert not VolunteerSession.objects.exists()


def test_session_create_allows_start_in_2_years(post, group_staff):
    starts_at = timezone.now() + dt.timedelta(days=729)
    session = session_create(
        post_id=post.pk,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        capacity=3,
        created_by=group_staff,
    )
    assert session.starts_at == starts_at


def test_check_series_reports_all_errors(post):
    start = timezone.localtime(timezone.now(), JAPAN).date() + dt.timedelta(days=700)
    pattern = SeriesPattern(
        frequency="weekly", start_date=start, count=10, weekdays=(start.weekday(),)
    )
    with pytest.raises(ValidationError) as excinfo:
        check_series(
            post=post,
            pattern=pattern,
            start_time=dt.time(12),
            end_time=dt.time(9),
            capacity=3,
        )
    errors = excinfo.value.message_dict
    assert errors["end_time"] == ["The end must be after the start."]
    assert list(errors) == ["end_time", "end_date"]
    assert errors["end_date"][0].startswith("The last session, on ")


def test_check_series_rejects_past_start(post):
    yesterday = timezone.localtime(timezone.now(), JAPAN).date() - dt.timedelta(1)
    pattern = SeriesPattern(
        frequency="weekly",
        start_date=yesterday,
        count=2,
        weekdays=(yesterday.weekday(),),
    )
    with pytest.raises(ValidationError) as excinfo:
        check_series(
            post=post,
            pattern=pattern,
            start_time=dt.time(9),
            end_time=dt.time(10),
            capacity=3,
        )
    assert list(excinfo.value.message_dict) == ["start_date"]
