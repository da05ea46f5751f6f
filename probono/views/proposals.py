"""Proposal pages: the concierge's candidates, the worker's replies, open requests.

Concierges see the ranked candidates of any request and propose or
withdraw (403 for anyone else). A worker sees and replies to only their
own proposals, and anyone else gets 404 for a proposal. Registered workers see
the open requests without the groups' contact details, and active ones
may say they are interested.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic_portal.accounts.models import User
from civic_portal.views import attach_errors, message_errors, signed_in_user
from probono.forms_proposals import (
    AcceptForm,
    DeclineForm,
    InterestForm,
    ProposeForm,
)
from probono.models import Interest, ProbonoWorker, Proposal, SupportRequest
from probono.permissions import is_concierge
from probono.services import matching
from probono.services import proposals as proposal_services

logger = logging.getLogger(__name__)

OPEN_REQUESTS_PER_PAGE = 30


def _require_concierge(user: User) -> None:
    if not is_concierge(user):
        raise PermissionDenied


# --- Concierge -----------------------------------------------------------


def _render_candidates(
    request: HttpRequest,
    support_request: SupportRequest,
    failed_form: ProposeForm | None = None,
) -> HttpResponse:
    candidates = matching.rank_candidates(support_request)
    logger.info(
        "Concierge %s viewed the candidates of request %s",
        request.user.pk,
        support_request.pk,
    )
    context = {
        "support_request": support_request,
        "candidates": candidates,
        "can_propose": support_request.state in proposal_services.PROPOSABLE_STATES,
        "failed_form": failed_form,
        "default_reply_days": proposal_services.DEFAULT_REPLY_DAYS,
        "min_reply_days": proposal_services.MIN_REPLY_DAYS,
        "max_reply_days": proposal_services.MAX_REPLY_DAYS,
    }
    status = 400 if failed_form is not None else 200
    return render(request, "probono/proposals/candidates.html", context, status=status)


@login_required
def candidates(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the ranked candidates of a request with a propose form for each."""
    _require_concierge(signed_in_user(request))
    support_request = get_object_or_404(
        SupportRequest.objects.select_related("group"), pk=pk
    )
    return _render_candidates(request, support_request)


@login_required
@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    _require_concierge(user)
    support_request = get_object_or_404(
        SupportRequest.objects.select_related("group"), pk=pk
    )
    form = ProposeForm(request.POST)
    if form.is_valid():
        worker = form.cleaned_data["worker"]
        try:
            proposal_services.propose(
                support_request,
                worker,
                user,
                message=form.cleaned_data["message"],
                reply_days=form.cleaned_data["reply_days"],
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(
                request,
                _("%(worker)s was proposed and will get a mail.")
                % {"worker": _worker_name(worker)},
            )
            return redirect("probono:proposal_candidates", support_request.pk)
    return _render_candidates(request, support_request, failed_form=form)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    _require_concierge(user)
    proposal = get_object_or_404(Proposal, pk=pk)
    try:
        proposal_services.withdraw(proposal, user)
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, _("The proposal was withdrawn."))
    return redirect("probono:request_detail", proposal.request_id)


def _worker_name(worker: ProbonoWorker) -> str:
    return worker.user.get_full_name() if worker.user else str(worker)


# --- Worker --------------------------------------------------------------


def _own_proposal(request: HttpRequest, pk: int) -> Proposal:
    user = signed_in_user(request)
    return get_object_or_404(
        Proposal.objects.filter(worker__user=user).select_related(
            "request__group__municipality", "worker"
        ),
        pk=pk,
    )


def _render_detail(
    request: HttpRequest,
    proposal: Proposal,
    accept_form: AcceptForm | None = None,
    decline_form: DeclineForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "proposal": proposal,
        "support_request": proposal.request,
        "skills": proposal.request.skills.all(),
        "accept_form": accept_form or AcceptForm(),
        "decline_form": decline_form or DeclineForm(),
        # The group's contact person is shared with the worker only after
        # the worker accepted.
        "show_contact": proposal.status == Proposal.Status.ACCEPTED,
    }
    return render(request, "probono/proposals/detail.html", context, status=status)


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one of the worker's own proposals with the request it is for."""
    return _render_detail(request, _own_proposal(request, pk))


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _own_proposal(request, pk)
    form = AcceptForm(request.POST)
    if form.is_valid():
        try:
            proposal_services.accept(
                proposal, signed_in_user(request), note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(
                request,
                _("You accepted the proposal. The concierge will be in touch."),
            )
            return redirect("probono:proposal_detail", proposal.pk)
    return _render_detail(request, proposal, accept_form=form, status=400)


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _own_proposal(request, pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            proposal_services.decline(
                proposal, signed_in_user(request), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("You declined the proposal."))
            return redirect("probono:my_worker")
    return _render_detail(request, proposal, decline_form=form, status=400)


def _registered_worker(user: User) -> ProbonoWorker:
    worker = (
        ProbonoWorker.objects.filter(user=user)
        .exclude(status=ProbonoWorker.Status.DELETED)
        .first()
    )
    if worker is None:
        raise PermissionDenied
    return worker


def _render_open_requests(
    request: HttpRequest,
    worker: ProbonoWorker,
    failed_request_id: int | None = None,
    failed_form: InterestForm | None = None,
) -> HttpResponse:
    queryset = (
        proposal_services.open_requests()
        .select_related("group__municipality")
        .prefetch_related("skills")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(queryset, OPEN_REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    interested = set(
        Interest.objects.filter(
            worker=worker, request__in=[item.pk for item in page.object_list]
        ).values_list("request_id", flat=True)
    )
    context = {
        "page": page,
        "worker": worker,
        "interested": interested,
        "can_express": worker.status == ProbonoWorker.Status.ACTIVE,
        "failed_request_id": failed_request_id,
        "failed_form": failed_form,
    }
    status = 400 if failed_form is not None else 200
    return render(
        request, "probono/proposals/open_requests.html", context, status=status
    )


@login_required
def open_requests(request: HttpRequest) -> HttpResponse:
    """List the open requests for registered workers, without contact details."""
    worker = _registered_worker(signed_in_user(request))
    return _render_open_requests(request, worker)


@login_required
@require_POST
def express_interest(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    worker = _registered_worker(user)
    support_request = get_object_or_404(proposal_services.open_requests(), pk=pk)
    form = InterestForm(request.POST)
    if form.is_valid():
        try:
            proposal_services.express_interest(
                support_request, user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(
                request,
                _("The concierge now knows that you are interested in “%(title)s”.")
                % {"title": support_request.title},
            )
            return redirect("probono:open_requests")
    return _render_open_requests(
        request, worker, failed_request_id=support_request.pk, failed_form=form
    )


@login_required
@require_POST
def withdraw_interest(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    _registered_worker(user)
    support_request = get_object_or_404(SupportRequest, pk=pk)
    try:
        removed = proposal_services.withdraw_interest(support_request, user)
    except ValidationError as error:
        message_errors(request, error)
    else:
        if removed:
            messages.success(
                request,
                _("You took back your interest in “%(title)s”.")
                % {"title": support_request.title},
            )
    return redirect("probono:open_requests")
