"""iCalendar feed of the public events, built like the volunteer's feed.

Each event keeps a stable UID so that calendar apps update it in place
when the group changes it. Times are written in UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Event as CalendarEvent

from groups.models import Event
from volunteering.calendar_feed import new_calendar, stable_uid

PRODUCT_ID = "-//Yamaguchi Civic Activity Portal//Events//JA"


def _location(event: Event) -> str:
    if event.is_online and event.place:
        return _("Online, and at %(place)s") % {"place": event.place}
    if event.is_online:
        return _("Online")
    return event.place


def build_calendar_event(event: Event, stamp: dt.datetime) -> CalendarEvent:
    url = settings.SITE_URL + reverse("groups:event_detail", args=[event.pk])
    component = CalendarEvent()
    component.add("uid", stable_uid("event", event.pk))
    component.add("dtstamp", stamp)
    component.add("last-modified", event.updated_at.astimezone(dt.UTC))
    component.add("summary", event.title)
    component.add("description", f"{event.group.name}\n{url}")
    component.add("location", _location(event))
    component.add("url", url)
    component.add("dtstart", event.starts_at.astimezone(dt.UTC))
    component.add("dtend", event.ends_at.astimezone(dt.UTC))
    return component


def build_events_calendar(events: Iterable[Event]) -> bytes:
    """Return the iCalendar text of *events* (select their group)."""
    calendar = new_calendar(_("Civic activity events in Yamaguchi"), PRODUCT_ID)
    stamp = timezone.now().astimezone(dt.UTC)
    for event in events:
        calendar.add_component(build_calendar_event(event, stamp))
    return calendar.to_ical()
