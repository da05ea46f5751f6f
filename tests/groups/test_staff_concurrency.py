"""Two admins removing each other at the same moment, on PostgreSQL.

Each thread has its own connection. The group row lock makes the second
removal see the first, so the group keeps one admin.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from groups.models import GroupMembership
from groups.services import staff
from tests.concurrency import run_together
from tests.factories import CivicGroupFactory, GroupMembershipFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

Role = GroupMembership.Role


def test_admins_removing_each_other():
    group = CivicGroupFactory()
    first = GroupMembershipFactory(group=group, role=Role.ADMIN)
    second = GroupMembershipFactory(group=group, role=Role.ADMIN)

    _results, errors = run_together(
        [
            lambda: staff.remove_member(
                group_id=group.pk, by=first.user, membership_id=second.pk
            ),
            lambda: staff.remove_member(
                group_id=group.pk, by=second.user, membership_id=first.pk
            ),
        ]
    )

    assert len(errors) == 1
    assert isinstance(errors[0], PermissionDenied | ValidationError)
    assert group.memberships.filter(role=Role.ADMIN).count() == 1


def test_admins_leaving_together():
    group = CivicGroupFactory()
    admins = [GroupMembershipFactory(group=group, role=Role.ADMIN) for _ in range(3)]

    _results, errors = run_together(
        [
            lambda user=membership.user: staff.leave(group_id=group.pk, user=user)
            for membership in admins
        ]
    )

    assert len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    assert group.memberships.filter(role=Role.ADMIN).count() == 1
