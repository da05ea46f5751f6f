"""Concurrent proposals of one worker, on PostgreSQL.

Two concierges propose the same worker (max_projects=1) to two requests
at the same moment, each in a thread with its own database connection.
The row lock on the worker must let exactly one proposal through.
"""

import pytest
from django.core.exceptions import ValidationError

from probono.models import Proposal
from probono.services import proposals
from tests.concurrency import run_together
from tests.factories import ProbonoWorkerFactory, SupportRequestFactory
from tests.probono.factories_proposals import make_concierge

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Each round races two proposals for a fresh worker. Several rounds make
# a lost race without the lock very likely to show.
ROUNDS = 5


def test_parallel_proposals_respect_capacity():
    concierges = [make_concierge(f"concierge{n}@example.jp") for n in range(2)]
    for round_number in range(ROUNDS):
        worker = ProbonoWorkerFactory(max_projects=1)
        requests = [SupportRequestFactory(state="searching") for _ in range(2)]

        results, errors = run_together(
            [
                lambda r=request, c=concierge, w=worker: proposals.propose(r, w, c)
                for request, concierge in zip(requests, concierges, strict=True)
            ]
        )

        assert len(results) == 1, f"round {round_number}: {len(results)} succeeded"
        assert len(errors) == 1
        assert isinstance(errors[0], ValidationError)
        assert errors[0].code == "no_capacity"
        assert Proposal.objects.filter(worker=worker).count() == 1
        assert proposals.load_of(worker) == 1
