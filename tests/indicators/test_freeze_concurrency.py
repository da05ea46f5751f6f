"""Freezing a fiscal year under concurrent requests, on PostgreSQL.

Each thread has its own database connection. The snapshot rows are
created and then locked, so of several simultaneous freezes of one year
exactly one succeeds and the others are rejected as frozen already.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from indicators.models import IndicatorSnapshot
from indicators.services.snapshots import freeze_year, store_snapshots
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 5


def run_together(functions) -> tuple[int, list[Exception]]:
    """Run *functions* in parallel threads; return (successes, errors)."""
    barrier = threading.Barrier(len(functions))
    errors: list[Exception] = []
    successes: list[int] = []

    def run(function):
        try:
            barrier.wait(timeout=30)
            function()
            successes.append(1)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return len(successes), errors


@pytest.mark.parametrize("stored_first", [False, True])
def test_parallel_freezes_freeze_once(stored_first):
    users = [
        UserFactory(email=f"pref{n}@example.jp", is_staff=True) for n in range(THREADS)
    ]
    if stored_first:
        store_snapshots(2021)

    successes, errors = run_together(
        [lambda user=user: freeze_year(2021, user) for user in users]
    )

    assert successes == 1
    assert len(errors) == THREADS - 1
    assert all(isinstance(error, ValidationError) for error in errors), errors
    snapshots = IndicatorSnapshot.objects.filter(fiscal_year=2021)
    assert snapshots.count() == 6
    assert len({row.frozen_by_id for row in snapshots}) == 1
    assert all(row.frozen_at is not None for row in snapshots)
