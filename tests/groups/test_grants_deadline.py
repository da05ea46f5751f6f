"""Tests for grant deadlines: a date means the end of that day in Japan."""

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from civic_portal.fiscal import JAPAN
from groups.services.events import grant_deadline, japan_end_of_day
from tests.factories import GrantNoticeFactory


def test_end_of_day_is_japan_time():
    deadline = japan_end_of_day(dt.date(2026, 5, 31))

    assert deadline == dt.datetime(2026, 5, 31, 23, 59, 59, tzinfo=JAPAN)
    # 23:59:59 in Japan is 14:59:59 UTC on the same date.
    assert deadline.astimezone(dt.UTC) == dt.datetime(
        2026, 5, 31, 14, 59, 59, tzinfo=dt.UTC
    )


def test_end_of_day_independent_of_server_zone(settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    with timezone.override("America/Los_Angeles"):
        deadline = japan_end_of_day(dt.date(2026, 5, 31))

    assert deadline.astimezone(dt.UTC).isoformat() == "2026-05-31T14:59:59+00:00"


def test_deadline_with_time():
    deadline = grant_deadline(dt.date(2026, 5, 31), dt.time(17, 0))

    assert deadline == dt.datetime(2026, 5, 31, 8, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("now_utc", "is_open"),
    [
        # 31 May 23:00 in Japan, but still 31 May in UTC.
        (dt.datetime(2026, 5, 31, 14, 0, tzinfo=dt.UTC), True),
        # 1 June 00:00:30 in Japan, but still 31 May 15:00 in UTC.
        (dt.datetime(2026, 5, 31, 15, 0, 30, tzinfo=dt.UTC), False),
        # 30 May 23:00 UTC is already 31 May 08:00 in Japan.
        (dt.datetime(2026, 5, 30, 23, 0, tzinfo=dt.UTC), True),
    ],
)
def test_open_filter_across_utc_date_boundary(client, settings, now_utc, is_open):
    settings.TIME_ZONE = "UTC"
    GrantNoticeFactory(
        title="五月締切", deadline=japan_end_of_day(dt.date(2026, 5, 31))
    )

    with mock.patch("django.utils.timezone.now", return_value=now_utc):
        response = client.get(reverse("groups:grant_list"), {"open": "on"})

    titles = [grant.title for grant in response.context["page"].object_list]
    assert titles == (["五月締切"] if is_open else [])
