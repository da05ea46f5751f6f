"""Pages of the worker bank: a worker's own registration and the concierge's list."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic_portal.audit.services import USER_EMAIL, name_fields, record_access
from civic_portal.views import attach_errors, message_errors, signed_in_user
from probono.forms_workers import (
    WorkerFilter,
    WorkerForm,
    WorkerSkillFormSet,
    skill_entries,
)
from probono.models import ProbonoWorker
from probono.permissions import is_concierge
from probono.services import workers as worker_services

logger = logging.getLogger(__name__)

WORKERS_PER_PAGE = 50


def _own_registration(request: HttpRequest) -> ProbonoWorker:
    worker = worker_services.current_registration(signed_in_user(request))
    if worker is None:
        raise Http404("No pro bono worker registration")
    return worker


def _worker_form_page(
    request: HttpRequest,
    *,
    worker: ProbonoWorker | None,
    save: Callable[..., object],
    done_message: str,
) -> HttpResponse:
    """Show the registration form of *worker*, or an empty one, and save it.

    *save* is register_worker or update_worker with the user or worker
    bound. It gets the form's fields, skills and activity fields, and the
    contact consent when the form has that field (only when registering). A
    ValidationError that it raises shows on the form.
    """
    form = WorkerForm(request.POST or None, instance=worker)
    formset = WorkerSkillFormSet(request.POST or None, instance=worker, prefix="skills")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        changes = {
            "fields": form.worker_fields(),
            "skills": skill_entries(formset),
            "activity_fields": form.cleaned_data["activity_fields"],
        }
        if "contact_consent" in form.cleaned_data:
            changes["contact_consent"] = form.cleaned_data["contact_consent"]
        try:
            save(**changes)
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, done_message)
            return redirect("probono:my_worker")
    context = {"form": form, "formset": formset, "registering": worker is None}
    return render(request, "probono/workers/form.html", context)


@login_required
def register(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if worker_services.current_registration(user) is not None:
        return redirect("probono:my_worker")
    return _worker_form_page(
        request,
        worker=None,
        save=partial(worker_services.register_worker, user=user),
        done_message=_("You are registered as a pro bono worker."),
    )


@login_required
def my_worker(request: HttpRequest) -> HttpResponse:
    """Show the user's registration, or a link to register when there is none."""
    worker = worker_services.current_registration(signed_in_user(request))
    skills = []
    if worker is not None:
        skills = list(worker.worker_skills.select_related("skill"))
    context = {"worker": worker, "skills": skills}
    return render(request, "probono/workers/mine.html", context)


@login_required
def edit(request: HttpRequest) -> HttpResponse:
    worker = _own_registration(request)
    return _worker_form_page(
        request,
        worker=worker,
        save=partial(worker_services.update_worker, worker=worker),
        done_message=_("Your registration was saved."),
    )


@login_required
@require_POST
def pause(request: HttpRequest) -> HttpResponse:
    worker = _own_registration(request)
    try:
        worker_services.pause_worker(worker)
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(
            request,
            _("Your registration is paused. Concierges will not propose projects."),
        )
    return redirect("probono:my_worker")


@login_required
@require_POST
def resume(request: HttpRequest) -> HttpResponse:
    worker = _own_registration(request)
    try:
        worker_services.resume_worker(worker)
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, _("Your registration is active again."))
    return redirect("probono:my_worker")


@login_required
def delete(request: HttpRequest) -> HttpResponse:
    """Ask for confirmation, then remove the personal data of the registration."""
    worker = _own_registration(request)
    if request.method == "POST":
        worker_services.delete_worker(worker)
        messages.success(
            request,
            _(
                "Your registration was deleted. Your portal account stays; "
                "you can register again at any time."
            ),
        )
        return redirect("probono:my_worker")
    return render(request, "probono/workers/delete.html", {"worker": worker})


# The register's fields of a worker that the concierge's pages show.
WORKER_LIST_FIELDS = tuple(
    f"probono.ProbonoWorker.{name}"
    for name in (
        "profession",
        "work_mode",
        "lives_in_prefecture",
        "municipality",
        "home_region",
        "status",
    )
)
WORKER_DETAIL_FIELDS = (
    *WORKER_LIST_FIELDS,
    *(
        f"probono.ProbonoWorker.{name}"
        for name in ("employer", "skills_note", "hours_per_month", "contact_consent_at")
    ),
)


def _require_concierge(request: HttpRequest) -> None:
    if not is_concierge(request.user):
        raise PermissionDenied


@login_required
def worker_list(request: HttpRequest) -> HttpResponse:
    """List workers with filters, for concierges only."""
    _require_concierge(request)
    queryset = (
        ProbonoWorker.objects.select_related("user", "municipality")
        .prefetch_related("worker_skills__skill")
        .order_by("-registered_at", "pk")
    )
    worker_filter = WorkerFilter(request.GET or None, queryset=queryset)
    page = Paginator(worker_filter.qs, WORKERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    fields_shown = {
        worker.user_id: (*name_fields(worker.user), *WORKER_LIST_FIELDS)
        for worker in page
        if worker.user is not None
    }
    record_access(request, fields_shown)
    logger.info("Concierge %s listed pro bono workers", request.user.pk)
    context = {"filter": worker_filter, "page": page}
    return render(request, "probono/workers/list.html", context)


@login_required
def worker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one worker's registration and contact to a concierge, read-only."""
    _require_concierge(request)
    worker = get_object_or_404(
        ProbonoWorker.objects.select_related("user", "municipality"), pk=pk
    )
    if worker.user is not None:
        fields_shown = (*name_fields(worker.user), USER_EMAIL, *WORKER_DETAIL_FIELDS)
        record_access(request, [worker.user], fields_shown, obj=worker)
    logger.info(
        "Concierge %s viewed pro bono worker %s", signed_in_user(request).pk, worker.pk
    )
    context = {
        "worker": worker,
        "skills": worker.worker_skills.select_related("skill"),
    }
    return render(request, "probono/workers/detail.html", context)
