"""The concierge board: every open request grouped by state, with filters."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from civic_portal.accounts.models import User
from civic_portal.views import signed_in_user
from groups.models import Municipality
from probono.models import Proposal, RequestState, Skill, SupportRequest
from probono.permissions import CONCIERGE_GROUP, is_concierge
from probono.services import workflow

# Requests shown per state. The count above them is the total in that state.
BOARD_ROWS_PER_STATE = 50


def _filtered(
    request: HttpRequest, now: dt.datetime
) -> tuple[QuerySet[SupportRequest], dict[str, str]]:
    params = {
        key: request.GET.get(key, "")
        for key in ("skill", "municipality", "concierge", "overdue")
    }
    requests = SupportRequest.objects.all()
    if params["skill"].isdigit():
        requests = requests.filter(skills__pk=params["skill"])
    if params["municipality"]:
        requests = requests.filter(group__municipality__code=params["municipality"])
    if params["concierge"] == "none":
        requests = requests.filter(concierge__isnull=True)
    elif params["concierge"].isdigit():
        requests = requests.filter(concierge_id=int(params["concierge"]))
    if params["overdue"]:
        overdue = Q(pk__in=[])
        for state, limit in workflow.OVERDUE_AFTER.items():
            overdue |= Q(state=state, state_changed_at__lt=now - limit)
        requests = requests.filter(overdue)
    return requests.distinct(), params


def _with_waiting_parties(
    requests: QuerySet[SupportRequest], state: str
) -> QuerySet[SupportRequest]:
    """Prefetch what workflow.waits_on() reads in *state*, two queries a column."""
    if state not in (RequestState.PROPOSED, RequestState.DELIVERED):
        return requests
    proposals = Proposal.objects.filter(
        status__in=[Proposal.Status.PENDING, Proposal.Status.ACCEPTED]
    ).select_related("worker")
    return requests.prefetch_related(
        Prefetch("proposals", queryset=proposals), "evaluations"
    )


@login_required
def board(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not is_concierge(user):
        raise PermissionDenied
    now = timezone.now()
    requests, params = _filtered(request, now)
    counts = dict(
        requests.order_by()
        .values_list("state")
        .annotate(count=Count("pk", distinct=True))
    )
    columns = []
    for state in RequestState:
        rows = (
            list(
                _with_waiting_parties(requests.filter(state=state), state)
                .select_related("group__municipality", "concierge")
                .order_by("state_changed_at", "pk")[:BOARD_ROWS_PER_STATE]
            )
            if counts.get(state)
            else []
        )
        for row in rows:
            row.waiting = now - row.state_changed_at  # type: ignore[attr-defined]
            row.overdue = workflow.is_overdue(row, now)  # type: ignore[attr-defined]
            row.waits_on = sorted(r.value for r in workflow.waits_on(row))  # type: ignore[attr-defined]
        columns.append(
            {
                "state": state,
                "label": state.label,
                "count": counts.get(state, 0),
                "rows": rows,
            }
        )
    context = {
        "columns": columns,
        "params": params,
        "skills": Skill.objects.all(),
        "municipalities": Municipality.objects.order_by("code"),
        "concierges": User.objects.filter(groups__name=CONCIERGE_GROUP).order_by("pk"),
    }
    return render(request, "probono/requests/board.html", context)
