"""Meeting pages and exports: permissions, forms, action items, query counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from civic_portal.fiscal import JAPAN
from facilitation.models import ActionItem, Meeting, MeetingSeries
from facilitation.services import meetings as meeting_services
from tests.facilitation.factories import (
    chief_facilitator,
    municipal_centre,
    regional_facilitator,
)
from tests.factories import UserFactory, centre_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief():
    return chief_facilitator()


@pytest.fixture
def regional():
    return regional_facilitator("regional@example.jp", centre=municipal_centre(0))


@pytest.fixture
def meeting(chief, regional):
    starts_at = timezone.now() + dt.timedelta(days=5)
    return meeting_services.create_meeting(
        chief.user,
        title="12月の情報共有会議",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=1),
        location="研修室",
        attendees=[regional],
    )


@pytest.fixture
def series(chief, regional):
    return meeting_services.schedule_series(
        chief.user,
        meeting_services.SeriesPlan(
            title="月例会議",
            location="研修室",
            frequency=MeetingSeries.Frequency.MONTHLY,
            weekday=1,
            week_of_month=2,
            start_time=dt.time(14, 0),
            end_time=dt.time(15, 0),
            starts_on=dt.date(2027, 4, 1),
            ends_on=dt.date(2027, 6, 30),
        ),
        [regional],
    )


def meeting_urls(meeting, series):
    return [
        reverse("facilitation:meeting_detail", args=[meeting.pk]),
        reverse("facilitation:meeting_calendar", args=[meeting.pk]),
        reverse("facilitation:series_detail", args=[series.pk]),
        reverse("facilitation:series_calendar", args=[series.pk]),
    ]


def test_anonymous_redirected(client, meeting, series):
    urls = [*meeting_urls(meeting, series), reverse("facilitation:meeting_list")]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login")), url


def test_stranger_refused(client, meeting, series):
    client.force_login(UserFactory())

    assert client.get(reverse("facilitation:meeting_list")).status_code == 403
    for url in meeting_urls(meeting, series):
        assert client.get(url).status_code == 404, url


def test_centre_staff_refused(client, meeting, series):
    client.force_login(centre_staff(UserFactory(), scope="municipal"))

    for url in meeting_urls(meeting, series):
        assert client.get(url).status_code == 404, url


def test_non_attendee_gets_404(client, meeting, series):
    outsider = regional_facilitator("outsider@example.jp", centre=municipal_centre(1))
    client.force_login(outsider.user)

    for url in meeting_urls(meeting, series):
        assert client.get(url).status_code == 404, url


def test_attendee_reads_but_cannot_edit(client, meeting, regional):
    client.force_login(regional.user)
    detail = reverse("facilitation:meeting_detail", args=[meeting.pk])

    assert client.get(detail).status_code == 200
    edit = reverse("facilitation:meeting_edit", args=[meeting.pk])
    assert client.get(edit).status_code == 403
    redraft = reverse("facilitation:meeting_redraft", args=[meeting.pk])
    assert client.post(redraft).status_code == 403
    action = reverse("facilitation:action_new", args=[meeting.pk])
    assert client.post(action, {"item-title": "t"}).status_code == 403
    assert client.get(reverse("facilitation:series_new")).status_code == 403
    assert client.get(reverse("facilitation:meeting_new")).status_code == 403


def test_administrator_reads_not_edits(client, meeting, series):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    listing = client.get(reverse("facilitation:meeting_list"))
    edit = client.get(reverse("facilitation:meeting_edit", args=[meeting.pk]))

    assert listing.status_code == 200
    assert not listing.context["is_chief"]
    for url in meeting_urls(meeting, series):
        assert client.get(url).status_code == 200, url
    assert edit.status_code == 403
    assert client.get(reverse("facilitation:series_new")).status_code == 403


def test_administrator_list_without_meetings(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get(reverse("facilitation:meeting_list")).status_code == 200


def test_chief_schedules_series(client, chief, regional):
    client.force_login(chief.user)

    response = client.post(
        reverse("facilitation:series_new"),
        {
            "title": "月例の情報共有会議",
            "location": "研修室",
            "frequency": "monthly",
            "weekday": "1",
            "week_of_month": "2",
            "start_time": "14:00",
            "end_time": "15:30",
            "starts_on": "2027-04-01",
            "ends_on": "2028-03-31",
            "attendees": [regional.pk],
        },
    )

    series = MeetingSeries.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("facilitation:series_detail", args=[series.pk])
    assert series.meetings.count() == 12
    assert list(series.attendees.all()) == [regional]


def test_series_form_keeps_input(client, chief):
    client.force_login(chief.user)

    response = client.post(
        reverse("facilitation:series_new"),
        {
            "title": "月例の情報共有会議",
            "location": "研修室",
            "frequency": "monthly",
            "weekday": "1",
            "week_of_month": "",
            "start_time": "14:00",
            "end_time": "13:00",
            "starts_on": "2027-04-01",
            "ends_on": "2028-03-31",
        },
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["end_time"] == ["The end time must be after the start time."]
    assert "月例の情報共有会議" in response.content.decode()
    assert not MeetingSeries.objects.exists()


def test_series_missing_week_of_month(client, chief):
    client.force_login(chief.user)

    response = client.post(
        reverse("facilitation:series_new"),
        {
            "title": "t",
            "location": "l",
            "frequency": "monthly",
            "weekday": "1",
            "start_time": "14:00",
            "end_time": "15:00",
            "starts_on": "2027-04-01",
            "ends_on": "2028-03-31",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["week_of_month"] == [
        "Choose the week of the month."
    ]


def test_chief_schedules_single_meeting(client, chief, regional):
    client.force_login(chief.user)

    response = client.post(
        reverse("facilitation:meeting_new"),
        {
            "title": "臨時会議",
            "starts_at": "2027-02-03T10:00",
            "ends_at": "2027-02-03T11:00",
            "location": "オンライン",
            "attendees": [regional.pk],
        },
    )

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert meeting.starts_at == dt.datetime(2027, 2, 3, 10, 0, tzinfo=JAPAN)
    assert meeting.agenda.startswith("1. Open collaboration cases")


def test_meeting_end_before_start_kept(client, chief):
    client.force_login(chief.user)

    response = client.post(
        reverse("facilitation:meeting_new"),
        {
            "title": "臨時会議",
            "starts_at": "2027-02-03T10:00",
            "ends_at": "2027-02-03T09:00",
            "location": "オンライン",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["ends_at"] == [
        "The meeting must end after it starts."
    ]
    assert "臨時会議" in response.content.decode()


def test_chief_edits_agenda_and_minutes(client, chief, meeting, regional):
    client.force_login(chief.user)
    local_start = meeting.starts_at.astimezone(JAPAN)

    response = client.post(
        reverse("facilitation:meeting_edit", args=[meeting.pk]),
        {
            "title": meeting.title,
            "starts_at": local_start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": meeting.ends_at.astimezone(JAPAN).strftime("%Y-%m-%dT%H:%M"),
            "location": meeting.location,
            "agenda": "1. 新しい議題",
            "minutes": "全員出席。",
            "attendees": [regional.pk],
        },
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.agenda == "1. 新しい議題"
    assert meeting.minutes == "全員出席。"


def test_action_item_added_and_marked_done(client, chief, meeting, regional):
    client.force_login(chief.user)

    response = client.post(
        reverse("facilitation:action_new", args=[meeting.pk]),
        {
            "item-title": "企業に連絡",
            "item-owner": regional.user.pk,
            "item-due_on": "2027-01-10",
        },
    )

    item = ActionItem.objects.get()
    assert response.status_code == 302
    assert item.owner == regional.user
    client.force_login(regional.user)
    done = client.post(
        reverse("facilitation:action_done", args=[item.pk]), {"done": "on"}
    )
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.done


def test_action_item_bad_input_kept(client, chief, meeting, regional):
    client.force_login(chief.user)

    response = client.post(
        reverse("facilitation:action_new", args=[meeting.pk]),
        {"item-title": "企業に連絡", "item-owner": regional.user.pk, "item-due_on": ""},
    )

    assert response.status_code == 200
    assert "due_on" in response.context["action_form"].errors
    assert "企業に連絡" in response.content.decode()
    assert not ActionItem.objects.exists()


def test_other_attendee_cannot_mark_done(client, chief, meeting, regional):
    item = meeting_services.add_action_item(
        meeting, chief.user, title="t", owner=chief.user, due_on=dt.date(2027, 1, 1)
    )
    client.force_login(regional.user)

    response = client.post(
        reverse("facilitation:action_done", args=[item.pk]), {"done": "on"}
    )

    assert response.status_code == 403
    item.refresh_from_db()
    assert not item.done


def test_stranger_cannot_mark_done(client, chief, meeting):
    item = meeting_services.add_action_item(
        meeting, chief.user, title="t", owner=chief.user, due_on=dt.date(2027, 1, 1)
    )
    client.force_login(UserFactory())

    response = client.post(
        reverse("facilitation:action_done", args=[item.pk]), {"done": "on"}
    )

    assert response.status_code == 404


def test_meeting_calendar_download(client, chief, meeting):
    client.force_login(chief.user)

    response = client.get(reverse("facilitation:meeting_calendar", args=[meeting.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["summary"]) == "12月の情報共有会議"
    # iCalendar times have whole seconds.
    assert event.decoded("dtstart") == meeting.starts_at.replace(microsecond=0)


def test_series_calendar_download(client, regional, series):
    client.force_login(regional.user)

    response = client.get(reverse("facilitation:series_calendar", args=[series.pk]))

    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert response.status_code == 200
    assert len(events) == 3
    assert b"DTSTART;TZID=Asia/Tokyo:20270413T140000" in response.content


def test_list_queries_bounded(client, chief, series, django_assert_max_num_queries):
    client.force_login(chief.user)

    with django_assert_max_num_queries(16):
        response = client.get(reverse("facilitation:meeting_list"))

    assert response.status_code == 200


def test_detail_queries_bounded(
    client, chief, meeting, regional, django_assert_max_num_queries
):
    for number in range(8):
        meeting_services.add_action_item(
            meeting,
            chief.user,
            title=f"作業{number}",
            owner=regional.user,
            due_on=dt.date(2027, 1, 1),
        )
    client.force_login(chief.user)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("facilitation:meeting_detail", args=[meeting.pk]))

    assert len(response.context["items"]) == 8


def test_meeting_page_in_japanese(japanese_client, chief, meeting):
    japanese_client.force_login(chief.user)

    response = japanese_client.get(
        reverse("facilitation:meeting_detail", args=[meeting.pk])
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ja">' in html
    assert "12月の情報共有会議" in html
    assert "ログアウト" in html


def test_chief_moves_due_date(client, chief, meeting, regional):
    item = meeting_services.add_action_item(
        meeting, chief.user, title="t", owner=regional.user, due_on=dt.date(2027, 1, 1)
    )
    ActionItem.objects.filter(pk=item.pk).update(reminder_sent_at=timezone.now())
    client.force_login(chief.user)

    response = client.post(
        reverse("facilitation:action_reschedule", args=[item.pk]),
        {"due_on": "2027-02-01"},
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.due_on == dt.date(2027, 2, 1)
    assert item.reminder_sent_at is None


def test_bad_due_date_keeps_item(client, chief, meeting, regional):
    item = meeting_services.add_action_item(
        meeting, chief.user, title="t", owner=regional.user, due_on=dt.date(2027, 1, 1)
    )
    client.force_login(chief.user)

    response = client.post(
        reverse("facilitation:action_reschedule", args=[item.pk]),
        {"due_on": "soon"},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Enter a valid new due date."
    ]
    item.refresh_from_db()
    assert item.due_on == dt.date(2027, 1, 1)


def test_owner_cannot_move_due_date(client, chief, meeting, regional):
    item = meeting_services.add_action_item(
        meeting, chief.user, title="t", owner=regional.user, due_on=dt.date(2027, 1, 1)
    )
    client.force_login(regional.user)

    response = client.post(
        reverse("facilitation:action_reschedule", args=[item.pk]),
        {"due_on": "2027-02-01"},
    )

    assert response.status_code == 403
    item.refresh_from_db()
    assert item.due_on == dt.date(2027, 1, 1)
