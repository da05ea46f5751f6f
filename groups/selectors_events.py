"""Reads of events, grant notices and newsletter issues, with who may see them.

The public sees published events of public groups, and the cancelled ones
on their own page; staff of the event's group also see drafts. Each
*_for_* helper raises Http404 when the viewer may not see the row, so a
row of another group looks the same as one that does not exist.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from civic_portal.types import AnyUser
from groups.models import CivicGroup, Event, GrantNotice, NewsletterIssue
from groups.permissions import is_centre_staff

# The most events that the iCalendar feed lists, soonest first.
FEED_MAX_EVENTS = 500


def _with_relations(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.select_related("group", "municipality").prefetch_related(
        "activity_fields"
    )


def upcoming_public_events() -> QuerySet[Event]:
    """Published events of public groups that have not ended, soonest first."""
    return _with_relations(
        Event.objects.filter(
            status=Event.Status.PUBLISHED,
            ends_at__gt=timezone.now(),
            group__in=CivicGroup.objects.public(),
        )
    ).order_by("starts_at", "pk")


def feed_events() -> list[Event]:
    """Return the events of the public iCalendar feed."""
    return list(upcoming_public_events()[:FEED_MAX_EVENTS])


def events_managed_by(user: AnyUser) -> QuerySet[Event]:
    """Events of every group that *user* is staff of."""
    return _with_relations(
        Event.objects.filter(group__in=CivicGroup.objects.managed_by(user))
    )


def event_for_staff(user: AnyUser, pk: int) -> Event:
    """Return event *pk* if *user* is staff of its group, else raise Http404."""
    event = events_managed_by(user).filter(pk=pk).first()
    if event is None:
        raise Http404(f"No event {pk} among the user's groups.")
    return event


def events_visible_to(user: AnyUser) -> QuerySet[Event]:
    """Events whose page *user* may see: public ones and their groups' drafts."""
    public = Q(
        status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED],
        group__in=CivicGroup.objects.public(),
    )
    own = Q(group__in=CivicGroup.objects.managed_by(user))
    return _with_relations(Event.objects.filter(public | own))


def event_for_viewer(user: AnyUser, pk: int) -> Event:
    """Return event *pk* if *user* may see its page, else raise Http404."""
    event = events_visible_to(user).filter(pk=pk).first()
    if event is None:
        raise Http404(f"No event {pk} visible to this user.")
    return event


def published_grants() -> QuerySet[GrantNotice]:
    return GrantNotice.objects.filter(is_published=True).prefetch_related(
        "eligible_fields"
    )


def grant_for_viewer(user: AnyUser, pk: int) -> GrantNotice:
    """Return grant notice *pk* if it is published or *user* is centre staff."""
    grants = GrantNotice.objects.prefetch_related("eligible_fields")
    if not is_centre_staff(user):
        grants = grants.filter(is_published=True)
    grant = grants.filter(pk=pk).first()
    if grant is None:
        raise Http404(f"No published grant notice {pk}.")
    return grant


def sent_issues() -> QuerySet[NewsletterIssue]:
    return NewsletterIssue.objects.filter(status=NewsletterIssue.Status.SENT)
