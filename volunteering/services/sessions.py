"""Adding, changing and deleting sessions, series of sessions, and calls.

Staff enter times in Japan time. A series is built as dates in Japan
time, each combined with the start and end time in Japan time.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from civic_portal.accounts.models import User
from civic_portal.fiscal import JAPAN
from volunteering.models import Application, VolunteerPost, VolunteerSession

from . import capacity
from .applications import promote_waitlist
from .errors import ApplicationError
from .next_session import refresh_next_session_starts
from .notifications import notify_session_times_changed

logger = logging.getLogger(__name__)

MAX_SERIES_SESSIONS = 100
CALL_WINDOW = dt.timedelta(days=7)
# How far ahead a session may start: far enough for a yearly event planned
# a year early, and short enough to catch a mistyped year such as 9999.
MAX_SESSION_LEAD = dt.timedelta(days=2 * 365)


def _latest_start() -> dt.datetime:
    return timezone.now() + MAX_SESSION_LEAD


def _too_far_ahead_message() -> str:
    latest = timezone.localtime(_latest_start(), JAPAN).date()
    return _(
        "The start is more than 2 years ahead. Enter a date on or before %(date)s."
    ) % {"date": date_format(latest, "SHORT_DATE_FORMAT")}


def _check_times(
    *, starts_at: dt.datetime, ends_at: dt.datetime, capacity_value: int
) -> None:
    errors: dict[str, str] = {}
    if starts_at <= timezone.now():
        errors["starts_at"] = _("The start is in the past. Enter a later time.")
    elif starts_at > _latest_start():
        errors["starts_at"] = _too_far_ahead_message()
    if ends_at <= starts_at:
        errors["ends_at"] = _("The end must be after the start.")
    if capacity_value < 1:
        errors["capacity"] = _("The capacity must be at least 1.")
    if errors:
        raise ValidationError(errors)


def _check_post_takes_sessions(post: VolunteerPost) -> None:
    if post.is_year_round:
        raise ValidationError(
            _("A year-round post has no dated sessions. Change its schedule first.")
        )
    if post.status == VolunteerPost.Status.CLOSED:
        raise ValidationError(_("A closed post can no longer get new sessions."))


@transaction.atomic
def session_create(
    *,
    post_id: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    created_by: User,
) -> VolunteerSession:
    """Add one session to a post with dated sessions."""
    post = VolunteerPost.objects.get(pk=post_id)
    _check_post_takes_sessions(post)
    _check_times(starts_at=starts_at, ends_at=ends_at, capacity_value=capacity)
    session = VolunteerSession.objects.create(
        post=post, starts_at=starts_at, ends_at=ends_at, capacity=capacity
    )
    refresh_next_session_starts([post.pk])
    logger.info(
        "Session %s added to post %s by user %s", session.pk, post.pk, created_by.pk
    )
    return session


@transaction.atomic
def session_update(
    *,
    session_id: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    changed_by: User,
) -> VolunteerSession:
    """Change a session's times and capacity, moving the waitlist up if it grows.

    Volunteers with an active application get a mail when the times change.
    """
    session = _lock(session_id)
    if session.has_started:
        raise ValidationError(
            _("This session has already started and can no longer be changed.")
        )
    _check_times(starts_at=starts_at, ends_at=ends_at, capacity_value=capacity)
    if capacity < session.places_taken:
        raise ValidationError(
            {
                "capacity": _(
                    "%(taken)d places are already taken. Enter a capacity of "
                    "%(taken)d or more, or cancel applications first."
                )
                % {"taken": session.places_taken}
            }
        )
    grew = capacity > session.capacity
    old_starts_at, old_ends_at = session.starts_at, session.ends_at
    session.starts_at, session.ends_at, session.capacity = starts_at, ends_at, capacity
    session.save(update_fields=["starts_at", "ends_at", "capacity"])
    refresh_next_session_starts([session.post_id])
    notify_session_times_changed(
        session, old_starts_at=old_starts_at, old_ends_at=old_ends_at
    )
    if grew:
        promoted = promote_waitlist(session.post, session, None)
        logger.info(
            "Session %s capacity raised: %d applications moved up",
            session.pk,
            len(promoted),
        )
    logger.info("Session %s changed by user %s", session.pk, changed_by.pk)
    return session


def _lock(session_id: int) -> VolunteerSession:
    session = capacity.lock_session(session_id)
    session.post = VolunteerPost.objects.select_related("group").get(pk=session.post_id)
    return session


@transaction.atomic
def session_delete(*, session_id: int, deleted_by: User) -> None:
    """Delete a session that has no active applications."""
    session = capacity.lock_session(session_id)
    active = Application.objects.active().filter(session=session).count()
    if active:
        raise ValidationError(
            _(
                "This session has %(count)d active applications. Cancel them "
                "first, then delete the session."
            )
            % {"count": active}
        )
    post_id = session.post_id
    session.delete()
    refresh_next_session_starts([post_id])
    logger.info(
        "Session %s of post %s deleted by user %s", session_id, post_id, deleted_by.pk
    )


# Series of sessions


@dataclass(frozen=True)
class SeriesPattern:
    """How often a series repeats, and when it starts and stops.

    `frequency` is "weekly" (on each of `weekdays`, Monday = 0) or
    "monthly". A monthly series repeats on `start_date`'s day of the month
    when `week_of_month` is None, and otherwise on `weekday` of that week
    (1 to 4 for the first to fourth, -1 for the last). It stops after
    `end_date` or after `count` sessions, whichever comes first.
    """

    frequency: str
    start_date: dt.date
    end_date: dt.date | None = None
    count: int | None = None
    weekdays: tuple[int, ...] = ()
    week_of_month: int | None = None
    weekday: int | None = None


def _nth_weekday(year: int, month: int, weekday: int, week: int) -> dt.date | None:
    days = [
        day
        for day in calendar.Calendar().itermonthdates(year, month)
        if day.month == month and day.weekday() == weekday
    ]
    if week == -1:
        return days[-1]
    return days[week - 1] if week <= len(days) else None


def _monthly_dates(pattern: SeriesPattern):  # type: ignore[no-untyped-def]
    year, month = pattern.start_date.year, pattern.start_date.month
    while True:
        if pattern.week_of_month is None:
            last_day = calendar.monthrange(year, month)[1]
            day = pattern.start_date.day
            candidate = dt.date(year, month, day) if day <= last_day else None
        else:
            assert pattern.weekday is not None
            candidate = _nth_weekday(
                year, month, pattern.weekday, pattern.week_of_month
            )
        if candidate is not None and candidate >= pattern.start_date:
            yield candidate
        month += 1
        if month == 13:
            year, month = year + 1, 1


def _weekly_dates(pattern: SeriesPattern):  # type: ignore[no-untyped-def]
    day = pattern.start_date
    while True:
        if day.weekday() in pattern.weekdays:
            yield day
        day += dt.timedelta(days=1)


def series_dates(pattern: SeriesPattern) -> list[dt.date]:
    """Return the dates of a series, at most MAX_SERIES_SESSIONS of them.

    Raises ValidationError for an incomplete pattern or one that gives
    more than MAX_SERIES_SESSIONS dates.
    """
    if pattern.end_date is None and pattern.count is None:
        raise ValidationError(_("Enter an end date or a number of sessions."))
    if pattern.end_date is not None and pattern.end_date < pattern.start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})
    if pattern.count is not None and not 1 <= pattern.count <= MAX_SERIES_SESSIONS:
        raise ValidationError(
            {
                "count": _("Enter a number of sessions from 1 to %(max)d.")
                % {"max": MAX_SERIES_SESSIONS}
            }
        )
    if pattern.frequency == "weekly":
        if not pattern.weekdays:
            raise ValidationError(
                {"weekdays": _("Choose at least one day of the week.")}
            )
        dates = _weekly_dates(pattern)
    elif pattern.frequency == "monthly":
        if pattern.week_of_month is not None and pattern.weekday is None:
            raise ValidationError({"weekday": _("Choose the day of the week.")})
        dates = _monthly_dates(pattern)
    else:
        raise ValidationError(_("Choose weekly or monthly."))

    limit = pattern.count or MAX_SERIES_SESSIONS
    result: list[dt.date] = []
    for day in dates:
        if pattern.end_date is not None and day > pattern.end_date:
            break
        if len(result) == limit:
            if pattern.count is None:
                raise ValidationError(
                    _(
                        "The series would have more than %(max)d sessions. Choose "
                        "an earlier end date."
                    )
                    % {"max": MAX_SERIES_SESSIONS}
                )
            break
        result.append(day)
    return result


def _japan_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=JAPAN)


def check_series(
    *,
    post: VolunteerPost,
    pattern: SeriesPattern,
    start_time: dt.time,
    end_time: dt.time,
    capacity: int,
) -> list[dt.date]:
    """Return the dates of a series, or raise every error that creating it would.

    The preview and session_series_create both call this, so a preview
    that lists dates is a series that can be created.
    """
    _check_post_takes_sessions(post)
    errors: dict[str, list[str]] = {}
    if end_time <= start_time:
        errors["end_time"] = [_("The end must be after the start.")]
    if capacity < 1:
        errors["capacity"] = [_("The capacity must be at least 1.")]
    try:
        dates = series_dates(pattern)
    except ValidationError as error:
        raise ValidationError({**errors, **_error_dict(error)}) from error
    if not dates:
        errors.setdefault(NON_FIELD_ERRORS, []).append(
            _("The pattern gives no dates. Check the dates.")
        )
    elif _japan_datetime(dates[0], start_time) <= timezone.now():
        errors["start_date"] = [
            _(
                "The first session, on %(date)s, would start in the past. "
                "Choose a later start date."
            )
            % {"date": date_format(dates[0], "SHORT_DATE_FORMAT")}
        ]
    elif _japan_datetime(dates[-1], start_time) > _latest_start():
        errors["end_date"] = [
            _(
                "The last session, on %(date)s, would start more than 2 years "
                "ahead. Choose an earlier end date or fewer sessions."
            )
            % {"date": date_format(dates[-1], "SHORT_DATE_FORMAT")}
        ]
    if errors:
        raise ValidationError(errors)
    return dates


def _error_dict(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {NON_FIELD_ERRORS: error.messages}


@transaction.atomic
def session_series_create(
    *,
    post_id: int,
    pattern: SeriesPattern,
    start_time: dt.time,
    end_time: dt.time,
    capacity: int,
    created_by: User,
) -> list[VolunteerSession]:
    """Add a session on each date of *pattern*, times in Japan time."""
    post = VolunteerPost.objects.get(pk=post_id)
    dates = check_series(
        post=post,
        pattern=pattern,
        start_time=start_time,
        end_time=end_time,
        capacity=capacity,
    )
    sessions = VolunteerSession.objects.bulk_create(
        VolunteerSession(
            post=post,
            starts_at=_japan_datetime(day, start_time),
            ends_at=_japan_datetime(day, end_time),
            capacity=capacity,
        )
        for day in dates
    )
    refresh_next_session_starts([post.pk])
    logger.info(
        "Series of %d sessions added to post %s by user %s",
        len(sessions),
        post.pk,
        created_by.pk,
    )
    return sessions


# Calls to residents


def call_unavailable_reason(
    session: VolunteerSession, *, now: dt.datetime | None = None
) -> str | None:
    """Return why no call can be sent for *session* now, or None if one can.

    A call is allowed once per session, for a session of a post open for
    applications that starts within CALL_WINDOW and still has free places.
    The staff page shows the call button only where this returns None.
    """
    now = now or timezone.now()
    if session.call_sent_at is not None:
        return _("A call for this session was already sent on %(date)s.") % {
            "date": date_format(
                timezone.localtime(session.call_sent_at), "SHORT_DATETIME_FORMAT"
            )
        }
    if not session.post.is_open_for_applications:
        return _("The post is not open for applications, so no call can be sent.")
    if session.starts_at <= now:
        return _("This session has already started or ended.")
    if session.starts_at > now + CALL_WINDOW:
        return _("A call can be sent only for sessions that start within 7 days.")
    if session.free_places == 0:
        return _("This session is full, so no call is needed.")
    return None


@transaction.atomic
def session_send_call(*, session_id: int, sent_by: User) -> None:
    """Queue one call to residents to fill a session's free places.

    Raises ApplicationError when call_unavailable_reason gives a reason.
    """
    session = _lock(session_id)
    now = timezone.now()
    reason = call_unavailable_reason(session, now=now)
    if reason is not None:
        raise ApplicationError(reason)

    session.call_sent_at = now
    session.save(update_fields=["call_sent_at"])
    from volunteering.tasks import send_session_call

    transaction.on_commit(partial(send_session_call.delay, session.pk))
    logger.info("Call for session %s queued by user %s", session.pk, sent_by.pk)
