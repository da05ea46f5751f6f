"""Tests for the iCalendar feed of public events."""

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from civic_portal.fiscal import JAPAN
from groups.models import Event
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

FEED_QUERY_BOUND = 2  # events with groups, activity fields


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://portal.example.jp"


def fetch_feed(client):
    return client.get(reverse("groups:event_feed"))


def events_of(response) -> list:
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_feed_is_icalendar(client):
    response = fetch_feed(client)

    calendar = Calendar.from_ical(response.content)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert str(calendar["version"]) == "2.0"
    assert "Events" in str(calendar["prodid"])
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")


def test_feed_lists_upcoming_published_events(client):
    starts = dt.datetime(2030, 6, 1, 9, 0, tzinfo=JAPAN)
    event = EventFactory(
        title="里山まつり",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        place="山口市民会館",
    )
    EventFactory(status=Event.Status.DRAFT)
    EventFactory(status=Event.Status.CANCELLED)

    response = fetch_feed(client)

    events = events_of(response)
    assert len(events) == 1
    component = events[0]
    assert str(component["uid"]) == f"event-{event.pk}@portal.example.jp"
    assert str(component["summary"]) == "里山まつり"
    assert str(component["location"]) == "山口市民会館"
    assert str(component["url"]) == f"https://portal.example.jp/events/{event.pk}/"
    assert b"DTSTART:20300601T000000Z" in response.content
    assert b"DTEND:20300601T030000Z" in response.content
    assert b"DTSTAMP:" in response.content


def test_feed_marks_online_event(client):
    EventFactory(is_online=True, place="")

    assert str(events_of(fetch_feed(client))[0]["location"]) == "Online"


def test_feed_skips_ended_event(client):
    starts = dt.datetime(2020, 6, 1, 9, 0, tzinfo=JAPAN)
    EventFactory(starts_at=starts, ends_at=starts + dt.timedelta(hours=1))

    assert events_of(fetch_feed(client)) == []


@pytest.mark.parametrize("count", [1, 25])
def test_feed_queries_bounded(client, django_assert_max_num_queries, count):
    for _ in range(count):
        EventFactory()

    with django_assert_max_num_queries(FEED_QUERY_BOUND):
        response = fetch_feed(client)

    assert len(events_of(response)) == count
