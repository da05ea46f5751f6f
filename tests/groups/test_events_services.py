"""Tests for the event services: the rules across fields and status changes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from groups.models import Event
from groups.services import events as services
from tests.factories import EventFactory, activity_field

pytestmark = pytest.mark.django_db


def event_fields(**overrides):
    starts = timezone.now() + dt.timedelta(days=3)
    fields = {
        "title": "河川清掃の説明会",
        "description": "活動の流れを説明します。",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=2),
        "municipality": None,
        "place": "防府市文化会館",
        "is_online": False,
        "fee": 0,
        "fee_note": "",
        "how_to_apply": "当日参加可",
    }
    fields.update(overrides)
    return fields


def error_fields(error: ValidationError) -> set[str]:
    return set(error.value.message_dict)


def test_create_saves_draft(group, group_staff):
    event = services.event_create(
        group=group,
        created_by=group_staff,
        fields=event_fields(),
        activity_fields=[activity_field(7)],
    )

    assert event.status == Event.Status.DRAFT
    assert event.created_by == group_staff
    assert [f.number for f in event.activity_fields.all()] == [7]


def test_create_rejects_end_before_start(group, group_staff):
    starts = timezone.now() + dt.timedelta(days=3)
    fields = event_fields(starts_at=starts, ends_at=starts - dt.timedelta(hours=1))

    with pytest.raises(ValidationError) as error:
        services.event_create(group=group, created_by=group_staff, fields=fields)

    assert error_fields(error) == {"ends_at"}


def test_create_rejects_end_equal_start(group, group_staff):
    starts = timezone.now() + dt.timedelta(days=3)
    fields = event_fields(starts_at=starts, ends_at=starts)

    with pytest.raises(ValidationError) as error:
        services.event_create(group=group, created_by=group_staff, fields=fields)

    assert error_fields(error) == {"ends_at"}


def test_create_rejects_past_start(group, group_staff):
    starts = timezone.now() - dt.timedelta(hours=1)
    fields = event_fields(starts_at=starts, ends_at=starts + dt.timedelta(hours=3))

    with pytest.raises(ValidationError) as error:
        services.event_create(group=group, created_by=group_staff, fields=fields)

    assert error_fields(error) == {"starts_at"}
    assert not Event.objects.exists()


def test_create_needs_place_or_online(group, group_staff):
    with pytest.raises(ValidationError) as error:
        services.event_create(
            group=group, created_by=group_staff, fields=event_fields(place=" ")
        )

    assert error_fields(error) == {"place"}


def test_create_accepts_online_without_place(group, group_staff):
    event = services.event_create(
        group=group,
        created_by=group_staff,
        fields=event_fields(place="", is_online=True),
    )

    assert event.is_online


def test_update_keeps_past_start_unchanged():
    starts = timezone.now() - dt.timedelta(hours=1)
    event = EventFactory(starts_at=starts, ends_at=starts + dt.timedelta(hours=5))

    services.event_update(event=event, fields={"title": "新しい題名"})

    event.refresh_from_db()
    assert event.title == "新しい題名"


def test_update_rejects_start_moved_to_past():
    event = EventFactory()
    starts = timezone.now() - dt.timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        services.event_update(
            event=event,
            fields={"starts_at": starts, "ends_at": starts + dt.timedelta(hours=1)},
        )

    assert error_fields(error) == {"starts_at"}


def test_update_rejects_cancelled_event():
    event = EventFactory(status=Event.Status.CANCELLED)

    with pytest.raises(ValidationError):
        services.event_update(event=event, fields={"title": "変更"})


def test_publish_draft():
    event = EventFactory(status=Event.Status.DRAFT)

    services.event_publish(event=event)

    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_publish_rejects_ended_event():
    starts = timezone.now() - dt.timedelta(days=2)
    event = EventFactory(
        status=Event.Status.DRAFT,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
    )

    with pytest.raises(ValidationError):
        services.event_publish(event=event)


def test_publish_rejects_published_event():
    with pytest.raises(ValidationError):
        services.event_publish(event=EventFactory())


def test_cancel_published_event():
    event = EventFactory()

    services.event_cancel(event=event)

    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED


def test_cancel_rejects_cancelled_event():
    with pytest.raises(ValidationError):
        services.event_cancel(event=EventFactory(status=Event.Status.CANCELLED))


def test_update_ignores_dropped_seconds_of_past_start():
    starts = timezone.now() - dt.timedelta(minutes=30)
    event = EventFactory(starts_at=starts, ends_at=starts + dt.timedelta(hours=5))

    services.event_update(
        event=event,
        fields={"starts_at": starts.replace(second=0, microsecond=0), "title": "続行"},
    )

    event.refresh_from_db()
    assert event.title == "続行"
