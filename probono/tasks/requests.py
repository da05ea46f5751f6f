"""Celery tasks that mail groups, concierges and workers about support requests."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.utils import timezone

from civic_portal.accounts.models import User
from civic_portal.mail import send_mail_once
from civic_portal.tasks import RETRY_OPTIONS, site_url
from probono.models import Proposal, RequestEvent, SupportRequest
from probono.permissions import CONCIERGE_GROUP
from probono.services import workflow
from probono.services.projects import team_members

logger = logging.getLogger(__name__)

STATE_TEMPLATE = "mail/probono/request_state"
REMINDER_TEMPLATE = "mail/probono/request_overdue"
FILED_CONCIERGE_TEMPLATE = "mail/probono/request_filed_concierge"
FILED_RECEIPT_TEMPLATE = "mail/probono/request_filed_receipt"


@shared_task(**RETRY_OPTIONS)
def send_request_filed(request_id: int) -> int:
    """Tell the concierges a request arrived and send its filer a receipt.

    Each mail is sent once per request, in the recipient's language.
    Returns the number of mails sent now.
    """
    request = (
        SupportRequest.objects.select_related("group", "created_by")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        logger.warning("Support request %s not found; filing mail skipped", request_id)
        return 0
    context: dict[str, Any] = {
        "support_request": request,
        "group": request.group,
        "request_url": site_url("probono:request_detail", request.pk),
    }
    sent = 0
    concierges = User.objects.filter(
        groups__name=CONCIERGE_GROUP, is_active=True
    ).order_by("pk")
    for concierge in concierges:
        sent += send_mail_once(
            key=f"probono.request.filed:{request.pk}:user:{concierge.pk}",
            recipient=concierge,
            template_prefix=FILED_CONCIERGE_TEMPLATE,
            context={**context, "recipient_name": concierge.get_short_name()},
        )
    filer = request.created_by
    if filer is not None and filer.is_active:
        sent += send_mail_once(
            key=f"probono.request.filed:{request.pk}:receipt",
            recipient=filer,
            template_prefix=FILED_RECEIPT_TEMPLATE,
            context={**context, "recipient_name": filer.get_short_name()},
        )
    logger.info("Request %s filed: %s mails sent", request.pk, sent)
    return sent


@shared_task(**RETRY_OPTIONS)
def send_request_state_changed(event_id: int) -> int:
    """Mail the contact person, the group's staff and the team about a step.

    The team is the workers with an accepted proposal, so pending,
    declined and deleted ones are not mailed. Each recipient gets the
    mail once per event, in their own language.
    The contact person may have no account, so that mail is in the
    default language. Returns the number of mails sent now.
    """
    event = (
        RequestEvent.objects.select_related("request__group")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        logger.warning("Request event %s not found; mail skipped", event_id)
        return 0
    request = event.request
    context: dict[str, Any] = {
        "event": event,
        "support_request": request,
        "group": request.group,
        "request_url": site_url("probono:request_detail", request.pk),
    }
    staff = User.objects.filter(
        group_memberships__group=request.group, is_active=True
    ).order_by("pk")
    sent = 0
    mailed_addresses = set()
    for recipient in staff:
        mailed_addresses.add(recipient.email.lower())
        sent += send_mail_once(
            key=f"probono.request.state:{event.pk}:user:{recipient.pk}",
            recipient=recipient,
            template_prefix=STATE_TEMPLATE,
            context={**context, "recipient_name": recipient.get_short_name()},
        )
    for worker in team_members(request):
        # A worker who is also the group's staff already has the mail.
        if worker.user is None or worker.user.email.lower() in mailed_addresses:
            continue
        mailed_addresses.add(worker.user.email.lower())
        sent += send_mail_once(
            key=f"probono.request.state:{event.pk}:user:{worker.user.pk}",
            recipient=worker.user,
            template_prefix=STATE_TEMPLATE,
            context={
                **context,
                "recipient_name": worker.user.get_short_name(),
                # Workers cannot open the request page, only the project.
                "request_url": site_url("probono:project_workspace", request.pk),
            },
        )
    if request.contact_email.lower() not in mailed_addresses:
        sent += send_mail_once(
            key=f"probono.request.state:{event.pk}:contact",
            recipient=None,
            to_address=request.contact_email,
            template_prefix=STATE_TEMPLATE,
            context={**context, "recipient_name": request.contact_name},
        )
    logger.info("Request event %s: %s mails sent", event.pk, sent)
    return sent


def _reminder_recipients(request: SupportRequest) -> list[tuple[User, str]]:
    """Return whom *request* waits on, each with the page where they act.

    Workers cannot open the request page, so a worker gets their proposal
    page while the request is proposed and the project workspace after.
    """
    roles = workflow.waits_on(request)
    request_url = site_url("probono:request_detail", request.pk)
    recipients: list[tuple[User, str]] = []
    if workflow.Role.CONCIERGE in roles:
        if request.concierge is not None and request.concierge.is_active:
            recipients.append((request.concierge, request_url))
        else:
            recipients.extend(
                (user, request_url)
                for user in User.objects.filter(
                    groups__name=CONCIERGE_GROUP, is_active=True
                ).order_by("pk")
            )
    if workflow.Role.GROUP_STAFF in roles:
        recipients.extend(
            (user, request_url)
            for user in User.objects.filter(
                group_memberships__group=request.group, is_active=True
            ).order_by("pk")
        )
    if workflow.Role.WORKER in roles:
        recipients.extend(_worker_recipients(request))
    return recipients


def _worker_recipients(request: SupportRequest) -> list[tuple[User, str]]:
    pending = {
        proposal.worker_id: proposal.pk
        for proposal in request.proposals.filter(status=Proposal.Status.PENDING)
    }
    recipients = []
    for worker in workflow.waiting_workers(request):
        if worker.user is None or not worker.user.is_active:
            continue
        if worker.pk in pending:
            url = site_url("probono:proposal_detail", pending[worker.pk])
        else:
            url = site_url("probono:project_workspace", request.pk)
        recipients.append((worker.user, url))
    return recipients


@shared_task(**RETRY_OPTIONS)
def send_overdue_reminders() -> int:
    """Remind whom a request waits on when it stays too long in a state.

    Each request gets one reminder per stay in a state, because the key
    contains the time the state was entered. A request that comes back to
    a state (for example after hold) is reminded again. Returns the
    number of mails sent now.
    """
    now = timezone.now()
    sent = 0
    for state, limit in workflow.OVERDUE_AFTER.items():
        overdue = SupportRequest.objects.filter(
            state=state, state_changed_at__lt=now - limit
        ).select_related("group", "concierge")
        for request in overdue.iterator(chunk_size=200):
            entered = int(request.state_changed_at.timestamp())
            for recipient, url in _reminder_recipients(request):
                sent += send_mail_once(
                    key=(
                        f"probono.request.overdue:{request.pk}:{state}:{entered}"
                        f":user:{recipient.pk}"
                    ),
                    recipient=recipient,
                    template_prefix=REMINDER_TEMPLATE,
                    context={
                        "support_request": request,
                        "recipient_name": recipient.get_short_name(),
                        "waiting_days": (now - request.state_changed_at).days,
                        "request_url": url,
                    },
                )
    logger.info("Overdue request reminders: %s mails sent", sent)
    return sent
