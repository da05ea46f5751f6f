"""Collaboration case pages for facilitators and centre staff.

A case the user may not read is not found (404). A reader who may not
take a step (edit, add a party, move the stage) gets 403. The list
refuses (403) anyone but facilitators, centre staff and administrators.
"""

from __future__ import annotations

import logging

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
from facilitation.forms_cases import (
    CaseEditForm,
    CaseForm,
    InvitationForm,
    NoteForm,
    PartyEditForm,
    PartyForm,
    PrinciplesForm,
    StageForm,
)
from facilitation.models import (
    CaseParty,
    CaseStage,
    CollaborationCase,
    CollaborationExample,
    Principle,
)
from facilitation.permissions import can_use_case_workspace
from facilitation.services import cases as case_services

logger = logging.getLogger(__name__)

CASES_PER_PAGE = 30


def _readable_case(user: User, pk: int) -> CollaborationCase:
    return get_object_or_404(
        case_services.visible_cases(user).select_related("centre", "facilitator__user"),
        pk=pk,
    )


def _managed_case(user: User, pk: int) -> CollaborationCase:
    case = _readable_case(user, pk)
    if not case_services.can_manage(user, case):
        logger.info("User %s may read but not manage case %s", user.pk, case.pk)
        raise PermissionDenied
    return case


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not can_use_case_workspace(user):
        raise PermissionDenied
    cases = (
        case_services.visible_cases(user)
        .select_related("centre", "facilitator__user")
        .order_by("-updated_at", "-pk")
    )
    stage = request.GET.get("stage", "")
    if stage in CaseStage.values:
        cases = cases.filter(stage=stage)
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "stages": CaseStage.choices,
        "stage": stage,
        "can_open": case_services.opening_centres(user).exists(),
    }
    return render(request, "facilitation/cases/list.html", context)


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    centres = case_services.opening_centres(user)
    if not centres.exists():
        raise PermissionDenied
    form = CaseForm(request.POST or None, centres=centres)
    if request.method == "POST" and form.is_valid():
        try:
            case = case_services.open_case(user=user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The collaboration case was opened."))
            return redirect("facilitation:case_detail", case.pk)
    return render(request, "facilitation/cases/form.html", {"form": form})


def _principle_table(parties: list[CaseParty]) -> list[dict]:
    """Return one row per party with its answers in Principle order."""
    rows = []
    for party in parties:
        answers = {a.principle: a for a in party.principle_answers.all()}
        rows.append(
            {
                "party": party,
                "answers": [answers.get(p.value) for p in Principle],
            }
        )
    return rows


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    case = _readable_case(user, pk)
    parties = list(
        case.parties.select_related("group", "partner").prefetch_related(
            "principle_answers"
        )
    )
    manager = case_services.can_manage(user, case)
    targets = [
        (stage, CaseStage(stage).label)
        for stage in case_services.allowed_targets(case, user)
    ]
    context = {
        "case": case,
        "parties": parties,
        "principles": Principle.choices,
        "principle_rows": _principle_table(parties),
        "notes": case.notes.select_related("author"),
        "history": case.stage_changes.select_related("actor"),
        "invitations": case.invitations.select_related(
            "facilitator__user",
            "requested_by_party__group",
            "requested_by_party__partner",
        ),
        "is_manager": manager,
        "can_add_notes": case_services.can_add_notes(user, case),
        "targets": targets,
        "example": CollaborationExample.objects.filter(case=case).first(),
    }
    return render(request, "facilitation/cases/detail.html", context)


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    case = _managed_case(user, pk)
    form = CaseEditForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        try:
            case_services.update_case(case, user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The case was saved."))
            return redirect("facilitation:case_detail", case.pk)
    return render(request, "facilitation/cases/form.html", {"form": form, "case": case})


@login_required
@require_POST
def case_stage(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    case = _managed_case(user, pk)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            case_services.transition(
                case, form.cleaned_data["to_stage"], user, form.cleaned_data["note"]
            )
        except ValidationError as error:
            message_errors(request, error)
        else:
            messages.success(
                request,
                _("The case is now “%(stage)s”.") % {"stage": case.get_stage_display()},
            )
    return redirect("facilitation:case_detail", case.pk)


@login_required
def party_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    case = _managed_case(user, pk)
    form = PartyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case_services.add_party(case, user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The party was added."))
            return redirect("facilitation:case_detail", case.pk)
    return render(
        request, "facilitation/cases/party_form.html", {"form": form, "case": case}
    )


def _party_of(case: CollaborationCase, party_pk: int) -> CaseParty:
    return get_object_or_404(
        case.parties.select_related("group", "partner"), pk=party_pk
    )


@login_required
def party_edit(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    user = signed_in_user(request)
    case = _managed_case(user, pk)
    party = _party_of(case, party_pk)
    form = PartyEditForm(request.POST or None, instance=party)
    if request.method == "POST" and form.is_valid():
        try:
            case_services.update_party(party, user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The party was saved."))
            return redirect("facilitation:case_detail", case.pk)
    context = {"form": form, "case": case, "party": party}
    return render(request, "facilitation/cases/party_form.html", context)


@login_required
def party_principles(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    user = signed_in_user(request)
    case = _managed_case(user, pk)
    party = _party_of(case, party_pk)
    if request.method == "POST":
        form = PrinciplesForm(request.POST)
    else:
        form = PrinciplesForm(initial=PrinciplesForm.initial_from(party))
    if request.method == "POST" and form.is_valid():
        try:
            case_services.record_principle_answers(party, user, form.answers())
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(
                request,
                _("The answers of %(party)s were recorded.") % {"party": party.name},
            )
            return redirect("facilitation:case_detail", case.pk)
    context = {"form": form, "case": case, "party": party}
    return render(request, "facilitation/cases/principles.html", context)


@login_required
def note_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    case = _readable_case(user, pk)
    if not case_services.can_add_notes(user, case):
        raise PermissionDenied
    first_day, today = case_services.note_date_bounds(case)
    form = NoteForm(
        request.POST or None,
        initial={"held_on": today},
        date_bounds=(first_day, today),
    )
    if request.method == "POST" and form.is_valid():
        try:
            case_services.add_note(case, user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The meeting notes were added."))
            return redirect("facilitation:case_detail", case.pk)
    return render(
        request, "facilitation/cases/note_form.html", {"form": form, "case": case}
    )


@login_required
def invitation_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    case = _managed_case(user, pk)
    form = InvitationForm(
        request.POST or None,
        facilitators=case_services.invitable_facilitators(case),
        parties=case.parties.select_related("group", "partner"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation = case_services.invite_facilitator(
                case, user, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(
                request,
                _("%(person)s was invited to the case.")
                % {"person": invitation.facilitator.user.get_short_name()},
            )
            return redirect("facilitation:case_detail", case.pk)
    return render(
        request,
        "facilitation/cases/invitation_form.html",
        {"form": form, "case": case},
    )
