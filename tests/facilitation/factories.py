"""Factories and helpers for the collaboration app's test data."""

import datetime as dt

import factory
from django.contrib.auth.models import Group

from civic_portal.accounts.models import User
from facilitation.models import (
    CourseCompletion,
    Facilitator,
    FacilitatorAppointment,
    Partner,
    Recognition,
    RecognitionKind,
    TrainingAttendance,
    TrainingCourse,
    TrainingSession,
)
from facilitation.permissions import FACILITATOR_GROUP
from groups.models import SupportCentre
from tests.factories import CivicGroupFactory, UserFactory, municipality


class PartnerFactory(factory.django.DjangoModelFactory):
    """An active company in Yamaguchi City with a contact person."""

    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"山口テック株式会社{n}")
    kind = Partner.Kind.COMPANY
    contact_name = "周防 花子"
    contact_email = factory.Sequence(lambda n: f"contact{n}@company.example.jp")
    contact_phone = "083-922-1111"
    municipality = factory.LazyFunction(municipality)


class FacilitatorFactory(factory.django.DjangoModelFactory):
    """A regional facilitator who is in the "facilitator" Django group."""

    class Meta:
        model = Facilitator
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    kind = Facilitator.Kind.REGIONAL

    @factory.post_generation
    def join_group(self, create, extracted, **kwargs):
        if create:
            group, _ = Group.objects.get_or_create(name=FACILITATOR_GROUP)
            self.user.groups.add(group)


class TrainingCourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingCourse

    title = factory.Sequence(lambda n: f"地域ファシリテーター養成講座{n}")
    fiscal_year = 2026


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    course = factory.SubFactory(TrainingCourseFactory)
    held_on = factory.Sequence(lambda n: dt.date(2026, 6, 1) + dt.timedelta(days=7 * n))
    title = factory.Sequence(lambda n: f"第{n + 1}回 協働の基礎")


class RecognitionFactory(factory.django.DjangoModelFactory):
    """An award of fiscal 2026 to a civic group."""

    class Meta:
        model = Recognition

    kind = RecognitionKind.AWARD
    fiscal_year = 2026
    title = "地域貢献賞"
    citation = "長年の里山保全活動に対して"
    group = factory.SubFactory(CivicGroupFactory)
    partner = None
    designated_on = dt.date(2026, 11, 3)


def prefectural_centre() -> SupportCentre:
    return SupportCentre.objects.get(scope=SupportCentre.Scope.PREFECTURE)


def municipal_centre(index: int = 0) -> SupportCentre:
    """Return the municipal centre at *index* in the reference data's order."""
    return SupportCentre.objects.filter(scope=SupportCentre.Scope.MUNICIPAL).order_by(
        "pk"
    )[index]


def complete_course(
    user: User, course: TrainingCourse | None = None
) -> CourseCompletion:
    """Record that *user* attended every session of a course and completed it."""
    course = course or TrainingCourseFactory()
    sessions = list(course.sessions.all()) or [TrainingSessionFactory(course=course)]
    for session in sessions:
        TrainingAttendance.objects.update_or_create(
            session=session, person=user, defaults={"attended": True}
        )
    return CourseCompletion.objects.create(
        course=course, user=user, completed_on=sessions[-1].held_on
    )


def chief_facilitator(
    email: str = "chief@example.jp", starts_on: dt.date = dt.date(2020, 4, 1)
) -> Facilitator:
    """Create the chief facilitator, appointed to the prefectural centre."""
    facilitator = FacilitatorFactory(user__email=email, kind=Facilitator.Kind.CHIEF)
    FacilitatorAppointment.objects.create(
        facilitator=facilitator, centre=prefectural_centre(), starts_on=starts_on
    )
    return facilitator


def regional_facilitator(
    email: str = "regional@example.jp",
    centre: SupportCentre | None = None,
    starts_on: dt.date = dt.date(2020, 4, 1),
) -> Facilitator:
    """Create a trained regional facilitator appointed to a municipal centre."""
    facilitator = FacilitatorFactory(user__email=email)
    complete_course(facilitator.user)
    FacilitatorAppointment.objects.create(
        facilitator=facilitator,
        centre=centre or municipal_centre(),
        starts_on=starts_on,
    )
    return facilitator
