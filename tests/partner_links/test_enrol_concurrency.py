"""Enrolling under concurrent requests, on PostgreSQL.

Each thread has its own database connection. Two residents who send the
same membership id at the same moment must not both be enrolled: the
partial unique constraint lets one through, and the other gets the
"already registered" message.
"""

import threading
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from partner_links.models import ProgrammeEnrolment
from partner_links.services import programmes as programme_services
from tests.factories import UserFactory
from tests.partner_links.factories import PointsProgrammeFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROUNDS = 5
RESIDENTS = 4


def run_together(functions) -> list[Exception]:
    """Run *functions* in parallel threads, each with its own connection."""
    barrier = threading.Barrier(len(functions))
    errors: list[Exception] = []

    def run(function):
        try:
            barrier.wait(timeout=30)
            function()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_same_membership_id_at_once():
    for round_number in range(ROUNDS):
        programme = PointsProgrammeFactory()
        residents = [UserFactory() for _ in range(RESIDENTS)]
        membership_id = f"{round_number:08d}"

        errors = run_together(
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
