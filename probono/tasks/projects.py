"""Celery tasks that mail project participants: new messages, progress checks."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from civic_portal.mail import send_mail_once
from civic_portal.tasks import RETRY_OPTIONS, site_url
from probono.models import Milestone, ProjectMessage
from probono.services import projects

logger = logging.getLogger(__name__)

MESSAGE_TEMPLATE = "mail/probono/project_message"
PROGRESS_CHECK_TEMPLATE = "mail/probono/project_progress_check"
# Characters of a message quoted in its notification mail.
EXCERPT_LENGTH = 200


@shared_task(**RETRY_OPTIONS)
def send_project_message(message_id: int) -> int:
    """Mail every participant but the author about a new project message.

    Each recipient gets the mail once per message, in their own language,
    with an excerpt and a link to the workspace. The mail names the author
    and never shows the author's e-mail address. Returns the number of
    mails sent now.
    """
    message = (
        ProjectMessage.objects.select_related("request__group", "author")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        logger.warning("Project message %s not found; mail skipped", message_id)
        return 0
    request = message.request
    context = {
        "message": message,
        "support_request": request,
        "author": message.author,
        "excerpt_length": EXCERPT_LENGTH,
        "project_url": site_url("probono:project_workspace", request.pk),
    }
    sent = 0
    for recipient in projects.participants(request):
        if recipient.pk == message.author_id:
            continue
        sent += send_mail_once(
            key=f"probono.project.message:{message.pk}:user:{recipient.pk}",
            recipient=recipient,
            template_prefix=MESSAGE_TEMPLATE,
            context={**context, "recipient": recipient},
        )
    logger.info("Project message %s: %s mails sent", message.pk, sent)
    return sent


@shared_task(**RETRY_OPTIONS)
def send_progress_checks() -> int:
    """Mail the participants a progress check for milestones due soon.

    A milestone gets one check, when it is not done, due within
    PROGRESS_CHECK_DAYS days (Japan time) and its request is at kickoff or
    in progress. check_sent_at is set after every participant was mailed,
    and the per-recipient key keeps a retried task from mailing anyone
    twice. Returns the number of mails sent now.
    """
    today = projects.japan_today()
    sent = 0
    for milestone in projects.due_for_progress_check(today).iterator(chunk_size=200):
        sent += _send_progress_check(milestone, (milestone.due_on - today).days)
    logger.info("Milestone progress checks: %s mails sent", sent)
    return sent


def _send_progress_check(milestone: Milestone, days_left: int) -> int:
    request = milestone.request
    context = {
        "milestone": milestone,
        "support_request": request,
        "days_left": days_left,
        "project_url": site_url("probono:project_workspace", request.pk),
    }
    sent = 0
    for recipient in projects.participants(request):
        sent += send_mail_once(
            key=f"probono.project.progress_check:{milestone.pk}:user:{recipient.pk}",
            recipient=recipient,
            template_prefix=PROGRESS_CHECK_TEMPLATE,
            context={**context, "recipient": recipient},
        )
    Milestone.objects.filter(pk=milestone.pk).update(check_sent_at=timezone.now())
    return sent
