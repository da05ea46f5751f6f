"""Factories and helpers for the partner-link tests."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from civic_portal.fiscal import JAPAN
from partner_links.models import PointsProgramme, ProgrammeEnrolment, SchoolLink
from tests.facilitation.factories import PartnerFactory
from tests.factories import ApplicationFactory, VolunteerPostFactory
from volunteering.models import Application, Attendance


class PointsProgrammeFactory(factory.django.DjangoModelFactory):
    """An active programme whose membership ids are eight digits."""

    class Meta:
        model = PointsProgramme

    name = factory.Sequence(lambda n: f"やまぐち健康ポイント{n}")
    partner = factory.SubFactory(PartnerFactory)
    membership_id_pattern = r"[0-9]{8}"
    membership_id_example = "12345678"


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """A consenting enrolment, consented 30 days ago."""

    class Meta:
        model = ProgrammeEnrolment

    programme = factory.SubFactory(PointsProgrammeFactory)
    resident = factory.SubFactory("tests.factories.UserFactory")
    membership_id = factory.Sequence(lambda n: f"{n:08d}")
    consented_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30))


class SchoolLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolLink

    student = factory.SubFactory(
        "tests.factories.UserFactory", occupation="high_school"
    )
    school_name = "山口県立山口高等学校"
    teacher_name = "防府 先生"
    teacher_email = "teacher@school.example.jp"
    consented_at = factory.LazyFunction(timezone.now)


def minor_without_guardian(**fields):
    """Create a 16-year-old with no guardian's agreement on record."""
    from tests.factories import UserFactory

    return UserFactory(
        birth_date=days_ago(16 * 366), guardian_consent_at=None, **fields
    )


def days_ago(days: int) -> dt.date:
    """Return the day *days* before today, in Japan time."""
    return timezone.localtime(timezone.now(), JAPAN).date() - dt.timedelta(days=days)


def participation(
    resident,
    day: dt.date,
    *,
    hours: str = "2.5",
    attendance_status: str = Attendance.Status.CONFIRMED,
    application_status: str = Application.Status.CONFIRMED,
    post=None,
) -> Attendance:
    """Create *resident*'s year-round activity on *day* with its attendance."""
    application = ApplicationFactory(
        session=None,
        post=post or VolunteerPostFactory(kind="year_round"),
        applicant=resident,
        activity_date=day,
        status=application_status,
    )
    return Attendance.objects.create(
        application=application,
        status=attendance_status,
        hours=Decimal(hours),
        confirmed_at=timezone.now(),
    )
