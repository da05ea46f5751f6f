"""Keeping VolunteerPost.next_session_starts_at up to date.

The search orders and filters on this stored value instead of looking at
the sessions table for every published post. The session services refresh
the posts whose sessions they change, and a periodic task refreshes every
post, which rolls values forward as sessions start and corrects posts whose
sessions were changed without the services (the admin, bulk loads).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from volunteering import search_cache
from volunteering.models import VolunteerPost, VolunteerSession

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


def next_session_start(now: dt.datetime) -> Subquery:
    """Return the start of the outer post's first session after *now*."""
    return Subquery(
        VolunteerSession.objects.filter(post=OuterRef("pk"), starts_at__gt=now)
        .order_by("starts_at")
        .values("starts_at")[:1]
    )


@transaction.atomic
def refresh_next_session_starts(post_ids: Iterable[int] | None = None) -> int:
    """Store the next session start of the given posts, or of every post.

    Returns the number of posts whose value changed. With *post_ids* the
    posts are locked first, so two transactions that change sessions of
    one post store the value that includes both changes.
    """
    now = timezone.now()
    posts = VolunteerPost.objects.all()
    if post_ids is not None:
        ids = sorted(set(post_ids))
        locked = posts.select_for_update().filter(pk__in=ids).order_by("pk")
        list(locked.values_list("pk", flat=True))
        posts = posts.filter(pk__in=ids)
    rows = posts.annotate(actual=next_session_start(now)).values_list(
        "pk", "next_session_starts_at", "actual"
    )
    changed = [
        VolunteerPost(pk=pk, next_session_starts_at=actual)
        for pk, stored, actual in rows.iterator(chunk_size=2000)
        if stored != actual
    ]
    VolunteerPost.objects.bulk_update(
        changed, ["next_session_starts_at"], batch_size=BATCH_SIZE
    )
    # bulk_update sends no signals, and the callers' own writes (such as
    # bulk-created sessions) may not either.
    if post_ids is not None or changed:
        search_cache.bump_version()
    return len(changed)
