import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from tests.factories import ApplicationFactory, VolunteerSessionFactory
from volunteering.models import Attendance


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def staff_client(client, group_staff):
    client.force_login(group_staff)
    return client


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def past_session(post):
    starts = timezone.now() - dt.timedelta(days=1)
    return VolunteerSessionFactory(
        post=post, starts_at=starts, ends_at=starts + dt.timedelta(hours=3)
    )


def formset_data(rows):
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{index}-{key}"] = value
    return data


def test_attendance_page_lists_confirmed_only(staff_client, past_session):
    confirmed = ApplicationFactory(session=past_session)
    ApplicationFactory(session=past_session, status="cancelled_by_volunteer")
    response = staff_client.get(
        reverse("volunteering:staff_session_attendance", args=[past_session.pk])
    )
    assert response.status_code == 200
    assert [application for _, application in response.context["rows"]] == [confirmed]
    assert "Planned hours for this session: 3.00." in response.content.decode()


def test_attendance_page_bounded_queries(
    staff_client, past_session, django_assert_max_num_queries
):
    for _ in range(10):
        application = ApplicationFactory(session=past_session)
        Attendance.objects.create(application=application, status="submitted", hours=2)
    with django_assert_max_num_queries(8):
        response = staff_client.get(
            reverse("volunteering:staff_session_attendance", args=[past_session.pk])
        )
    assert len(response.context["rows"]) == 10


def test_attendance_formset_saves(staff_client, past_session):
    attended = ApplicationFactory(session=past_session)
    absent = ApplicationFactory(session=past_session)
    unrecorded = ApplicationFactory(session=past_session)
    response = staff_client.post(
        reverse("volunteering:staff_session_attendance", args=[past_session.pk]),
        formset_data(
            [
                {"application_id": attended.pk, "status": "confirmed", "hours": "2.5"},
                {"application_id": absent.pk, "status": "no_show", "hours": ""},
                {"application_id": unrecorded.pk, "status": "", "hours": ""},
            ]
        ),
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Attendance was saved for 2 applications."]
    assert Attendance.objects.get(application=attended).hours == Decimal("2.5")
    assert Attendance.objects.get(application=absent).hours == Decimal("0")
    assert not Attendance.objects.filter(application=unrecorded).exists()


def test_attendance_formset_requires_hours(staff_client, past_session):
    attended = ApplicationFactory(session=past_session)
    response = staff_client.post(
        reverse("volunteering:staff_session_attendance", args=[past_session.pk]),
        formset_data([{"application_id": attended.pk, "status": "confirmed"}]),
    )
    assert response.status_code == 200
    assert response.context["formset"][0].errors == {
        "hours": ["Enter the hours per person."]
    }
    assert not Attendance.objects.exists()


def test_attendance_formset_rejects_too_many_hours(staff_client, past_session):
    attended = ApplicationFactory(session=past_session)
    response = staff_client.post(
        reverse("volunteering:staff_session_attendance", args=[past_session.pk]),
        formset_data(
            [{"application_id": attended.pk, "status": "confirmed", "hours": "30"}]
        ),
    )
    assert response.status_code == 200
    assert "hours" in response.context["formset"][0].errors
    assert not Attendance.objects.exists()


def test_attendance_formset_rejects_other_sessions_application(
    staff_client, past_session, post
):
    other = VolunteerSessionFactory(
        post=post, starts_at=timezone.now() - dt.timedelta(days=3)
    )
    foreign = ApplicationFactory(session=other)
    response = staff_client.post(
        reverse("volunteering:staff_session_attendance", args=[past_session.pk]),
        formset_data([{"application_id": foreign.pk, "status": "no_show"}]),
    )
    assert response.status_code == 200
    assert response.context["formset"][0].non_field_errors() == [
        "This application is not confirmed for the session."
    ]
    assert not Attendance.objects.exists()


def test_attendance_formset_garbage_no_500(staff_client, past_session):
    response = staff_client.post(
        reverse("volunteering:staff_session_attendance", args=[past_session.pk]),
        {"form-TOTAL_FORMS": "x", "form-0-application_id": "abc"},
    )
    assert response.status_code == 200


def test_attendance_before_start_shows_error(staff_client, session):
    application = ApplicationFactory(session=session)
    response = staff_client.post(
        reverse("volunteering:staff_session_attendance", args=[session.pk]),
        formset_data(
            [{"application_id": application.pk, "status": "confirmed", "hours": "2"}]
        ),
    )
    assert response.context["formset"][0].non_field_errors() == [
        "Attendance can be recorded once the activity has started."
    ]


def test_confirm_planned_button(staff_client, past_session):
    ApplicationFactory(session=past_session)
    ApplicationFactory(session=past_session)
    response = staff_client.post(
        reverse("volunteering:staff_attendance_confirm_planned", args=[past_session.pk])
    )
    assert messages_of(response) == ["Planned hours were confirmed for 2 applications."]
    assert list(Attendance.objects.values_list("hours", flat=True)) == [
        Decimal("3.00"),
        Decimal("3.00"),
    ]


def test_approve_submitted(staff_client, past_session, group_staff):
    application = ApplicationFactory(session=past_session)
    record = Attendance.objects.create(
        application=application, status="submitted", hours=Decimal("2")
    )
    page = staff_client.get(
        reverse("volunteering:staff_session_attendance", args=[past_session.pk])
    )
    assert reverse("volunteering:staff_attendance_approve", args=[record.pk]) in (
        page.content.decode()
    )
    response = staff_client.post(
        reverse("volunteering:staff_attendance_approve", args=[record.pk])
    )
    assert messages_of(response) == ["The submitted hours were approved."]
    record.refresh_from_db()
    assert record.status == "confirmed"
    assert record.confirmed_by == group_staff
