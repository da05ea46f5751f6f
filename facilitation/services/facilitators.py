"""Facilitators, their training and their appointments to centres.

The rules themselves live on the models (clean methods and constraints):
one active chief, completion only after every session, regional
appointments only after a completed course, the chief only at the
prefectural centre and no overlapping appointments. The functions here
run those checks, lock what a concurrent request could change, and keep
the "facilitator" Django group in step with the records.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from civic_portal.accounts.models import User
from facilitation.models import (
    CourseCompletion,
    Facilitator,
    FacilitatorAppointment,
    TrainingAttendance,
    TrainingCourse,
    TrainingSession,
)
from facilitation.permissions import FACILITATOR_GROUP
from groups.models import SupportCentre

logger = logging.getLogger(__name__)


def roster() -> QuerySet[Facilitator]:
    """Return every facilitator with their user and appointments, chief first."""
    return (
        Facilitator.objects.select_related("user")
        .prefetch_related(
            Prefetch(
                "appointments",
                queryset=FacilitatorAppointment.objects.select_related(
                    "centre"
                ).order_by("-starts_on", "pk"),
            )
        )
        .order_by("kind", "-is_active", "user__full_name", "pk")
    )


@transaction.atomic
def register_facilitator(*, user: User, kind: str, by: User) -> Facilitator:
    """Give *user* the facilitator role with *kind*, or reactivate their record.

    Raises ValidationError when an active chief facilitator already exists.
    """
    facilitator = Facilitator.objects.select_for_update().filter(user=user).first()
    if facilitator is None:
        facilitator = Facilitator(user=user)
    facilitator.kind = kind
    facilitator.is_active = True
    facilitator.full_clean()
    try:
        with transaction.atomic():
            facilitator.save()
    except IntegrityError as error:
        # Another request made someone else chief between the check and the save.
        raise ValidationError(
            _(
                "There is already an active chief facilitator. "
                "Deactivate that record first."
            ),
            code="chief_exists",
        ) from error
    group, _created = Group.objects.get_or_create(name=FACILITATOR_GROUP)
    user.groups.add(group)
    logger.info(
        "Facilitator %s (%s) registered for user %s by user %s",
        facilitator.pk,
        kind,
        user.pk,
        by.pk,
    )
    return facilitator


@transaction.atomic
def deactivate_facilitator(*, facilitator: Facilitator, on: dt.date, by: User) -> None:
    """End the role: close open appointments on *on* and leave the Django group.

    Appointments starting on or after *on* are deleted, because they never
    took effect.
    """
    facilitator = Facilitator.objects.select_for_update().get(pk=facilitator.pk)
    facilitator.appointments.filter(starts_on__gte=on).delete()
    facilitator.appointments.filter(ends_on__isnull=True).update(ends_on=on)
    facilitator.appointments.filter(ends_on__gt=on).update(ends_on=on)
    facilitator.is_active = False
    facilitator.save(update_fields=["is_active"])
    facilitator.user.groups.remove(*Group.objects.filter(name=FACILITATOR_GROUP))
    logger.info("Facilitator %s deactivated by user %s", facilitator.pk, by.pk)


@transaction.atomic
def appoint(
    *,
    facilitator: Facilitator,
    centre: SupportCentre,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    by: User,
) -> FacilitatorAppointment:
    """Appoint *facilitator* to *centre*, or raise ValidationError with the reason.

    The facilitator's row is locked, so two concurrent appointments of the
    same person cannot both pass the overlap check.
    """
    Facilitator.objects.select_for_update().get(pk=facilitator.pk)
    if not facilitator.is_active:
        raise ValidationError(
            _("%(person)s is not an active facilitator. Reactivate them first."),
            code="inactive_facilitator",
            params={"person": facilitator.user},
        )
    appointment = FacilitatorAppointment(
        facilitator=facilitator, centre=centre, starts_on=starts_on, ends_on=ends_on
    )
    appointment.full_clean()
    appointment.save()
    logger.info(
        "Facilitator %s appointed to centre %s from %s by user %s",
        facilitator.pk,
        centre.pk,
        starts_on,
        by.pk,
    )
    return appointment


@transaction.atomic
def end_appointment(
    *, appointment: FacilitatorAppointment, ends_on: dt.date, by: User
) -> FacilitatorAppointment:
    """Set the last day of *appointment*, or raise ValidationError."""
    Facilitator.objects.select_for_update().get(pk=appointment.facilitator_id)
    appointment.ends_on = ends_on
    appointment.full_clean()
    appointment.save(update_fields=["ends_on"])
    logger.info(
        "Appointment %s ends on %s, set by user %s", appointment.pk, ends_on, by.pk
    )
    return appointment


@dataclass(frozen=True)
class AttendanceCell:
    """Whether the row's participant attended *session*."""

    session: TrainingSession
    attended: bool


@dataclass(frozen=True)
class AttendanceRow:
    """One participant of a course and their attendance, session by session."""

    person: User
    cells: list[AttendanceCell]
    completion: CourseCompletion | None

    @property
    def attended_every_session(self) -> bool:
        return bool(self.cells) and all(cell.attended for cell in self.cells)


def attendance_table(
    course: TrainingCourse,
) -> tuple[list[TrainingSession], list[AttendanceRow]]:
    """Return the course's sessions and one row per participant, in four queries."""
    sessions = list(course.sessions.order_by("held_on", "pk"))
    attendances = TrainingAttendance.objects.filter(session__course=course)
    attended = {(row.session_id, row.person_id) for row in attendances if row.attended}
    participants = User.objects.filter(pk__in=attendances.values("person_id")).order_by(
        "full_name", "pk"
    )
    completions = {
        completion.user_id: completion for completion in course.completions.all()
    }
    rows = [
        AttendanceRow(
            person=person,
            cells=[
                AttendanceCell(session, (session.pk, person.pk) in attended)
                for session in sessions
            ],
            completion=completions.get(person.pk),
        )
        for person in participants
    ]
    return sessions, rows


@transaction.atomic
def add_session(
    *, course: TrainingCourse, held_on: dt.date, title: str, by: User
) -> TrainingSession:
    """Add a session and enrol the course's participants in it, not attended yet."""
    session = TrainingSession(course=course, held_on=held_on, title=title)
    session.full_clean()
    session.save()
    participants = set(
        TrainingAttendance.objects.filter(session__course=course).values_list(
            "person_id", flat=True
        )
    )
    TrainingAttendance.objects.bulk_create(
        TrainingAttendance(session=session, person_id=person_id)
        for person_id in participants
    )
    logger.info(
        "Training session %s added to course %s by user %s",
        session.pk,
        course.pk,
        by.pk,
    )
    return session


@transaction.atomic
def enrol(*, course: TrainingCourse, person: User, by: User) -> None:
    """Enrol *person* in every session of *course*, or raise ValidationError."""
    sessions = list(course.sessions.all())
    if not sessions:
        raise ValidationError(
            _("Add a session to the course before enrolling participants."),
            code="no_sessions",
        )
    if TrainingAttendance.objects.filter(
        session__course=course, person=person
    ).exists():
        raise ValidationError(
            _("%(person)s is already enrolled in this course."),
            code="already_enrolled",
            params={"person": person},
        )
    TrainingAttendance.objects.bulk_create(
        TrainingAttendance(session=session, person=person) for session in sessions
    )
    logger.info("User %s enrolled in course %s by user %s", person.pk, course.pk, by.pk)


@transaction.atomic
def record_attendance(
    *, course: TrainingCourse, attended: Iterable[tuple[int, int]], by: User
) -> int:
    """Store the attendance table of *course* and return the rows changed.

    *attended* contains (session id, person id) pairs of ticked boxes. Every
    other enrolled pair is recorded as absent. Pairs outside the course or
    of people not enrolled are ignored, so a forged form cannot enrol anyone.
    """
    ticked = set(attended)
    rows = TrainingAttendance.objects.select_for_update().filter(session__course=course)
    changed = []
    for row in rows:
        value = (row.session_id, row.person_id) in ticked
        if row.attended != value:
            row.attended = value
            changed.append(row)
    TrainingAttendance.objects.bulk_update(changed, ["attended"])
    logger.info(
        "Attendance of course %s recorded by user %s: %d rows changed",
        course.pk,
        by.pk,
        len(changed),
    )
    return len(changed)


@transaction.atomic
def record_completion(
    *, course: TrainingCourse, person: User, completed_on: dt.date, by: User
) -> CourseCompletion:
    """Record that *person* completed *course*, or raise ValidationError.

    Completion needs attendance at every session of the course.
    """
    if CourseCompletion.objects.filter(course=course, user=person).exists():
        raise ValidationError(
            _("%(person)s has already completed this course."),
            code="already_completed",
            params={"person": person},
        )
    completion = CourseCompletion(
        course=course, user=person, completed_on=completed_on, recorded_by=by
    )
    completion.full_clean()
    completion.save()
    logger.info(
        "Completion of course %s by user %s recorded by user %s",
        course.pk,
        person.pk,
        by.pk,
    )
    return completion
