"""Writes of events and grant notices, with the rules that hold across fields.

Event status changes allowed: draft → published, draft → cancelled and
published → cancelled. A cancelled event stays on its page, marked as
cancelled, and can no longer be edited. Grant deadlines are instants; a
deadline entered as a date means the end of that day in Japan time.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_portal.accounts.models import User
from civic_portal.fiscal import JAPAN
from groups.models import ActivityField, CivicGroup, Event, GrantNotice

logger = logging.getLogger(__name__)

Status = Event.Status

# The fields staff fill in on the event form, in form order.
EVENT_FIELDS = (
    "title",
    "description",
    "starts_at",
    "ends_at",
    "municipality",
    "place",
    "is_online",
    "fee",
    "fee_note",
    "how_to_apply",
)
GRANT_FIELDS = (
    "title",
    "funder",
    "amount",
    "max_amount",
    "deadline",
    "description",
    "url",
)

# The last second of a day, for deadlines entered as a date.
END_OF_DAY = dt.time(23, 59, 59)


def japan_end_of_day(day: dt.date) -> dt.datetime:
    """Return 23:59:59 Japan time on *day*, as an aware datetime."""
    return dt.datetime.combine(day, END_OF_DAY, tzinfo=JAPAN)


def grant_deadline(day: dt.date, time: dt.time | None = None) -> dt.datetime:
    """Return the deadline instant of *day* at *time* (Japan time).

    Without a time the deadline is the end of the day in Japan.
    """
    if time is None:
        return japan_end_of_day(day)
    return dt.datetime.combine(day, time, tzinfo=JAPAN)


# Events


def validate_event_times(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    """Raise ValidationError on ends_at unless the event ends after it starts."""
    if ends_at <= starts_at:
        raise ValidationError(
            {"ends_at": _("The end must be after the start. Enter a later end.")}
        )


def _check_event(event: Event, *, start_changed: bool) -> None:
    """Raise ValidationError, keyed by field, for rules across fields."""
    errors: dict[str, list[str]] = {}
    try:
        validate_event_times(event.starts_at, event.ends_at)
    except ValidationError as error:
        errors.update(error.message_dict)
    if start_changed and event.starts_at < timezone.now():
        errors["starts_at"] = [
            _("The start is in the past. Enter a date and time from now on.")
        ]
    if not event.is_online and not event.place.strip():
        errors["place"] = [_("Enter the place of the event, or tick Online.")]
    if errors:
        raise ValidationError(errors)


def _set_fields(
    obj: Event | GrantNotice, names: Iterable[str], fields: Mapping[str, Any]
) -> None:
    for name in names:
        if name in fields:
            setattr(obj, name, fields[name])


@transaction.atomic
def event_create(
    *,
    group: CivicGroup,
    created_by: User,
    fields: Mapping[str, Any],
    activity_fields: Iterable[ActivityField] = (),
) -> Event:
    """Create a draft event of *group* from the form's *fields*."""
    event = Event(group=group, created_by=created_by, status=Status.DRAFT)
    _set_fields(event, EVENT_FIELDS, fields)
    _check_event(event, start_changed=True)
    event.save()
    event.activity_fields.set(activity_fields)
    logger.info("Event %s created by user %s", event.pk, created_by.pk)
    return event


@transaction.atomic
def event_update(
    *,
    event: Event,
    fields: Mapping[str, Any],
    activity_fields: Iterable[ActivityField] | None = None,
) -> Event:
    """Change *event*; a start that moves must not be in the past."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == Status.CANCELLED:
        raise ValidationError(_("This event is cancelled, so it cannot be changed."))
    old_start = event.starts_at
    _set_fields(event, EVENT_FIELDS, fields)
    # The page's form sends whole minutes, so a start that moved by less
    # than a minute (its seconds dropped) counts as unchanged.
    start_changed = abs(event.starts_at - old_start) >= dt.timedelta(minutes=1)
    _check_event(event, start_changed=start_changed)
    event.save()
    if activity_fields is not None:
        event.activity_fields.set(activity_fields)
    logger.info("Event %s changed", event.pk)
    return event


@transaction.atomic
def event_publish(*, event: Event) -> Event:
    """Publish a draft event that has not ended."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != Status.DRAFT:
        raise ValidationError(_("Only a draft event can be published."))
    if event.ends_at <= timezone.now():
        raise ValidationError(
            _("This event has already ended. Change its dates before publishing it.")
        )
    event.status = Status.PUBLISHED
    event.save(update_fields=["status", "updated_at"])
    logger.info("Event %s published", event.pk)
    return event


@transaction.atomic
def event_cancel(*, event: Event) -> Event:
    """Cancel a draft or published event; it stays visible as cancelled."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == Status.CANCELLED:
        raise ValidationError(_("This event is already cancelled."))
    event.status = Status.CANCELLED
    event.save(update_fields=["status", "updated_at"])
    logger.info("Event %s cancelled", event.pk)
    return event


# Grant notices


def check_grant_publishable(grant: GrantNotice) -> None:
    """Raise ValidationError if *grant*'s application deadline has passed.

    A notice that no longer accepts applications must not be published,
    but it may be kept as a draft.
    """
    if grant.deadline is None or grant.deadline >= timezone.now():
        return
    deadline = timezone.localtime(grant.deadline, JAPAN)
    raise ValidationError(
        _(
            "The application deadline (%(deadline)s, Japan time) has passed, so "
            "the notice cannot be published. Change the deadline, or save the "
            "notice as a draft."
        )
        % {"deadline": deadline.strftime("%Y-%m-%d %H:%M")},
        code="deadline_passed",
    )


@transaction.atomic
def grant_create(
    *,
    created_by: User,
    fields: Mapping[str, Any],
    eligible_fields: Iterable[ActivityField] = (),
    publish: bool = False,
) -> GrantNotice:
    """Create a grant notice, published at once when *publish* is true.

    Raises ValidationError when *publish* is true and the deadline has passed.
    """
    grant = GrantNotice(created_by=created_by, is_published=publish)
    _set_fields(grant, GRANT_FIELDS, fields)
    if publish:
        check_grant_publishable(grant)
    grant.save()
    grant.eligible_fields.set(eligible_fields)
    logger.info("Grant notice %s created by user %s", grant.pk, created_by.pk)
    return grant


@transaction.atomic
def grant_update(
    *,
    grant: GrantNotice,
    fields: Mapping[str, Any],
    eligible_fields: Iterable[ActivityField] | None = None,
) -> GrantNotice:
    """Change *grant*; a published notice shows the change at once."""
    _set_fields(grant, GRANT_FIELDS, fields)
    grant.save()
    if eligible_fields is not None:
        grant.eligible_fields.set(eligible_fields)
    logger.info("Grant notice %s changed", grant.pk)
    return grant


def grant_set_published(*, grant: GrantNotice, published: bool) -> GrantNotice:
    """Publish *grant* or take it off the public pages.

    Raises ValidationError when publishing a notice whose deadline has passed.
    """
    if published and not grant.is_published:
        check_grant_publishable(grant)
    grant.is_published = published
    grant.save(update_fields=["is_published", "updated_at"])
    logger.info("Grant notice %s published: %s", grant.pk, published)
    return grant
