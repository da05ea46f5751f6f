"""Proposals of workers to support requests, the capacity rule, and interest.

A worker's load is the number of their proposals that are pending or
accepted on requests that are not delivered, evaluated, closed or
cancelled. A worker may be proposed, or accept, only while the load is
below max_projects. Accepting a pending proposal does not add to the load,
because the pending proposal already counts. load_filter() is the one
definition of that rule, and the rest of the portal imports load_of(),
has_capacity() or annotate_load() from here.

Proposing and accepting lock the worker's row (select_for_update) before
they count the load. Two concierges proposing the same worker at the same
moment therefore take turns, and the second one reads the first proposal.
Rows are always locked worker first, then request, so that proposing,
accepting and cancelling a request cannot deadlock.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_portal.types import AnyUser
from probono.models import (
    Interest,
    ProbonoWorker,
    Proposal,
    RequestState,
    SupportRequest,
)
from probono.permissions import is_concierge
from probono.services import matching, workflow

logger = logging.getLogger(__name__)

S = RequestState
Status = Proposal.Status

# Proposals that occupy a place in the worker's capacity.
LOAD_STATUSES = (Status.PENDING, Status.ACCEPTED)
# Requests whose work is over, so their proposals no longer count as load.
FINISHED_STATES = frozenset({S.DELIVERED, S.EVALUATED, S.CLOSED, S.CANCELLED})
LOAD_STATES = tuple(state for state in S.values if state not in FINISHED_STATES)

# A concierge proposes workers while the request is looking for its team.
PROPOSABLE_STATES = frozenset({S.SEARCHING, S.PROPOSED})
# A worker may accept while the team is still being formed.
ACCEPTABLE_STATES = frozenset({S.SEARCHING, S.PROPOSED, S.TEAM_FORMED})
# Workers see these requests in their list of open requests and may say
# they are interested.
INTEREST_STATES = frozenset({S.HEARING, S.SEARCHING, S.PROPOSED})

DEFAULT_REPLY_DAYS = 7
MIN_REPLY_DAYS = 1
MAX_REPLY_DAYS = 30


# --- Load and capacity -------------------------------------------------


def load_filter(prefix: str = "") -> Q:
    """Return the condition on Proposal rows that count towards a worker's load.

    *prefix* is the path from the queried model to Proposal, for example
    ``"proposals__"`` when counting from ProbonoWorker.
    """
    return Q(**{f"{prefix}status__in": LOAD_STATUSES}) & Q(
        **{f"{prefix}request__state__in": LOAD_STATES}
    )


def annotate_load(workers: QuerySet[ProbonoWorker]) -> QuerySet[ProbonoWorker]:
    """Add each worker's load as the ``load`` attribute, in the same query."""
    return workers.annotate(
        load=Count("proposals", filter=load_filter("proposals__"), distinct=True)
    )


def with_capacity(workers: QuerySet[ProbonoWorker]) -> QuerySet[ProbonoWorker]:
    """Keep the workers whose load is below max_projects, with ``load`` annotated."""
    return annotate_load(workers).filter(
        load__lt=F("max_projects")  # type: ignore[misc]
    )


def load_of(worker: ProbonoWorker) -> int:
    """Return the number of projects *worker* is proposed to or committed to."""
    return Proposal.objects.filter(load_filter(), worker=worker).count()


def has_capacity(worker: ProbonoWorker) -> bool:
    """Tell whether *worker* may take one more proposal now."""
    return load_of(worker) < worker.max_projects


def _capacity_error(worker: ProbonoWorker, load: int) -> ValidationError:
    return ValidationError(
        _(
            "This worker already has %(load)s of %(max)s projects at a time, "
            "so they cannot take on another one now."
        )
        % {"load": load, "max": worker.max_projects},
        code="no_capacity",
    )


# --- Proposing and replying ---------------------------------------------


def _lock_worker(worker_id: int) -> ProbonoWorker:
    return ProbonoWorker.objects.select_for_update().get(pk=worker_id)


def _lock_request(request_id: int) -> SupportRequest:
    return SupportRequest.objects.select_for_update().get(pk=request_id)


def _lock_proposal(proposal_id: int) -> Proposal:
    return Proposal.objects.select_for_update().get(pk=proposal_id)


def _schedule(task_name: str, proposal_id: int) -> None:
    # Imported here because the tasks module imports this one.
    from probono.tasks import proposals as proposal_tasks

    task = getattr(proposal_tasks, task_name)
    transaction.on_commit(lambda: task.delay(proposal_id))


def propose(
    request: SupportRequest,
    worker: ProbonoWorker,
    concierge: AnyUser,
    message: str = "",
    reply_days: int = DEFAULT_REPLY_DAYS,
) -> Proposal:
    """Propose *worker* for *request* and mail the worker.

    The worker's row is locked while the load is counted and the proposal
    is written, so concurrent proposals cannot exceed max_projects. The
    first proposal of a request in "searching" moves it to "proposed".
    Raises ValidationError when *concierge* is not a concierge, the request
    is not looking for workers, the worker is not active, already has a
    live proposal for this request, or has no capacity left.
    """
    if not is_concierge(concierge):
        raise ValidationError(
            _("Only a concierge can propose workers."), code="role_not_allowed"
        )
    if not MIN_REPLY_DAYS <= reply_days <= MAX_REPLY_DAYS:
        raise ValidationError(
            {
                "reply_days": _(
                    "Give the worker between %(min)s and %(max)s days to reply."
                )
                % {"min": MIN_REPLY_DAYS, "max": MAX_REPLY_DAYS}
            },
            code="invalid_reply_days",
        )
    with transaction.atomic():
        locked_worker = _lock_worker(worker.pk)
        locked_request = _lock_request(request.pk)
        if locked_request.state not in PROPOSABLE_STATES:
            raise ValidationError(
                _(
                    "Workers can be proposed only while the request is "
                    "“%(searching)s” or “%(proposed)s”; it is “%(state)s”."
                )
                % {
                    "searching": S.SEARCHING.label,
                    "proposed": S.PROPOSED.label,
                    "state": S(locked_request.state).label,
                },
                code="wrong_state",
            )
        if locked_worker.status != ProbonoWorker.Status.ACTIVE:
            raise ValidationError(
                _("Only active workers can be proposed; this one is “%(status)s”.")
                % {"status": locked_worker.get_status_display()},
                code="worker_not_active",
            )
        live = Proposal.objects.filter(
            request=locked_request, worker=locked_worker, status__in=LOAD_STATUSES
        )
        if live.exists():
            raise ValidationError(
                _("This worker already has a proposal for this request."),
                code="already_proposed",
            )
        load = load_of(locked_worker)
        if load >= locked_worker.max_projects:
            raise _capacity_error(locked_worker, load)
        score = matching.score_worker(locked_request, locked_worker)
        try:
            with transaction.atomic():
                proposal = Proposal.objects.create(
                    request=locked_request,
                    worker=locked_worker,
                    proposed_by_id=concierge.pk,
                    message=message.strip(),
                    score=score.total,
                    score_parts=score.as_json(),
                    reply_by=timezone.now() + dt.timedelta(days=reply_days),
                )
        except IntegrityError as error:
            # The worker lock makes the check above enough on PostgreSQL. On
            # a database without row locks the unique constraint is the guard.
            raise ValidationError(
                _("This worker already has a proposal for this request."),
                code="already_proposed",
            ) from error
        if locked_request.state == S.SEARCHING:
            workflow.transition(
                locked_request,
                S.PROPOSED,
                concierge,
                note=_("First worker proposed."),
            )
        _schedule("send_proposal_made", proposal.pk)
    request.state = locked_request.state
    request.state_changed_at = locked_request.state_changed_at
    logger.info(
        "Worker %s proposed for request %s by user %s (proposal %s)",
        locked_worker.pk,
        locked_request.pk,
        concierge.pk,
        proposal.pk,
    )
    return proposal


def _check_own_pending(proposal: Proposal, user: AnyUser, now: dt.datetime) -> None:
    if proposal.worker.user_id is None or proposal.worker.user_id != user.pk:
        raise ValidationError(
            _("Only the proposed worker can reply to this proposal."),
            code="not_your_proposal",
        )
    if proposal.status != Status.PENDING:
        raise ValidationError(
            _("This proposal is no longer waiting for a reply; it is “%(status)s”.")
            % {"status": proposal.get_status_display()},
            code="not_pending",
        )
    if proposal.reply_by < now:
        raise ValidationError(
            _("The reply deadline of this proposal has passed."),
            code="deadline_passed",
        )


def accept(proposal: Proposal, user: AnyUser, note: str = "") -> Proposal:
    """Accept *proposal* as its worker and mail the concierge who proposed it.

    Rechecks under the worker's row lock that the worker is active and
    within capacity, and that the request is still forming its team.
    Raises ValidationError otherwise, or when *user* is not the worker,
    the proposal is not pending or its reply deadline has passed.
    """
    now = timezone.now()
    with transaction.atomic():
        locked_worker = _lock_worker(proposal.worker_id)
        locked_request = _lock_request(proposal.request_id)
        locked = _lock_proposal(proposal.pk)
        locked.worker = locked_worker
        _check_own_pending(locked, user, now)
        if locked_request.state not in ACCEPTABLE_STATES:
            raise ValidationError(
                _("This request is no longer looking for workers; it is “%(state)s”.")
                % {"state": S(locked_request.state).label},
                code="request_not_open",
            )
        if locked_worker.status != ProbonoWorker.Status.ACTIVE:
            raise ValidationError(
                _("Resume your registration before you accept a proposal."),
                code="worker_not_active",
            )
        # The pending proposal is already part of the load, so accepting
        # it is allowed while the load does not exceed max_projects.
        other_load = load_of(locked_worker) - 1
        if other_load >= locked_worker.max_projects:
            raise ValidationError(
                _(
                    "You already have %(load)s of %(max)s projects at a time. "
                    "Finish one, or raise the number of projects you take on "
                    "at a time, before you accept."
                )
                % {"load": other_load, "max": locked_worker.max_projects},
                code="no_capacity",
            )
        locked.status = Status.ACCEPTED
        locked.reply_note = note.strip()
        locked.replied_at = now
        locked.save(update_fields=["status", "reply_note", "replied_at"])
        _schedule("send_proposal_answered", locked.pk)
    _copy_reply(locked, proposal)
    logger.info("Proposal %s accepted by its worker", proposal.pk)
    return proposal


def decline(proposal: Proposal, user: AnyUser, reason: str = "") -> Proposal:
    """Decline *proposal* as its worker and mail the concierge who proposed it.

    *reason* is optional. Raises ValidationError when *user* is not the
    worker, the proposal is not pending or its reply deadline has passed.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = _lock_proposal(proposal.pk)
        _check_own_pending(locked, user, now)
        locked.status = Status.DECLINED
        locked.reply_note = reason.strip()
        locked.replied_at = now
        locked.save(update_fields=["status", "reply_note", "replied_at"])
        _schedule("send_proposal_answered", locked.pk)
    _copy_reply(locked, proposal)
    logger.info("Proposal %s declined by its worker", proposal.pk)
    return proposal


def withdraw(proposal: Proposal, concierge: AnyUser) -> Proposal:
    """Withdraw a pending *proposal* as a concierge.

    Raises ValidationError when *concierge* is not a concierge or the
    proposal is no longer pending. An accepted worker leaves a team only
    through the request's workflow (for example a cancel).
    """
    if not is_concierge(concierge):
        raise ValidationError(
            _("Only a concierge can withdraw a proposal."), code="role_not_allowed"
        )
    with transaction.atomic():
        locked = _lock_proposal(proposal.pk)
        if locked.status != Status.PENDING:
            raise ValidationError(
                _("Only a proposal that waits for a reply can be withdrawn."),
                code="not_pending",
            )
        locked.status = Status.WITHDRAWN
        locked.save(update_fields=["status"])
        _schedule("send_proposal_withdrawn", locked.pk)
    proposal.status = locked.status
    logger.info("Proposal %s withdrawn by user %s", proposal.pk, concierge.pk)
    return proposal


def withdraw_pending(request: SupportRequest) -> list[int]:
    """Withdraw the proposals of *request* that still wait for a reply.

    Runs inside the caller's transaction (a cancel of the request), so
    the withdrawal commits or rolls back with it. Each worker is mailed
    after commit. Returns the ids of the proposals withdrawn.
    """
    pending = request.proposals.filter(status=Status.PENDING)
    ids = list(pending.select_for_update().values_list("pk", flat=True))
    Proposal.objects.filter(pk__in=ids).update(status=Status.WITHDRAWN)
    for proposal_id in ids:
        _schedule("send_proposal_withdrawn", proposal_id)
    return ids


def _copy_reply(source: Proposal, target: Proposal) -> None:
    for field in ("status", "reply_note", "replied_at"):
        setattr(target, field, getattr(source, field))


def lapse_expired(now: dt.datetime | None = None) -> list[int]:
    """Lapse the pending proposals past their reply deadline and mail the workers.

    Each proposal is updated only if it is still pending, so a reply
    committed in the meantime is kept. Returns the ids of the proposals
    lapsed now.
    """
    now = now or timezone.now()
    expired = Proposal.objects.pending().filter(reply_by__lt=now)
    lapsed: list[int] = []
    for proposal_id in expired.values_list("pk", flat=True).order_by("pk"):
        with transaction.atomic():
            changed = Proposal.objects.filter(
                pk=proposal_id, status=Status.PENDING, reply_by__lt=now
            ).update(status=Status.LAPSED)
            if changed:
                lapsed.append(proposal_id)
                _schedule("send_proposal_lapsed", proposal_id)
    if lapsed:
        logger.info("%s proposals lapsed: %s", len(lapsed), lapsed)
    return lapsed


# --- Interest ------------------------------------------------------------


def open_requests() -> QuerySet[SupportRequest]:
    """Return the requests that workers may read and express interest in."""
    return SupportRequest.objects.filter(state__in=INTEREST_STATES)


def _active_worker_of(user: AnyUser) -> ProbonoWorker:
    worker = (
        ProbonoWorker.objects.filter(user_id=user.pk).first()
        if user.is_authenticated
        else None
    )
    if worker is None or worker.status != ProbonoWorker.Status.ACTIVE:
        raise ValidationError(
            _("Only active pro bono workers can say they are interested."),
            code="worker_not_active",
        )
    return worker


def express_interest(
    request: SupportRequest, user: AnyUser, note: str = ""
) -> Interest:
    """Record that the worker *user* is interested in the open *request*.

    Saying so twice keeps the first record and updates its note. Raises
    ValidationError unless *user* is an active worker and the request is
    open.
    """
    worker = _active_worker_of(user)
    if request.state not in INTEREST_STATES:
        raise ValidationError(
            _("This request is no longer open for interest."), code="request_not_open"
        )
    interest, created = Interest.objects.update_or_create(
        request=request, worker=worker, defaults={"note": note.strip()}
    )
    logger.info(
        "Worker %s %s interest in request %s",
        worker.pk,
        "expressed" if created else "updated",
        request.pk,
    )
    return interest


def withdraw_interest(request: SupportRequest, user: AnyUser) -> bool:
    """Remove the worker *user*'s interest in *request*.

    Returns whether there was an interest to remove.
    """
    worker = _active_worker_of(user)
    deleted, _details = Interest.objects.filter(request=request, worker=worker).delete()
    logger.info("Worker %s withdrew interest in request %s", worker.pk, request.pk)
    return deleted > 0
