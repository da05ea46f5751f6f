"""Tests for the reads behind the public and resident pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from tests.factories import (
    ApplicationFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)
from volunteering import selectors
from volunteering.models import Attendance, VolunteerPost

pytestmark = pytest.mark.django_db


def finished_application(user):
    starts = timezone.now() - dt.timedelta(days=2)
    session = VolunteerSessionFactory(
        starts_at=starts, ends_at=starts + dt.timedelta(hours=2)
    )
    return ApplicationFactory(applicant=user, session=session)


def test_hours_total_matches_history(resident):
    for hours in ("1.5", "2", "3.25"):
        Attendance.objects.create(
            application=finished_application(resident),
            status=Attendance.Status.CONFIRMED,
            hours=Decimal(hours),
        )
    Attendance.objects.create(
        application=finished_application(resident),
        status=Attendance.Status.SUBMITTED,
        hours=Decimal("5"),
    )
    history = list(selectors.hours_history(resident))
    assert selectors.confirmed_hours_total(resident) == Decimal("6.75")
    assert sum(row.hours for row in history) == Decimal("6.75")
    assert len(selectors.hours_awaiting_approval(resident)) == 1


def test_activities_without_hours(resident):
    finished = finished_application(resident)
    ApplicationFactory(applicant=resident)
    reported = finished_application(resident)
    Attendance.objects.create(application=reported, status="submitted", hours=1)
    assert list(selectors.activities_without_hours(resident)) == [finished]


def test_post_for_viewer_preview(resident, group_staff, group):
    draft = VolunteerPostFactory(group=group, status=VolunteerPost.Status.DRAFT)
    with pytest.raises(Http404):
        selectors.post_for_viewer(resident, draft.pk)
    assert selectors.post_for_viewer(group_staff, draft.pk) == draft
    assert not selectors.is_public(draft)


def test_own_application_or_404(resident, other_resident):
    application = ApplicationFactory(applicant=resident)
    assert selectors.own_application_or_404(resident, application.pk) == application
    with pytest.raises(Http404):
        selectors.own_application_or_404(other_resident, application.pk)


def test_can_cancel(resident):
    assert selectors.can_cancel(ApplicationFactory(applicant=resident))
    assert not selectors.can_cancel(finished_application(resident))


def test_calendar_user(resident):
    assert selectors.calendar_user(resident.calendar_token) == resident
    resident.rotate_calendar_token()
    assert selectors.calendar_user(resident.calendar_token) == resident
