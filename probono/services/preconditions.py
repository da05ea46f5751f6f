"""What must be true of a request before it may enter a state.

The workflow table says who may make a step; the checks here say what the
project must have done first (for example an accepted proposal before the
team is formed). Each check raises ValidationError with a message for the
person trying the step.
"""

from __future__ import annotations

from collections.abc import Callable

from probono.models import RequestState, SupportRequest

Check = Callable[[SupportRequest], None]

# Target state → checks run, in order, before a request enters it.
CHECKS: dict[str, list[Check]] = {}


def check_preconditions(request: SupportRequest, to_state: str) -> None:
    """Raise ValidationError if *request* may not enter *to_state* yet."""
    for check in CHECKS.get(RequestState(to_state), []):
        check(request)
