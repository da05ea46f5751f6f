"""The stored next session start under concurrent session changes, on PostgreSQL."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.concurrency import run_together
from tests.factories import GroupMembershipFactory, VolunteerPostFactory
from tests.volunteering.test_services_sessions_concurrency import THREADS
from volunteering.services import sessions

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_parallel_session_creates_store_earliest():
    post = VolunteerPostFactory()
    staff = GroupMembershipFactory(group=post.group).user
    base = timezone.now() + dt.timedelta(days=3)
    starts = [base + dt.timedelta(hours=hours) for hours in range(THREADS)]

    def create(starts_at: dt.datetime):
        return lambda: sessions.session_create(
            post_id=post.pk,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=1),
            capacity=3,
            created_by=staff,
        )

    # The latest start is created first in the list, so a lost update
    # would most likely leave a later value than the earliest.
    _results, errors = run_together(
        [create(starts_at) for starts_at in reversed(starts)]
    )
    assert errors == []
    post.refresh_from_db()
    assert post.next_session_starts_at == starts[0]
