import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ApplicationFactory,
    VolunteerSessionFactory,
)
from tests.volunteering.helpers import day_application, messages_of
from volunteering.models import Attendance


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
    assert "Planned hours for this session: 3 hours." in response.content.decode()


def test_attendance_page_hours_in_japanese(japanese_client, group_staff, past_session):
    ApplicationFactory(session=past_session)
    japanese_client.force_login(group_staff)
    response = japanese_client.get(
        reverse("volunteering:staff_session_attendance", args=[past_session.pk])
    )
    page = response.content.decode()
    assert "3時間" in page
    assert "3.00" not in page


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


# Days of year-round posts


def day_url(name, post, day):
    return reverse(f"volunteering:{name}", args=[post.pk, day])


def test_day_attendance_lists_confirmed_of_day(
    staff_client, year_round_post, yesterday
):
    confirmed = day_application(year_round_post, yesterday)
    day_application(year_round_post, yesterday, status="cancelled_by_volunteer")
    day_application(year_round_post, yesterday - dt.timedelta(days=1))
    response = staff_client.get(
        day_url("staff_day_attendance", year_round_post, yesterday)
    )
    assert response.status_code == 200
    assert [application for _, application in response.context["rows"]] == [confirmed]
    assert "Attendance on" in response.content.decode()


def test_day_attendance_formset_saves(staff_client, year_round_post, yesterday):
    attended = day_application(year_round_post, yesterday)
    absent = day_application(year_round_post, yesterday)
    page_url = day_url("staff_day_attendance", year_round_post, yesterday)
    response = staff_client.post(
        page_url,
        formset_data(
            [
                {"application_id": attended.pk, "status": "confirmed", "hours": "4"},
                {"application_id": absent.pk, "status": "no_show", "hours": ""},
            ]
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == page_url
    assert messages_of(response) == ["Attendance was saved for 2 applications."]
    assert Attendance.objects.get(application=attended).hours == Decimal("4")
    assert Attendance.objects.get(application=absent).status == "no_show"
    assert Attendance.objects.get(application=absent).hours == Decimal("0")


def test_day_attendance_rejects_other_days_application(
    staff_client, year_round_post, yesterday
):
    other_day = day_application(year_round_post, yesterday - dt.timedelta(days=2))
    response = staff_client.post(
        day_url("staff_day_attendance", year_round_post, yesterday),
        formset_data([{"application_id": other_day.pk, "status": "no_show"}]),
    )
    assert response.status_code == 200
    assert response.context["formset"][0].non_field_errors() == [
        "This application is not confirmed for this day."
    ]
    assert not Attendance.objects.exists()


def test_day_attendance_future_day_rejected(staff_client, year_round_post):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    application = day_application(year_round_post, tomorrow)
    response = staff_client.post(
        day_url("staff_day_attendance", year_round_post, tomorrow),
        formset_data(
            [{"application_id": application.pk, "status": "confirmed", "hours": "2"}]
        ),
    )
    assert response.context["formset"][0].non_field_errors() == [
        "Attendance can be recorded once the activity has started."
    ]
    assert not Attendance.objects.exists()


def test_day_confirm_hours(staff_client, year_round_post, yesterday, group_staff):
    first = day_application(year_round_post, yesterday)
    second = day_application(year_round_post, yesterday, party_size=2)
    already = day_application(year_round_post, yesterday)
    Attendance.objects.create(application=already, status="no_show", hours=0)
    response = staff_client.post(
        day_url("staff_day_attendance_confirm", year_round_post, yesterday),
        {"hours": "3.5"},
    )
    assert response["Location"] == day_url(
        "staff_day_attendance", year_round_post, yesterday
    )
    assert messages_of(response) == ["Hours were confirmed for 2 applications."]
    for application in (first, second):
        record = Attendance.objects.get(application=application)
        assert record.status == "confirmed"
        assert record.hours == Decimal("3.5")
        assert record.confirmed_by == group_staff
    assert Attendance.objects.get(application=already).status == "no_show"


@pytest.mark.parametrize("hours", ["", "0", "24.5", "abc"])
def test_day_confirm_hours_invalid(staff_client, year_round_post, yesterday, hours):
    day_application(year_round_post, yesterday)
    response = staff_client.post(
        day_url("staff_day_attendance_confirm", year_round_post, yesterday),
        {"hours": hours},
    )
    assert response.status_code == 200
    assert "hours" in response.context["hours_form"].errors
    assert response.context["hours_form"]["hours"].value() == hours
    assert not Attendance.objects.exists()


def test_day_confirm_hours_future_day(staff_client, year_round_post):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    day_application(year_round_post, tomorrow)
    response = staff_client.post(
        day_url("staff_day_attendance_confirm", year_round_post, tomorrow),
        {"hours": "2"},
    )
    assert messages_of(response) == [
        "Attendance can be recorded once the activity has started."
    ]
    assert not Attendance.objects.exists()


def test_day_approve_returns_to_day(staff_client, year_round_post, yesterday):
    application = day_application(year_round_post, yesterday)
    record = Attendance.objects.create(
        application=application, status="submitted", hours=Decimal("2")
    )
    page_url = day_url("staff_day_attendance", year_round_post, yesterday)
    page = staff_client.get(page_url).content.decode()
    approve_url = reverse("volunteering:staff_attendance_approve", args=[record.pk])
    assert approve_url in page
    assert f'name="next" value="{page_url}"' in page

    response = staff_client.post(approve_url)
    assert response["Location"] == page_url
    record.refresh_from_db()
    assert record.status == "confirmed"


def test_day_pages_404_for_session_post(staff_client, post, yesterday):
    for url in (
        reverse("volunteering:staff_attendance_days", args=[post.pk]),
        day_url("staff_day_attendance", post, yesterday),
    ):
        assert staff_client.get(url).status_code == 404
    confirm_url = day_url("staff_day_attendance_confirm", post, yesterday)
    assert staff_client.post(confirm_url, {"hours": "2"}).status_code == 404


def test_day_attendance_impossible_date_404(staff_client, year_round_post):
    valid_url = day_url("staff_day_attendance", year_round_post, dt.date(2026, 2, 28))
    assert valid_url.endswith("/attendance/2026-02-28/")
    impossible_url = valid_url.replace("2026-02-28", "2026-02-30")
    assert staff_client.get(valid_url).status_code == 200
    assert staff_client.get(impossible_url).status_code == 404


def test_attendance_days_counts(staff_client, year_round_post, yesterday):
    earlier = yesterday - dt.timedelta(days=3)
    recorded = day_application(year_round_post, yesterday, party_size=3)
    Attendance.objects.create(application=recorded, status="confirmed", hours=2)
    submitted = day_application(year_round_post, yesterday)
    Attendance.objects.create(application=submitted, status="submitted", hours=2)
    day_application(year_round_post, earlier)
    day_application(year_round_post, earlier, status="pending")
    day_application(year_round_post, timezone.localdate() + dt.timedelta(days=1))

    response = staff_client.get(
        reverse("volunteering:staff_attendance_days", args=[year_round_post.pk])
    )

    days = list(response.context["page"].object_list)
    assert [day["activity_date"] for day in days] == [yesterday, earlier]
    assert days[0]["applications"] == 2
    assert days[0]["people"] == 4
    assert days[0]["recorded"] == 1
    assert days[0]["submitted"] == 1
    assert days[1]["applications"] == 1
    content = response.content.decode()
    assert day_url("staff_day_attendance", year_round_post, yesterday) in content


def test_attendance_days_bounded_queries(
    staff_client, year_round_post, django_assert_max_num_queries
):
    today = timezone.localdate()
    for offset in range(40):
        day_application(year_round_post, today - dt.timedelta(days=offset))
    with django_assert_max_num_queries(8):
        response = staff_client.get(
            reverse("volunteering:staff_attendance_days", args=[year_round_post.pk])
        )
    assert len(response.context["page"].object_list) == 30
    assert "?page=2" in response.content.decode()
    second = staff_client.get(
        reverse("volunteering:staff_attendance_days", args=[year_round_post.pk]),
        {"page": 2},
    )
    assert len(second.context["page"].object_list) == 10


def test_day_attendance_bounded_queries(
    staff_client, year_round_post, yesterday, django_assert_max_num_queries
):
    for _ in range(10):
        application = day_application(year_round_post, yesterday)
        Attendance.objects.create(application=application, status="submitted", hours=2)
    with django_assert_max_num_queries(8):
        response = staff_client.get(
            day_url("staff_day_attendance", year_round_post, yesterday)
        )
    assert len(response.context["rows"]) == 10


def test_post_detail_links_attendance_days(staff_client, year_round_post, post):
    days_url = reverse("volunteering:staff_attendance_days", args=[year_round_post.pk])
    page = staff_client.get(
        reverse("volunteering:staff_post_detail", args=[year_round_post.pk])
    )
    assert days_url in page.content.decode()
    session_page = staff_client.get(
        reverse("volunteering:staff_post_detail", args=[post.pk])
    )
    assert "/attendance/" not in session_page.content.decode()
