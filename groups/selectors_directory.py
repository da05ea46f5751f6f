"""Reads for the public group directory, the group page and the freshness list.

Each list comes with its related rows joined or prefetched, so a page runs
the same number of queries whatever it lists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from civic_portal.types import AnyUser
from groups.models import Certification, CivicGroup, Event
from groups.permissions import groups_under_centre_staff
from volunteering.filters import with_upcoming_session
from volunteering.models import PostReport, VolunteerPost

GROUP_PAGE_EVENT_COUNT = 10
GROUP_PAGE_REPORT_COUNT = 5


def recruiting_posts() -> QuerySet[VolunteerPost]:
    """Published posts that take applications now, soonest session first.

    A post recruits while its deadline has not passed and it has an
    upcoming session or is year-round.
    """
    now = timezone.now()
    posts = with_upcoming_session(VolunteerPost.objects.published())
    return posts.filter(
        Q(application_deadline__isnull=True) | Q(application_deadline__gt=now)
    )


def directory_groups() -> QuerySet[CivicGroup]:
    """Public groups with what a directory row shows, in reading order.

    Each group carries `is_recruiting`: whether it has a post in
    recruiting_posts().
    """
    recruiting = recruiting_posts().filter(group=OuterRef("pk"))
    return (
        CivicGroup.objects.public()
        .select_related("municipality")
        .prefetch_related("activity_fields")
        .annotate(is_recruiting=Exists(recruiting))
        .order_by("name_kana", "name", "pk")
    )


def public_group(pk: int) -> CivicGroup:
    """Return the public group *pk* for its page, or raise Http404."""
    group = (
        CivicGroup.objects.public()
        .select_related("municipality")
        .prefetch_related("activity_fields")
        .filter(pk=pk)
        .first()
    )
    if group is None:
        raise Http404(f"No public group {pk}.")
    return group


@dataclass(frozen=True)
class GroupActivity:
    """The lists that a group page shows beside the profile."""

    posts: list[VolunteerPost]
    events: list[Event]
    reports: list[PostReport]
    certification: Certification | None


def group_activity(group: CivicGroup, today: dt.date) -> GroupActivity:
    """Return the group's recruiting posts, upcoming events and latest reports.

    Reports are listed for published and closed posts: a report usually
    follows the end of the activity, when the post may already be closed.
    """
    posts = list(
        recruiting_posts()
        .filter(group=group)
        .select_related("municipality", "activity_field")
    )
    events = list(
        Event.objects.filter(
            group=group,
            status=Event.Status.PUBLISHED,
            ends_at__gt=timezone.now(),
        )
        .select_related("municipality")
        .order_by("starts_at", "pk")[:GROUP_PAGE_EVENT_COUNT]
    )
    reports = list(
        PostReport.objects.filter(
            post__group=group,
            post__status__in=[
                VolunteerPost.Status.PUBLISHED,
                VolunteerPost.Status.CLOSED,
            ],
        )
        .select_related("post")
        .order_by("-published_at", "-pk")[:GROUP_PAGE_REPORT_COUNT]
    )
    certification = (
        Certification.objects.filter(group=group)
        .covering(today)
        .order_by("-certified_on")
        .first()
    )
    return GroupActivity(
        posts=posts, events=events, reports=reports, certification=certification
    )


def unconfirmed_groups_for_centre_staff(
    user: AnyUser, now: dt.datetime
) -> QuerySet[CivicGroup]:
    """Public groups under *user*'s centres that have not confirmed for 18 months.

    The groups whose information was confirmed longest ago come first.
    """
    under_user = groups_under_centre_staff(user).values("pk")
    return (
        CivicGroup.objects.public()
        .unconfirmed(now)
        .filter(pk__in=under_user)
        .select_related("municipality")
        .annotate(last_confirmed_at=Coalesce("info_confirmed_at", "approved_at"))
        .order_by("last_confirmed_at", "pk")
    )
