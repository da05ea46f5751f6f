"""Reads for the feeds, share cards and flyers.

Feeds and cards show only what the public search and the public pages
show: published posts and events of public groups, published grant
notices. Every function runs a fixed number of queries.
"""

from __future__ import annotations

from django.http import Http404

from groups.models import ActivityField, CivicGroup, Event, GrantNotice, Municipality
from groups.selectors_events import published_grants, upcoming_public_events
from volunteering.models import PostPhoto, VolunteerPost
from volunteering.selectors import post_search

# The maximum number of entries in a feed. Feed readers poll often, so a
# short feed keeps each poll cheap.
FEED_MAX_ENTRIES = 50


def feed_posts(
    *,
    municipality: Municipality | None = None,
    field: ActivityField | None = None,
) -> list[VolunteerPost]:
    """Return the newest posts that the public search finds, newest first.

    The search's filter decides visibility, so a post leaves the feed when
    it leaves the search: when it is unpublished, its group is no longer
    public, or its last dated session has started.
    """
    data: dict[str, str] = {}
    if municipality is not None:
        data["municipality"] = municipality.code
    if field is not None:
        data["field"] = str(field.number)
    post_filter = post_search(data)
    if not post_filter.form.is_valid():
        raise Http404(f"Invalid post feed filter: {sorted(post_filter.form.errors)}")
    posts = post_filter.qs.order_by("-published_at", "-id")
    return list(posts[:FEED_MAX_ENTRIES])


def feed_events() -> list[Event]:
    """Return the upcoming public events, the most recently announced first."""
    events = upcoming_public_events().order_by("-created_at", "-pk")
    return list(events[:FEED_MAX_ENTRIES])


def feed_grants() -> list[GrantNotice]:
    """Return the published grant notices, the most recently added first."""
    grants = published_grants().order_by("-created_at", "-pk")
    return list(grants[:FEED_MAX_ENTRIES])


def municipality_or_404(code: str) -> Municipality:
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        raise Http404(f"No municipality with code {code!r}.")
    return municipality


def activity_field_or_404(number: int) -> ActivityField:
    field = ActivityField.objects.filter(number=number).first()
    if field is None:
        raise Http404(f"No activity field number {number}.")
    return field


def public_post(pk: int) -> VolunteerPost:
    """Return the published post *pk* of a public group, or raise Http404."""
    post = (
        VolunteerPost.objects.published()
        .select_related("group", "municipality", "activity_field")
        .filter(pk=pk)
        .first()
    )
    if post is None:
        raise Http404(f"No public post {pk}.")
    return post


def public_event(pk: int) -> Event:
    """Return event *pk* if its page is public, else raise Http404.

    A cancelled event keeps its public page, so it keeps its card too.
    """
    event = (
        Event.objects.filter(
            status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED],
            group__in=CivicGroup.objects.public(),
        )
        .select_related("group", "municipality")
        .filter(pk=pk)
        .first()
    )
    if event is None:
        raise Http404(f"No public event {pk}.")
    return event


def first_photo(post: VolunteerPost) -> PostPhoto | None:
    """Return the post's first photo by position, reading a prefetch if present."""
    photos = list(post.photos.all())
    if not photos:
        return None
    return min(photos, key=lambda photo: (photo.position, photo.pk))
