"""Pages where support centre staff review registrations and record lifecycle facts.

Users who work at no centre get 403. Centre staff get 404 for groups
outside their centre's municipality, except at the prefectural centre,
which reviews every group.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic_portal.accounts.models import User
from civic_portal.audit.services import (
    USER_EMAIL,
    USER_NAME,
    record_access,
    shown_fields,
)
from civic_portal.views import attach_errors, message_errors, signed_in_user
from groups.forms_registration import CertificationForm, DecisionForm, StatusChangeForm
from groups.models import CivicGroup, GroupChangeRequest
from groups.permissions import groups_under_centre_staff, is_centre_staff
from groups.services import lifecycle, profile, registration
from groups.views.manage import status_rows

QUEUE_PAGE_SIZE = 30
OPEN_REVIEW = (
    CivicGroup.ReviewStatus.PENDING,
    CivicGroup.ReviewStatus.CHANGES_REQUESTED,
)


def _reviewable_groups(request: HttpRequest) -> Any:
    if not is_centre_staff(request.user):
        raise PermissionDenied
    return groups_under_centre_staff(request.user)


def get_group_for_review(request: HttpRequest, pk: int) -> CivicGroup:
    return get_object_or_404(
        _reviewable_groups(request).select_related("municipality", "created_by"),
        pk=pk,
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """List the applications and change requests that await a decision."""
    groups = _reviewable_groups(request)
    # Applications awaiting a decision ("pending") come before those
    # waiting for the applicant ("changes_requested"), oldest first.
    applications = (
        groups.filter(review_status__in=OPEN_REVIEW)
        .select_related("municipality", "created_by")
        .order_by("-review_status", "created_at", "pk")
    )
    page = Paginator(applications, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    change_requests = (
        GroupChangeRequest.objects.filter(
            group__in=groups,
            status__in=[
                GroupChangeRequest.Status.PENDING,
                GroupChangeRequest.Status.CHANGES_REQUESTED,
            ],
        )
        .select_related("group__municipality", "requested_by")
        .order_by("status", "created_at")
    )
    return render(
        request,
        "groups/review/queue.html",
        {"page": page, "change_requests": change_requests},
    )


def _render_group(
    request: HttpRequest, group: CivicGroup, **forms: BaseForm
) -> HttpResponse:
    context = {
        "group": group,
        "activity_fields": group.activity_fields.all(),
        "reviews": group.reviews.filter(change_request__isnull=True).select_related(
            "actor"
        ),
        "staff": group.memberships.select_related("user"),
        "status_changes": status_rows(group),
        "certifications": group.certifications.order_by("-certified_on"),
        "certified_forms": list(lifecycle.FORM_FOR_CERTIFICATION.values()),
        "certifiable": group.legal_form in lifecycle.CERTIFIABLE_FORMS,
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "status_form": forms.get("status_form") or StatusChangeForm(),
        "certification_form": forms.get("certification_form") or CertificationForm(),
        "possible_duplicates": (
            registration.possible_duplicates(group)
            if group.review_status in OPEN_REVIEW
            else []
        ),
    }
    applicant = group.created_by
    if applicant is not None:
        fields_shown = shown_fields(
            {USER_NAME: applicant.full_name, USER_EMAIL: applicant.email}
        )
        record_access(request, [applicant], fields_shown, obj=group)
    return render(request, "groups/review/group.html", context)


def _record(
    request: HttpRequest,
    form: BaseForm,
    record: Callable[[dict[str, Any], User], object],
    success: str,
) -> bool:
    """Call *record* with the form's data; return False after showing its errors."""
    try:
        record(form.cleaned_data, signed_in_user(request))
    except ValidationError as error:
        attach_errors(request, form, error)
        return False
    messages.success(request, success)
    return True


def _save_decision(
    request: HttpRequest, form: DecisionForm, decide: Callable[..., object]
) -> bool:
    """Call *decide* with the decision; return False after showing its errors."""
    return _record(
        request,
        form,
        lambda data, user: decide(
            by=user, action=data["action"], reason=data["reason"]
        ),
        _("The decision was saved and e-mailed to the applicant."),
    )


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an application in full and take the decision on POST."""
    group = get_group_for_review(request, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decided = _save_decision(
            request,
            form,
            partial(registration.decide_registration, group_id=group.pk),
        )
        if decided:
            return redirect("groups:review_queue")
    return _render_group(request, group, decision_form=form)


@login_required
@require_POST
def record_status(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_review(request, pk)
    form = StatusChangeForm(request.POST)
    if form.is_valid():
        recorded = _record(
            request,
            form,
            lambda data, user: lifecycle.change_status(
                group, data["status"], data["effective_on"], user, note=data["note"]
            ),
            _("The status change was recorded."),
        )
        if recorded:
            return redirect("groups:review_group", pk=group.pk)
    return _render_group(request, group, status_form=form)


@login_required
@require_POST
def record_certification(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_review(request, pk)
    form = CertificationForm(request.POST)
    if form.is_valid():
        recorded = _record(
            request,
            form,
            lambda data, user: lifecycle.record_certification(
                group, data["kind"], data["certified_on"], user
            ),
            _("The certification was recorded."),
        )
        if recorded:
            return redirect("groups:review_group", pk=group.pk)
    return _render_group(request, group, certification_form=form)


@login_required
@require_POST
def renew_certification(
    request: HttpRequest, pk: int, certification_pk: int
) -> HttpResponse:
    group = get_group_for_review(request, pk)
    certification = get_object_or_404(group.certifications, pk=certification_pk)
    try:
        lifecycle.renew_certification(certification, signed_in_user(request))
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, _("The renewal was recorded."))
    return redirect("groups:review_group", pk=group.pk)


@login_required
def change_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a change request beside the current values and take the decision."""
    groups = _reviewable_groups(request)
    change_request = get_object_or_404(
        GroupChangeRequest.objects.filter(group__in=groups).select_related(
            "group__municipality", "requested_by"
        ),
        pk=pk,
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decided = _save_decision(
            request,
            form,
            partial(profile.decide_change_request, change_request_id=change_request.pk),
        )
        if decided:
            return redirect("groups:review_queue")
    group = change_request.group
    rows = [
        (
            _("Name"),
            group.name,
            change_request.name,
        ),
        (_("Name reading"), group.name_kana, change_request.name_kana),
        (
            _("Legal form"),
            group.get_legal_form_display(),
            CivicGroup.LegalForm(change_request.legal_form).label
            if change_request.legal_form
            else "",
        ),
        (
            _("Corporate number"),
            group.corporate_number,
            change_request.corporate_number,
        ),
    ]
    context = {
        "change_request": change_request,
        "group": group,
        "rows": rows,
        "reviews": change_request.reviews.select_related("actor"),
        "form": form,
    }
    return render(request, "groups/review/change_request.html", context)
