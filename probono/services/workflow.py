"""The support request state machine: every allowed transition in one table.

Roles:

- The concierge makes every forward step, from taking the request
  (received → hearing) to closing it, and may put any open request on hold
  or cancel it.
- Group staff of the request's group may cancel their own request while it
  has not reached "in progress" (received to kickoff, or on hold before
  that). Once workers are at work only the concierge cancels, so that the
  workers are notified and released.
- The evaluation (delivered → evaluated) is recorded by the concierge after
  the group and the workers have rated and commented, so the group does not
  confirm it separately.

On hold and cancelled are reachable from any open state; a cancel needs a
reason. Leaving hold returns to the state stored in resume_state. Closed
and cancelled are final. A transition outside the table raises
ValidationError naming both states.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_portal.types import AnyUser
from probono.models import (
    Evaluation,
    ProbonoWorker,
    Proposal,
    RequestEvent,
    RequestState,
    SupportRequest,
)
from probono.permissions import is_concierge
from probono.services.preconditions import check_preconditions

logger = logging.getLogger(__name__)

S = RequestState


class Role(enum.Enum):
    CONCIERGE = "concierge"
    GROUP_STAFF = "group_staff"
    # Workers make no transition, but a request can wait on their reply
    # to a proposal or on their evaluation.
    WORKER = "worker"


FINAL_STATES = frozenset({S.CLOSED, S.CANCELLED})
OPEN_STATES = frozenset(S) - FINAL_STATES
# States a request can be held in and resumed to.
HOLDABLE_STATES = OPEN_STATES - {S.ON_HOLD}
# Group staff may cancel while workers have not started the work.
STAFF_CANCELLABLE_STATES = frozenset(
    {S.RECEIVED, S.HEARING, S.SEARCHING, S.PROPOSED, S.TEAM_FORMED, S.KICKOFF}
)

CONCIERGE = frozenset({Role.CONCIERGE})
CONCIERGE_OR_STAFF = frozenset({Role.CONCIERGE, Role.GROUP_STAFF})

FORWARD_STEPS: dict[tuple[str, str], frozenset[Role]] = {
    (S.RECEIVED, S.HEARING): CONCIERGE,
    (S.HEARING, S.SEARCHING): CONCIERGE,
    (S.SEARCHING, S.PROPOSED): CONCIERGE,
    # Back to searching when the proposed workers decline or lapse.
    (S.PROPOSED, S.SEARCHING): CONCIERGE,
    (S.PROPOSED, S.TEAM_FORMED): CONCIERGE,
    (S.TEAM_FORMED, S.KICKOFF): CONCIERGE,
    (S.KICKOFF, S.IN_PROGRESS): CONCIERGE,
    (S.IN_PROGRESS, S.DELIVERED): CONCIERGE,
    (S.DELIVERED, S.EVALUATED): CONCIERGE,
    (S.EVALUATED, S.CLOSED): CONCIERGE,
}


def _build_transitions() -> dict[tuple[str, str], frozenset[Role]]:
    table = dict(FORWARD_STEPS)
    for state in HOLDABLE_STATES:
        table[(state, S.ON_HOLD)] = CONCIERGE
        table[(S.ON_HOLD, state)] = CONCIERGE
    for state in OPEN_STATES:
        table[(state, S.CANCELLED)] = CONCIERGE
    for state in STAFF_CANCELLABLE_STATES:
        table[(state, S.CANCELLED)] = CONCIERGE_OR_STAFF
    # A held request may be cancelled by staff only if it was held before
    # the work started, and roles_for() checks that by resume_state.
    table[(S.ON_HOLD, S.CANCELLED)] = CONCIERGE_OR_STAFF
    return table


# (from_state, to_state) → roles allowed to make that transition.
TRANSITIONS: dict[tuple[str, str], frozenset[Role]] = _build_transitions()

# How long a request may wait in a state before it counts as overdue and a
# reminder is mailed. States without a limit are never overdue.
OVERDUE_AFTER: dict[str, dt.timedelta] = {
    S.RECEIVED: dt.timedelta(days=3),
    S.HEARING: dt.timedelta(days=14),
    S.SEARCHING: dt.timedelta(days=21),
    S.PROPOSED: dt.timedelta(days=7),
    S.TEAM_FORMED: dt.timedelta(days=14),
    S.KICKOFF: dt.timedelta(days=14),
    S.DELIVERED: dt.timedelta(days=14),
    S.EVALUATED: dt.timedelta(days=14),
    S.ON_HOLD: dt.timedelta(days=60),
}


def roles_for(
    request: SupportRequest, from_state: str, to_state: str
) -> frozenset[Role]:
    """Return the roles allowed to move *request* between the two states."""
    roles = TRANSITIONS.get((from_state, to_state), frozenset())
    if from_state == S.ON_HOLD and to_state != S.CANCELLED:
        # Leaving hold only returns to the state the request was held in.
        return roles if to_state == request.resume_state else frozenset()
    if (
        from_state == S.ON_HOLD
        and to_state == S.CANCELLED
        and request.resume_state not in STAFF_CANCELLABLE_STATES
    ):
        return roles - {Role.GROUP_STAFF}
    return roles


def roles_of(user: AnyUser, request: SupportRequest) -> frozenset[Role]:
    """Return the workflow roles *user* holds on *request*."""
    roles = set()
    if is_concierge(user):
        roles.add(Role.CONCIERGE)
    if request.group.is_staff_member(user):
        roles.add(Role.GROUP_STAFF)
    return frozenset(roles)


def allowed_targets(request: SupportRequest, user: AnyUser) -> list[str]:
    """Return the states *user* may move *request* to now, in state order."""
    roles = roles_of(user, request)
    return [
        state for state in S.values if roles & roles_for(request, request.state, state)
    ]


def waiting_workers(request: SupportRequest) -> list[ProbonoWorker]:
    """Return the workers *request* waits on, in worker id order.

    While proposed, these are the workers with a pending proposal. Once
    delivered, they are the team members who have not evaluated yet
    (deleted registrations cannot evaluate and are left out). Reads
    request.proposals with their workers and request.evaluations, so a
    list of requests should prefetch them.
    """
    if request.state == S.PROPOSED:
        workers = [
            proposal.worker
            for proposal in request.proposals.all()
            if proposal.status == Proposal.Status.PENDING
        ]
    elif request.state == S.DELIVERED:
        evaluated = {
            evaluation.worker_id
            for evaluation in request.evaluations.all()
            if evaluation.worker_id is not None
        }
        workers = [
            proposal.worker
            for proposal in request.proposals.all()
            if proposal.status == Proposal.Status.ACCEPTED
            and proposal.worker.user_id is not None
            and proposal.worker.status != ProbonoWorker.Status.DELETED
            and proposal.worker_id not in evaluated
        ]
    else:
        workers = []
    return sorted(workers, key=lambda worker: worker.pk)


def _group_evaluated(request: SupportRequest) -> bool:
    return any(
        evaluation.party == Evaluation.Party.GROUP
        for evaluation in request.evaluations.all()
    )


def waits_on(request: SupportRequest) -> frozenset[Role]:
    """Return the roles whose action the request's next step waits on.

    A proposed request with pending proposals waits on those workers. A
    delivered request waits on the group and the team members until each
    has evaluated. Otherwise it waits on the roles that can make the next
    forward step. See waiting_workers() for the queries this makes.
    """
    if request.state in FINAL_STATES:
        return frozenset()
    if request.state == S.ON_HOLD:
        return roles_for(request, S.ON_HOLD, request.resume_state)
    if request.state == S.PROPOSED and waiting_workers(request):
        return frozenset({Role.WORKER})
    if request.state == S.DELIVERED:
        evaluators: set[Role] = set()
        if not _group_evaluated(request):
            evaluators.add(Role.GROUP_STAFF)
        if waiting_workers(request):
            evaluators.add(Role.WORKER)
        if evaluators:
            return frozenset(evaluators)
    roles: set[Role] = set()
    for (from_state, _to_state), step_roles in FORWARD_STEPS.items():
        if from_state == request.state:
            roles |= step_roles
    return frozenset(roles)


def is_overdue(request: SupportRequest, now: dt.datetime) -> bool:
    limit = OVERDUE_AFTER.get(request.state)
    return limit is not None and request.state_changed_at < now - limit


def _refusal(request: SupportRequest, to_state: str) -> ValidationError:
    return ValidationError(
        _("A request cannot move from “%(from)s” to “%(to)s”.")
        % {"from": S(request.state).label, "to": S(to_state).label},
        code="transition_not_allowed",
    )


def transition(
    request: SupportRequest,
    to_state: str,
    actor: AnyUser,
    note: str = "",
    on_commit: Callable[[RequestEvent], None] | None = None,
) -> RequestEvent:
    """Move *request* to *to_state* as *actor* and record the step.

    Locks the request's row, so two concierges acting at once see each
    other's change. Raises ValidationError when the transition is not in
    the table, when *actor* has none of its roles, or when a cancel has
    no reason (*note*). *on_commit* runs with the new event after commit;
    it defaults to mailing the group.
    """
    if to_state not in S.values:
        raise ValidationError(_("Unknown state: %(state)s.") % {"state": to_state})
    note = note.strip()
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
        from_state = locked.state
        allowed = roles_for(locked, from_state, to_state)
        if not allowed:
            raise _refusal(locked, to_state)
        if not allowed & roles_of(actor, locked):
            raise ValidationError(
                _("You may not move this request from “%(from)s” to “%(to)s”.")
                % {"from": S(from_state).label, "to": S(to_state).label},
                code="role_not_allowed",
            )
        check_preconditions(locked, to_state)
        if to_state == S.CANCELLED and not note:
            raise ValidationError(
                {"note": _("Give a reason for cancelling the request.")},
                code="reason_missing",
            )
        now = timezone.now()
        if to_state == S.ON_HOLD:
            locked.resume_state = from_state
        elif from_state == S.ON_HOLD:
            locked.resume_state = ""
        if to_state == S.CANCELLED:
            locked.cancel_reason = note
        if to_state == S.HEARING and locked.concierge_id is None:
            locked.concierge_id = actor.pk
        locked.state = to_state
        locked.state_changed_at = now
        locked.save()
        event = RequestEvent.objects.create(
            request=locked,
            from_state=from_state,
            to_state=to_state,
            actor_id=actor.pk,
            note=note,
        )
        if to_state == S.CANCELLED:
            _withdraw_pending_proposals(locked)
        callback = on_commit or _mail_state_change
        transaction.on_commit(lambda: callback(event))
    for field in ("state", "state_changed_at", "resume_state", "cancel_reason"):
        setattr(request, field, getattr(locked, field))
    request.concierge_id = locked.concierge_id
    logger.info(
        "Request %s moved %s → %s by user %s",
        request.pk,
        from_state,
        to_state,
        actor.pk,
    )
    return event


def record_hearing(request: SupportRequest, actor: AnyUser, notes: str) -> None:
    """Store the concierge's hearing notes, allowed in the hearing state only."""
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if Role.CONCIERGE not in roles_of(actor, locked):
            raise ValidationError(
                _("Only a concierge records the hearing."), code="role_not_allowed"
            )
        if locked.state != S.HEARING:
            raise ValidationError(
                _("Hearing notes can be recorded only in the “%(state)s” state.")
                % {"state": S.HEARING.label},
                code="wrong_state",
            )
        locked.hearing_notes = notes.strip()
        locked.save(update_fields=["hearing_notes", "updated_at"])
    request.hearing_notes = locked.hearing_notes
    logger.info("Hearing notes of request %s saved by user %s", request.pk, actor.pk)


def _withdraw_pending_proposals(request: SupportRequest) -> None:
    # The proposals service imports this module, so it is imported here.
    from probono.services.proposals import withdraw_pending

    withdrawn = withdraw_pending(request)
    if withdrawn:
        logger.info(
            "Request %s cancelled; proposals withdrawn: %s", request.pk, withdrawn
        )


def _mail_state_change(event: RequestEvent) -> None:
    from probono.tasks import send_request_state_changed

    send_request_state_changed.delay(event.pk)
