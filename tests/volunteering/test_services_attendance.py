import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from civic_portal.accounts.models import User
from tests.factories import (
    ApplicationFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)
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


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def milestone_task():
    with mock.patch("volunteering.tasks.send_hours_milestone_mail.delay") as delay:
        yield delay


@pytest.fixture
def past_session(post):
    starts = timezone.now() - dt.timedelta(hours=5)
    return VolunteerSessionFactory(
        post=post, starts_at=starts, ends_at=starts + dt.timedelta(hours=2, minutes=30)
    )


@pytest.fixture
def confirmed(past_session, resident):
    return ApplicationFactory(session=past_session, applicant=resident)


def test_attendance_record_confirmed(confirmed, group_staff):
    record = attendance_record(
        application_id=confirmed.pk,
        recorded_by=group_staff,
        status="confirmed",
        hours=Decimal("2.5"),
        note=" 雨天 ",
    )
    assert record.status == Attendance.Status.CONFIRMED
    assert record.hours == Decimal("2.5")
    assert record.note == "雨天"
    assert record.confirmed_by == group_staff
    assert record.confirmed_at is not None


def test_attendance_record_no_show_zero_hours(confirmed, group_staff):
    record = attendance_record(
        application_id=confirmed.pk,
        recorded_by=group_staff,
        status="no_show",
        hours=Decimal("3"),
    )
    assert record.status == Attendance.Status.NO_SHOW
    assert record.hours == Decimal("0")


def test_attendance_record_replaces_earlier(confirmed, group_staff):
    attendance_record(
        application_id=confirmed.pk,
        recorded_by=group_staff,
        status="confirmed",
        hours=Decimal("2"),
    )
    attendance_record(
        application_id=confirmed.pk,
        recorded_by=group_staff,
        status="no_show",
        hours=Decimal("0"),
    )
    assert Attendance.objects.get().status == Attendance.Status.NO_SHOW


@pytest.mark.parametrize(
    ("status", "hours", "message"),
    [
        ("submitted", Decimal("2"), "Choose attended or did not attend."),
        (
            "confirmed",
            Decimal("0"),
            "Enter hours per person greater than 0 and at most 24.",
        ),
        (
            "confirmed",
            Decimal("24.5"),
            "Enter hours per person greater than 0 and at most 24.",
        ),
        (
            "confirmed",
            Decimal("-1"),
            "Enter hours per person greater than 0 and at most 24.",
        ),
    ],
)
def test_attendance_record_rejects_input(
    confirmed, group_staff, status, hours, message
):
    with pytest.raises(ValidationError) as excinfo:
        attendance_record(
            application_id=confirmed.pk,
            recorded_by=group_staff,
            status=status,
            hours=hours,
        )
    assert excinfo.value.messages == [message]
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "status", ["pending", "waitlisted", "declined", "cancelled_by_volunteer"]
)
def test_attendance_record_rejects_unconfirmed(past_session, group_staff, status):
    application = ApplicationFactory(session=past_session, status=status)
    with pytest.raises(ValidationError) as excinfo:
        attendance_record(
            application_id=application.pk,
            recorded_by=group_staff,
            status="confirmed",
            hours=Decimal("2"),
        )
    assert excinfo.value.messages == [
        "Attendance can be recorded only for confirmed applications."
    ]


def test_attendance_record_rejects_before_start(session, group_staff):
    application = ApplicationFactory(session=session)
    with pytest.raises(ValidationError) as excinfo:
        attendance_record(
            application_id=application.pk,
            recorded_by=group_staff,
            status="confirmed",
            hours=Decimal("2"),
        )
    assert excinfo.value.messages == [
        "Attendance can be recorded once the activity has started."
    ]


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
        record = Attendance.objects.get(application=application)
        assert record.status == Attendance.Status.CONFIRMED
        assert record.hours == Decimal("2.50")
        assert record.confirmed_by == group_staff
    assert Attendance.objects.get(application=already).status == "no_show"
    assert (
        attendance_bulk_confirm_planned(
            session_id=past_session.pk, recorded_by=group_staff
        )
        == 0
    )


def test_attendance_bulk_confirm_rejects_future(session, group_staff):
    ApplicationFactory(session=session)
    with pytest.raises(ValidationError) as excinfo:
        attendance_bulk_confirm_planned(session_id=session.pk, recorded_by=group_staff)
    assert excinfo.value.messages == [
        "Attendance can be recorded once the activity has started."
    ]


# Days of year-round posts


@pytest.fixture
def year_round_post(group):
    return VolunteerPostFactory(group=group, kind="year_round")


@pytest.fixture
def yesterday():
    return timezone.localdate() - dt.timedelta(days=1)


def test_attendance_record_year_round_day(year_round_post, yesterday, group_staff):
    application = ApplicationFactory(
        session=None, post=year_round_post, activity_date=yesterday
    )
    record = attendance_record(
        application_id=application.pk,
        recorded_by=group_staff,
        status="no_show",
        hours=Decimal("3"),
    )
    assert record.status == Attendance.Status.NO_SHOW
    assert record.hours == Decimal("0")


def test_attendance_bulk_confirm_day(year_round_post, yesterday, group_staff):
    first = ApplicationFactory(
        session=None, post=year_round_post, activity_date=yesterday
    )
    team = ApplicationFactory(
        session=None, post=year_round_post, activity_date=yesterday, party_size=4
    )
    already = ApplicationFactory(
        session=None, post=year_round_post, activity_date=yesterday
    )
    Attendance.objects.create(application=already, status="submitted", hours=5)
    other_day = ApplicationFactory(
        session=None,
        post=year_round_post,
        activity_date=yesterday - dt.timedelta(days=1),
    )
    pending = ApplicationFactory(
        session=None, post=year_round_post, activity_date=yesterday, status="pending"
    )

    count = attendance_bulk_confirm_day(
        post_id=year_round_post.pk,
        activity_date=yesterday,
        hours=Decimal("1.5"),
        recorded_by=group_staff,
    )

    assert count == 2
    for application in (first, team):
        record = Attendance.objects.get(application=application)
        assert record.status == Attendance.Status.CONFIRMED
        assert record.hours == Decimal("1.5")
        assert record.confirmed_by == group_staff
    assert Attendance.objects.get(application=already).status == "submitted"
    assert not Attendance.objects.filter(application=other_day).exists()
    assert not Attendance.objects.filter(application=pending).exists()


def test_attendance_bulk_confirm_day_today(year_round_post, group_staff):
    ApplicationFactory(
        session=None, post=year_round_post, activity_date=timezone.localdate()
    )
    count = attendance_bulk_confirm_day(
        post_id=year_round_post.pk,
        activity_date=timezone.localdate(),
        hours=Decimal("2"),
        recorded_by=group_staff,
    )
    assert count == 1


@pytest.mark.parametrize(
    ("day_offset", "hours", "message"),
    [
        (1, Decimal("2"), "Attendance can be recorded once the activity has started."),
        (-1, Decimal("0"), "Enter hours per person greater than 0 and at most 24."),
        (-1, Decimal("25"), "Enter hours per person greater than 0 and at most 24."),
    ],
)
def test_attendance_bulk_confirm_day_rejects(
    year_round_post, group_staff, day_offset, hours, message
):
    day = timezone.localdate() + dt.timedelta(days=day_offset)
    ApplicationFactory(session=None, post=year_round_post, activity_date=day)
    with pytest.raises(ValidationError) as excinfo:
        attendance_bulk_confirm_day(
            post_id=year_round_post.pk,
            activity_date=day,
            hours=hours,
            recorded_by=group_staff,
        )
    assert excinfo.value.messages == [message]
    assert not Attendance.objects.exists()


def test_attendance_bulk_confirm_day_rejects_sessions(post, yesterday, group_staff):
    with pytest.raises(ValidationError) as excinfo:
        attendance_bulk_confirm_day(
            post_id=post.pk,
            activity_date=yesterday,
            hours=Decimal("2"),
            recorded_by=group_staff,
        )
    assert excinfo.value.messages == [
        "This post has dated sessions. Record attendance on each session's page."
    ]


def test_year_round_attendance_days(year_round_post, yesterday):
    recorded = ApplicationFactory(
        session=None, post=year_round_post, activity_date=yesterday, party_size=2
    )
    Attendance.objects.create(application=recorded, status="no_show", hours=0)
    ApplicationFactory(
        session=None,
        post=year_round_post,
        activity_date=yesterday,
        status="cancelled_by_volunteer",
    )
    ApplicationFactory(
        session=None,
        post=year_round_post,
        activity_date=timezone.localdate() + dt.timedelta(days=1),
    )
    ApplicationFactory(
        session=None,
        post=VolunteerPostFactory(kind="year_round"),
        activity_date=yesterday,
    )
    assert list(year_round_attendance_days(year_round_post)) == [
        {
            "activity_date": yesterday,
            "applications": 1,
            "people": 2,
            "recorded": 1,
            "submitted": 0,
        }
    ]


def test_attendance_submit_and_approve(confirmed, resident, group_staff):
    record = attendance_submit_by_volunteer(
        application_id=confirmed.pk,
        volunteer=resident,
        hours=Decimal("3"),
        note="楽しかった",
    )
    assert record.status == Attendance.Status.SUBMITTED
    assert record.submitted_at is not None
    assert confirmed_hours(resident) == Decimal("0")

    approved = attendance_approve(attendance_id=record.pk, approved_by=group_staff)
    assert approved.status == Attendance.Status.CONFIRMED
    assert approved.confirmed_by == group_staff
    assert confirmed_hours(resident) == Decimal("3")


def test_attendance_submit_twice_updates(confirmed, resident):
    attendance_submit_by_volunteer(
        application_id=confirmed.pk, volunteer=resident, hours=Decimal("3")
    )
    attendance_submit_by_volunteer(
        application_id=confirmed.pk, volunteer=resident, hours=Decimal("2")
    )
    assert Attendance.objects.get().hours == Decimal("2")


def test_attendance_submit_rejects_other_user(confirmed, other_resident):
    with pytest.raises(ValidationError) as excinfo:
        attendance_submit_by_volunteer(
            application_id=confirmed.pk, volunteer=other_resident, hours=Decimal("3")
        )
    assert excinfo.value.messages == [
        "You can report hours only for your own applications."
    ]


def test_attendance_submit_rejects_before_end(post, resident):
    starts = timezone.now() - dt.timedelta(hours=1)
    running = VolunteerSessionFactory(
        post=post, starts_at=starts, ends_at=starts + dt.timedelta(hours=3)
    )
    application = ApplicationFactory(session=running, applicant=resident)
    with pytest.raises(ValidationError) as excinfo:
        attendance_submit_by_volunteer(
            application_id=application.pk, volunteer=resident, hours=Decimal("1")
        )
    assert excinfo.value.messages == ["Hours can be reported after the activity."]


@pytest.mark.parametrize("hours", [Decimal("0"), Decimal("24.01"), Decimal("-2")])
def test_attendance_submit_rejects_hours(confirmed, resident, hours):
    with pytest.raises(ValidationError) as excinfo:
        attendance_submit_by_volunteer(
            application_id=confirmed.pk, volunteer=resident, hours=hours
        )
    assert excinfo.value.messages == [
        "Enter hours per person greater than 0 and at most 24."
    ]


def test_attendance_submit_rejects_unconfirmed(past_session, resident):
    application = ApplicationFactory(
        session=past_session, applicant=resident, status="pending"
    )
    with pytest.raises(ValidationError) as excinfo:
        attendance_submit_by_volunteer(
            application_id=application.pk, volunteer=resident, hours=Decimal("2")
        )
    assert excinfo.value.messages == [
        "Hours can be reported only for confirmed applications."
    ]


def test_attendance_submit_rejects_after_staff_record(confirmed, resident, group_staff):
    attendance_record(
        application_id=confirmed.pk,
        recorded_by=group_staff,
        status="confirmed",
        hours=Decimal("2"),
    )
    with pytest.raises(ValidationError) as excinfo:
        attendance_submit_by_volunteer(
            application_id=confirmed.pk, volunteer=resident, hours=Decimal("5")
        )
    assert excinfo.value.messages == ["The group has already recorded your attendance."]
    assert Attendance.objects.get().hours == Decimal("2")


def test_attendance_submit_year_round_day(group, resident):
    post = VolunteerPostFactory(group=group, kind="year_round")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    application = ApplicationFactory(
        session=None, post=post, activity_date=yesterday, applicant=resident
    )
    record = attendance_submit_by_volunteer(
        application_id=application.pk, volunteer=resident, hours=Decimal("4")
    )
    assert record.status == Attendance.Status.SUBMITTED


def test_attendance_approve_rejects_confirmed(confirmed, group_staff):
    record = attendance_record(
        application_id=confirmed.pk,
        recorded_by=group_staff,
        status="confirmed",
        hours=Decimal("2"),
    )
    with pytest.raises(ValidationError) as excinfo:
        attendance_approve(attendance_id=record.pk, approved_by=group_staff)
    assert excinfo.value.messages == [
        "Only hours submitted by the volunteer can be approved."
    ]


# High-school milestone


@pytest.fixture
def student(db):
    return UserFactory(
        email="student@example.jp",
        occupation=User.Occupation.HIGH_SCHOOL_STUDENT,
        birth_date=dt.date(2009, 6, 1),
    )


def _student_hours(student, post, hours):
    starts = timezone.now() - dt.timedelta(days=3)
    session = VolunteerSessionFactory(
        post=post, starts_at=starts, ends_at=starts + dt.timedelta(hours=8)
    )
    application = ApplicationFactory(session=session, applicant=student)
    Attendance.objects.create(application=application, status="confirmed", hours=hours)


def test_milestone_mail_queued_when_reached(
    post,
    past_session,
    student,
    group_staff,
    milestone_task,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.HIGH_SCHOOL_CERTIFICATION_HOURS = 10
    _student_hours(student, post, Decimal("8"))
    application = ApplicationFactory(session=past_session, applicant=student)
    with django_capture_on_commit_callbacks(execute=True):
        attendance_record(
            application_id=application.pk,
            recorded_by=group_staff,
            status="confirmed",
            hours=Decimal("2"),
        )
    milestone_task.assert_called_once_with(student.pk)


def test_milestone_mail_not_queued_below(
    post,
    past_session,
    student,
    group_staff,
    milestone_task,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.HIGH_SCHOOL_CERTIFICATION_HOURS = 10
    _student_hours(student, post, Decimal("7"))
    application = ApplicationFactory(session=past_session, applicant=student)
    with django_capture_on_commit_callbacks(execute=True):
        attendance_record(
            application_id=application.pk,
            recorded_by=group_staff,
            status="confirmed",
            hours=Decimal("2.99"),
        )
    milestone_task.assert_not_called()


def test_milestone_mail_not_queued_again_above(
    post,
    past_session,
    student,
    group_staff,
    milestone_task,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.HIGH_SCHOOL_CERTIFICATION_HOURS = 10
    _student_hours(student, post, Decimal("12"))
    application = ApplicationFactory(session=past_session, applicant=student)
    with django_capture_on_commit_callbacks(execute=True):
        attendance_record(
            application_id=application.pk,
            recorded_by=group_staff,
            status="confirmed",
            hours=Decimal("2"),
        )
    milestone_task.assert_not_called()


def test_milestone_counts_hours_per_person_not_party(
    post,
    past_session,
    student,
    group_staff,
    milestone_task,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.HIGH_SCHOOL_CERTIFICATION_HOURS = 10
    application = ApplicationFactory(
        session=past_session, applicant=student, party_size=5
    )
    with django_capture_on_commit_callbacks(execute=True):
        attendance_record(
            application_id=application.pk,
            recorded_by=group_staff,
            status="confirmed",
            hours=Decimal("2.5"),
        )
    assert confirmed_hours(student) == Decimal("2.5")
    milestone_task.assert_not_called()


def test_milestone_on_bulk_confirm_and_approve(
    post,
    past_session,
    student,
    group_staff,
    milestone_task,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.HIGH_SCHOOL_CERTIFICATION_HOURS = 10
    _student_hours(student, post, Decimal("8"))
    ApplicationFactory(session=past_session, applicant=student)
    with django_capture_on_commit_callbacks(execute=True):
        attendance_bulk_confirm_planned(
            session_id=past_session.pk, recorded_by=group_staff
        )
    milestone_task.assert_called_once_with(student.pk)


def test_milestone_on_approve(
    post,
    past_session,
    student,
    group_staff,
    milestone_task,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.HIGH_SCHOOL_CERTIFICATION_HOURS = 10
    _student_hours(student, post, Decimal("9"))
    application = ApplicationFactory(session=past_session, applicant=student)
    record = attendance_submit_by_volunteer(
        application_id=application.pk, volunteer=student, hours=Decimal("1")
    )
    milestone_task.assert_not_called()
    with django_capture_on_commit_callbacks(execute=True):
        attendance_approve(attendance_id=record.pk, approved_by=group_staff)
    milestone_task.assert_called_once_with(student.pk)


def test_milestone_ignores_adults(
    post,
    past_session,
    resident,
    group_staff,
    milestone_task,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.HIGH_SCHOOL_CERTIFICATION_HOURS = 1
    application = ApplicationFactory(session=past_session, applicant=resident)
    with django_capture_on_commit_callbacks(execute=True):
        attendance_record(
            application_id=application.pk,
            recorded_by=group_staff,
            status="confirmed",
            hours=Decimal("2"),
        )
    milestone_task.assert_not_called()
