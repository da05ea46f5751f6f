"""Residents' pages: health-points programmes, enrolling, the preview, withdrawing.

Each page shows or changes only the signed-in resident's own enrolments;
another resident's enrolment ids return 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civic_portal.accounts import ages
from civic_portal.views import attach_errors, signed_in_user
from partner_links import selectors
from partner_links.consent import check_guardian_consent
from partner_links.forms import EnrolForm
from partner_links.models import PointsProgramme
from partner_links.services import programmes as programme_services


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    """List the programmes a resident can enrol in, and their own enrolments."""
    user = signed_in_user(request)
    return render(
        request,
        "partner_links/resident/programme_list.html",
        {
            "programmes": selectors.programmes_for_resident(user),
            "can_export": selectors.exportable_programmes(user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    """Show what an enrolment shares, and record the consent on POST."""
    user = signed_in_user(request)
    programme = get_object_or_404(
        PointsProgramme.objects.select_related("partner"), pk=pk, is_active=True
    )
    current = selectors.consenting_enrolment(user, programme)
    if current is not None:
        return redirect("partner_links:enrolment_detail", pk=current.pk)
    guardian_problem: ValidationError | None = None
    try:
        check_guardian_consent(user, ages.today_in_japan())
    except ValidationError as error:
        guardian_problem = error

    status = 200
    form = EnrolForm(programme=programme)
    if request.method == "POST" and guardian_problem is not None:
        status = 400
    elif request.method == "POST":
        form = EnrolForm(request.POST, programme=programme)
        if form.is_valid():
            try:
                created = programme_services.enrol(
                    resident=user,
                    programme=programme,
                    membership_id=form.cleaned_data["membership_id"],
                )
            except ValidationError as error:
                attach_errors(request, form, error)
            else:
                messages.success(
                    request,
                    _("You are enrolled in %(programme)s.")
                    % {"programme": programme.name},
                )
                return redirect("partner_links:enrolment_detail", pk=created.pk)
        status = 400
    return render(
        request,
        "partner_links/resident/enrol.html",
        {
            "programme": programme,
            "form": form,
            "guardian_problem": guardian_problem,
        },
        status=status,
    )


@login_required
def enrolment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an enrolment and the rows an export would share right now."""
    user = signed_in_user(request)
    enrolment = selectors.own_enrolment_or_404(user, pk)
    rows = []
    if enrolment.is_consenting:
        rows = list(
            selectors.participation_rows(
                selectors.own_shareable_participation(enrolment)
            )
        )
    return render(
        request,
        "partner_links/resident/enrolment_detail.html",
        {"enrolment": enrolment, "programme": enrolment.programme, "rows": rows},
    )


@require_POST
@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw the resident's consent for one enrolment, at once."""
    user = signed_in_user(request)
    enrolment = selectors.own_enrolment_or_404(user, pk)
    if programme_services.withdraw(enrolment=enrolment):
        messages.success(
            request,
            _(
                "You withdrew your consent. %(programme)s receives no more data "
                "about you from the portal."
            )
            % {"programme": enrolment.programme.name},
        )
    return redirect("partner_links:programme_list")
