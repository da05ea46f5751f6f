"""Fixtures shared by the volunteering tests."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import VolunteerPostFactory


@pytest.fixture
def staff_client(client, group_staff):
    """A test client signed in as staff of the `group` fixture."""
    client.force_login(group_staff)
    return client


@pytest.fixture
def year_round_post(group):
    return VolunteerPostFactory(group=group, kind="year_round")


@pytest.fixture
def yesterday():
    """Yesterday in the site's time zone, Asia/Tokyo."""
    return timezone.localdate() - dt.timedelta(days=1)
