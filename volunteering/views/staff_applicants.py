"""Applicant lists and decisions for group staff.

Applicants' contact details are personal data: they are shown only to
staff of the group that runs the post (the fetch helpers return 404 to
everyone else), only for confirmed applications (applicant_for_staff), and
each view of a list is logged with the ids involved. A minor's name and
contact details are shown only to staff of a group that accepted the minor
(civic_portal.privacy.minors).
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic_portal.audit.services import (
    USER_EMAIL,
    USER_NAME,
    USER_PHONE,
    record_access,
    shown_fields,
)
from civic_portal.privacy.minors import MinorsPolicy
from volunteering.forms import ReasonForm
from volunteering.models import Application
from volunteering.permissions import (
    ApplicantForStaff,
    applicant_for_staff,
    get_application_for_staff,
    get_post_for_staff,
    get_session_for_staff,
)
from volunteering.services import applications as application_services

from .staff import message_errors, redirect_to_next, signed_in_user

logger = logging.getLogger(__name__)


def _applicants(
    request: HttpRequest, queryset: QuerySet[Application]
) -> list[ApplicantForStaff]:
    applications = list(
        queryset.select_related("applicant", "session", "attendance").order_by(
            "session__starts_at", "activity_date", "created_at", "pk"
        )
    )
    minors = MinorsPolicy(request.user).prefetch(
        application.applicant for application in applications
    )
    return [
        applicant_for_staff(
            application,
            personal_data_visible=minors.can_see(application.applicant),
        )
        for application in applications
    ]


def _record_applicants(
    request: HttpRequest, applicants: list[ApplicantForStaff], page_object: Model
) -> None:
    fields_shown = {
        applicant.application.applicant_id: shown_fields(
            {
                USER_NAME: (
                    applicant.application.applicant.full_name
                    if applicant.personal_data_visible
                    else ""
                ),
                USER_EMAIL: applicant.email,
                USER_PHONE: applicant.phone,
            }
        )
        for applicant in applicants
    }
    record_access(request, fields_shown, obj=page_object)


@login_required
def post_applications(request: HttpRequest, pk: int) -> HttpResponse:
    """List every application to a post, with contact details of confirmed ones."""
    post = get_post_for_staff(request.user, pk)
    applicants = _applicants(request, post.applications.all())
    _record_applicants(request, applicants, post)
    logger.info("User %s viewed the applicants of post %s", request.user.pk, post.pk)
    return render(
        request,
        "volunteering/staff/applications.html",
        {
            "post": post,
            "session": None,
            "applicants": applicants,
            "reason_form": ReasonForm(),
        },
    )


@login_required
def staff_session_applications(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request.user, pk)
    applicants = _applicants(request, session.applications.all())
    _record_applicants(request, applicants, session)
    logger.info(
        "User %s viewed the applicants of session %s", request.user.pk, session.pk
    )
    return render(
        request,
        "volunteering/staff/applications.html",
        {
            "post": session.post,
            "session": session,
            "applicants": applicants,
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def staff_application_decide(
    request: HttpRequest, pk: int, decision: str
) -> HttpResponse:
    """Accept, decline or cancel one application."""
    application = get_application_for_staff(request.user, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    user = signed_in_user(request)
    try:
        if decision == "accept":
            application_services.application_accept(
                application_id=application.pk, decided_by=user
            )
            messages.success(request, _("The application was accepted."))
        elif decision == "decline":
            application_services.application_decline(
                application_id=application.pk, decided_by=user, reason=reason
            )
            messages.success(request, _("The application was declined."))
        elif decision == "cancel":
            application_services.application_cancel_by_staff(
                application_id=application.pk, cancelled_by=user, reason=reason
            )
            messages.success(request, _("The application was cancelled."))
        else:
            raise Http404("Unknown decision.")
    except ValidationError as error:
        message_errors(request, error)
    return redirect_to_next(
        request, reverse("volunteering:post_applications", args=[application.post_id])
    )
