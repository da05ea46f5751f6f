"""Information-sharing meetings: scheduling, agendas, action items, iCalendar.

The chief facilitator schedules series and single meetings, edits them
and adds action items. Administrators read every meeting. A regional
facilitator reads the meetings they attend. An action item's owner reads
its meeting and marks the item done.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from icalendar import Event as CalendarEvent

from civic_portal.accounts.models import User
from civic_portal.fiscal import JAPAN
from civic_portal.types import AnyUser
from facilitation.models import (
    ActionItem,
    CaseNote,
    CaseStage,
    CaseStageChange,
    CollaborationCase,
    Facilitator,
    Meeting,
    MeetingSeries,
)
from facilitation.permissions import (
    can_read_every_case,
    facilitator_of,
    is_chief_facilitator,
)
from volunteering.calendar_feed import new_calendar, stable_uid
from volunteering.services.sessions import (
    MAX_SERIES_SESSIONS,
    SeriesPattern,
    series_dates,
)

logger = logging.getLogger(__name__)

PRODUCT_ID = "-//Yamaguchi Civic Activity Portal//Facilitation//JA"

# Without a previous meeting, the agenda lists the changes of this many
# days up to the drafting, or up to the meeting if it has already begun.
FIRST_AGENDA_LOOKBACK = dt.timedelta(days=30)


def visible_meetings(user: AnyUser) -> QuerySet[Meeting]:
    """Return the meetings *user* may read.

    The chief facilitator and administrators read all. A facilitator reads
    the meetings they attend, and the owner of an action item reads that
    item's meeting.
    """
    if not user.is_authenticated:
        return Meeting.objects.none()
    if can_read_every_case(user):
        return Meeting.objects.all()
    facilitator = facilitator_of(user)
    condition = Q(pk__in=ActionItem.objects.filter(owner_id=user.pk).values("meeting"))
    if facilitator is not None:
        attended = Meeting.objects.filter(attendees=facilitator).values("pk")
        condition |= Q(pk__in=attended)
    return Meeting.objects.filter(condition)


def visible_series(user: AnyUser) -> QuerySet[MeetingSeries]:
    """Return the series *user* reads: all for can_read_every_case, else attended."""
    if not user.is_authenticated:
        return MeetingSeries.objects.none()
    if can_read_every_case(user):
        return MeetingSeries.objects.all()
    facilitator = facilitator_of(user)
    if facilitator is None:
        return MeetingSeries.objects.none()
    return MeetingSeries.objects.filter(attendees=facilitator)


def _require_chief(user: AnyUser) -> None:
    if not is_chief_facilitator(user):
        raise ValidationError(
            _("Only the chief facilitator schedules and edits meetings."),
            code="not_chief_facilitator",
        )


def attendee_choices() -> QuerySet[Facilitator]:
    """Return the facilitators who can be invited to meetings."""
    return (
        Facilitator.objects.active()
        .filter(kind=Facilitator.Kind.REGIONAL)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )


@dataclass(frozen=True)
class SeriesPlan:
    """The pattern, times and place of a new meeting series, in Japan time."""

    title: str
    location: str
    frequency: str
    weekday: int
    week_of_month: int | None
    start_time: dt.time
    end_time: dt.time
    starts_on: dt.date
    ends_on: dt.date


def series_meeting_dates(plan: SeriesPlan) -> list[dt.date]:
    """Return the dates of *plan*, or raise ValidationError naming the field.

    The dates come from the volunteering series helper, and a series has
    at most MAX_SERIES_SESSIONS meetings, the helper's limit.
    """
    errors: dict[str, list[str]] = {}
    if plan.end_time <= plan.start_time:
        errors["end_time"] = [_("The end time must be after the start time.")]
    if plan.frequency == MeetingSeries.Frequency.MONTHLY and plan.week_of_month is None:
        errors["week_of_month"] = [_("Choose the week of the month.")]
    if errors:
        raise ValidationError(errors)
    pattern = SeriesPattern(
        frequency=plan.frequency,
        start_date=plan.starts_on,
        end_date=plan.ends_on,
        count=MAX_SERIES_SESSIONS,
        weekdays=(plan.weekday,),
        week_of_month=(
            plan.week_of_month
            if plan.frequency == MeetingSeries.Frequency.MONTHLY
            else None
        ),
        weekday=plan.weekday,
    )
    try:
        dates = series_dates(pattern)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            renamed = {
                {"end_date": "ends_on", "start_date": "starts_on"}.get(key, key): value
                for key, value in error.error_dict.items()
            }
            raise ValidationError(renamed) from error
        raise
    if not dates:
        raise ValidationError(
            _("The series has no meeting between these dates. Check the dates."),
            code="no_dates",
        )
    if len(dates) == MAX_SERIES_SESSIONS:
        after_last = replace(
            pattern, start_date=dates[-1] + dt.timedelta(days=1), count=1
        )
        if series_dates(after_last):
            raise ValidationError(
                {
                    "ends_on": _(
                        "The series would have more than %(max)d meetings. "
                        "Choose an earlier last date."
                    )
                    % {"max": MAX_SERIES_SESSIONS}
                },
                code="too_many_dates",
            )
    return dates


def _japan_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=JAPAN)


def schedule_series(
    user: AnyUser, plan: SeriesPlan, attendees: Iterable[Facilitator]
) -> MeetingSeries:
    """Create a series and one meeting per date, each with *attendees*.

    Agendas stay empty: the daily task drafts each one shortly before the
    meeting, so that it lists the changes up to then.
    """
    _require_chief(user)
    dates = series_meeting_dates(plan)
    attendees = list(attendees)
    with transaction.atomic():
        series = MeetingSeries.objects.create(
            title=plan.title.strip(),
            location=plan.location.strip(),
            frequency=plan.frequency,
            weekday=plan.weekday,
            week_of_month=(
                plan.week_of_month
                if plan.frequency == MeetingSeries.Frequency.MONTHLY
                else None
            ),
            start_time=plan.start_time,
            end_time=plan.end_time,
            starts_on=plan.starts_on,
            ends_on=plan.ends_on,
            created_by_id=user.pk,
        )
        series.attendees.set(attendees)
        meetings = Meeting.objects.bulk_create(
            Meeting(
                series=series,
                title=series.title,
                location=series.location,
                starts_at=_japan_datetime(day, plan.start_time),
                ends_at=_japan_datetime(day, plan.end_time),
                created_by_id=user.pk,
            )
            for day in dates
        )
        through = Meeting.attendees.through
        through.objects.bulk_create(
            through(meeting_id=meeting.pk, facilitator_id=facilitator.pk)
            for meeting in meetings
            for facilitator in attendees
        )
    logger.info(
        "Series %s with %s meetings scheduled by user %s",
        series.pk,
        len(meetings),
        user.pk,
    )
    return series


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError(
            {"ends_at": _("The meeting must end after it starts.")},
            code="ends_before_start",
        )


def create_meeting(
    user: AnyUser,
    *,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    location: str,
    attendees: Iterable[Facilitator],
) -> Meeting:
    """Schedule a single meeting and draft its agenda now."""
    _require_chief(user)
    _check_times(starts_at, ends_at)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            title=title.strip(),
            starts_at=starts_at,
            ends_at=ends_at,
            location=location.strip(),
            created_by_id=user.pk,
        )
        meeting.attendees.set(list(attendees))
        meeting.agenda = draft_agenda(meeting)
        meeting.agenda_drafted_at = timezone.now()
        meeting.save(update_fields=["agenda", "agenda_drafted_at"])
    logger.info("Meeting %s scheduled by user %s", meeting.pk, user.pk)
    return meeting


def update_meeting(
    meeting: Meeting,
    user: AnyUser,
    *,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    location: str,
    agenda: str,
    minutes: str,
    attendees: Iterable[Facilitator],
) -> None:
    """Change a meeting, its agenda and minutes.

    A change of time, place or title raises the iCalendar SEQUENCE, so
    calendar apps that imported the meeting replace their copy.
    """
    _require_chief(user)
    _check_times(starts_at, ends_at)
    title, location = title.strip(), location.strip()
    if (meeting.title, meeting.starts_at, meeting.ends_at, meeting.location) != (
        title,
        starts_at,
        ends_at,
        location,
    ):
        meeting.sequence += 1
    meeting.title = title
    meeting.starts_at = starts_at
    meeting.ends_at = ends_at
    meeting.location = location
    meeting.agenda = agenda.strip()
    meeting.minutes = minutes.strip()
    with transaction.atomic():
        meeting.save()
        meeting.attendees.set(list(attendees))
    logger.info("Meeting %s edited by user %s", meeting.pk, user.pk)


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """Return the meeting before *meeting*: in its series, or any if alone."""
    earlier = Meeting.objects.filter(starts_at__lt=meeting.starts_at)
    if meeting.series_id is not None:
        earlier = earlier.filter(series_id=meeting.series_id)
    return earlier.order_by("-starts_at", "-pk").first()


def changes_since(
    since: dt.datetime, until: dt.datetime
) -> tuple[list[CaseStageChange], list[CaseNote]]:
    """Return the stage changes and new case notes made between the two times."""
    stage_changes = list(
        CaseStageChange.objects.filter(created_at__gt=since, created_at__lte=until)
        .exclude(from_stage="")
        .select_related("case", "actor")
        .order_by("created_at", "pk")
    )
    notes = list(
        CaseNote.objects.filter(created_at__gt=since, created_at__lte=until)
        .select_related("case")
        .order_by("created_at", "pk")
    )
    return stage_changes, notes


def _day(moment: dt.datetime) -> str:
    return date_format(moment.astimezone(JAPAN).date(), "SHORT_DATE_FORMAT")


def draft_agenda(meeting: Meeting, now: dt.datetime | None = None) -> str:
    """Return an agenda drafted from the open cases and the recent changes.

    It lists every open case with its stage and centre, and the stage
    changes and case notes since the previous meeting started, up to now
    or the meeting's start if that is earlier. For the first meeting the
    window starts FIRST_AGENDA_LOOKBACK before its end. Last
    come the action items of earlier meetings that are not done. The text
    is in the active language, and the chief facilitator edits it freely
    afterwards.
    """
    now = now or timezone.now()
    previous = previous_meeting(meeting)
    until = min(now, meeting.starts_at)
    since = (
        previous.starts_at if previous is not None else until - FIRST_AGENDA_LOOKBACK
    )
    open_cases = (
        CollaborationCase.objects.exclude(
            stage__in=[CaseStage.COMPLETED, CaseStage.DISCONTINUED]
        )
        .select_related("centre")
        .order_by("centre__name", "title", "pk")
    )
    stage_changes, notes = changes_since(since, until)
    open_items = (
        ActionItem.objects.filter(done=False, meeting__starts_at__lt=meeting.starts_at)
        .select_related("owner")
        .order_by("due_on", "pk")
    )
    lines = [_("1. Open collaboration cases")]
    lines += [
        f"- {case.title} ({CaseStage(case.stage).label}, {case.centre})"
        for case in open_cases
    ] or [_("- None")]
    lines += ["", _("2. Changes since %(date)s") % {"date": _day(since)}]
    lines += [
        _("- %(title)s: %(from)s → %(to)s (%(date)s)")
        % {
            "title": change.case.title,
            "from": CaseStage(change.from_stage).label,
            "to": CaseStage(change.to_stage).label,
            "date": _day(change.created_at),
        }
        for change in stage_changes
    ]
    lines += [
        _("- %(title)s: new meeting note of %(date)s")
        % {
            "title": note.case.title,
            "date": date_format(note.held_on, "SHORT_DATE_FORMAT"),
        }
        for note in notes
    ]
    if not stage_changes and not notes:
        lines.append(_("- None"))
    lines += ["", _("3. Open action items")]
    lines += [
        _("- %(title)s (%(owner)s, due %(date)s)")
        % {
            "title": item.title,
            "owner": item.owner.get_short_name(),
            "date": date_format(item.due_on, "SHORT_DATE_FORMAT"),
        }
        for item in open_items
    ] or [_("- None")]
    lines += ["", _("4. Other business")]
    return "\n".join(lines)


def redraft_agenda(meeting: Meeting, user: AnyUser) -> None:
    """Replace the meeting's agenda with a fresh draft."""
    _require_chief(user)
    meeting.agenda = draft_agenda(meeting)
    meeting.agenda_drafted_at = timezone.now()
    meeting.save(update_fields=["agenda", "agenda_drafted_at", "updated_at"])
    logger.info("Agenda of meeting %s redrafted by user %s", meeting.pk, user.pk)


def owner_choices(meeting: Meeting) -> QuerySet[User]:
    """Return the users who may own an action item of *meeting*.

    They are the chief facilitator and the meeting's attendees, so every
    owner can read the meeting.
    """
    return (
        User.objects.filter(
            Q(facilitator__kind=Facilitator.Kind.CHIEF, facilitator__is_active=True)
            | Q(facilitator__meetings=meeting)
        )
        .filter(is_active=True)
        .distinct()
        .order_by("full_name", "pk")
    )


def add_action_item(
    meeting: Meeting,
    user: AnyUser,
    *,
    title: str,
    owner: User,
    due_on: dt.date,
    case: CollaborationCase | None = None,
) -> ActionItem:
    """Add an action item to *meeting*, owned by the chief or an attendee."""
    _require_chief(user)
    if not owner_choices(meeting).filter(pk=owner.pk).exists():
        raise ValidationError(
            {
                "owner": _(
                    "%(person)s does not attend this meeting. Choose the chief "
                    "facilitator or an attendee."
                )
                % {"person": owner.get_short_name()}
            },
            code="owner_not_attendee",
        )
    item = ActionItem.objects.create(
        meeting=meeting,
        case=case,
        title=title.strip(),
        owner=owner,
        due_on=due_on,
        created_by_id=user.pk,
    )
    logger.info(
        "Action item %s added to meeting %s by user %s", item.pk, meeting.pk, user.pk
    )
    return item


def can_update_item(user: AnyUser, item: ActionItem) -> bool:
    """Tell whether *user* may mark *item* done: its owner or the chief."""
    return item.owner_id == user.pk or is_chief_facilitator(user)


def set_item_done(item: ActionItem, user: AnyUser, done: bool) -> None:
    """Mark *item* done or not done."""
    if not can_update_item(user, item):
        raise ValidationError(
            _("Only the owner or the chief facilitator marks this item."),
            code="not_item_owner",
        )
    item.done = done
    item.done_at = timezone.now() if done else None
    item.save(update_fields=["done", "done_at"])
    logger.info("Action item %s marked done=%s by user %s", item.pk, done, user.pk)


def reschedule_item(item: ActionItem, user: AnyUser, due_on: dt.date) -> None:
    """Move the item's due date; the owner is reminded again if it passes."""
    _require_chief(user)
    if due_on != item.due_on:
        item.due_on = due_on
        item.reminder_sent_at = None
        item.save(update_fields=["due_on", "reminder_sent_at"])
    logger.info("Action item %s due on %s, set by user %s", item.pk, due_on, user.pk)


def overdue_items(today: dt.date) -> QuerySet[ActionItem]:
    """Return the items past their due date whose owner was not reminded yet."""
    return ActionItem.objects.filter(
        done=False, due_on__lt=today, reminder_sent_at__isnull=True
    )


def _calendar_event(meeting: Meeting, stamp: dt.datetime) -> CalendarEvent:
    component = CalendarEvent()
    component.add("uid", stable_uid("facilitation-meeting", meeting.pk))
    component.add("dtstamp", stamp)
    component.add("sequence", meeting.sequence)
    component.add("summary", meeting.title)
    component.add("location", meeting.location)
    component.add("dtstart", meeting.starts_at.astimezone(JAPAN))
    component.add("dtend", meeting.ends_at.astimezone(JAPAN))
    if meeting.agenda:
        component.add("description", meeting.agenda)
    return component


def build_meetings_calendar(meetings: Iterable[Meeting], name: str) -> bytes:
    """Return the iCalendar (RFC 5545) text of *meetings*.

    Times carry TZID=Asia/Tokyo with a VTIMEZONE; the icalendar library
    escapes text and folds lines at 75 octets.
    """
    calendar = new_calendar(name, PRODUCT_ID)
    stamp = timezone.now().astimezone(dt.UTC)
    for meeting in meetings:
        calendar.add_component(_calendar_event(meeting, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()
