"""Enrolling under concurrent requests, on PostgreSQL.

Each thread has its own database connection. Two residents who send the
same membership id at the same moment must not both be enrolled: the
partial unique constraint lets one through, and the other gets the
"already registered" message.
"""

from functools import partial

import pytest
from django.core.exceptions import ValidationError

from partner_links.models import ProgrammeEnrolment
from partner_links.services import programmes as programme_services
from tests.concurrency import run_together
from tests.factories import UserFactory
from tests.partner_links.factories import PointsProgrammeFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROUNDS = 5
RESIDENTS = 4


def test_same_membership_id_at_once():
    for round_number in range(ROUNDS):
        programme = PointsProgrammeFactory()
        residents = [UserFactory() for _ in range(RESIDENTS)]
        membership_id = f"{round_number:08d}"

        _results, errors = run_together(
            [
                partial(
                    programme_services.enrol,
                    resident=resident,
                    programme=programme,
                    membership_id=membership_id,
                )
                for resident in residents
            ]
        )

        enrolled = ProgrammeEnrolment.objects.filter(programme=programme)
        assert enrolled.count() == 1
        assert len(errors) == RESIDENTS - 1
        for error in errors:
            assert isinstance(error, ValidationError), repr(error)
            assert error.error_dict["membership_id"][0].code == "membership_id_in_use"
