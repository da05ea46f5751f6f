"""The project workspace and the "my projects" list.

Only participants enter a workspace: the group's staff, the team members
(workers with an accepted proposal) and concierges. Anyone else gets 404,
so a stranger cannot tell which projects exist. A signed-in participant
whose role may not make a change gets 403. Bad input re-renders the
workspace with the form as it was sent and a message.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic_portal.accounts.models import User
from civic_portal.audit.services import (
    USER_EMAIL,
    USER_NAME,
    USER_PHONE,
    record_access,
    shown_fields,
)
from civic_portal.views import attach_errors, signed_in_user
from groups.models import CivicGroup
from probono.forms_projects import (
    EvaluationForm,
    MessageForm,
    MilestoneDoneForm,
    MilestoneForm,
    ProgressNoteForm,
    WorkLogForm,
)
from probono.models import Evaluation, Milestone, ProbonoWorker, SupportRequest
from probono.permissions import is_concierge
from probono.services import projects
from probono.services.projects import ProjectAccess

logger = logging.getLogger(__name__)

PROJECT_PAGE_SIZE = 30


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    rows = projects.project_list_rows(user).select_related("group")
    page = Paginator(rows, PROJECT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "is_concierge": is_concierge(user),
        "is_group_staff": CivicGroup.objects.managed_by(user).exists(),
        "is_worker": ProbonoWorker.objects.filter(user=user).exists(),
    }
    return render(request, "probono/projects/list.html", context)


def _project_or_404(user: User, pk: int) -> tuple[SupportRequest, ProjectAccess]:
    support_request = get_object_or_404(
        SupportRequest.objects.select_related("group", "concierge"), pk=pk
    )
    access = projects.access_of(user, support_request)
    if not access.can_take_part:
        logger.info("User %s denied the workspace of request %s", user.pk, pk)
        raise Http404
    return support_request, access


def _workspace_url(pk: int, section: str) -> str:
    return reverse("probono:project_workspace", args=[pk]) + f"#{section}"


def _reject(request: HttpRequest, form: forms.Form, error: ValidationError) -> None:
    """Raise PermissionDenied (403) for a role that may not act, else show the error."""
    if getattr(error, "code", None) == "role_not_allowed":
        logger.info(
            "%s %s by user %s denied: role not allowed",
            request.method,
            request.path,
            request.user.pk,
        )
        raise PermissionDenied(" ".join(error.messages))
    attach_errors(request, form, error)


def _form_or_none(
    bound: dict[str, forms.Form], key: str, show: bool, make: Callable[[], forms.Form]
) -> forms.Form | None:
    """Return the bound form sent under *key*, else a new one if *show*."""
    if key in bound:
        return bound[key]
    return make() if show else None


def _evaluation_forms(
    bound: forms.Form | None, open_parties: list[str]
) -> list[forms.Form]:
    """Return a form per party the user may still evaluate for.

    A form that was sent and rejected stays, even when its party has just
    been evaluated by someone else, so that the comment is not lost.
    """
    bound_party = bound.data.get("evaluation-party") if bound is not None else None
    result: list[forms.Form] = [
        bound if bound is not None and party == bound_party else _evaluation_form(party)
        for party in open_parties
    ]
    if bound is not None and bound_party not in open_parties:
        result.append(bound)
    return result


def _evaluation_form(party: str, data: QueryDict | None = None) -> EvaluationForm:
    # Group staff who are also on the team get two forms on one page, so
    # the element ids name the party.
    return EvaluationForm(
        data,
        prefix="evaluation",
        initial={"party": party},
        auto_id=f"id_{party}_%s",
    )


def _record_team_contacts(
    request: HttpRequest,
    support_request: SupportRequest,
    contacts: projects.TeamContacts,
    members: list[ProbonoWorker],
) -> None:
    users = {worker.pk: worker.user for worker in members if worker.user is not None}
    fields_shown: dict[int, tuple[str, ...]] = {}
    for member in contacts.members:
        user = users[member.worker_id]
        fields_shown[user.pk] = shown_fields(
            {
                USER_NAME: user.full_name,
                "probono.ProbonoWorker.profession": member.profession,
                USER_EMAIL: member.email,
                USER_PHONE: member.phone,
            }
        )
    concierge = support_request.concierge
    if contacts.concierge is not None and concierge is not None:
        fields_shown[concierge.pk] = shown_fields(
            {USER_NAME: concierge.full_name, USER_EMAIL: concierge.email}
        )
    record_access(request, fields_shown, obj=support_request)


def _render_workspace(
    request: HttpRequest,
    support_request: SupportRequest,
    access: ProjectAccess,
    bound: dict[str, forms.Form] | None = None,
) -> HttpResponse:
    """Render the workspace, with each form in *bound* in place of an empty one."""
    bound = bound or {}
    state = support_request.state
    in_work = state in projects.WORK_STATES
    can_manage = access.can_manage_milestones and in_work
    members = list(projects.team_members(support_request))
    evaluations = list(
        support_request.evaluations.select_related("worker__user", "author")
    )
    work_logs = list(support_request.work_logs.select_related("worker__user", "skill"))

    milestone_rows = [
        (
            milestone,
            _form_or_none(
                bound,
                f"done-{milestone.pk}",
                can_manage and milestone.done_on is None,
                functools.partial(MilestoneDoneForm, prefix=f"done-{milestone.pk}"),
            ),
        )
        for milestone in support_request.milestones.all()
    ]
    worker = access.worker
    contacts = projects.team_contacts(access, support_request, members)
    _record_team_contacts(request, support_request, contacts, members)

    context = {
        "support_request": support_request,
        "access": access,
        "thread": support_request.messages.select_related("author"),
        "contacts": contacts,
        "milestone_rows": milestone_rows,
        "notes": support_request.progress_notes.select_related("author"),
        "work_logs": work_logs,
        "hours": projects.summarise_hours(work_logs),
        "evaluations": evaluations,
        "message_form": _form_or_none(
            bound,
            "message",
            state not in projects.MESSAGE_CLOSED_STATES,
            functools.partial(MessageForm, prefix="message"),
        ),
        "milestone_form": _form_or_none(
            bound,
            "milestone",
            can_manage,
            functools.partial(MilestoneForm, prefix="milestone"),
        ),
        "note_form": _form_or_none(
            bound, "note", in_work, functools.partial(ProgressNoteForm, prefix="note")
        ),
        "hours_form": _form_or_none(
            bound,
            "hours",
            worker is not None and in_work,
            lambda: _work_log_form(support_request, worker),
        ),
        "evaluation_forms": _evaluation_forms(
            bound.get("evaluation"),
            projects.open_evaluation_parties(access, support_request, evaluations),
        ),
        "is_request_reader": access.is_concierge or access.is_group_staff,
    }
    return render(request, "probono/projects/workspace.html", context)


def _work_log_form(
    support_request: SupportRequest,
    worker: ProbonoWorker | None,
    data: QueryDict | None = None,
) -> WorkLogForm:
    assert worker is not None
    return WorkLogForm(
        data,
        prefix="hours",
        skills=projects.skills_for_hours(worker, support_request),
    )


@login_required
def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    support_request, access = _project_or_404(signed_in_user(request), pk)
    return _render_workspace(request, support_request, access)


def _submit(
    request: HttpRequest,
    support_request: SupportRequest,
    access: ProjectAccess,
    form: forms.Form,
    save: Callable[[dict], object],
    success: str,
    anchor: str,
) -> HttpResponse:
    """Save a valid *form* with *save* and go back to the workspace at *anchor*.

    An invalid form, or one that *save* rejects, is shown again on the
    workspace with the input kept.
    """
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            _reject(request, form, error)
        else:
            messages.success(request, success)
            return redirect(_workspace_url(support_request.pk, anchor))
    return _render_workspace(request, support_request, access, {str(form.prefix): form})


@login_required
@require_POST
def post_message(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    support_request, access = _project_or_404(user, pk)
    return _submit(
        request,
        support_request,
        access,
        MessageForm(request.POST, prefix="message"),
        lambda data: projects.post_message(support_request, user, data["body"]),
        _("Your message was posted."),
        "thread",
    )


@login_required
@require_POST
def add_milestone(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    support_request, access = _project_or_404(user, pk)
    return _submit(
        request,
        support_request,
        access,
        MilestoneForm(request.POST, prefix="milestone"),
        lambda data: projects.add_milestone(support_request, user, **data),
        _("The milestone was added."),
        "milestones",
    )


@login_required
@require_POST
def mark_milestone_done(
    request: HttpRequest, pk: int, milestone_pk: int
) -> HttpResponse:
    user = signed_in_user(request)
    support_request, access = _project_or_404(user, pk)
    milestone = get_object_or_404(
        Milestone.objects.filter(request=support_request), pk=milestone_pk
    )
    milestone.request = support_request
    return _submit(
        request,
        support_request,
        access,
        MilestoneDoneForm(request.POST, prefix=f"done-{milestone.pk}"),
        lambda data: projects.mark_done(milestone, user, data["done_on"]),
        _("The milestone “%(title)s” is done.") % {"title": milestone.title},
        "milestones",
    )


@login_required
@require_POST
def add_progress_note(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    support_request, access = _project_or_404(user, pk)
    return _submit(
        request,
        support_request,
        access,
        ProgressNoteForm(request.POST, prefix="note"),
        lambda data: projects.add_progress_note(support_request, user, data["body"]),
        _("The progress note was added."),
        "notes",
    )


@login_required
@require_POST
def log_hours(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    support_request, access = _project_or_404(user, pk)
    if access.worker is None:
        # Only team members log hours, and the form needs their skill areas.
        raise PermissionDenied
    return _submit(
        request,
        support_request,
        access,
        _work_log_form(support_request, access.worker, request.POST),
        lambda data: projects.log_hours(support_request, user, **data),
        _("Your hours were recorded."),
        "hours",
    )


@login_required
@require_POST
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    support_request, access = _project_or_404(user, pk)
    party = request.POST.get("evaluation-party", "")
    form = _evaluation_form(
        party if party in Evaluation.Party.values else "evaluation", request.POST
    )
    return _submit(
        request,
        support_request,
        access,
        form,
        lambda data: projects.evaluate(support_request, user, **data),
        _("Thank you: your evaluation was recorded."),
        "evaluations",
    )
