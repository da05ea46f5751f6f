"""Tests for the calendar settings page and the iCalendar feed."""

import datetime as dt
import uuid

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from icalendar import Calendar

from civic_portal.fiscal import JAPAN
from tests.factories import ApplicationFactory, VolunteerSessionFactory
from volunteering.models import Application

pytestmark = pytest.mark.django_db

LOGIN_PATH = "/accounts/login/"
CALENDAR_SETTINGS = "/volunteer/my/calendar/"


@pytest.fixture(autouse=True)
def english_and_login_url(client, settings):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    settings.LOGIN_URL = LOGIN_PATH
    settings.SITE_URL = "https://portal.example.jp"


def feed_url(token) -> str:
    return reverse("volunteering:calendar_feed", args=[token])


def events_of(response) -> list:
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_settings_show_secret_url(client, resident):
    client.force_login(resident)
    response = client.get(CALENDAR_SETTINGS)
    html = response.content.decode()
    assert response.status_code == 200
    expected = (
        f"https://portal.example.jp/volunteer/calendar/{resident.calendar_token}.ics"
    )
    assert expected in html


def test_settings_need_login(client):
    response = client.get(CALENDAR_SETTINGS)
    assert response.url == f"{LOGIN_PATH}?next={CALENDAR_SETTINGS}"


def test_feed_lists_confirmed_sessions(client, resident):
    starts = dt.datetime(2030, 6, 1, 9, 0, tzinfo=JAPAN)
    session = VolunteerSessionFactory(
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        post__title="海岸清掃",
        post__place="秋穂海岸",
    )
    confirmed = ApplicationFactory(applicant=resident, session=session)
    ApplicationFactory(applicant=resident, status=Application.Status.PENDING)
    ApplicationFactory(
        applicant=resident, status=Application.Status.CANCELLED_BY_VOLUNTEER
    )
    response = client.get(feed_url(resident.calendar_token))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = events_of(response)
    assert len(events) == 1
    event = events[0]
    assert str(event["uid"]) == f"application-{confirmed.pk}@portal.example.jp"
    assert str(event["summary"]) == "海岸清掃"
    assert str(event["location"]) == "秋穂海岸"
    assert event.decoded("dtstart") == dt.datetime(2030, 6, 1, 0, 0, tzinfo=dt.UTC)
    assert event.decoded("dtend") == dt.datetime(2030, 6, 1, 3, 0, tzinfo=dt.UTC)
    assert b"DTSTART:20300601T000000Z" in response.content


def test_uid_is_stable(client, resident):
    ApplicationFactory(applicant=resident)
    first = events_of(client.get(feed_url(resident.calendar_token)))
    second = events_of(client.get(feed_url(resident.calendar_token)))
    assert str(first[0]["uid"]) == str(second[0]["uid"])


def test_online_location(client, resident):
    ApplicationFactory(applicant=resident, session__post__is_online=True)
    event = events_of(client.get(feed_url(resident.calendar_token)))[0]
    assert str(event["location"]) == "Online"


def test_year_round_day_is_all_day(client, resident, post):
    post.kind = "year_round"
    post.save()
    Application.objects.create(
        post=post,
        applicant=resident,
        activity_date=dt.date(2030, 7, 1),
        status=Application.Status.CONFIRMED,
    )
    event = events_of(client.get(feed_url(resident.calendar_token)))[0]
    assert event.decoded("dtstart") == dt.date(2030, 7, 1)
    assert event.decoded("dtend") == dt.date(2030, 7, 2)


def test_feed_shows_only_owner(client, resident, other_resident):
    ApplicationFactory(applicant=other_resident, session__post__title="他人の活動")
    response = client.get(feed_url(resident.calendar_token))
    assert events_of(response) == []
    assert "他人の活動".encode() not in response.content


def test_unknown_token_is_404(client):
    assert client.get(feed_url(uuid.uuid4())).status_code == 404


def test_malformed_token_is_404(client):
    assert client.get("/volunteer/calendar/not-a-uuid.ics").status_code == 404


def test_revoke_replaces_token(client, resident):
    old_token = resident.calendar_token
    ApplicationFactory(applicant=resident)
    client.force_login(resident)
    response = client.post(CALENDAR_SETTINGS)
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.calendar_token != old_token
    assert client.get(feed_url(old_token)).status_code == 404
    new_feed = client.get(feed_url(resident.calendar_token))
    assert new_feed.status_code == 200
    assert len(events_of(new_feed)) == 1
    page = client.get(CALENDAR_SETTINGS).content.decode()
    assert str(resident.calendar_token) in page
    assert str(old_token) not in page
    assert "The old calendar address no longer works." in page


def test_inactive_user_feed_is_404(client, resident):
    resident.is_active = False
    resident.save()
    assert client.get(feed_url(resident.calendar_token)).status_code == 404


def test_feed_queries_bounded(client, resident, django_assert_max_num_queries):
    for _number in range(10):
        ApplicationFactory(applicant=resident)
    with django_assert_max_num_queries(2):
        response = client.get(feed_url(resident.calendar_token))
    assert len(events_of(response)) == 10
