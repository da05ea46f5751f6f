"""Support request pages for group staff and concierges.

Group staff see their own groups' requests, concierges see all; anyone
else gets 404 for a request. Filing needs staff membership of a public
group (403 otherwise).
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic_portal.views import attach_errors, message_errors, signed_in_user
from probono.forms_requests import HearingNotesForm, SupportRequestForm, TransitionForm
from probono.models import RequestState
from probono.permissions import is_concierge
from probono.services import requests as request_services
from probono.services import workflow

logger = logging.getLogger(__name__)

REQUEST_PAGE_SIZE = 30


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    requests = (
        request_services.visible_to(user)
        .select_related("group")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(requests, REQUEST_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "can_file": request_services.groups_that_can_file(user).exists(),
        "is_concierge": is_concierge(user),
    }
    return render(request, "probono/requests/list.html", context)


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    groups = request_services.groups_that_can_file(user)
    if not groups.exists():
        raise PermissionDenied
    initial = {"group": request.GET.get("group")} if request.GET.get("group") else {}
    form = SupportRequestForm(request.POST or None, groups=groups, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        group = fields.pop("group")
        skills = fields.pop("skills")
        try:
            support_request = request_services.file_request(
                user=user, group=group, skills=skills, **fields
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(
                request, _("Your support request was sent to the concierge.")
            )
            return redirect("probono:request_detail", support_request.pk)
    return render(request, "probono/requests/new.html", {"form": form})


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    support_request = get_object_or_404(
        request_services.visible_to(user).select_related("group", "concierge"), pk=pk
    )
    concierge = is_concierge(user)
    targets = [
        (state, RequestState(state).label)
        for state in workflow.allowed_targets(support_request, user)
    ]
    context = {
        "support_request": support_request,
        "events": support_request.events.select_related("actor"),
        "skills": support_request.skills.all(),
        "targets": targets,
        "transition_form": TransitionForm(),
        "is_concierge": concierge,
        "hearing_form": (
            HearingNotesForm(initial={"hearing_notes": support_request.hearing_notes})
            if concierge and support_request.state == RequestState.HEARING
            else None
        ),
        "overdue": workflow.is_overdue(support_request, timezone.now()),
    }
    return render(request, "probono/requests/detail.html", context)


@login_required
@require_POST
def request_transition(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    support_request = get_object_or_404(request_services.visible_to(user), pk=pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            workflow.transition(
                support_request,
                form.cleaned_data["to_state"],
                user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            message_errors(request, error)
        else:
            messages.success(
                request,
                _("The request is now “%(state)s”.")
                % {"state": support_request.get_state_display()},
            )
    return redirect("probono:request_detail", support_request.pk)


@login_required
@require_POST
def request_hearing(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    support_request = get_object_or_404(request_services.visible_to(user), pk=pk)
    if not is_concierge(user):
        raise PermissionDenied
    form = HearingNotesForm(request.POST)
    if form.is_valid():
        try:
            workflow.record_hearing(
                support_request, user, form.cleaned_data["hearing_notes"]
            )
        except ValidationError as error:
            message_errors(request, error)
        else:
            messages.success(request, _("The hearing notes were saved."))
    return redirect("probono:request_detail", support_request.pk)
