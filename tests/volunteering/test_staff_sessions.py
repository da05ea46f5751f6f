import datetime as dt
from unittest import mock

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from civic_portal.fiscal import JAPAN
from tests.factories import ApplicationFactory, UserFactory
from tests.volunteering.helpers import messages_of
from volunteering.models import Application, VolunteerSession

# Series and times are entered within the 2 years ahead that sessions may
# start, so the tests use next year's dates.
YEAR = timezone.now().year + 1


def nth_weekdays(weekdays: set[int], start: dt.date, count: int) -> list[dt.date]:
    """Return the first *count* dates from *start* whose weekday is in *weekdays*."""
    days = []
    day = start
    while len(days) < count:
        if day.weekday() in weekdays:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def second_saturday(month: int) -> dt.date:
    return nth_weekdays({5}, dt.date(YEAR, month, 1), 2)[1]


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment, JAPAN).strftime("%Y-%m-%dT%H:%M")


def test_session_create_page(staff_client, post):
    starts = timezone.now() + dt.timedelta(days=3)
    response = staff_client.post(
        reverse("volunteering:staff_session_create", args=[post.pk]),
        {
            "starts_at": local(starts),
            "ends_at": local(starts + dt.timedelta(hours=2)),
            "capacity": "6",
        },
    )
    assert response.status_code == 302
    session = VolunteerSession.objects.get(post=post)
    assert session.capacity == 6


def test_session_create_entered_in_japan_time(staff_client, post):
    staff_client.post(
        reverse("volunteering:staff_session_create", args=[post.pk]),
        {
            "starts_at": f"{YEAR}-05-01T09:00",
            "ends_at": f"{YEAR}-05-01T12:00",
            "capacity": "3",
        },
    )
    session = VolunteerSession.objects.get(post=post)
    assert session.starts_at == dt.datetime(YEAR, 5, 1, 0, 0, tzinfo=dt.UTC)


def test_session_create_keeps_input_on_error(staff_client, post):
    response = staff_client.post(
        reverse("volunteering:staff_session_create", args=[post.pk]),
        {
            "starts_at": f"{YEAR}-05-01T09:00",
            "ends_at": f"{YEAR}-05-01T08:00",
            "capacity": "3",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "ends_at": ["The end must be after the start."]
    }
    assert f'value="{YEAR}-05-01T08:00"' in response.content.decode()


def test_session_create_rejects_garbage(staff_client, post):
    response = staff_client.post(
        reverse("volunteering:staff_session_create", args=[post.pk]),
        {"starts_at": "tomorrow", "ends_at": "", "capacity": "-4"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"starts_at", "ends_at", "capacity"}


def test_session_edit_below_taken(staff_client, session):
    ApplicationFactory(session=session, party_size=4)
    response = staff_client.post(
        reverse("volunteering:staff_session_edit", args=[session.pk]),
        {
            "starts_at": local(session.starts_at),
            "ends_at": local(session.ends_at),
            "capacity": "3",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "capacity": [
            "4 places are already taken. Enter a capacity of 4 or more, or cancel "
            "applications first."
        ]
    }


def test_session_edit_raises_capacity(staff_client, session):
    ApplicationFactory(session=session, party_size=5)
    waiting = ApplicationFactory(session=session, status="waitlisted")
    staff_client.post(
        reverse("volunteering:staff_session_edit", args=[session.pk]),
        {
            "starts_at": local(session.starts_at),
            "ends_at": local(session.ends_at),
            "capacity": "6",
        },
    )
    waiting.refresh_from_db()
    assert waiting.status == Application.Status.PENDING


def test_session_edit_form_shows_current_values(staff_client, session):
    response = staff_client.get(
        reverse("volunteering:staff_session_edit", args=[session.pk])
    )
    assert f'value="{local(session.starts_at)}"' in response.content.decode()


def test_session_delete_refused_with_message(staff_client, session):
    ApplicationFactory(session=session)
    response = staff_client.post(
        reverse("volunteering:staff_session_delete", args=[session.pk])
    )
    assert messages_of(response) == [
        "This session has 1 active applications. Cancel them first, then delete "
        "the session."
    ]
    assert VolunteerSession.objects.filter(pk=session.pk).exists()


def test_session_delete(staff_client, session):
    staff_client.post(reverse("volunteering:staff_session_delete", args=[session.pk]))
    assert not VolunteerSession.objects.filter(pk=session.pk).exists()


def series_data(**overrides):
    data = {
        "frequency": "monthly",
        "week_of_month": "2",
        "weekday": "5",
        "start_date": f"{YEAR}-01-01",
        "end_date": f"{YEAR}-06-30",
        "count": "",
        "start_time": "09:00",
        "end_time": "12:00",
        "capacity": "10",
    }
    data.update(overrides)
    return data


def test_session_series_preview_creates_nothing(staff_client, post):
    response = staff_client.post(
        reverse("volunteering:staff_session_series", args=[post.pk]),
        {**series_data(), "preview": "1"},
    )
    assert response.status_code == 200
    assert response.context["preview"][:2] == [second_saturday(1), second_saturday(2)]
    assert len(response.context["preview"]) == 6
    assert "Preview: 6 sessions" in response.content.decode()
    assert not VolunteerSession.objects.filter(post=post).exists()


def test_session_series_create(staff_client, post):
    response = staff_client.post(
        reverse("volunteering:staff_session_series", args=[post.pk]),
        {**series_data(), "create": "1"},
    )
    assert response.status_code == 302
    assert messages_of(response) == ["6 sessions were added."]
    first = VolunteerSession.objects.filter(post=post).first()
    assert first.starts_at == dt.datetime.combine(
        second_saturday(1), dt.time(9), tzinfo=JAPAN
    )


def test_session_series_weekly(staff_client, post):
    staff_client.post(
        reverse("volunteering:staff_session_series", args=[post.pk]),
        series_data(
            frequency="weekly",
            weekdays=["0", "3"],
            week_of_month="",
            weekday="",
            end_date="",
            count="4",
        ),
    )
    days = [
        timezone.localtime(s.starts_at, JAPAN).date()
        for s in VolunteerSession.objects.filter(post=post)
    ]
    assert days == nth_weekdays({0, 3}, dt.date(YEAR, 1, 1), 4)


def test_session_series_needs_end(staff_client, post):
    response = staff_client.post(
        reverse("volunteering:staff_session_series", args=[post.pk]),
        series_data(end_date="", count=""),
    )
    assert response.context["form"].non_field_errors() == [
        "Enter an end date or a number of sessions."
    ]


def test_session_series_too_many(staff_client, post):
    response = staff_client.post(
        reverse("volunteering:staff_session_series", args=[post.pk]),
        series_data(
            frequency="weekly", weekdays=["0", "1", "2"], end_date=f"{YEAR}-12-31"
        ),
    )
    assert response.context["form"].non_field_errors() == [
        "The series would have more than 100 sessions. Choose an earlier end date."
    ]
    assert not VolunteerSession.objects.filter(post=post).exists()


def test_session_call_once(staff_client, session, django_capture_on_commit_callbacks):
    url = reverse("volunteering:staff_session_call", args=[session.pk])
    with mock.patch("volunteering.tasks.send_session_call.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            response = staff_client.post(url, follow=True)
        assert messages_of(response) == [
            "The call to residents is being sent for this session."
        ]
        delay.assert_called_once_with(session.pk)

        response = staff_client.post(url, follow=True)
        (message,) = messages_of(response)
        assert message.startswith("A call for this session was already sent on ")
        assert delay.call_count == 1


def test_session_edit_mails_new_times(
    staff_client, session, django_capture_on_commit_callbacks
):
    ApplicationFactory(
        session=session, applicant=UserFactory(email="volunteer@example.jp")
    )
    new_start = session.starts_at + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("volunteering:staff_session_edit", args=[session.pk]),
            {
                "starts_at": local(new_start),
                "ends_at": local(new_start + dt.timedelta(hours=2)),
                "capacity": str(session.capacity),
            },
        )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["volunteer@example.jp"]
    assert session.post.title in message.subject


def test_session_series_preview_shows_create_errors(staff_client, post):
    last_year = timezone.now().year - 1
    data = series_data(
        start_date=f"{last_year}-01-01",
        end_date=f"{last_year}-06-30",
        start_time="12:00",
        end_time="09:00",
    )
    url = reverse("volunteering:staff_session_series", args=[post.pk])
    preview = staff_client.post(url, {**data, "preview": "1"})
    create = staff_client.post(url, {**data, "create": "1"})
    assert preview.context["preview"] == []
    assert "end_time" in preview.context["form"].errors
    assert "start_date" in preview.context["form"].errors
    assert preview.context["form"].errors == create.context["form"].errors
    assert not VolunteerSession.objects.filter(post=post).exists()


def test_session_create_rejects_year_9999(staff_client, post):
    response = staff_client.post(
        reverse("volunteering:staff_session_create", args=[post.pk]),
        {
            "starts_at": "9999-05-01T09:00",
            "ends_at": "9999-05-01T12:00",
            "capacity": "3",
        },
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["starts_at"]
    assert error.startswith("The start is more than 2 years ahead.")
    assert not VolunteerSession.objects.filter(post=post).exists()
