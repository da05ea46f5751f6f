"""Celery tasks that mail workers and concierges about proposals.

Each mail is sent once per proposal and event (send_mail_once), so a
retried task sends nothing twice.
"""

from __future__ import annotations

import logging

from celery import shared_task

from civic_portal.accounts.models import User
from civic_portal.mail import send_mail_once
from civic_portal.tasks import RETRY_OPTIONS, site_url
from probono.models import Proposal
from probono.services import proposals as proposal_services

logger = logging.getLogger(__name__)

MADE_TEMPLATE = "mail/probono/proposal_made"
ANSWERED_TEMPLATE = "mail/probono/proposal_answered"
LAPSED_TEMPLATE = "mail/probono/proposal_lapsed"
WITHDRAWN_TEMPLATE = "mail/probono/proposal_withdrawn"


def _load(proposal_id: int) -> Proposal | None:
    proposal = (
        Proposal.objects.select_related(
            "request__group", "request__concierge", "worker__user", "proposed_by"
        )
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        logger.warning("Proposal %s not found; mail skipped", proposal_id)
    return proposal


def _worker_user(proposal: Proposal) -> User | None:
    user = proposal.worker.user
    if user is None or not user.is_active:
        logger.info("Proposal %s: the worker has no active account", proposal.pk)
        return None
    return user


def _mail_worker(proposal_id: int, event: str, template_prefix: str) -> int:
    """Mail the proposed worker about *event* of the proposal; return mails sent."""
    proposal = _load(proposal_id)
    user = _worker_user(proposal) if proposal else None
    if proposal is None or user is None:
        return 0
    sent = send_mail_once(
        key=f"probono.proposal.{event}:{proposal.pk}",
        recipient=user,
        template_prefix=template_prefix,
        context={
            "proposal": proposal,
            "support_request": proposal.request,
            "recipient_name": user.get_short_name(),
            "proposal_url": site_url("probono:proposal_detail", proposal.pk),
        },
    )
    return int(sent)


@shared_task(**RETRY_OPTIONS)
def send_proposal_made(proposal_id: int) -> int:
    """Mail the worker a new proposal with its reply deadline; return mails sent."""
    return _mail_worker(proposal_id, "made", MADE_TEMPLATE)


@shared_task(**RETRY_OPTIONS)
def send_proposal_answered(proposal_id: int) -> int:
    """Mail the concierge that the worker accepted or declined; return mails sent.

    The mail goes to the concierge who made the proposal, or to the
    request's concierge when that account is gone or inactive.
    """
    proposal = _load(proposal_id)
    if proposal is None:
        return 0
    if proposal.status not in (Proposal.Status.ACCEPTED, Proposal.Status.DECLINED):
        logger.warning(
            "Proposal %s has status %s, not accepted or declined; mail skipped",
            proposal.pk,
            proposal.status,
        )
        return 0
    recipient = proposal.proposed_by
    if recipient is None or not recipient.is_active:
        recipient = proposal.request.concierge
    if recipient is None or not recipient.is_active:
        logger.warning("Proposal %s has no active concierge; mail skipped", proposal.pk)
        return 0
    worker_user = proposal.worker.user
    sent = send_mail_once(
        key=f"probono.proposal.answered:{proposal.pk}:{proposal.status}",
        recipient=recipient,
        template_prefix=ANSWERED_TEMPLATE,
        context={
            "proposal": proposal,
            "support_request": proposal.request,
            "recipient_name": recipient.get_short_name(),
            "worker_name": worker_user.get_full_name() if worker_user else "—",
            "request_url": site_url("probono:request_detail", proposal.request_id),
        },
    )
    return int(sent)


@shared_task(**RETRY_OPTIONS)
def send_proposal_lapsed(proposal_id: int) -> int:
    """Mail the worker that a proposal lapsed unanswered; return mails sent."""
    return _mail_worker(proposal_id, "lapsed", LAPSED_TEMPLATE)


@shared_task(**RETRY_OPTIONS)
def send_proposal_withdrawn(proposal_id: int) -> int:
    """Mail the worker that a proposal was withdrawn; return mails sent."""
    return _mail_worker(proposal_id, "withdrawn", WITHDRAWN_TEMPLATE)


@shared_task(**RETRY_OPTIONS)
def lapse_expired_proposals() -> int:
    """Lapse the pending proposals past their reply deadline; return how many."""
    return len(proposal_services.lapse_expired())
