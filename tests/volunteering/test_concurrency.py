"""Capacity under concurrent applications, on a real PostgreSQL.

Thirty threads, each with its own database connection, apply at the same
moment to one session with five places. The row lock that
`capacity.lock_session` takes must queue them up so that exactly five are
confirmed. The second test switches the lock off to show that the first
test can detect overbooking.
"""

import threading
import time

import pytest
from django.db import connection

from tests.factories import UserFactory, VolunteerPostFactory, VolunteerSessionFactory
from volunteering.models import Application, VolunteerSession
from volunteering.services import applications, capacity

# serialized_rollback restores the reference data (municipalities, fields)
# that the flush after each transactional test removes.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

APPLICANTS = 30
CAPACITY = 5
# Pause after the unlocked read; an estimate of what lets every thread read
# the session before the first one writes it.
RACE_WINDOW_SECONDS = 0.2


@pytest.fixture(autouse=True)
def _no_mail(monkeypatch):
    # Mails are not under test, and each thread would send one on commit.
    monkeypatch.setattr(applications, "notify_application", lambda *args: None)


@pytest.fixture
def open_session():
    post = VolunteerPostFactory(auto_accept=True)
    return VolunteerSessionFactory(post=post, capacity=CAPACITY)


def apply_all_at_once(session: VolunteerSession) -> list[Exception]:
    """Apply APPLICANTS residents to *session* in parallel and return their errors."""
    users = [UserFactory(email=f"racer{n}@example.jp") for n in range(APPLICANTS)]
    barrier = threading.Barrier(APPLICANTS)
    errors: list[Exception] = []

    def apply(user):
        try:
            barrier.wait(timeout=30)
            applications.application_create_for_session(
                applicant=user, session_id=session.pk
            )
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=apply, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return errors


def count(session: VolunteerSession, status: str) -> int:
    return Application.objects.filter(session=session, status=status).count()


def test_parallel_applications_fill_exactly(open_session):
    errors = apply_all_at_once(open_session)

    open_session.refresh_from_db()
    assert errors == []
    assert count(open_session, Application.Status.CONFIRMED) == CAPACITY
    assert count(open_session, Application.Status.WAITLISTED) == APPLICANTS - CAPACITY
    assert open_session.places_taken == CAPACITY


def test_unlocked_applications_overbook(open_session, monkeypatch):
    def fetch_without_lock(session_id):
        session = VolunteerSession.objects.get(pk=session_id)
        time.sleep(RACE_WINDOW_SECONDS)
        return session

    monkeypatch.setattr(capacity, "lock_session", fetch_without_lock)

    errors = apply_all_at_once(open_session)

    assert errors == []
    assert count(open_session, Application.Status.CONFIRMED) > CAPACITY
