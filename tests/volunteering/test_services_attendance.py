import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from civic_portal.accounts.models import User
from tests.factories import (
    ApplicationFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)
from tests.volunteering.helpers import day_application
from volunteering.models import Attendance
from volunteering.services.attendance import (
    attendance_approve,
    attendance_bulk_confirm_day,
    attendance_bulk_confirm_planned,
    attendance_record,
    attendance_submit_by_volunteer,
    confirmed_hours,
    year_round_attendance_days,
)

HOURS_OUT_OF_RANGE = "Enter hours per person greater than 0 and at most 24."
NOT_STARTED = "Attendance can be recorded once the activity has started."


@pytest.fixture
def past_session(post):
    starts = timezone.now() - dt.timedelta(hours=5)
    return VolunteerSessionFactory(
        post=post, starts_at=starts, ends_at=starts + dt.timedelta(hours=2, minutes=30)
    )


@pytest.fixture
def confirmed(past_session, resident):
    return ApplicationFactory(session=past_session, applicant=resident)


def record(application, staff, hours="2", status="confirmed", **fields):
    """Record *application*'s attendance as *staff* through the service."""
    return attendance_record(
        application_id=application.pk,
        recorded_by=staff,
        status=status,
        hours=Decimal(hours),
        **fields,
    )


def submit(application, volunteer, hours):
    """Submit *hours* as *application*'s volunteer through the service."""
    return attendance_submit_by_volunteer(
        application_id=application.pk, volunteer=volunteer, hours=Decimal(hours)
    )


def messages_raised(call, *args, **kwargs):
    """Call *call* and return the messages of the ValidationError it raises."""
    with pytest.raises(ValidationError) as excinfo:
        call(*args, **kwargs)
    return excinfo.value.messages


def test_attendance_record_confirmed(confirmed, group_staff):
    attendance = record(confirmed, group_staff, hours="2.5", note=" 雨天 ")
    assert attendance.status == Attendance.Status.CONFIRMED
    assert attendance.hours == Decimal("2.5")
    assert attendance.note == "雨天"
    assert attendance.confirmed_by == group_staff
    assert attendance.confirmed_at is not None


def test_attendance_record_no_show_zero_hours(confirmed, group_staff):
    attendance = record(confirmed, group_staff, hours="3", status="no_show")
    assert attendance.status == Attendance.Status.NO_SHOW
    assert attendance.hours == Decimal("0")


def test_attendance_record_replaces_earlier(confirmed, group_staff):
    record(confirmed, group_staff)
    record(confirmed, group_staff, hours="0", status="no_show")
    assert Attendance.objects.get().status == Attendance.Status.NO_SHOW


@pytest.mark.parametrize(
    ("status", "hours", "message"),
    [
        ("submitted", "2", "Choose attended or did not attend."),
        ("confirmed", "0", HOURS_OUT_OF_RANGE),
        ("confirmed", "24.5", HOURS_OUT_OF_RANGE),
        ("confirmed", "-1", HOURS_OUT_OF_RANGE),
    ],
)
def test_attendance_record_rejects_input(
    confirmed, group_staff, status, hours, message
):
    messages = messages_raised(
        record, confirmed, group_staff, hours=hours, status=status
    )
    assert messages == [message]
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "status", ["pending", "waitlisted", "declined", "cancelled_by_volunteer"]
)
def test_attendance_record_rejects_unconfirmed(past_session, group_staff, status):
    application = ApplicationFactory(session=past_session, status=status)
    assert messages_raised(record, application, group_staff) == [
        "Attendance can be recorded only for confirmed applications."
    ]


def test_attendance_record_rejects_before_start(session, group_staff):
    application = ApplicationFactory(session=session)
    assert messages_raised(record, application, group_staff) == [NOT_STARTED]


def test_attendance_bulk_confirm_planned(past_session, group_staff):
    first = ApplicationFactory(session=past_session)
    second = ApplicationFactory(session=past_session, party_size=3)
    already = ApplicationFactory(session=past_session)
    ApplicationFactory(session=past_session, status="cancelled_by_volunteer")
    Attendance.objects.create(application=already, status="no_show", hours=0)

    count = attendance_bulk_confirm_planned(
        session_id=past_session.pk, recorded_by=group_staff
    )

    assert count == 2
    for application in (first, second):
        attendance = Attendance.objects.get(application=application)
        assert attendance.status == Attendance.Status.CONFIRMED
        assert attendance.hours == Decimal("2.50")
        assert attendance.confirmed_by == group_staff
    assert Attendance.objects.get(application=already).status == "no_show"
    again = attendance_bulk_confirm_planned(
        session_id=past_session.pk, recorded_by=group_staff
    )
    assert again == 0


def test_attendance_bulk_confirm_rejects_future(session, group_staff):
    ApplicationFactory(session=session)
    messages = messages_raised(
        attendance_bulk_confirm_planned, session_id=session.pk, recorded_by=group_staff
    )
    assert messages == [NOT_STARTED]


# Days of year-round posts


def test_attendance_record_year_round_day(year_round_post, yesterday, group_staff):
    application = day_application(year_round_post, yesterday)
    attendance = record(application, group_staff, hours="3", status="no_show")
    assert attendance.status == Attendance.Status.NO_SHOW
    assert attendance.hours == Decimal("0")


def test_attendance_bulk_confirm_day(year_round_post, yesterday, group_staff):
    first = day_application(year_round_post, yesterday)
    team = day_application(year_round_post, yesterday, party_size=4)
    already = day_application(year_round_post, yesterday)
    Attendance.objects.create(application=already, status="submitted", hours=5)
    other_day = day_application(year_round_post, yesterday - dt.timedelta(days=1))
    pending = day_application(year_round_post, yesterday, status="pending")

    count = attendance_bulk_confirm_day(
        post_id=year_round_post.pk,
        activity_date=yesterday,
        hours=Decimal("1.5"),
        recorded_by=group_staff,
    )

    assert count == 2
    for application in (first, team):
        attendance = Attendance.objects.get(application=application)
        assert attendance.status == Attendance.Status.CONFIRMED
        assert attendance.hours == Decimal("1.5")
        assert attendance.confirmed_by == group_staff
    assert Attendance.objects.get(application=already).status == "submitted"
    assert not Attendance.objects.filter(application=other_day).exists()
    assert not Attendance.objects.filter(application=pending).exists()


def test_attendance_bulk_confirm_day_today(year_round_post, group_staff):
    today = timezone.localdate()
    day_application(year_round_post, today)
    count = attendance_bulk_confirm_day(
        post_id=year_round_post.pk,
        activity_date=today,
        hours=Decimal("2"),
        recorded_by=group_staff,
    )
    assert count == 1


@pytest.mark.parametrize(
    ("day_offset", "hours", "message"),
    [
        (1, "2", NOT_STARTED),
        (-1, "0", HOURS_OUT_OF_RANGE),
        (-1, "25", HOURS_OUT_OF_RANGE),
    ],
)
def test_attendance_bulk_confirm_day_rejects(
    year_round_post, group_staff, day_offset, hours, message
):
    day = timezone.localdate() + dt.timedelta(days=day_offset)
    day_application(year_round_post, day)
    messages = messages_raised(
        attendance_bulk_confirm_day,
        post_id=year_round_post.pk,
        activity_date=day,
        hours=Decimal(hours),
        recorded_by=group_staff,
    )
    assert messages == [message]
    assert not Attendance.objects.exists()


def test_attendance_bulk_confirm_day_rejects_sessions(post, yesterday, group_staff):
    messages = messages_raised(
        attendance_bulk_confirm_day,
        post_id=post.pk,
        activity_date=yesterday,
        hours=Decimal("2"),
        recorded_by=group_staff,
    )
    assert messages == [
        "This post has dated sessions. Record attendance on each session's page."
    ]


def test_year_round_attendance_days(year_round_post, yesterday):
    recorded = day_application(year_round_post, yesterday, party_size=2)
    Attendance.objects.create(application=recorded, status="no_show", hours=0)
    day_application(year_round_post, yesterday, status="cancelled_by_volunteer")
    day_application(year_round_post, timezone.localdate() + dt.timedelta(days=1))
    day_application(VolunteerPostFactory(kind="year_round"), yesterday)
    assert list(year_round_attendance_days(year_round_post)) == [
        {
            "activity_date": yesterday,
            "applications": 1,
            "people": 2,
            "recorded": 1,
            "submitted": 0,
        }
    ]


# Hours reported by volunteers


def test_attendance_submit_and_approve(confirmed, resident, group_staff):
    attendance = attendance_submit_by_volunteer(
        application_id=confirmed.pk,
        volunteer=resident,
        hours=Decimal("3"),
        note="楽しかった",
    )
    assert attendance.status == Attendance.Status.SUBMITTED
    assert attendance.submitted_at is not None
    assert confirmed_hours(resident) == Decimal("0")

    approved = attendance_approve(attendance_id=attendance.pk, approved_by=group_staff)
    assert approved.status == Attendance.Status.CONFIRMED
    assert approved.confirmed_by == group_staff
    assert confirmed_hours(resident) == Decimal("3")


def test_attendance_submit_twice_updates(confirmed, resident):
    submit(confirmed, resident, "3")
    submit(confirmed, resident, "2")
    assert Attendance.objects.get().hours == Decimal("2")


def test_attendance_submit_rejects_other_user(confirmed, other_resident):
    assert messages_raised(submit, confirmed, other_resident, "3") == [
        "You can report hours only for your own applications."
    ]


def test_attendance_submit_rejects_before_end(post, resident):
    starts = timezone.now() - dt.timedelta(hours=1)
    running = VolunteerSessionFactory(
        post=post, starts_at=starts, ends_at=starts + dt.timedelta(hours=3)
    )
    application = ApplicationFactory(session=running, applicant=resident)
    assert messages_raised(submit, application, resident, "1") == [
        "Hours can be reported after the activity."
    ]


@pytest.mark.parametrize("hours", ["0", "24.01", "-2"])
def test_attendance_submit_rejects_hours(confirmed, resident, hours):
    assert messages_raised(submit, confirmed, resident, hours) == [HOURS_OUT_OF_RANGE]


def test_attendance_submit_rejects_unconfirmed(past_session, resident):
    application = ApplicationFactory(
        session=past_session, applicant=resident, status="pending"
    )
    assert messages_raised(submit, application, resident, "2") == [
        "Hours can be reported only for confirmed applications."
    ]


def test_attendance_submit_rejects_after_staff_record(confirmed, resident, group_staff):
    record(confirmed, group_staff)
    assert messages_raised(submit, confirmed, resident, "5") == [
        "The group has already recorded your attendance."
    ]
    assert Attendance.objects.get().hours == Decimal("2")


def test_attendance_submit_year_round_day(year_round_post, yesterday, resident):
    application = day_application(year_round_post, yesterday, applicant=resident)
    attendance = submit(application, resident, "4")
    assert attendance.status == Attendance.Status.SUBMITTED


def test_attendance_approve_rejects_confirmed(confirmed, group_staff):
    attendance = record(confirmed, group_staff)
    messages = messages_raised(
        attendance_approve, attendance_id=attendance.pk, approved_by=group_staff
    )
    assert messages == ["Only hours submitted by the volunteer can be approved."]


# High-school milestone


@pytest.fixture
def student(db):
    return UserFactory(
        email="student@example.jp",
        occupation=User.Occupation.HIGH_SCHOOL_STUDENT,
        birth_date=dt.date(2009, 6, 1),
    )


@pytest.fixture
def milestone_task(settings):
    """The mocked milestone task, with the milestone at 10 hours."""
    settings.HIGH_SCHOOL_CERTIFICATION_HOURS = 10
    with mock.patch("volunteering.tasks.send_hours_milestone_mail.delay") as delay:
        yield delay


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run the callbacks a block registers for after the commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _student_hours(student, post, hours):
    """Create a past session where *student* has *hours* confirmed."""
    starts = timezone.now() - dt.timedelta(days=3)
    session = VolunteerSessionFactory(
        post=post, starts_at=starts, ends_at=starts + dt.timedelta(hours=8)
    )
    application = ApplicationFactory(session=session, applicant=student)
    Attendance.objects.create(application=application, status="confirmed", hours=hours)


@pytest.mark.parametrize(
    ("earlier", "added", "queued"),
    [
        ("8", "2", True),
        ("7", "2.99", False),
        ("12", "2", False),
    ],
)
def test_milestone_mail_queued_on_crossing(
    post,
    past_session,
    student,
    group_staff,
    milestone_task,
    after_commit,
    earlier,
    added,
    queued,
):
    _student_hours(student, post, Decimal(earlier))
    application = ApplicationFactory(session=past_session, applicant=student)
    with after_commit():
        record(application, group_staff, hours=added)
    if queued:
        milestone_task.assert_called_once_with(student.pk)
    else:
        milestone_task.assert_not_called()


def test_milestone_counts_hours_per_person_not_party(
    past_session, student, group_staff, milestone_task, after_commit
):
    application = ApplicationFactory(
        session=past_session, applicant=student, party_size=5
    )
    with after_commit():
        record(application, group_staff, hours="2.5")
    assert confirmed_hours(student) == Decimal("2.5")
    milestone_task.assert_not_called()


def test_milestone_on_bulk_confirm(
    post, past_session, student, group_staff, milestone_task, after_commit
):
    _student_hours(student, post, Decimal("8"))
    ApplicationFactory(session=past_session, applicant=student)
    with after_commit():
        attendance_bulk_confirm_planned(
            session_id=past_session.pk, recorded_by=group_staff
        )
    milestone_task.assert_called_once_with(student.pk)


def test_milestone_on_bulk_confirm_day(
    post, year_round_post, yesterday, student, group_staff, milestone_task, after_commit
):
    _student_hours(student, post, Decimal("8"))
    day_application(year_round_post, yesterday, applicant=student)
    with after_commit():
        attendance_bulk_confirm_day(
            post_id=year_round_post.pk,
            activity_date=yesterday,
            hours=Decimal("2"),
            recorded_by=group_staff,
        )
    milestone_task.assert_called_once_with(student.pk)


def test_milestone_on_approve(
    post, past_session, student, group_staff, milestone_task, after_commit
):
    _student_hours(student, post, Decimal("9"))
    application = ApplicationFactory(session=past_session, applicant=student)
    attendance = submit(application, student, "1")
    milestone_task.assert_not_called()
    with after_commit():
        attendance_approve(attendance_id=attendance.pk, approved_by=group_staff)
    milestone_task.assert_called_once_with(student.pk)


def test_milestone_ignores_adults(
    past_session, resident, group_staff, milestone_task, after_commit, settings
):
    settings.HIGH_SCHOOL_CERTIFICATION_HOURS = 1
    application = ApplicationFactory(session=past_session, applicant=resident)
    with after_commit():
        record(application, group_staff)
    milestone_task.assert_not_called()
