"""Reads for the public and resident pages of the matching site.

Each function returns a queryset with its related rows joined or
prefetched, so a page runs the same number of queries whatever it lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from civic_portal.accounts.models import User
from civic_portal.fiscal import JAPAN
from civic_portal.types import AnyUser
from volunteering.filters import PostFilter, matching_sessions
from volunteering.models import (
    Application,
    Attendance,
    PostPhoto,
    PostReport,
    VolunteerPost,
    VolunteerSession,
)
from volunteering.services.attendance import confirmed_hours

SEARCH_PAGE_SIZE = 20


def _public_post_columns(
    queryset: QuerySet[VolunteerPost],
) -> QuerySet[VolunteerPost]:
    return queryset.select_related("group", "municipality", "activity_field")


def post_search(data: Mapping[str, Any]) -> PostFilter:
    """Return a bound PostFilter over the published posts.

    Its `qs` is ordered by the next matching session. Pass it through
    annotate_next_session for the times and free places of that session.
    """
    queryset = _public_post_columns(VolunteerPost.objects.published())
    return PostFilter(data, queryset=queryset)


def annotate_next_session(
    queryset: QuerySet[VolunteerPost], cleaned_data: Mapping[str, Any]
) -> QuerySet[VolunteerPost]:
    """Add the times and free places of each post's next matching session.

    The values are `next_matching_starts_at`, `next_matching_ends_at` and
    `next_matching_free_places`, None for a post without such a session.
    """
    sessions = matching_sessions(
        date_from=cleaned_data.get("date_from"),
        date_to=cleaned_data.get("date_to"),
        day_type=cleaned_data.get("day_type") or None,
        has_places=bool(cleaned_data.get("has_places")),
    )
    next_session = (
        sessions.filter(post=OuterRef("pk"))
        .order_by("starts_at", "id")
        .annotate(free=F("capacity") - F("places_taken"))
    )
    return queryset.annotate(
        next_matching_starts_at=Subquery(next_session.values("starts_at")[:1]),
        next_matching_ends_at=Subquery(next_session.values("ends_at")[:1]),
        next_matching_free_places=Subquery(next_session.values("free")[:1]),
    )


def upcoming_public_posts(limit: int = 5) -> list[VolunteerPost]:
    """Return the published posts with the soonest sessions, for the home page."""
    post_filter = post_search({})
    post_filter.form.is_valid()
    queryset = annotate_next_session(post_filter.qs, post_filter.form.cleaned_data)
    return list(queryset[:limit])


def post_for_viewer(user: AnyUser, pk: int) -> VolunteerPost:
    """Return the post if *user* may read it, else raise Http404.

    VolunteerPostQuerySet.readable_by decides who reads which post.
    """
    post = (
        _public_post_columns(VolunteerPost.objects.readable_by(user))
        .prefetch_related(
            Prefetch("photos", queryset=PostPhoto.objects.order_by("position", "id")),
            Prefetch(
                "reports",
                queryset=PostReport.objects.select_related("session").prefetch_related(
                    "photos"
                ),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if post is None:
        raise Http404(f"No visible post {pk}.")
    return post


def is_public(post: VolunteerPost) -> bool:
    """Whether the public can see *post*; otherwise its staff see a preview."""
    return VolunteerPost.objects.published().filter(pk=post.pk).exists()


def upcoming_sessions(post: VolunteerPost) -> list[VolunteerSession]:
    return list(post.sessions.upcoming().order_by("starts_at", "id"))


def active_applications_to_post(
    user: AnyUser, post: VolunteerPost
) -> list[Application]:
    """Return *user*'s pending, waitlisted and confirmed applications to *post*."""
    if not user.is_authenticated:
        return []
    return list(
        Application.objects.active()
        .filter(applicant=user, post=post)
        .order_by("created_at", "id")
    )


def activity_start(application: Application) -> dt.datetime | None:
    """Return when the activity of *application* starts, in UTC.

    A year-round application starts at midnight of its day in Japan time.
    """
    if application.session is not None:
        return application.session.starts_at
    if application.activity_date is None:
        return None
    return dt.datetime.combine(application.activity_date, dt.time.min, tzinfo=JAPAN)


def applications_of(user: User) -> QuerySet[Application]:
    """Return *user*'s own applications, newest first."""
    return (
        Application.objects.filter(applicant=user)
        .select_related("post", "post__group", "session")
        .order_by("-created_at", "-id")
    )


def can_cancel(application: Application) -> bool:
    """Whether the volunteer may still cancel: active and not yet started."""
    start = activity_start(application)
    return application.is_active and start is not None and start > timezone.now()


def own_application_or_404(user: User, pk: int) -> Application:
    application = applications_of(user).filter(pk=pk).first()
    if application is None:
        raise Http404(f"No application {pk} of this user.")
    return application


def confirmed_hours_total(user: User) -> Decimal:
    """Return *user*'s confirmed hours, per person, over all activities."""
    return confirmed_hours(user)


def hours_history(user: User) -> QuerySet[Attendance]:
    """Return *user*'s confirmed attendance with hours, oldest activity first.

    Only confirmed applications count, the same rule as
    confirmed_hours_total, so the rows add up to that total.
    """
    return (
        Attendance.objects.filter(
            application__applicant=user,
            application__status=Application.Status.CONFIRMED,
            status=Attendance.Status.CONFIRMED,
        )
        .select_related(
            "application",
            "application__post",
            "application__post__group",
            "application__session",
        )
        .order_by(
            F("application__session__starts_at").asc(nulls_last=True),
            "application__activity_date",
            "id",
        )
    )


def hours_awaiting_approval(user: User) -> QuerySet[Attendance]:
    """Return the hours *user* submitted that the group has not approved yet."""
    return (
        Attendance.objects.filter(
            application__applicant=user, status=Attendance.Status.SUBMITTED
        )
        .select_related(
            "application",
            "application__post",
            "application__post__group",
            "application__session",
        )
        .order_by("-submitted_at", "-id")
    )


def activities_without_hours(user: User) -> QuerySet[Application]:
    """Return *user*'s finished, confirmed activities with no attendance yet.

    These are the activities the volunteer can report hours for. A session
    counts as finished when it has ended, and a year-round day from that
    day on, the same rule as attendance_submit_by_volunteer.
    """
    now = timezone.now()
    today = timezone.localtime(now, JAPAN).date()
    finished = Q(session__ends_at__lte=now) | Q(
        session__isnull=True, activity_date__lte=today
    )
    return (
        Application.objects.matches()
        .filter(finished, applicant=user, attendance__isnull=True)
        .select_related("post", "post__group", "session")
        .order_by(F("session__starts_at").desc(nulls_last=True), "-activity_date")
    )


def calendar_user(token: Any) -> User | None:
    """Return the active user whose calendar feed key is *token*, or None."""
    return User.objects.filter(calendar_token=token, is_active=True).first()


def calendar_applications(user: User) -> QuerySet[Application]:
    """Return *user*'s confirmed applications for the calendar feed."""
    return (
        Application.objects.matches()
        .filter(applicant=user)
        .select_related("post", "session")
        .order_by("id")
    )
