"""Appointments and the chief facilitator under concurrent requests, on PostgreSQL.

Each thread has its own database connection. The facilitator row lock
must let only one of two overlapping appointments through, and the
partial unique index must let only one of two new chiefs through.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from facilitation.models import Facilitator
from facilitation.services import facilitators as services
from tests.concurrency import run_together
from tests.facilitation.factories import (
    FacilitatorFactory,
    complete_course,
    municipal_centre,
)
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROUNDS = 5


def test_overlapping_appointments_at_once():
    manager = UserFactory(is_staff=True)
    for index in range(ROUNDS):
        facilitator = FacilitatorFactory(user__email=f"parallel{index}@example.jp")
        complete_course(facilitator.user)

        def appoint(starts_on, f=facilitator):
            return services.appoint(
                facilitator=f,
                centre=municipal_centre(),
                starts_on=starts_on,
                by=manager,
            )

        results, errors = run_together(
            [
                lambda: appoint(dt.date(2026, 4, 1)),
                lambda: appoint(dt.date(2026, 5, 1)),
            ]
        )

        assert len(results) == 1
        assert len(errors) == 1
        assert isinstance(errors[0], ValidationError)
        assert facilitator.appointments.count() == 1


def test_two_chiefs_at_once():
    manager = UserFactory(is_staff=True)
    for index in range(ROUNDS):
        Facilitator.objects.filter(kind="chief").update(is_active=False)
        first = UserFactory(email=f"chief-a{index}@example.jp")
        second = UserFactory(email=f"chief-b{index}@example.jp")

        results, errors = run_together(
            [
                lambda u=first: services.register_facilitator(
                    user=u, kind="chief", by=manager
                ),
                lambda u=second: services.register_facilitator(
                    user=u, kind="chief", by=manager
                ),
            ]
        )

        assert len(results) == 1
        assert len(errors) == 1
        assert isinstance(errors[0], ValidationError)
        assert Facilitator.objects.filter(kind="chief", is_active=True).count() == 1
