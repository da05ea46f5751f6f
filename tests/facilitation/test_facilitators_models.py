import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from facilitation.models import CourseCompletion, Facilitator, FacilitatorAppointment
from facilitation.permissions import centres_of
from tests.facilitation.factories import (
    FacilitatorFactory,
    TrainingSessionFactory,
    chief_facilitator,
    complete_course,
    municipal_centre,
    prefectural_centre,
    regional_facilitator,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def appointment(facilitator, centre, starts_on, ends_on=None):
    return FacilitatorAppointment(
        facilitator=facilitator, centre=centre, starts_on=starts_on, ends_on=ends_on
    )


def error_codes(error: ValidationError) -> set[str]:
    """Return the codes of every message of a ValidationError from full_clean."""
    return {item.code for items in error.error_dict.values() for item in items}


def test_regional_without_course_rejected():
    facilitator = FacilitatorFactory()

    with pytest.raises(ValidationError) as raised:
        appointment(facilitator, municipal_centre(), dt.date(2026, 4, 1)).full_clean()

    assert "training_not_completed" in error_codes(raised.value)
    assert "has not completed a training course" in str(raised.value)


def test_regional_with_course_appointed():
    facilitator = FacilitatorFactory()
    complete_course(facilitator.user)

    appointment(facilitator, municipal_centre(), dt.date(2026, 4, 1)).full_clean()


def test_chief_only_at_prefectural_centre():
    chief = FacilitatorFactory(kind=Facilitator.Kind.CHIEF)

    with pytest.raises(ValidationError) as raised:
        appointment(chief, municipal_centre(), dt.date(2026, 4, 1)).full_clean()

    assert "chief_not_prefectural" in error_codes(raised.value)
    appointment(chief, prefectural_centre(), dt.date(2026, 4, 1)).full_clean()


def test_second_active_chief_rejected():
    chief_facilitator()
    second = Facilitator(user=UserFactory(), kind=Facilitator.Kind.CHIEF)

    with pytest.raises(ValidationError) as raised:
        second.full_clean()

    assert "already an active chief facilitator" in str(raised.value)


def test_second_active_chief_rejected_by_database():
    chief_facilitator()

    with pytest.raises(IntegrityError):
        FacilitatorFactory(kind=Facilitator.Kind.CHIEF)


def test_inactive_chief_allows_successor():
    old = chief_facilitator()
    old.is_active = False
    old.save()

    FacilitatorFactory(kind=Facilitator.Kind.CHIEF)

    assert Facilitator.objects.filter(kind="chief", is_active=True).count() == 1


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [
        (dt.date(2026, 6, 1), None),
        (dt.date(2026, 1, 1), dt.date(2026, 4, 1)),
        (dt.date(2027, 3, 31), dt.date(2027, 5, 1)),
    ],
)
def test_overlapping_appointment_rejected(starts_on, ends_on):
    facilitator = regional_facilitator(starts_on=dt.date(2026, 4, 1))
    FacilitatorAppointment.objects.filter(facilitator=facilitator).update(
        ends_on=dt.date(2027, 3, 31)
    )

    with pytest.raises(ValidationError) as raised:
        appointment(facilitator, municipal_centre(), starts_on, ends_on).full_clean()

    assert "overlapping_appointment" in error_codes(raised.value)


def test_adjacent_appointment_allowed():
    facilitator = regional_facilitator(starts_on=dt.date(2026, 4, 1))
    FacilitatorAppointment.objects.filter(facilitator=facilitator).update(
        ends_on=dt.date(2027, 3, 31)
    )

    appointment(facilitator, municipal_centre(), dt.date(2027, 4, 1)).full_clean()


def test_same_period_other_centre_allowed():
    facilitator = regional_facilitator(starts_on=dt.date(2026, 4, 1))

    appointment(facilitator, municipal_centre(1), dt.date(2026, 4, 1)).full_clean()


def test_end_on_start_day_rejected():
    facilitator = regional_facilitator(starts_on=dt.date(2020, 4, 1))

    with pytest.raises(ValidationError) as raised:
        appointment(
            facilitator, municipal_centre(1), dt.date(2026, 4, 1), dt.date(2026, 4, 1)
        ).full_clean()

    assert "ends_on" in raised.value.message_dict


def test_end_before_start_rejected_by_database():
    facilitator = regional_facilitator()

    with pytest.raises(IntegrityError):
        FacilitatorAppointment.objects.create(
            facilitator=facilitator,
            centre=municipal_centre(1),
            starts_on=dt.date(2026, 4, 1),
            ends_on=dt.date(2026, 3, 1),
        )


def test_completion_needs_every_session():
    first = TrainingSessionFactory()
    TrainingSessionFactory(course=first.course)
    person = FacilitatorFactory().user
    first.attendances.create(person=person, attended=True)

    completion = CourseCompletion(
        course=first.course, user=person, completed_on=dt.date(2026, 7, 1)
    )
    with pytest.raises(ValidationError) as raised:
        completion.full_clean()

    assert "missed 1 session(s)" in str(raised.value)


def test_completion_of_course_without_sessions_rejected():
    session = TrainingSessionFactory()
    person = FacilitatorFactory().user
    course = session.course
    session.delete()

    with pytest.raises(ValidationError) as raised:
        CourseCompletion(
            course=course, user=person, completed_on=dt.date(2026, 7, 1)
        ).full_clean()

    assert "no sessions" in str(raised.value)


def test_centres_of_follows_dates():
    facilitator = regional_facilitator(starts_on=dt.date(2026, 4, 1))
    FacilitatorAppointment.objects.filter(facilitator=facilitator).update(
        ends_on=dt.date(2027, 3, 31)
    )
    user = facilitator.user

    assert list(centres_of(user, dt.date(2026, 3, 31))) == []
    assert list(centres_of(user, dt.date(2026, 4, 1))) == [municipal_centre()]
    assert list(centres_of(user, dt.date(2027, 3, 31))) == [municipal_centre()]
    assert list(centres_of(user, dt.date(2027, 4, 1))) == []


def test_centres_of_inactive_facilitator_empty():
    facilitator = regional_facilitator()
    facilitator.is_active = False
    facilitator.save()

    assert list(centres_of(facilitator.user, dt.date(2026, 4, 1))) == []
