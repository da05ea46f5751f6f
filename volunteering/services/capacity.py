"""Places held on sessions and on year-round posts.

Confirmed and pending applications hold places; the sum never exceeds the
capacity. Every change of held places takes a row lock first (the session
row, or the post row for a year-round post), so concurrent applications
for one session queue up behind each other. On SQLite the write
transaction itself is exclusive (transaction_mode IMMEDIATE).
"""

import datetime as dt

from django.db.models import Sum

from volunteering.models import Application, VolunteerPost, VolunteerSession


def lock_session(session_id: int) -> VolunteerSession:
    """Return the session, locked until the end of the transaction."""
    return VolunteerSession.objects.select_for_update().get(pk=session_id)


def lock_post(post_id: int) -> VolunteerPost:
    """Return the post, locked until the end of the transaction."""
    return VolunteerPost.objects.select_for_update().get(pk=post_id)


def month_places_taken(post: VolunteerPost, day: dt.date) -> int:
    """Count people holding places on a year-round post in *day*'s month."""
    total = (
        Application.objects.holding_places()
        .filter(
            post=post,
            session__isnull=True,
            activity_date__year=day.year,
            activity_date__month=day.month,
        )
        .aggregate(total=Sum("party_size"))["total"]
    )
    return total or 0


def free_places_for(
    post: VolunteerPost, session: VolunteerSession | None, day: dt.date | None
) -> int | None:
    """Return free places on the target, or None when it has no limit.

    Call with locked rows before acting on the result.
    """
    if session is not None:
        return session.free_places
    if post.monthly_capacity is None or day is None:
        return None
    return max(post.monthly_capacity - month_places_taken(post, day), 0)


def adjust_places(session: VolunteerSession | None, delta: int) -> None:
    """Add *delta* to the places held on a locked session."""
    if session is None or delta == 0:
        return
    session.places_taken = max(session.places_taken + delta, 0)
    session.save(update_fields=["places_taken"])
