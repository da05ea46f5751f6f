"""Collaboration example pages: the public list and detail, drafting, consent.

The public reads published examples only. A draft is not found (404) for
anyone but the case's readers and the people who act for a party, who
are the staff of a group taking part and a partner's staff member.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic_portal.views import attach_errors, message_errors, signed_in_user
from facilitation.forms_examples import ExampleForm
from facilitation.models import CollaborationExample, ExampleParty
from facilitation.services import cases as case_services
from facilitation.services import examples as example_services

logger = logging.getLogger(__name__)

EXAMPLES_PER_PAGE = 20

ROWS_WITH_NAMES = Prefetch(
    "parties",
    queryset=ExampleParty.objects.select_related("party__group", "party__partner"),
)


def example_list(request: HttpRequest) -> HttpResponse:
    # The same rule as the detail page and the API: the drafts this user
    # may read come first, marked, then the published examples.
    examples = (
        example_services.readable_examples(request.user)
        .select_related("case__centre")
        .prefetch_related(ROWS_WITH_NAMES)
        .order_by(F("published_at").desc(nulls_first=True), "-pk")
    )
    page = Paginator(examples, EXAMPLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "facilitation/examples/list.html", {"page": page})


def example_detail(request: HttpRequest, pk: int) -> HttpResponse:
    example = get_object_or_404(
        example_services.readable_examples(request.user)
        .select_related("case__centre")
        .prefetch_related(ROWS_WITH_NAMES),
        pk=pk,
    )
    rows = list(example.parties.all())
    manager = case_services.can_manage(request.user, example.case)
    # (row, whether the user may record or withdraw that party's consent)
    consent_rows = [
        (row, manager or example_services.represents_party(request.user, row.party))
        for row in rows
    ]
    context = {
        "example": example,
        "rows": consent_rows,
        # A party's staff keep the consent column after publication, so
        # that they can withdraw their consent.
        "shows_consents": not example.is_published
        or any(can_record for _row, can_record in consent_rows),
        "is_manager": manager,
        "missing": [row for row in rows if not row.has_consent],
    }
    return render(request, "facilitation/examples/detail.html", context)


def _managed_case_for_example(request: HttpRequest, case_pk: int):  # type: ignore[no-untyped-def]
    user = signed_in_user(request)
    case = get_object_or_404(case_services.visible_cases(user), pk=case_pk)
    if not case_services.can_manage(user, case):
        raise PermissionDenied
    return user, case


@login_required
def example_new(request: HttpRequest, case_pk: int) -> HttpResponse:
    user, case = _managed_case_for_example(request, case_pk)
    existing = CollaborationExample.objects.filter(case=case).first()
    if existing is not None:
        return redirect("facilitation:example_edit", existing.pk)
    parties = list(case.parties.select_related("group", "partner"))
    initial = {"title": case.title, "summary": case.shared_goal}
    for party in parties:
        initial[f"did_{party.pk}"] = party.contribution
        initial[f"gained_{party.pk}"] = party.outcome
    form = ExampleForm(request.POST or None, parties=parties, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            example = example_services.draft_example(
                case,
                user,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                texts=form.texts(),
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(
                request,
                _(
                    "The example was drafted. Record each party's consent "
                    "before publishing it."
                ),
            )
            return redirect("facilitation:example_detail", example.pk)
    context = {"form": form, "case": case}
    return render(request, "facilitation/examples/form.html", context)


@login_required
def example_edit(request: HttpRequest, pk: int) -> HttpResponse:
    example = get_object_or_404(CollaborationExample, pk=pk)
    user, case = _managed_case_for_example(request, example.case_id)
    rows = list(example.parties.select_related("party__group", "party__partner"))
    initial = {"title": example.title, "summary": example.summary}
    for row in rows:
        initial[f"did_{row.party_id}"] = row.what_they_did
        initial[f"gained_{row.party_id}"] = row.what_they_gained
    form = ExampleForm(
        request.POST or None, parties=[row.party for row in rows], initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            cleared = example_services.update_example(
                example,
                user,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                texts=form.texts(),
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The example was saved."))
            if cleared:
                messages.warning(
                    request,
                    _(
                        "The text changed, so the consents recorded so far were "
                        "cleared. Ask each party again."
                    ),
                )
            return redirect("facilitation:example_detail", example.pk)
    context = {"form": form, "case": case, "example": example}
    return render(request, "facilitation/examples/form.html", context)


@login_required
@require_POST
def example_consent(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    user = signed_in_user(request)
    example = get_object_or_404(example_services.readable_examples(user), pk=pk)
    row = get_object_or_404(
        example.parties.select_related(
            "party__group", "party__partner", "example__case"
        ),
        pk=row_pk,
    )
    if not example_services.can_record_consent(user, row):
        raise PermissionDenied
    try:
        if request.POST.get("action") == "withdraw":
            taken_down = example_services.withdraw_consent(row, user)
            messages.success(
                request,
                _("The consent of %(party)s was withdrawn.")
                % {"party": row.party.name},
            )
            if taken_down:
                messages.warning(request, _("The example is no longer published."))
        else:
            example_services.give_consent(row, user)
            messages.success(
                request,
                _("The consent of %(party)s was recorded.") % {"party": row.party.name},
            )
    except ValidationError as error:
        message_errors(request, error)
    return redirect("facilitation:example_detail", example.pk)


@login_required
@require_POST
def example_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    example = get_object_or_404(example_services.readable_examples(user), pk=pk)
    if not case_services.can_manage(user, example.case):
        raise PermissionDenied
    try:
        if request.POST.get("action") == "unpublish":
            example_services.unpublish(example, user)
            messages.success(request, _("The example is no longer published."))
        else:
            example_services.publish(example, user)
            messages.success(request, _("The example is published."))
    except ValidationError as error:
        message_errors(request, error)
    return redirect("facilitation:example_detail", example.pk)


@login_required
def consent_list(request: HttpRequest) -> HttpResponse:
    """List the examples that ask for the consent of the user's groups or partners."""
    user = signed_in_user(request)
    examples = (
        example_services.consent_examples_of(user)
        .select_related("case")
        .prefetch_related(ROWS_WITH_NAMES)
        .order_by("-created_at", "-pk")
    )
    return render(
        request, "facilitation/examples/consents.html", {"examples": examples}
    )
