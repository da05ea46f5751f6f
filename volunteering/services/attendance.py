"""Recording attendance and hours after an activity.

Hours are per person: an Attendance belongs to one application, and the
high-school certification counts only the applicant's own confirmed hours.
A no-show keeps the match but records zero hours.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_portal.accounts.models import User
from civic_portal.fiscal import JAPAN
from volunteering.models import (
    Application,
    Attendance,
    VolunteerPost,
    VolunteerSession,
)
from volunteering.models.querysets import ApplicationQuerySet

from . import capacity
from .errors import ApplicationError

logger = logging.getLogger(__name__)

MAX_HOURS = Decimal("24")
RECORDED_STATUSES = (Attendance.Status.CONFIRMED, Attendance.Status.NO_SHOW)


def _activity_start(application: Application) -> dt.datetime:
    if application.session is not None:
        return application.session.starts_at
    assert application.activity_date is not None
    return dt.datetime.combine(application.activity_date, dt.time.min, tzinfo=JAPAN)


def _lock_application(application_id: int) -> Application:
    try:
        return (
            Application.objects.select_for_update(of=("self",))
            .select_related("session", "applicant")
            .get(pk=application_id)
        )
    except Application.DoesNotExist as error:
        raise ApplicationError(_("The application was not found.")) from error


def _check_hours(hours: Decimal) -> None:
    if not Decimal("0") < hours <= MAX_HOURS:
        raise ApplicationError(
            _("Enter hours per person greater than 0 and at most 24.")
        )


def confirmed_hours(user: User) -> Decimal:
    """Sum *user*'s confirmed hours on confirmed applications, per person."""
    total = Attendance.objects.filter(
        application__applicant=user,
        application__status=Application.Status.CONFIRMED,
        status=Attendance.Status.CONFIRMED,
    ).aggregate(total=Sum("hours"))["total"]
    return total or Decimal("0")


def _queue_milestone_mail(user: User, added_hours: Decimal) -> None:
    """Queue the milestone mail when *added_hours* took a student past it."""
    if added_hours <= 0 or not user.is_high_school_student:
        return
    threshold = Decimal(settings.HIGH_SCHOOL_CERTIFICATION_HOURS)
    total = confirmed_hours(user)
    if total >= threshold > total - added_hours:
        from volunteering.tasks import send_hours_milestone_mail

        transaction.on_commit(partial(send_hours_milestone_mail.delay, user.pk))
        logger.info("Hours milestone mail queued for user %s", user.pk)


def _confirmed_hours_of(attendance: Attendance | None) -> Decimal:
    if attendance is None or attendance.status != Attendance.Status.CONFIRMED:
        return Decimal("0")
    return attendance.hours


@transaction.atomic
def attendance_record(
    *,
    application_id: int,
    recorded_by: User,
    status: str,
    hours: Decimal,
    note: str = "",
) -> Attendance:
    """Record that a confirmed volunteer attended, or did not, with hours.

    Replaces an earlier record, including the volunteer's own submission.
    """
    if status not in RECORDED_STATUSES:
        raise ApplicationError(_("Choose attended or did not attend."))
    application = _lock_application(application_id)
    if application.status != Application.Status.CONFIRMED:
        raise ApplicationError(
            _("Attendance can be recorded only for confirmed applications.")
        )
    if _activity_start(application) > timezone.now():
        raise ApplicationError(
            _("Attendance can be recorded once the activity has started.")
        )
    if status == Attendance.Status.NO_SHOW:
        hours = Decimal("0")
    else:
        _check_hours(hours)

    existing = Attendance.objects.filter(application=application).first()
    before = _confirmed_hours_of(existing)
    attendance = existing or Attendance(application=application)
    attendance.status = status
    attendance.hours = hours
    attendance.note = note.strip()
    attendance.confirmed_by = recorded_by
    attendance.confirmed_at = timezone.now()
    attendance.save()
    logger.info(
        "Attendance %s of application %s recorded as %s by user %s",
        attendance.pk,
        application.pk,
        status,
        recorded_by.pk,
    )
    _queue_milestone_mail(
        application.applicant, _confirmed_hours_of(attendance) - before
    )
    return attendance


def planned_hours(session: VolunteerSession) -> Decimal:
    """Return the session's length in hours, at most 24, to 2 decimal places."""
    seconds = Decimal((session.ends_at - session.starts_at).total_seconds())
    return min(seconds / Decimal(3600), MAX_HOURS).quantize(Decimal("0.01"))


def _confirm_unrecorded(
    applications: ApplicationQuerySet, *, hours: Decimal, recorded_by: User
) -> list[Application]:
    """Confirm *hours* for each of *applications* that has no attendance yet.

    Call inside a transaction that holds the lock of the session or post.
    """
    unrecorded = list(
        applications.matches()
        .filter(attendance__isnull=True)
        .select_related("applicant")
        .order_by("pk")
    )
    now = timezone.now()
    Attendance.objects.bulk_create(
        Attendance(
            application=application,
            status=Attendance.Status.CONFIRMED,
            hours=hours,
            confirmed_by=recorded_by,
            confirmed_at=now,
        )
        for application in unrecorded
    )
    for application in unrecorded:
        _queue_milestone_mail(application.applicant, hours)
    return unrecorded


@transaction.atomic
def attendance_bulk_confirm_planned(*, session_id: int, recorded_by: User) -> int:
    """Confirm the planned hours for every confirmed application with no record.

    Returns the number of records created.
    """
    session = capacity.lock_session(session_id)
    if session.starts_at > timezone.now():
        raise ApplicationError(
            _("Attendance can be recorded once the activity has started.")
        )
    confirmed = _confirm_unrecorded(
        Application.objects.filter(session=session),
        hours=planned_hours(session),
        recorded_by=recorded_by,
    )
    logger.info(
        "Planned hours confirmed for %d applications of session %s by user %s",
        len(confirmed),
        session.pk,
        recorded_by.pk,
    )
    return len(confirmed)


@transaction.atomic
def attendance_bulk_confirm_day(
    *, post_id: int, activity_date: dt.date, hours: Decimal, recorded_by: User
) -> int:
    """Confirm *hours* for every confirmed application of a year-round day.

    A year-round post has no session times to plan hours from, so staff
    give the hours per person. Applications that already have a record
    keep it. Returns the number of records created.
    """
    post = capacity.lock_post(post_id)
    if not post.is_year_round:
        raise ApplicationError(
            _("This post has dated sessions. Record attendance on each session's page.")
        )
    if activity_date > timezone.localdate(timezone.now(), JAPAN):
        raise ApplicationError(
            _("Attendance can be recorded once the activity has started.")
        )
    _check_hours(hours)
    confirmed = _confirm_unrecorded(
        Application.objects.filter(
            post=post, session__isnull=True, activity_date=activity_date
        ),
        hours=hours,
        recorded_by=recorded_by,
    )
    logger.info(
        "%s hours confirmed for %d applications of post %s on %s by user %s",
        hours,
        len(confirmed),
        post.pk,
        activity_date.isoformat(),
        recorded_by.pk,
    )
    return len(confirmed)


def year_round_attendance_days(post: VolunteerPost) -> QuerySet:
    """Count confirmed applications per activity day of a year-round post.

    Returns one dict per day up to today (Japan date), newest first, with
    `activity_date`, `applications`, `people`, `recorded` (attended or did
    not attend) and `submitted` (hours awaiting approval).
    """
    today = timezone.localdate(timezone.now(), JAPAN)
    return (
        Application.objects.matches()
        .filter(post=post, session__isnull=True, activity_date__lte=today)
        .values("activity_date")
        .annotate(
            applications=Count("pk"),
            people=Sum("party_size"),
            recorded=Count("pk", filter=Q(attendance__status__in=RECORDED_STATUSES)),
            submitted=Count(
                "pk", filter=Q(attendance__status=Attendance.Status.SUBMITTED)
            ),
        )
        .order_by("-activity_date")
    )


@transaction.atomic
def attendance_submit_by_volunteer(
    *, application_id: int, volunteer: User, hours: Decimal, note: str = ""
) -> Attendance:
    """Store the volunteer's own hours for staff to approve."""
    application = _lock_application(application_id)
    if application.applicant_id != volunteer.pk:
        raise ApplicationError(
            _("You can report hours only for your own applications.")
        )
    if application.status != Application.Status.CONFIRMED:
        raise ApplicationError(
            _("Hours can be reported only for confirmed applications.")
        )
    if application.session is not None:
        finished = application.session.ends_at <= timezone.now()
    else:
        today = timezone.localtime(timezone.now(), JAPAN).date()
        finished = application.activity_date is not None and (
            application.activity_date <= today
        )
    if not finished:
        raise ApplicationError(_("Hours can be reported after the activity."))
    _check_hours(hours)

    existing = Attendance.objects.filter(application=application).first()
    if existing is not None and existing.status in RECORDED_STATUSES:
        raise ApplicationError(_("The group has already recorded your attendance."))
    attendance = existing or Attendance(application=application)
    attendance.status = Attendance.Status.SUBMITTED
    attendance.hours = hours
    attendance.note = note.strip()
    attendance.submitted_at = timezone.now()
    attendance.save()
    logger.info(
        "Attendance %s of application %s submitted by its volunteer",
        attendance.pk,
        application.pk,
    )
    return attendance


@transaction.atomic
def attendance_approve(*, attendance_id: int, approved_by: User) -> Attendance:
    """Confirm the hours a volunteer submitted."""
    attendance = (
        Attendance.objects.select_for_update(of=("self",))
        .select_related("application__applicant")
        .filter(pk=attendance_id)
        .first()
    )
    if attendance is None:
        raise ApplicationError(_("The attendance record was not found."))
    if attendance.status != Attendance.Status.SUBMITTED:
        raise ApplicationError(
            _("Only hours submitted by the volunteer can be approved.")
        )
    if attendance.application.status != Application.Status.CONFIRMED:
        raise ApplicationError(
            _("Attendance can be recorded only for confirmed applications.")
        )
    attendance.status = Attendance.Status.CONFIRMED
    attendance.confirmed_by = approved_by
    attendance.confirmed_at = timezone.now()
    attendance.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    logger.info("Attendance %s approved by user %s", attendance.pk, approved_by.pk)
    _queue_milestone_mail(attendance.application.applicant, attendance.hours)
    return attendance
