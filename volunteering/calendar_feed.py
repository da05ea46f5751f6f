"""iCalendar feed of a volunteer's confirmed activities.

Calendar apps subscribe to the feed by its secret URL and fetch it again
from time to time, so each event keeps a stable UID (one per application)
and the app updates the event in place when the group changes the time.
Dated sessions are timed events in UTC; a year-round day is an all-day
event on that date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from volunteering.models import Application

PRODUCT_ID = "-//Yamaguchi Civic Activity Portal//Volunteering//JA"


def stable_uid(kind: str, pk: int) -> str:
    """Return a UID for row *pk* of *kind* that is the same on every fetch."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"{kind}-{pk}@{host}"


def event_uid(application: Application) -> str:
    """Return the event UID of *application*, the same on every fetch."""
    return stable_uid("application", application.pk)


def new_calendar(name: str, product_id: str = PRODUCT_ID) -> Calendar:
    """Return an empty iCalendar 2.0 calendar that apps show as *name*."""
    calendar = Calendar()
    calendar.add("prodid", product_id)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _location(application: Application) -> str:
    post = application.post
    if post.is_online:
        return _("Online")
    return post.place


def build_event(application: Application, stamp: dt.datetime) -> Event:
    post = application.post
    event = Event()
    event.add("uid", event_uid(application))
    event.add("dtstamp", stamp)
    event.add("summary", post.title)
    event.add("location", _location(application))
    event.add(
        "url", settings.SITE_URL + reverse("volunteering:post_detail", args=[post.pk])
    )
    if application.session is not None:
        event.add("dtstart", application.session.starts_at.astimezone(dt.UTC))
        event.add("dtend", application.session.ends_at.astimezone(dt.UTC))
    else:
        assert application.activity_date is not None
        event.add("dtstart", application.activity_date)
        event.add("dtend", application.activity_date + dt.timedelta(days=1))
    return event


def build_calendar(applications: Iterable[Application]) -> bytes:
    """Return the iCalendar text of *applications* (select post and session)."""
    calendar = new_calendar(_("My volunteering"))
    stamp = timezone.now().astimezone(dt.UTC)
    for application in applications:
        calendar.add_component(build_event(application, stamp))
    return calendar.to_ical()
