"""Session calls and capacity changes under concurrent requests, on PostgreSQL.

Each thread has its own database connection. The session row lock must
let exactly one of several simultaneous calls through, and must keep a
capacity cut from slipping under places taken by parallel applications.
"""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from tests.concurrency import run_together
from tests.factories import (
    GroupMembershipFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)
from volunteering.models import VolunteerSession
from volunteering.services import applications, sessions

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 10


def test_parallel_calls_send_once():
    post = VolunteerPostFactory()
    staff = GroupMembershipFactory(group=post.group).user
    session = VolunteerSessionFactory(post=post)
    with mock.patch("volunteering.tasks.send_session_call.delay") as delay:
        _results, errors = run_together(
            [
                lambda: sessions.session_send_call(session_id=session.pk, sent_by=staff)
                for _ in range(THREADS)
            ]
        )
    assert len(errors) == THREADS - 1
    assert all(isinstance(error, ValidationError) for error in errors)
    delay.assert_called_once_with(session.pk)


def test_capacity_cut_never_below_places_taken(monkeypatch):
    monkeypatch.setattr(applications, "notify_application", lambda *args: None)
    post = VolunteerPostFactory(auto_accept=True)
    staff = GroupMembershipFactory(group=post.group).user
    session = VolunteerSessionFactory(post=post, capacity=10)
    users = [UserFactory(email=f"parallel{n}@example.jp") for n in range(THREADS)]

    def cut():
        sessions.session_update(
            session_id=session.pk,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            capacity=3,
            changed_by=staff,
        )

    def apply(user):
        return lambda: applications.application_create_for_session(
            applicant=user, session_id=session.pk
        )

    run_together([cut, *[apply(user) for user in users]])
    session = VolunteerSession.objects.get(pk=session.pk)
    assert session.places_taken <= session.capacity
    holding = session.applications.filter(status__in=["pending", "confirmed"])
    assert holding.count() == session.places_taken
