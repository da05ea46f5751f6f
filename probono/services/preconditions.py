"""What must be true of a request before it may enter a state.

The workflow table defines who may make a step. The checks here define what
the project must have done first, for example an accepted proposal before
the team is formed. Each check raises ValidationError with a message for the
person trying the step.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from probono.models import Proposal, RequestState, SupportRequest
from probono.services.projects import check_evaluations_complete

Check = Callable[[SupportRequest], None]


def require_accepted_proposal(request: SupportRequest) -> None:
    """Raise ValidationError unless a worker has accepted a proposal for *request*."""
    if not request.proposals.filter(status=Proposal.Status.ACCEPTED).exists():
        raise ValidationError(
            _(
                "The team can be formed only after at least one worker "
                "has accepted a proposal."
            ),
            code="no_accepted_proposal",
        )


# Target state → checks run, in order, before a request enters it.
CHECKS: dict[str, list[Check]] = {
    RequestState.TEAM_FORMED: [require_accepted_proposal],
    RequestState.EVALUATED: [check_evaluations_complete],
}


def check_preconditions(request: SupportRequest, to_state: str) -> None:
    """Raise ValidationError if *request* may not enter *to_state* yet."""
    for check in CHECKS.get(RequestState(to_state), []):
        check(request)
