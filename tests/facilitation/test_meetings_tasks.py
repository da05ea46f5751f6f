"""Overdue action item reminders and agenda drafting by Celery beat."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from civic_portal.celery import app
from facilitation.models import ActionItem
from facilitation.services import meetings as meeting_services
from facilitation.tasks import (
    draft_upcoming_agendas,
    send_overdue_action_item_reminders,
)
from tests.facilitation.factories import (
    chief_facilitator,
    municipal_centre,
    regional_facilitator,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief():
    return chief_facilitator()


@pytest.fixture
def regional():
    facilitator = regional_facilitator(
        "regional@example.jp", centre=municipal_centre(0)
    )
    facilitator.user.preferred_language = "en"
    facilitator.user.full_name = "Kenta Suo"
    facilitator.user.save()
    return facilitator


@pytest.fixture
def meeting(chief, regional):
    starts_at = timezone.now() - dt.timedelta(days=14)
    return meeting_services.create_meeting(
        chief.user,
        title="Information-sharing meeting",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=1),
        location="Room 1",
        attendees=[regional],
    )


def add_item(meeting, chief, owner, due_on, title="Call the sponsor"):
    return meeting_services.add_action_item(
        meeting, chief.user, title=title, owner=owner, due_on=due_on
    )


@pytest.mark.parametrize(
    ("name", "task"),
    [
        (
            "send-overdue-action-item-reminders",
            "facilitation.tasks.meetings.send_overdue_action_item_reminders",
        ),
        (
            "draft-upcoming-agendas",
            "facilitation.tasks.meetings.draft_upcoming_agendas",
        ),
    ],
)
def test_tasks_scheduled_by_beat(name, task):
    entry = app.conf.beat_schedule[name]

    assert entry["task"] == task
    assert entry["task"] in app.tasks


def test_overdue_item_reminded_once(meeting, chief, regional):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    item = add_item(meeting, chief, regional.user, yesterday)

    assert send_overdue_action_item_reminders() == 1
    assert send_overdue_action_item_reminders() == 0

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [regional.user.email]
    assert message.subject == "Overdue action item: Call the sponsor"
    assert "Dear Kenta Suo," in message.body
    assert f"/facilitation/meetings/{meeting.pk}/" in message.body
    item.refresh_from_db()
    assert item.reminder_sent_at is not None


def test_retry_after_lost_sent_at_mails_nothing(meeting, chief, regional):
    item = add_item(
        meeting, chief, regional.user, timezone.localdate() - dt.timedelta(1)
    )
    send_overdue_action_item_reminders()
    # A worker that mailed but died before recording sent-at is retried:
    # the stored mail key still stops a second mail.
    ActionItem.objects.filter(pk=item.pk).update(reminder_sent_at=None)

    assert send_overdue_action_item_reminders() == 0
    assert len(mail.outbox) == 1


def test_item_due_today_not_overdue(meeting, chief, regional):
    add_item(meeting, chief, regional.user, timezone.localdate())

    assert send_overdue_action_item_reminders() == 0
    assert mail.outbox == []


def test_done_item_not_reminded(meeting, chief, regional):
    item = add_item(meeting, chief, regional.user, dt.date(2020, 1, 1))
    meeting_services.set_item_done(item, regional.user, True)

    assert send_overdue_action_item_reminders() == 0


def test_rescheduled_item_reminded_again(meeting, chief, regional):
    item = add_item(
        meeting, chief, regional.user, timezone.localdate() - dt.timedelta(2)
    )
    send_overdue_action_item_reminders()

    meeting_services.reschedule_item(
        item, chief.user, timezone.localdate() - dt.timedelta(days=1)
    )

    assert send_overdue_action_item_reminders() == 1
    assert len(mail.outbox) == 2


def test_overdue_mail_in_japanese(meeting, chief):
    add_item(meeting, chief, chief.user, dt.date(2020, 1, 1), title="報告書の提出")

    send_overdue_action_item_reminders()

    assert mail.outbox[0].subject.endswith("報告書の提出")


def test_inactive_owner_not_mailed(meeting, chief, regional):
    add_item(meeting, chief, regional.user, dt.date(2020, 1, 1))
    regional.user.is_active = False
    regional.user.save()

    assert send_overdue_action_item_reminders() == 0


def test_upcoming_agenda_drafted_once(chief):
    series_start = timezone.localdate() + dt.timedelta(days=1)
    series = meeting_services.schedule_series(
        chief.user,
        meeting_services.SeriesPlan(
            title="t",
            location="l",
            frequency="weekly",
            weekday=series_start.weekday(),
            week_of_month=None,
            start_time=dt.time(23, 0),
            end_time=dt.time(23, 30),
            starts_on=series_start,
            ends_on=series_start + dt.timedelta(days=14),
        ),
        [],
    )

    assert draft_upcoming_agendas() == 1
    assert draft_upcoming_agendas() == 0

    drafted = series.meetings.exclude(agenda="")
    assert drafted.count() == 1
    assert drafted.get().starts_at == series.meetings.order_by("starts_at")[0].starts_at
