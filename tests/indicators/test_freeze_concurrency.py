"""Freezing a fiscal year under concurrent requests, on PostgreSQL.

Each thread has its own database connection. The snapshot rows are
created and then locked, so of several simultaneous freezes of one year
exactly one succeeds and the others are rejected as frozen already.
"""

import pytest
from django.core.exceptions import ValidationError

from indicators.models import IndicatorSnapshot
from indicators.services.snapshots import freeze_year, store_snapshots
from tests.concurrency import run_together
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 5


@pytest.mark.parametrize("stored_first", [False, True])
def test_parallel_freezes_freeze_once(stored_first):
    users = [
        UserFactory(email=f"pref{n}@example.jp", is_staff=True) for n in range(THREADS)
    ]
    if stored_first:
        store_snapshots(2021)

    results, errors = run_together(
        [lambda user=user: freeze_year(2021, user) for user in users]
    )

    assert len(results) == 1
    assert len(errors) == THREADS - 1
    assert all(isinstance(error, ValidationError) for error in errors), errors
    snapshots = IndicatorSnapshot.objects.filter(fiscal_year=2021)
    assert snapshots.count() == 6
    assert len({row.frozen_by_id for row in snapshots}) == 1
    assert all(row.frozen_at is not None for row in snapshots)
