import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from facilitation.models import Facilitator, TrainingAttendance
from facilitation.permissions import (
    FACILITATOR_GROUP,
    centres_of,
    is_chief_facilitator,
    is_facilitator,
)
from facilitation.services import facilitators as services
from tests.facilitation.factories import (
    TrainingCourseFactory,
    TrainingSessionFactory,
    municipal_centre,
    prefectural_centre,
    regional_facilitator,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_register_gives_role(chief):
    person = UserFactory()

    facilitator = services.register_facilitator(user=person, kind="regional", by=chief)

    assert facilitator.is_active
    assert is_facilitator(person)
    assert not is_chief_facilitator(person)


def test_register_second_chief_rejected(chief):
    with pytest.raises(ValidationError) as raised:
        services.register_facilitator(user=UserFactory(), kind="chief", by=chief)

    assert "already an active chief facilitator" in str(raised.value)
    assert Facilitator.objects.filter(kind="chief").count() == 1


def test_reactivate_after_deactivation(chief):
    facilitator = regional_facilitator(email="back@example.jp")
    services.deactivate_facilitator(
        facilitator=facilitator, on=dt.date(2026, 9, 30), by=chief
    )

    assert not is_facilitator(facilitator.user)

    services.register_facilitator(user=facilitator.user, kind="regional", by=chief)

    assert is_facilitator(facilitator.user)
    assert Facilitator.objects.filter(user=facilitator.user).count() == 1


def test_deactivate_drops_future_appointments(chief):
    facilitator = regional_facilitator(email="future@example.jp")
    services.appoint(
        facilitator=facilitator,
        centre=municipal_centre(1),
        starts_on=dt.date(2027, 4, 1),
        by=chief,
    )

    services.deactivate_facilitator(
        facilitator=facilitator, on=dt.date(2026, 9, 30), by=chief
    )

    assert list(facilitator.appointments.values_list("ends_on", flat=True)) == [
        dt.date(2026, 9, 30)
    ]


def test_appoint_inactive_rejected(chief):
    facilitator = regional_facilitator(email="inactive@example.jp")
    Facilitator.objects.filter(pk=facilitator.pk).update(is_active=False)
    facilitator.refresh_from_db()

    with pytest.raises(ValidationError) as raised:
        services.appoint(
            facilitator=facilitator,
            centre=municipal_centre(1),
            starts_on=dt.date(2026, 4, 1),
            by=chief,
        )

    assert "not an active facilitator" in str(raised.value)


def test_permission_needs_group_and_record(chief):
    person = UserFactory()
    services.register_facilitator(user=person, kind="regional", by=chief)
    person.groups.filter(name=FACILITATOR_GROUP).delete()

    assert not is_facilitator(person)


def test_centres_of_defaults_to_today(chief):
    assert list(centres_of(chief)) == [prefectural_centre()]


def test_completion_twice_rejected(chief):
    session = TrainingSessionFactory()
    person = UserFactory()
    TrainingAttendance.objects.create(session=session, person=person, attended=True)
    services.record_completion(
        course=session.course, person=person, completed_on=dt.date(2026, 7, 1), by=chief
    )

    with pytest.raises(ValidationError) as raised:
        services.record_completion(
            course=session.course,
            person=person,
            completed_on=dt.date(2026, 7, 2),
            by=chief,
        )

    assert "already completed" in str(raised.value)


def test_enrol_without_sessions_rejected(chief):
    with pytest.raises(ValidationError) as raised:
        services.enrol(course=TrainingCourseFactory(), person=UserFactory(), by=chief)

    assert "Add a session" in str(raised.value)


def test_attendance_table_rows(chief):
    course = TrainingCourseFactory()
    first = TrainingSessionFactory(course=course, held_on=dt.date(2026, 6, 1))
    person = UserFactory()
    services.enrol(course=course, person=person, by=chief)
    second = services.add_session(
        course=course, held_on=dt.date(2026, 7, 1), title="第2回", by=chief
    )
    services.record_attendance(
        course=course, attended={(first.pk, person.pk)}, by=chief
    )

    sessions, [row] = services.attendance_table(course)

    assert sessions == [first, second]
    assert [cell.attended for cell in row.cells] == [True, False]
    assert not row.attended_every_session
