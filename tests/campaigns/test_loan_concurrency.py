"""Concurrent loan requests for one item, on PostgreSQL.

Several participants request the last units of an item for overlapping
days at the same moment, each in a thread with its own database
connection. The row lock on the item must let only as many through as
there are units.
"""

import functools

import pytest
from django.core.exceptions import ValidationError

from campaigns.models import Loan
from campaigns.services import loans
from tests.campaigns.factories import LoanItemFactory, ParticipationFactory
from tests.concurrency import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Each round races PARALLEL requests of one unit for an item of UNITS.
ROUNDS = 5
PARALLEL = 6
UNITS = 2


def request_one(participation, item, day):
    # Every participation has its own campaign, all with the same period.
    return loans.request_loan(
        participation,
        participation.user,
        item=item,
        quantity=1,
        starts_on=day,
        ends_on=day,
    )


def test_parallel_requests_never_exceed_quantity():
    for _ in range(ROUNDS):
        item = LoanItemFactory(quantity=UNITS)
        participations = [ParticipationFactory() for _ in range(PARALLEL)]
        campaign_start = participations[0].campaign.starts_on

        results, errors = run_together(
            [
                functools.partial(request_one, participation, item, campaign_start)
                for participation in participations
            ]
        )

        assert len(results) == UNITS
        assert len(errors) == PARALLEL - UNITS
        assert all(isinstance(error, ValidationError) for error in errors)
        assert Loan.objects.filter(item=item).count() == UNITS
