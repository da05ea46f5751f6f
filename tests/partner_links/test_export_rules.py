"""Which participation rows an export may contain: every consent rule."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from civic_portal.fiscal import JAPAN
from partner_links import selectors
from partner_links.models import ProgrammeEnrolment
from partner_links.services import programmes as programme_services
from tests.factories import UserFactory, VolunteerPostFactory, VolunteerSessionFactory
from tests.partner_links.factories import (
    EnrolmentFactory,
    days_ago,
    minor_without_guardian,
    participation,
)
from volunteering.models import Application, Attendance

pytestmark = pytest.mark.django_db


def exported_ids(programme, **range_) -> list[int]:
    return [
        row.record_id
        for row in selectors.participation_rows(
            selectors.shareable_participation(programme, **range_)
        )
    ]


@pytest.fixture
def enrolment():
    return EnrolmentFactory()


def test_consenting_resident_exported(enrolment):
    attendance = participation(enrolment.resident, days_ago(3), hours="2.50")

    rows = list(
        selectors.participation_rows(
            selectors.shareable_participation(enrolment.programme)
        )
    )

    assert [row.record_id for row in rows] == [attendance.pk]
    assert rows[0].membership_id == enrolment.membership_id
    assert rows[0].activity_date == days_ago(3)
    assert rows[0].activity_title == attendance.application.post.title
    assert rows[0].hours == "2.5"


def test_resident_without_consent_not_exported(enrolment):
    participation(UserFactory(), days_ago(3))

    assert exported_ids(enrolment.programme) == []


def test_withdrawn_resident_not_exported(enrolment):
    participation(enrolment.resident, days_ago(3))
    assert len(exported_ids(enrolment.programme)) == 1

    programme_services.withdraw(enrolment=enrolment)

    assert exported_ids(enrolment.programme) == []


def test_reenrolment_starts_new_window(enrolment):
    before_withdrawal = participation(enrolment.resident, days_ago(10))
    programme_services.withdraw(enrolment=enrolment)
    renewed = EnrolmentFactory(
        programme=enrolment.programme,
        resident=enrolment.resident,
        consented_at=timezone.now() - dt.timedelta(days=2),
    )
    after_renewal = participation(enrolment.resident, days_ago(1))

    ids = exported_ids(enrolment.programme)

    assert ids == [after_renewal.pk]
    assert before_withdrawal.pk not in ids
    rows = list(
        selectors.participation_rows(
            selectors.shareable_participation(enrolment.programme)
        )
    )
    assert rows[0].membership_id == renewed.membership_id


def test_activity_before_consent_day_not_exported(enrolment):
    consent_day = timezone.localtime(enrolment.consented_at, JAPAN).date()
    before = participation(enrolment.resident, consent_day - dt.timedelta(days=1))
    on_the_day = participation(enrolment.resident, consent_day)

    assert exported_ids(enrolment.programme) == [on_the_day.pk]
    assert before.pk not in exported_ids(enrolment.programme)


def test_date_range_limits_rows(enrolment):
    early = participation(enrolment.resident, days_ago(20))
    middle = participation(enrolment.resident, days_ago(10))
    late = participation(enrolment.resident, days_ago(1))

    ids = exported_ids(enrolment.programme, since=days_ago(15), until=days_ago(5))

    assert ids == [middle.pk]
    assert early.pk not in ids
    assert late.pk not in ids


def test_range_includes_both_ends(enrolment):
    first = participation(enrolment.resident, days_ago(10))
    last = participation(enrolment.resident, days_ago(5))

    assert exported_ids(enrolment.programme, since=days_ago(10), until=days_ago(5)) == [
        first.pk,
        last.pk,
    ]


@pytest.mark.parametrize(
    ("attendance_status", "application_status"),
    [
        (Attendance.Status.SUBMITTED, Application.Status.CONFIRMED),
        (Attendance.Status.NO_SHOW, Application.Status.CONFIRMED),
        (Attendance.Status.CONFIRMED, Application.Status.CANCELLED_BY_STAFF),
    ],
)
def test_unconfirmed_participation_excluded(
    enrolment, attendance_status, application_status
):
    participation(
        enrolment.resident,
        days_ago(3),
        attendance_status=attendance_status,
        application_status=application_status,
    )

    assert exported_ids(enrolment.programme) == []


def test_other_programme_enrolment_not_exported(enrolment):
    other = EnrolmentFactory()
    participation(other.resident, days_ago(3))

    assert exported_ids(enrolment.programme) == []
    assert len(exported_ids(other.programme)) == 1


def test_resident_in_two_programmes_once_each(enrolment):
    second = EnrolmentFactory(resident=enrolment.resident, membership_id="99999999")
    participation(enrolment.resident, days_ago(3))

    first_rows = list(
        selectors.participation_rows(
            selectors.shareable_participation(enrolment.programme)
        )
    )
    second_rows = list(
        selectors.participation_rows(
            selectors.shareable_participation(second.programme)
        )
    )

    assert [row.membership_id for row in first_rows] == [enrolment.membership_id]
    assert [row.membership_id for row in second_rows] == ["99999999"]


def test_minor_without_guardian_consent_excluded():
    minor = minor_without_guardian(occupation="high_school")
    # Enrolled before the rule could be checked, for example by an import.
    enrolment = EnrolmentFactory(resident=minor)
    participation(minor, days_ago(3))

    assert exported_ids(enrolment.programme) == []

    minor.guardian_consent_at = timezone.now()
    minor.save(update_fields=["guardian_consent_at"])

    assert len(exported_ids(enrolment.programme)) == 1


def test_unknown_age_without_guardian_consent_excluded():
    enrolment = EnrolmentFactory(resident=UserFactory(birth_date=None))
    participation(enrolment.resident, days_ago(3))

    assert exported_ids(enrolment.programme) == []


def test_inactive_account_excluded(enrolment):
    participation(enrolment.resident, days_ago(3))
    enrolment.resident.is_active = False
    enrolment.resident.save(update_fields=["is_active"])

    assert exported_ids(enrolment.programme) == []


def test_session_day_counted_in_japan_time(enrolment):
    # 23:30 UTC is 08:30 the next day in Japan.
    day = days_ago(3)
    starts_at = dt.datetime.combine(
        day - dt.timedelta(days=1), dt.time(23, 30), tzinfo=dt.UTC
    )
    session = VolunteerSessionFactory(
        post=VolunteerPostFactory(),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
    )
    application = Application.objects.create(
        post=session.post,
        session=session,
        applicant=enrolment.resident,
        status=Application.Status.CONFIRMED,
    )
    Attendance.objects.create(
        application=application,
        status=Attendance.Status.CONFIRMED,
        hours=Decimal("2"),
    )

    rows = list(
        selectors.participation_rows(
            selectors.shareable_participation(enrolment.programme, since=day, until=day)
        )
    )

    assert [row.activity_date for row in rows] == [day]


def test_second_consenting_enrolment_rejected(enrolment):
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrolmentFactory(programme=enrolment.programme, resident=enrolment.resident)

    assert ProgrammeEnrolment.objects.count() == 1
