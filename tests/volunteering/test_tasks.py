import datetime as dt
import re
import smtplib
import sys
import types
from decimal import Decimal
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.urls import reverse
from django.utils import dateformat, timezone, translation

import civic_portal.mail
from civic_portal.accounts.models import SentNotification, User
from civic_portal.fiscal import JAPAN
from tests.factories import (
    ApplicationFactory,
    GroupMembershipFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
    activity_field,
    municipality,
)
from volunteering import tasks
from volunteering.apply_links import read_apply_token
from volunteering.models import (
    Application,
    Attendance,
    VolunteerPost,
    VolunteerSession,
)
from volunteering.services import applications as services
from volunteering.services.sessions import session_delete, session_update


@pytest.fixture
def keep_languages():
    """Render each mail in its recipient's language; see english_mails."""


@pytest.fixture(autouse=True)
def english_mails(request, monkeypatch):
    """Render every mail in English, the language the assertions use.

    Without this, the assertions would break once Japanese translations are
    compiled, since users read mails in Japanese by default. Tests of the
    language choice request keep_languages.
    """
    if "keep_languages" in request.fixturenames:
        return
    render = civic_portal.mail.render_mail
    monkeypatch.setattr(
        civic_portal.mail,
        "render_mail",
        lambda prefix, context, language: render(prefix, context, "en"),
    )


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://portal.example.jp"


def url(name, *args):
    return "https://portal.example.jp" + reverse(name, args=args)


def mails_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def japan_time(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=JAPAN)


def japan_today():
    return timezone.localdate(timezone.now(), JAPAN)


# Application mails


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("volunteering:post_detail", [1]),
        ("volunteering:my_applications", []),
        ("volunteering:apply_link", ["token"]),
        ("volunteering:hours_pdf", []),
        ("volunteering:post_applications", [1]),
    ],
)
def test_mail_url_names_resolve(name, args):
    assert reverse(name, args=args).startswith("/volunteer/")


def test_received_pending_mails_staff_contact_volunteer(resident, group_staff, session):
    application = ApplicationFactory(
        session=session, applicant=resident, status=Application.Status.PENDING
    )

    sent = tasks.send_application_mail(application.pk, "received")

    assert sent == 3
    assert len(mail.outbox) == 3
    [staff_mail] = mails_to("staff@example.jp")
    assert session.post.title in staff_mail.subject
    assert resident.full_name in staff_mail.body
    assert url("volunteering:post_applications", session.post.pk) in staff_mail.body
    [contact_mail] = mails_to("contact@example.jp")
    assert contact_mail.subject == staff_mail.subject
    [volunteer_mail] = mails_to("resident@example.jp")
    assert "awaiting the group's confirmation" in volunteer_mail.body
    assert url("volunteering:my_applications") in volunteer_mail.body
    assert url("volunteering:post_detail", session.post.pk) in volunteer_mail.body


@pytest.mark.parametrize(
    ("status", "event"),
    [("pending", "received"), ("cancelled_by_volunteer", "cancelled_by_volunteer")],
)
def test_staff_mail_without_applicant_address(group_staff, session, status, event):
    unnamed = UserFactory(email="unnamed@example.jp", full_name="")
    application = ApplicationFactory(session=session, applicant=unnamed, status=status)

    tasks.send_application_mail(application.pk, event)

    [staff_mail] = mails_to("staff@example.jp")
    [contact_mail] = mails_to("contact@example.jp")
    assert "Applicant: (no name given)" in staff_mail.body
    assert "unnamed@example.jp" not in staff_mail.body
    assert "unnamed@example.jp" not in contact_mail.body


def test_received_twice_sends_once(resident, group_staff, session):
    application = ApplicationFactory(
        session=session, applicant=resident, status=Application.Status.PENDING
    )

    tasks.send_application_mail(application.pk, "received")
    second = tasks.send_application_mail(application.pk, "received")

    assert second == 0
    assert len(mail.outbox) == 3


def test_received_confirmed_sends_acceptance_once(resident, group_staff, session):
    application = ApplicationFactory(session=session, applicant=resident)

    tasks.send_application_mail(application.pk, "received")
    later = tasks.send_application_mail(application.pk, "confirmed")

    assert later == 0
    [volunteer_mail] = mails_to("resident@example.jp")
    assert "accepted" in volunteer_mail.body
    assert SentNotification.objects.filter(
        key=f"volunteering.application.confirmed:{application.pk}"
    ).exists()


def test_received_waitlisted_mail(resident, group_staff, session):
    application = ApplicationFactory(
        session=session, applicant=resident, status=Application.Status.WAITLISTED
    )

    tasks.send_application_mail(application.pk, "received")

    [volunteer_mail] = mails_to("resident@example.jp")
    assert "waitlist" in volunteer_mail.subject
    [staff_mail] = mails_to("staff@example.jp")
    assert "On the waitlist" in staff_mail.body


def test_received_contact_address_of_staff_not_doubled(resident, group_staff, session):
    session.post.contact_email = "STAFF@example.jp"
    session.post.save()
    application = ApplicationFactory(
        session=session, applicant=resident, status=Application.Status.PENDING
    )

    tasks.send_application_mail(application.pk, "received")

    assert len(mails_to("staff@example.jp")) == 1
    assert len(mail.outbox) == 2


def test_received_year_round_mail_shows_day(resident, group_staff, group):
    post = VolunteerPostFactory(group=group, kind=VolunteerPost.Kind.YEAR_ROUND)
    day = japan_today() + dt.timedelta(days=4)
    application = Application.objects.create(
        post=post,
        applicant=resident,
        activity_date=day,
        status=Application.Status.PENDING,
    )

    tasks.send_application_mail(application.pk, "received")

    [volunteer_mail] = mails_to("resident@example.jp")
    with translation.override("en"):
        expected_day = dateformat.format(day, "N j, Y (D)")
    assert f"Date: {expected_day}" in volunteer_mail.body
    assert "Date and time" not in volunteer_mail.body


def test_received_skips_inactive_staff(resident, group_staff, session):
    User.objects.filter(pk=group_staff.pk).update(is_active=False)
    application = ApplicationFactory(
        session=session, applicant=resident, status=Application.Status.PENDING
    )

    tasks.send_application_mail(application.pk, "received")

    assert mails_to("staff@example.jp") == []
    assert len(mails_to("contact@example.jp")) == 1


def test_received_mails_every_staff_member(resident, group_staff, session):
    GroupMembershipFactory(group=session.post.group, user__email="second@example.jp")
    application = ApplicationFactory(
        session=session, applicant=resident, status=Application.Status.PENDING
    )

    tasks.send_application_mail(application.pk, "received")

    assert len(mails_to("staff@example.jp")) == 1
    assert len(mails_to("second@example.jp")) == 1


def test_received_for_cancelled_application_skipped(resident, group_staff, session):
    application = ApplicationFactory(
        session=session,
        applicant=resident,
        status=Application.Status.CANCELLED_BY_VOLUNTEER,
    )

    assert tasks.send_application_mail(application.pk, "received") == 0
    assert mail.outbox == []


def test_mail_in_recipients_language(keep_languages, resident, group_staff, session):
    resident.preferred_language = "en"
    resident.save()
    starts_at = japan_time(japan_today() + dt.timedelta(days=10), 9, 30)
    session.starts_at = starts_at
    session.ends_at = starts_at + dt.timedelta(hours=3)
    session.save()
    application = ApplicationFactory(
        session=session, applicant=resident, status=Application.Status.PENDING
    )

    tasks.send_application_mail(application.pk, "received")

    [english] = mails_to("resident@example.jp")
    [japanese] = mails_to("staff@example.jp")
    day = starts_at.date()
    assert f"{day.year}年{day.month}月{day.day}日" in japanese.body
    assert f"{day.year}年{day.month}月{day.day}日" not in english.body
    assert f"{day.day}, {day.year}" in english.body
    assert "09:30–12:30" in english.body
    assert "09:30–12:30" in japanese.body


def test_session_time_shown_in_japan_time(settings, resident, session):
    settings.TIME_ZONE = "UTC"
    starts_at = japan_time(japan_today() + dt.timedelta(days=10), 7, 0)
    session.starts_at = starts_at
    session.ends_at = starts_at + dt.timedelta(hours=2)
    session.save()
    application = ApplicationFactory(session=session, applicant=resident)

    tasks.send_application_mail(application.pk, "confirmed")

    [message] = mail.outbox
    assert "07:00–09:00" in message.body


def test_cancelled_by_staff_mail_has_reason(resident, group_staff, session):
    application = ApplicationFactory(session=session, applicant=resident)
    with mock.patch("volunteering.services.notifications.transaction.on_commit"):
        services.application_cancel_by_staff(
            application_id=application.pk,
            cancelled_by=group_staff,
            reason="雨天のため中止します",
        )

    tasks.send_application_mail(application.pk, "cancelled_by_staff")

    [message] = mail.outbox
    assert message.to == ["resident@example.jp"]
    assert "雨天のため中止します" in message.body


def test_cancelled_by_volunteer_tells_staff(resident, group_staff, session):
    application = ApplicationFactory(
        session=session,
        applicant=resident,
        status=Application.Status.CANCELLED_BY_VOLUNTEER,
    )

    sent = tasks.send_application_mail(application.pk, "cancelled_by_volunteer")

    assert sent == 3
    assert "cancelled" in mails_to("resident@example.jp")[0].body
    assert resident.full_name in mails_to("staff@example.jp")[0].body
    assert len(mails_to("contact@example.jp")) == 1


def test_declined_and_moved_up_mails(resident, session):
    declined = ApplicationFactory(
        session=session,
        applicant=resident,
        status=Application.Status.DECLINED,
        cancel_reason="定員に達しました",
    )
    moved = ApplicationFactory(
        session=VolunteerSessionFactory(post=session.post),
        applicant=resident,
        status=Application.Status.PENDING,
    )

    tasks.send_application_mail(declined.pk, "declined")
    tasks.send_application_mail(moved.pk, "moved_up")

    declined_mail, moved_mail = mail.outbox
    assert "not accepted" in declined_mail.subject
    assert "定員に達しました" in declined_mail.body
    assert "moved up from the waitlist" in moved_mail.body
    assert "awaiting the group's confirmation" in moved_mail.body


def test_out_of_date_event_skipped(resident, session):
    application = ApplicationFactory(
        session=session,
        applicant=resident,
        status=Application.Status.CANCELLED_BY_VOLUNTEER,
    )

    assert tasks.send_application_mail(application.pk, "confirmed") == 0
    assert mail.outbox == []


def test_unknown_application_skipped(db):
    assert tasks.send_application_mail(999999, "confirmed") == 0


def test_unknown_event_rejected(db):
    with pytest.raises(ValueError, match="Unknown application event 'paid'"):
        tasks.send_application_mail(1, "paid")


def test_service_queues_mail_after_commit(
    resident, group_staff, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_create_for_session(
            applicant=resident, session_id=session.pk
        )

    assert len(mail.outbox) == 3


def test_waitlist_flow_mails_each_step(
    resident, other_resident, group_staff, post, django_capture_on_commit_callbacks
):
    session = VolunteerSessionFactory(post=post, capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.application_create_for_session(
            applicant=resident, session_id=session.pk
        )
    with django_capture_on_commit_callbacks(execute=True):
        second = services.application_create_for_session(
            applicant=other_resident, session_id=session.pk
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.application_accept(application_id=first.pk, decided_by=group_staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_cancel_by_volunteer(
            application_id=first.pk, applicant=resident
        )

    first_subjects = [m.subject for m in mails_to("resident@example.jp")]
    assert first_subjects == [
        f"Application received: {post.title}",
        f"Your application is confirmed: {post.title}",
        f"Your application is cancelled: {post.title}",
    ]
    second_subjects = [m.subject for m in mails_to("other@example.jp")]
    assert second_subjects == [
        f"You are on the waitlist: {post.title}",
        f"A place is free for you: {post.title}",
    ]
    staff_subjects = [m.subject for m in mails_to("staff@example.jp")]
    assert staff_subjects == [
        f"New application: {post.title}",
        f"New application: {post.title}",
        f"An application was cancelled: {post.title}",
    ]
    second.refresh_from_db()
    assert second.status == Application.Status.PENDING


def test_smtp_error_retried_without_duplicate(resident, session):
    application = ApplicationFactory(session=session, applicant=resident)
    key = f"volunteering.application.confirmed:{application.pk}"
    send = mock.Mock(side_effect=[smtplib.SMTPServerDisconnected("gone"), 1])

    with mock.patch("civic_portal.mail.PortalEmailMessage.send", send):
        # An eager task raises Retry where a worker would schedule the retry.
        with pytest.raises(Retry):
            tasks.send_application_mail.delay(application.pk, "confirmed")
        assert not SentNotification.objects.filter(key=key).exists()
        tasks.send_application_mail.delay(application.pk, "confirmed")
        tasks.send_application_mail.delay(application.pk, "confirmed")

    assert send.call_count == 2
    assert SentNotification.objects.filter(key=key).count() == 1


def test_database_outage_retried_without_losing_mail(resident, session):
    application = ApplicationFactory(session=session, applicant=resident)
    key = f"volunteering.application.confirmed:{application.pk}"
    outage = OperationalError("server closed the connection unexpectedly")

    with (
        mock.patch.object(Application.objects, "select_related", side_effect=outage),
        pytest.raises(Retry),
    ):
        tasks.send_application_mail.delay(application.pk, "confirmed")
    assert not SentNotification.objects.filter(key=key).exists()

    tasks.send_application_mail.delay(application.pk, "confirmed")

    assert SentNotification.objects.filter(key=key).count() == 1
    assert [m.to for m in mail.outbox] == [[resident.email]]


def test_retry_options_cover_network_errors():
    options = tasks.send_application_mail
    assert options.autoretry_for == tasks.RETRY_ERRORS
    assert smtplib.SMTPException in tasks.RETRY_ERRORS
    assert ConnectionError in tasks.RETRY_ERRORS
    assert options.retry_backoff == 30


# Reminders


@pytest.fixture
def tomorrow_sessions(post):
    tomorrow = japan_today() + dt.timedelta(days=1)

    def make(starts_at):
        return VolunteerSessionFactory(
            post=post, starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=1)
        )

    return {
        "early": make(japan_time(tomorrow, 0, 30)),
        "late": make(japan_time(tomorrow, 23, 30)),
        "day_after": make(japan_time(tomorrow + dt.timedelta(days=1), 0, 30)),
        "next_week": make(japan_time(tomorrow + dt.timedelta(days=6), 10)),
    }


def test_reminders_only_for_tomorrow_in_japan(resident, tomorrow_sessions):
    for session in tomorrow_sessions.values():
        ApplicationFactory(session=session, applicant=resident)

    sent = tasks.send_session_reminders()

    assert sent == 2
    assert len(mail.outbox) == 2
    early = VolunteerSession.objects.get(pk=tomorrow_sessions["early"].pk)
    late = VolunteerSession.objects.get(pk=tomorrow_sessions["late"].pk)
    day_after = VolunteerSession.objects.get(pk=tomorrow_sessions["day_after"].pk)
    assert early.reminder_sent_at is not None
    assert late.reminder_sent_at is not None
    assert day_after.reminder_sent_at is None


def test_reminders_only_for_confirmed(resident, other_resident, tomorrow_sessions):
    session = tomorrow_sessions["early"]
    ApplicationFactory(session=session, applicant=resident)
    ApplicationFactory(
        session=session,
        applicant=other_resident,
        status=Application.Status.PENDING,
    )

    tasks.send_session_reminders()

    assert [message.to for message in mail.outbox] == [["resident@example.jp"]]
    assert "tomorrow" in mail.outbox[0].body


def test_reminders_twice_send_once(resident, tomorrow_sessions):
    application = ApplicationFactory(
        session=tomorrow_sessions["early"], applicant=resident
    )

    tasks.send_session_reminders()
    VolunteerSession.objects.update(reminder_sent_at=None)
    tasks.send_session_reminders()

    assert len(mail.outbox) == 1
    assert SentNotification.objects.filter(
        key=f"volunteering.application.reminder:{application.pk}"
    ).exists()


def test_reminded_session_skipped(resident, tomorrow_sessions):
    session = tomorrow_sessions["early"]
    ApplicationFactory(session=session, applicant=resident)
    VolunteerSession.objects.filter(pk=session.pk).update(
        reminder_sent_at=timezone.now()
    )

    assert tasks.send_session_reminders() == 0


def test_reminders_for_year_round_day(resident, group):
    post = VolunteerPostFactory(group=group, kind="year_round")
    tomorrow = japan_today() + dt.timedelta(days=1)
    Application.objects.create(
        post=post,
        applicant=resident,
        activity_date=tomorrow,
        status=Application.Status.CONFIRMED,
    )
    Application.objects.create(
        post=post,
        applicant=resident,
        activity_date=tomorrow + dt.timedelta(days=1),
        status=Application.Status.CONFIRMED,
    )

    assert tasks.send_session_reminders() == 1


# Matching mails


@pytest.fixture
def subscriber(db):
    user = UserFactory(
        email="subscriber@example.jp",
        matching_mail_frequency=User.MatchingMailFrequency.DAILY,
    )
    user.interest_fields.add(activity_field(7))
    user.interest_municipalities.add(municipality("35203"))
    return user


def test_matching_mail_lists_fitting_post(subscriber, session):
    sent = tasks.send_matching_mails("daily")

    assert sent == 1
    [message] = mail.outbox
    assert message.to == ["subscriber@example.jp"]
    assert session.post.title in message.body
    prefix, suffix = url("volunteering:apply_link", "TOKEN").split("TOKEN")
    match = re.search(re.escape(prefix) + r"(\S+?)" + re.escape(suffix), message.body)
    assert match is not None
    token = match.group(1)
    link = read_apply_token(token)
    assert link.user_id == subscriber.pk
    assert link.session_id == session.pk
    subscriber.refresh_from_db()
    assert subscriber.matching_mail_last_sent_at is not None


def test_matching_mail_not_for_other_field(subscriber, group):
    post = VolunteerPostFactory(group=group, activity_field=activity_field(1))
    VolunteerSessionFactory(post=post)

    assert tasks.send_matching_mails("daily") == 0
    assert mail.outbox == []


def test_matching_mail_not_for_old_post(subscriber, session):
    subscriber.matching_mail_last_sent_at = timezone.now()
    subscriber.save()

    assert tasks.send_matching_mails("daily") == 0


def test_matching_mail_once_per_period(subscriber, session):
    tasks.send_matching_mails("daily")
    User.objects.filter(pk=subscriber.pk).update(matching_mail_last_sent_at=None)
    tasks.send_matching_mails("daily")

    assert len(mail.outbox) == 1


def test_matching_mail_only_for_its_frequency(subscriber, session):
    assert tasks.send_matching_mails("weekly") == 0


def test_matching_mail_needs_interests(session):
    UserFactory(
        email="nointerest@example.jp",
        matching_mail_frequency=User.MatchingMailFrequency.DAILY,
    )

    assert tasks.send_matching_mails("daily") == 0


def test_matching_mail_unknown_frequency(db):
    with pytest.raises(ValueError, match="Unknown matching mail frequency 'hourly'"):
        tasks.send_matching_mails("hourly")


def test_matching_weekly_period_key(subscriber, session):
    subscriber.matching_mail_frequency = User.MatchingMailFrequency.WEEKLY
    subscriber.save()

    tasks.send_matching_mails("weekly")

    year, week, _day = japan_today().isocalendar()
    key = f"volunteering.matching.weekly:{subscriber.pk}:{year}-W{week:02d}"
    assert SentNotification.objects.filter(key=key).exists()


# Session calls


def test_session_call_mails_fitting_residents(subscriber, resident, session):
    sent = tasks.send_session_call(session.pk)

    assert sent == 1
    [message] = mail.outbox
    assert message.to == ["subscriber@example.jp"]
    assert "Volunteers wanted" in message.subject
    session.refresh_from_db()
    assert session.call_sent_at is not None


def test_session_call_skips_applicants(subscriber, session):
    ApplicationFactory(session=session, applicant=subscriber)

    assert tasks.send_session_call(session.pk) == 0


def test_session_call_skips_other_municipality(subscriber, group):
    post = VolunteerPostFactory(group=group, municipality=municipality("35201"))
    session = VolunteerSessionFactory(post=post)

    assert tasks.send_session_call(session.pk) == 0


def test_session_call_once_per_resident(subscriber, session):
    tasks.send_session_call(session.pk)
    tasks.send_session_call(session.pk)

    assert len(mail.outbox) == 1


def test_session_call_skips_full_session(subscriber, session):
    VolunteerSession.objects.filter(pk=session.pk).update(places_taken=5)

    assert tasks.send_session_call(session.pk) == 0


# Scheduled publishing


def test_publish_scheduled_posts_calls_service(monkeypatch):
    module = types.ModuleType("volunteering.services.posts")
    module.posts_publish_due = mock.Mock(return_value=["a", "b"])
    monkeypatch.setitem(sys.modules, "volunteering.services.posts", module)

    assert tasks.publish_scheduled_posts() == 2
    module.posts_publish_due.assert_called_once_with()


def test_publish_scheduled_posts_publishes_due(group):
    due = VolunteerPostFactory(
        group=group,
        status=VolunteerPost.Status.SCHEDULED,
        publish_at=timezone.now() - dt.timedelta(minutes=1),
        published_at=None,
    )
    VolunteerSessionFactory(post=due)
    later = VolunteerPostFactory(
        group=group,
        status=VolunteerPost.Status.SCHEDULED,
        publish_at=timezone.now() + dt.timedelta(hours=1),
        published_at=None,
    )
    VolunteerSessionFactory(post=later)

    assert tasks.publish_scheduled_posts() == 1

    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == VolunteerPost.Status.PUBLISHED
    assert later.status == VolunteerPost.Status.SCHEDULED


# High-school hours


def _attended(user, hours):
    application = ApplicationFactory(applicant=user)
    Attendance.objects.create(
        application=application,
        status=Attendance.Status.CONFIRMED,
        hours=Decimal(hours),
    )


@pytest.fixture
def student(db):
    return UserFactory(
        email="student@example.jp", occupation=User.Occupation.HIGH_SCHOOL_STUDENT
    )


def test_hours_milestone_mail_once(student):
    for _ in range(5):
        _attended(student, "20")

    first = tasks.send_hours_milestone_mail(student.pk)
    second = tasks.send_hours_milestone_mail(student.pk)

    assert first == 1
    assert second == 0
    [message] = mail.outbox
    assert "100" in message.subject
    assert url("volunteering:hours_pdf") in message.body


def test_hours_milestone_not_reached(student):
    _attended(student, "24")
    _attended(student, "24")
    _attended(student, "24")
    _attended(student, "24")
    _attended(student, "3.5")

    assert tasks.send_hours_milestone_mail(student.pk) == 0


def test_hours_milestone_only_for_students(resident):
    for _ in range(5):
        _attended(resident, "24")

    assert tasks.send_hours_milestone_mail(resident.pk) == 0


# Changes to an activity


@pytest.fixture
def session_volunteers(session):
    """One application to *session* per status, each from its own volunteer."""
    return {
        status: ApplicationFactory(
            session=session,
            applicant=UserFactory(email=f"{status}@example.jp"),
            status=status,
        )
        for status in Application.Status.values
    }


def _move_session(session, group_staff, starts_at, hours=3):
    return session_update(
        session_id=session.pk,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours),
        capacity=session.capacity,
        changed_by=group_staff,
    )


def _set_times(session, starts_at, hours=3):
    session.starts_at = starts_at
    session.ends_at = starts_at + dt.timedelta(hours=hours)
    session.save()


def test_session_change_mails_active_volunteers(
    session, session_volunteers, group_staff, django_capture_on_commit_callbacks
):
    day = japan_today() + dt.timedelta(days=10)
    _set_times(session, japan_time(day, 9, 30))
    with django_capture_on_commit_callbacks(execute=True):
        _move_session(session, group_staff, japan_time(day, 13, 0), hours=2)

    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == [
        "confirmed@example.jp",
        "pending@example.jp",
        "waitlisted@example.jp",
    ]
    [message] = mails_to("waitlisted@example.jp")
    post = session.post
    assert message.subject == f"New date and time: {post.title}"
    assert "Before the change" in message.body
    assert "09:30–12:30" in message.body
    assert "13:00–15:00" in message.body
    assert "Your application: On the waitlist" in message.body
    assert url("volunteering:my_applications") in message.body


def test_session_change_mail_in_japan_time(
    settings, resident, session, group_staff, django_capture_on_commit_callbacks
):
    settings.TIME_ZONE = "UTC"
    ApplicationFactory(session=session, applicant=resident)
    day = japan_today() + dt.timedelta(days=10)
    _set_times(session, japan_time(day, 7, 0))
    with django_capture_on_commit_callbacks(execute=True):
        _move_session(session, group_staff, japan_time(day, 8, 0))

    [message] = mail.outbox
    assert "07:00–10:00" in message.body
    assert "08:00–11:00" in message.body


def test_session_change_mail_in_recipients_language(
    keep_languages, resident, other_resident, session, group_staff
):
    resident.preferred_language = "en"
    resident.save()
    ApplicationFactory(session=session, applicant=resident)
    ApplicationFactory(session=session, applicant=other_resident)
    old_starts_at, old_ends_at = session.starts_at, session.ends_at
    day = japan_today() + dt.timedelta(days=12)
    _set_times(session, japan_time(day, 10, 0))

    tasks.send_session_change_mails(
        session.pk, old_starts_at.isoformat(), old_ends_at.isoformat()
    )

    [english] = mails_to("resident@example.jp")
    [japanese] = mails_to("other@example.jp")
    assert f"{day.year}年{day.month}月{day.day}日" in japanese.body
    assert f"{day.year}年{day.month}月{day.day}日" not in english.body
    assert f"{day.day}, {day.year}" in english.body


def test_session_capacity_change_sends_nothing(
    resident, session, group_staff, django_capture_on_commit_callbacks
):
    ApplicationFactory(session=session, applicant=resident)
    with django_capture_on_commit_callbacks(execute=True):
        session_update(
            session_id=session.pk,
            # Seconds are dropped, as by the form: no change a mail would show.
            starts_at=session.starts_at.replace(second=0, microsecond=0),
            ends_at=session.ends_at,
            capacity=session.capacity + 1,
            changed_by=group_staff,
        )

    assert mail.outbox == []


def test_session_change_retried_sends_once(resident, session):
    ApplicationFactory(session=session, applicant=resident)
    old_times = (session.starts_at.isoformat(), session.ends_at.isoformat())
    _set_times(session, session.starts_at + dt.timedelta(days=1))

    first = tasks.send_session_change_mails(session.pk, *old_times)
    second = tasks.send_session_change_mails(session.pk, *old_times)

    assert first == 1
    assert second == 0
    assert len(mail.outbox) == 1


def test_session_each_change_mails_again(
    resident, session, group_staff, django_capture_on_commit_callbacks
):
    ApplicationFactory(session=session, applicant=resident)
    day = japan_today() + dt.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        _move_session(session, group_staff, japan_time(day, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        _move_session(session, group_staff, japan_time(day, 14, 0))

    first, second = mails_to("resident@example.jp")
    assert "09:00–12:00" in first.body
    assert "Before the change" in second.body
    assert "14:00–17:00" in second.body


def test_session_change_back_skipped(resident, session):
    ApplicationFactory(session=session, applicant=resident)
    times = (session.starts_at.isoformat(), session.ends_at.isoformat())

    assert tasks.send_session_change_mails(session.pk, *times) == 0
    assert mail.outbox == []


def test_session_change_missing_session_skipped(db):
    now = timezone.now().isoformat()
    assert tasks.send_session_change_mails(987654, now, now) == 0


def test_session_change_smtp_error_retried(resident, session):
    application = ApplicationFactory(session=session, applicant=resident)
    old_times = (session.starts_at.isoformat(), session.ends_at.isoformat())
    _set_times(session, session.starts_at + dt.timedelta(days=1))
    send = mock.Mock(side_effect=[smtplib.SMTPServerDisconnected("gone"), 1])

    with mock.patch("civic_portal.mail.PortalEmailMessage.send", send):
        with pytest.raises(Retry):
            tasks.send_session_change_mails.delay(session.pk, *old_times)
        tasks.send_session_change_mails.delay(session.pk, *old_times)
        tasks.send_session_change_mails.delay(session.pk, *old_times)

    assert send.call_count == 2
    keys = SentNotification.objects.filter(
        key__startswith=f"volunteering.session.changed:{application.pk}:"
    )
    assert keys.count() == 1


def test_place_change_mails_coming_activities(resident, other_resident, group):
    post = VolunteerPostFactory(group=group, place="秋穂海岸")
    upcoming = VolunteerSessionFactory(post=post)
    started = VolunteerSessionFactory(
        post=post,
        starts_at=timezone.now() - dt.timedelta(hours=1),
        ends_at=timezone.now() + dt.timedelta(hours=1),
    )
    ApplicationFactory(session=upcoming, applicant=resident, status="waitlisted")
    ApplicationFactory(session=started, applicant=other_resident)
    ApplicationFactory(
        session=upcoming,
        applicant=UserFactory(email="gone@example.jp"),
        status="cancelled_by_volunteer",
    )
    VolunteerPost.objects.filter(pk=post.pk).update(place="阿知須海岸")

    sent = tasks.send_place_change_mails(post.pk, "秋穂海岸", False)

    assert sent == 1
    [message] = mail.outbox
    assert message.to == ["resident@example.jp"]
    assert message.subject == f"New place: {post.title}"
    assert "Before the change: 秋穂海岸" in message.body
    assert "Place: 阿知須海岸" in message.body
    assert "Your application: On the waitlist" in message.body


def test_place_change_year_round_from_today(resident, other_resident, group):
    post = VolunteerPostFactory(group=group, kind="year_round", place="文化会館")
    ApplicationFactory(
        session=None, post=post, activity_date=japan_today(), applicant=resident
    )
    ApplicationFactory(
        session=None,
        post=post,
        activity_date=japan_today() - dt.timedelta(days=1),
        applicant=other_resident,
    )
    VolunteerPost.objects.filter(pk=post.pk).update(is_online=True)

    sent = tasks.send_place_change_mails(post.pk, "文化会館", False)

    assert sent == 1
    [message] = mail.outbox
    assert message.to == ["resident@example.jp"]
    assert "Place: Online / 文化会館" in message.body


def test_place_change_retried_sends_once(resident, session):
    ApplicationFactory(session=session, applicant=resident)
    old_place = session.post.place
    VolunteerPost.objects.filter(pk=session.post_id).update(place="新しい会場")

    assert tasks.send_place_change_mails(session.post_id, old_place, False) == 1
    assert tasks.send_place_change_mails(session.post_id, old_place, False) == 0
    assert len(mail.outbox) == 1


def test_place_change_back_skipped(resident, session):
    ApplicationFactory(session=session, applicant=resident)
    post = session.post

    assert tasks.send_place_change_mails(post.pk, post.place, post.is_online) == 0
    assert mail.outbox == []


def test_session_cancel_mails_each_volunteer(
    session, session_volunteers, group_staff, django_capture_on_commit_callbacks
):
    """Staff cancel a session by cancelling its applications, then deleting it."""
    with pytest.raises(ValidationError):
        session_delete(session_id=session.pk, deleted_by=group_staff)
    for status in ("waitlisted", "pending", "confirmed"):
        with django_capture_on_commit_callbacks(execute=True):
            services.application_cancel_by_staff(
                application_id=session_volunteers[status].pk,
                cancelled_by=group_staff,
                reason="台風のため中止します",
            )
    session_delete(session_id=session.pk, deleted_by=group_staff)

    for status in ("waitlisted", "pending", "confirmed"):
        [message] = mails_to(f"{status}@example.jp")
        assert message.subject.startswith("The group cancelled your application")
        assert "台風のため中止します" in message.body
    assert not VolunteerSession.objects.filter(pk=session.pk).exists()
