"""Selecting volunteer posts and sessions that fit a resident's interests.

A post fits a resident when its activity field is one of the resident's
interest fields and its municipality is one of the resident's interest
municipalities. A resident who left one of the two lists empty is matched
on the other alone. A resident with both lists empty gets no matching
mail and no session calls, because "no interests" must not mean "all
posts". High-school students are offered only posts that welcome them.

Only dated sessions are offered, because every offer carries a one-step
apply link to one session. Year-round posts are not in matching mails.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from civic_portal.accounts.models import User
from volunteering.models import Application, VolunteerPost, VolunteerSession

# Upper bounds that keep one mail readable and its queries small.
MAX_POSTS_PER_MAIL = 20
MAX_SESSIONS_PER_POST = 5

MATCHING_PERIODS: dict[str, dt.timedelta] = {
    User.MatchingMailFrequency.DAILY: dt.timedelta(days=1),
    User.MatchingMailFrequency.WEEKLY: dt.timedelta(days=7),
}


@dataclass(frozen=True)
class PostOffer:
    """A post offered to a resident, with the sessions they can apply to."""

    post: VolunteerPost
    sessions: list[VolunteerSession]


def matching_mail_recipients(frequency: str) -> QuerySet[User]:
    """Active users with a confirmed address who chose *frequency* mails."""
    if frequency not in MATCHING_PERIODS:
        raise ValueError(f"Unknown matching mail frequency {frequency!r}.")
    return (
        User.objects.filter(
            is_active=True,
            email_confirmed=True,
            matching_mail_frequency=frequency,
        )
        .filter(_has_interests())
        .order_by("pk")
    )


def matching_period_start(user: User, frequency: str, now: dt.datetime) -> dt.datetime:
    """Return the moment since which new posts go into *user*'s next mail.

    That is the last matching mail, or one period back for a first mail.
    """
    if user.matching_mail_last_sent_at is not None:
        return user.matching_mail_last_sent_at
    return now - MATCHING_PERIODS[frequency]


def offers_for_resident(
    user: User,
    *,
    published_since: dt.datetime,
    published_until: dt.datetime | None = None,
    limit: int = MAX_POSTS_PER_MAIL,
) -> list[PostOffer]:
    """Return posts published after *published_since* that fit *user*.

    With *published_until*, posts published later are left for the next
    mail, which starts from that moment.

    Each post comes with its upcoming sessions that have free places and
    that *user* has not applied to yet. Posts without such a session are
    left out. Runs four queries whatever the number of posts.
    """
    field_ids = list(user.interest_fields.values_list("pk", flat=True))
    municipality_ids = list(user.interest_municipalities.values_list("pk", flat=True))
    if not field_ids and not municipality_ids:
        return []

    sessions = _open_sessions_for(user)
    candidates = _posts_fitting(user, field_ids, municipality_ids).filter(
        published_at__gt=published_since
    )
    if published_until is not None:
        candidates = candidates.filter(published_at__lte=published_until)
    posts = (
        candidates.filter(Exists(sessions.filter(post=OuterRef("pk"))))
        .select_related("group", "municipality", "activity_field")
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=sessions.order_by("starts_at", "pk")[:MAX_SESSIONS_PER_POST],
                to_attr="offered_sessions",
            )
        )
        .order_by("-published_at", "-pk")[:limit]
    )
    return [PostOffer(post=post, sessions=post.offered_sessions) for post in posts]


def residents_for_session_call(session: VolunteerSession) -> QuerySet[User]:
    """Users to tell about *session*: interested, reachable, not applied yet.

    Only users who chose to receive matching mails (daily or weekly) are
    called, since the call is a matching mail about one session.
    """
    post = session.post
    active_applications = Application.objects.active().filter(
        applicant=OuterRef("pk"), session=session
    )
    residents = (
        User.objects.filter(is_active=True, email_confirmed=True)
        .exclude(matching_mail_frequency=User.MatchingMailFrequency.NEVER)
        .filter(_has_interests())
        .filter(_interest_fits(post.activity_field_id, post.municipality_id))
        .exclude(Exists(active_applications))
        .exclude(group_memberships__group_id=post.group_id)
    )
    if not post.welcomes_high_school:
        residents = residents.exclude(occupation=User.Occupation.HIGH_SCHOOL_STUDENT)
    return residents.order_by("pk")


def _has_interests() -> Q:
    fields = User.interest_fields.through.objects.filter(user=OuterRef("pk"))
    places = User.interest_municipalities.through.objects.filter(user=OuterRef("pk"))
    return Q(Exists(fields)) | Q(Exists(places))


def _interest_fits(field_id: int, municipality_id: int) -> Q:
    """Users whose interests fit a post in that field and municipality."""
    fields = User.interest_fields.through.objects.filter(user=OuterRef("pk"))
    places = User.interest_municipalities.through.objects.filter(user=OuterRef("pk"))
    field_fits = Exists(fields.filter(activityfield_id=field_id)) | ~Exists(fields)
    place_fits = Exists(places.filter(municipality_id=municipality_id)) | ~Exists(
        places
    )
    return Q(field_fits) & Q(place_fits)


def _posts_fitting(
    user: User, field_ids: list[int], municipality_ids: list[int]
) -> QuerySet[VolunteerPost]:
    posts = VolunteerPost.objects.published().filter(kind=VolunteerPost.Kind.SESSIONS)
    posts = posts.filter(
        Q(application_deadline__isnull=True)
        | Q(application_deadline__gt=timezone.now())
    )
    if field_ids:
        posts = posts.filter(activity_field_id__in=field_ids)
    if municipality_ids:
        posts = posts.filter(municipality_id__in=municipality_ids)
    if user.is_high_school_student:
        posts = posts.filter(welcomes_high_school=True)
    return posts


def _open_sessions_for(user: User) -> QuerySet[VolunteerSession]:
    """Upcoming sessions with free places that *user* has not applied to."""
    applied = Application.objects.active().filter(
        applicant=user, session=OuterRef("pk")
    )
    return (
        VolunteerSession.objects.upcoming().with_free_places().exclude(Exists(applied))
    )
