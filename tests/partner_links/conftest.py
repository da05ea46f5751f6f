"""Fixtures shared by the partner-link tests."""

import pytest

from tests.factories import UserFactory
from tests.partner_links.factories import PointsProgrammeFactory


@pytest.fixture
def programme():
    return PointsProgrammeFactory()


@pytest.fixture
def partner_user(programme):
    """A partner account listed on the `programme` fixture."""
    user = UserFactory(email="partner@health.example.jp")
    programme.partner_accounts.add(user)
    return user
