"""Case study pages: the public list and detail, the concierge's and the parties'.

The public can read only published case studies. Concierges draft, edit
and publish, and anyone else gets 403 on those pages. The consent pages
are for the parties, who are the group's staff and the team members, and
anyone else gets 404.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic_portal.views import attach_errors, message_errors, signed_in_user
from probono.forms_case_studies import CaseStudyForm, ConsentConfirmForm
from probono.models import CaseStudy, ProbonoWorker, Skill, SupportRequest
from probono.permissions import is_concierge
from probono.services import case_studies as case_study_services

logger = logging.getLogger(__name__)

CASE_STUDIES_PER_PAGE = 12

PARTIES = ("group", "worker")
CONSENT_ACTIONS = ("give", "withdraw")


def case_study_list(request: HttpRequest) -> HttpResponse:
    """List published case studies, newest first, optionally by skill key."""
    skills = list(Skill.objects.all())
    skill = next((s for s in skills if s.key == request.GET.get("skill")), None)
    case_studies = (
        CaseStudy.objects.published()
        .select_related("request__group")
        .prefetch_related("skills")
        .order_by("-published_at", "-pk")
    )
    if skill is not None:
        case_studies = case_studies.filter(skills=skill)
    page = Paginator(case_studies, CASE_STUDIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "skills": skills, "selected_skill": skill}
    return render(request, "probono/case_studies/list.html", context)


def case_study_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case_study = get_object_or_404(
        CaseStudy.objects.published().select_related("request__group"), pk=pk
    )
    context = {
        "case_study": case_study,
        "group": case_study.request.group,
        "skills": case_study.skills.all(),
    }
    return render(request, "probono/case_studies/detail.html", context)


def _require_concierge(request: HttpRequest) -> None:
    if not is_concierge(request.user):
        raise PermissionDenied


def _save_form(
    request: HttpRequest, form: CaseStudyForm, support_request: SupportRequest
) -> CaseStudy | None:
    """Draft or update from a valid *form*, or return None if the service rejects it."""
    user = signed_in_user(request)
    fields = {
        name: form.cleaned_data[name] for name in case_study_services.CONTENT_FIELDS
    }
    skills = form.cleaned_data["skills"]
    try:
        if form.instance.pk is None:
            return case_study_services.draft_case_study(
                support_request, user, skills=skills, **fields
            )
        changed = case_study_services.update_case_study(
            form.instance, user, skills=skills, **fields
        )
    except ValidationError as error:
        attach_errors(request, form, error)
        return None
    if changed:
        messages.success(
            request,
            _(
                "The case study was saved. Earlier consents were removed, and "
                "the parties were asked to consent to the new text."
            ),
        )
    return form.instance


@login_required
def case_study_new(request: HttpRequest, request_pk: int) -> HttpResponse:
    _require_concierge(request)
    support_request = get_object_or_404(SupportRequest, pk=request_pk)
    existing = CaseStudy.objects.filter(request=support_request).first()
    if existing is not None:
        return redirect("probono:case_study_manage", existing.pk)
    initial = case_study_services.initial_fields(support_request)
    form = CaseStudyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        case_study = _save_form(request, form, support_request)
        if case_study is not None:
            messages.success(
                request,
                _("The draft was saved, and the parties were asked for consent."),
            )
            return redirect("probono:case_study_manage", case_study.pk)
    context = {"form": form, "support_request": support_request}
    return render(request, "probono/case_studies/form.html", context)


@login_required
def case_study_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_concierge(request)
    case_study = get_object_or_404(CaseStudy.objects.select_related("request"), pk=pk)
    form = CaseStudyForm(request.POST or None, instance=case_study)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_form(request, form, case_study.request) is not None
    ):
        return redirect("probono:case_study_manage", case_study.pk)
    context = {
        "form": form,
        "support_request": case_study.request,
        "case_study": case_study,
    }
    return render(request, "probono/case_studies/form.html", context)


@login_required
def case_study_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a case study with its consent status panel, for concierges."""
    _require_concierge(request)
    case_study = get_object_or_404(
        CaseStudy.objects.select_related("request__group"), pk=pk
    )
    group = case_study.request.group
    parties = [
        (party, case_study_services.party_name(party, group))
        for party in case_study_services.consent_status(case_study)
    ]
    context = {
        "case_study": case_study,
        "group": group,
        "skills": case_study.skills.all(),
        "parties": parties,
        "missing": [name for party, name in parties if not party.is_live],
    }
    return render(request, "probono/case_studies/manage.html", context)


@login_required
@require_POST
def case_study_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _require_concierge(request)
    case_study = get_object_or_404(CaseStudy, pk=pk)
    try:
        case_study_services.publish(case_study, signed_in_user(request))
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, _("The case study is published."))
    return redirect("probono:case_study_manage", case_study.pk)


def _party_case_study(request: HttpRequest, pk: int) -> CaseStudy:
    return get_object_or_404(
        case_study_services.party_case_studies(signed_in_user(request)).select_related(
            "request__group"
        ),
        pk=pk,
    )


@login_required
def case_study_consent(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a case study to a party with its consent and links to change it."""
    case_study = _party_case_study(request, pk)
    parties = case_study_services.parties_of(signed_in_user(request), case_study)
    if not parties:
        raise Http404("Not a party of this case study")
    context = {
        "case_study": case_study,
        "group": case_study.request.group,
        "skills": case_study.skills.all(),
        "parties": parties,
    }
    return render(request, "probono/case_studies/consent.html", context)


@login_required
def case_study_consent_action(
    request: HttpRequest, pk: int, party: str, action: str
) -> HttpResponse:
    """Confirm, then give or withdraw the consent of the group or of oneself."""
    if party not in PARTIES or action not in CONSENT_ACTIONS:
        raise Http404("Unknown consent party or action")
    user = signed_in_user(request)
    case_study = _party_case_study(request, pk)
    worker: ProbonoWorker | None = None
    if party == "worker":
        worker = case_study_services.own_worker(user, case_study)
        if worker is None:
            raise Http404("Not a worker of this project")
    elif not case_study.request.group.is_staff_member(user):
        raise Http404("Not staff of this group")
    form = None
    if action == "give":
        data = request.POST if request.method == "POST" else None
        form = ConsentConfirmForm(data)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if action == "give":
                case_study_services.give_consent(case_study, user, worker)
            else:
                case_study_services.withdraw_consent(case_study, user, worker)
        except ValidationError as error:
            message_errors(request, error)
        else:
            messages.success(
                request,
                _("Your consent was recorded.")
                if action == "give"
                else _("Your consent was withdrawn."),
            )
        return redirect("probono:case_study_consent", case_study.pk)
    context = {
        "case_study": case_study,
        "group": case_study.request.group,
        "skills": case_study.skills.all(),
        "party": party,
        "action": action,
        "form": form,
        "is_published": case_study.published_at is not None,
    }
    return render(request, "probono/case_studies/consent_confirm.html", context)
