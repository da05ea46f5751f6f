"""Celery tasks for information-sharing meetings and their action items."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from civic_portal.mail import send_mail_once
from civic_portal.tasks import RETRY_OPTIONS, site_url
from facilitation.models import ActionItem, Meeting
from facilitation.services import meetings as meeting_services

logger = logging.getLogger(__name__)

OVERDUE_TEMPLATE = "mail/facilitation/action_item_overdue"

# The daily task drafts the agenda of every meeting that starts within
# this time and has none yet.
AGENDA_LEAD_TIME = dt.timedelta(days=7)


@shared_task(**RETRY_OPTIONS)
def send_overdue_action_item_reminders() -> int:
    """Mail each owner once when their action item passes its due date.

    An item is overdue from the day after its due date, in Japan time.
    The mail key contains the due date, and reminder_sent_at records the
    mail, so a retried task sends nothing twice. An item whose due date is
    moved is reminded again when the new date passes. Returns the
    number of mails sent now.
    """
    today = timezone.localdate()
    sent = 0
    overdue = meeting_services.overdue_items(today).select_related("owner", "meeting")
    for item in overdue.iterator(chunk_size=200):
        owner = item.owner
        if not owner.is_active:
            logger.info("Action item %s: owner inactive; reminder skipped", item.pk)
            continue
        with transaction.atomic():
            sent += send_mail_once(
                key=(
                    f"facilitation.action_item.overdue:{item.pk}"
                    f":{item.due_on.isoformat()}"
                ),
                recipient=owner,
                template_prefix=OVERDUE_TEMPLATE,
                context={
                    "item": item,
                    "meeting": item.meeting,
                    "recipient_name": owner.get_short_name(),
                    "meeting_url": site_url(
                        "facilitation:meeting_detail", item.meeting_id
                    ),
                },
            )
            ActionItem.objects.filter(pk=item.pk).update(
                reminder_sent_at=timezone.now()
            )
    logger.info("Overdue action item reminders: %s mails sent", sent)
    return sent


@shared_task(**RETRY_OPTIONS)
def draft_upcoming_agendas() -> int:
    """Draft the agenda of each meeting in the next week that has none.

    The draft is in Japanese, the portal's default language. Returns the
    number of agendas drafted.
    """
    now = timezone.now()
    upcoming = Meeting.objects.filter(
        starts_at__gt=now,
        starts_at__lte=now + AGENDA_LEAD_TIME,
        agenda="",
        agenda_drafted_at__isnull=True,
    )
    drafted = 0
    with translation.override(settings.LANGUAGE_CODE):
        for meeting in upcoming:
            meeting.agenda = meeting_services.draft_agenda(meeting, now)
            meeting.agenda_drafted_at = now
            meeting.save(update_fields=["agenda", "agenda_drafted_at"])
            drafted += 1
    logger.info("Agendas drafted for %s upcoming meetings", drafted)
    return drafted
