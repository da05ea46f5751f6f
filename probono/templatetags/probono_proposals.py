"""Template tags of proposals.

`{% request_proposals %}` adds the proposals section to the request detail
page: a concierge sees every proposal with its score, while group staff
see only the workers who accepted, by name. `{% worker_proposals worker %}`
lists a worker's own proposals on their page. `score_parts` turns the
stored parts of a score back into rows for display.
"""

from __future__ import annotations

from typing import Any

from django import template

from probono.models import ProbonoWorker, Proposal, SupportRequest
from probono.permissions import is_concierge
from probono.services import matching
from probono.services import proposals as proposal_services

register = template.Library()


@register.filter
def score_parts(proposal: Proposal) -> list[matching.ScorePart]:
    return matching.parts_from_json(proposal.score_parts or {})


@register.inclusion_tag("probono/proposals/_request_section.html", takes_context=True)
def request_proposals(context: template.Context) -> dict[str, Any]:
    """Render the proposals of the page's support_request for the signed-in user."""
    support_request: SupportRequest = context["support_request"]
    user = context["request"].user
    concierge = is_concierge(user)
    proposals = support_request.proposals.select_related("worker__user")
    if not concierge:
        proposals = proposals.filter(status=Proposal.Status.ACCEPTED)
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "support_request": support_request,
        "proposals": list(proposals.order_by("-created_at", "-pk")),
        "is_concierge": concierge,
        "can_propose": (
            concierge and support_request.state in proposal_services.PROPOSABLE_STATES
        ),
    }


@register.inclusion_tag("probono/proposals/_worker_section.html", takes_context=True)
def worker_proposals(
    context: template.Context, worker: ProbonoWorker
) -> dict[str, Any]:
    """Render the worker's pending proposals first, then the rest."""
    proposals = list(
        worker.proposals.select_related("request__group").order_by("-created_at", "-pk")
    )
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "worker": worker,
        "pending": [p for p in proposals if p.status == Proposal.Status.PENDING],
        "answered": [p for p in proposals if p.status != Proposal.Status.PENDING],
    }
