"""School links: a student names a teacher, and the teacher sees the hours record.

A teacher sees a student only through a consenting link that names the
teacher's confirmed address; every other link id returns 404. Each view
of a student's record is logged, because it is access to a minor's data.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civic_portal.audit.services import Action, name_fields, record_access
from civic_portal.views import attach_errors, signed_in_user
from partner_links import selectors
from partner_links.forms import SchoolLinkForm
from partner_links.services import schools as school_services
from volunteering import selectors as volunteering_selectors
from volunteering.hours_record import build_hours_record, format_hours

logger = logging.getLogger(__name__)

# The register's fields that a teacher's pages show besides the name.
TEACHER_LIST_FIELDS = (
    "partner_links.SchoolLink.school_name",
    "volunteering.Attendance.hours",
)
TEACHER_RECORD_FIELDS = (
    *TEACHER_LIST_FIELDS,
    "volunteering.Application.post",
    "volunteering.Application.activity_date",
)


@login_required
@require_http_methods(["GET", "POST"])
def school_link(request: HttpRequest) -> HttpResponse:
    """Show the student's school link, or name a school and teacher on POST."""
    user = signed_in_user(request)
    link = selectors.consenting_school_link(user)
    form = SchoolLinkForm()
    status = 200
    if request.method == "POST" and link is None:
        form = SchoolLinkForm(request.POST)
        if form.is_valid():
            try:
                school_services.link_school(
                    student=user,
                    school_name=form.cleaned_data["school_name"],
                    teacher_name=form.cleaned_data["teacher_name"],
                    teacher_email=form.cleaned_data["teacher_email"],
                )
            except ValidationError as error:
                attach_errors(request, form, error)
            else:
                messages.success(
                    request,
                    _("Your teacher gets a mail and can now see your hours record."),
                )
                return redirect("partner_links:school_link")
        status = 400
    return render(
        request,
        "partner_links/schools/student.html",
        {
            "link": link,
            "form": form,
            "is_high_school_student": user.is_high_school_student,
            "total": format_hours(volunteering_selectors.confirmed_hours_total(user)),
        },
        status=status,
    )


@require_POST
@login_required
def school_withdraw(request: HttpRequest) -> HttpResponse:
    """Stop sharing the student's hours record with the named teacher, at once."""
    user = signed_in_user(request)
    link = selectors.consenting_school_link(user)
    if link is not None and school_services.withdraw_school_link(link=link):
        messages.success(
            request, _("You stopped sharing your hours record with your teacher.")
        )
    return redirect("partner_links:school_link")


@login_required
def teacher_students(request: HttpRequest) -> HttpResponse:
    """List the students who share their hours record with the signed-in teacher."""
    user = signed_in_user(request)
    links = list(selectors.links_for_teacher(user))
    fields_shown = {
        link.student.pk: (*name_fields(link.student), *TEACHER_LIST_FIELDS)
        for link in links
    }
    record_access(request, fields_shown)
    return render(
        request,
        "partner_links/schools/teacher_students.html",
        {"links": links, "email_confirmed": user.email_confirmed},
    )


@login_required
def teacher_student_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one student's confirmed hours record to the teacher they named."""
    user = signed_in_user(request)
    link = selectors.link_for_teacher_or_404(user, pk)
    fields_shown = (*name_fields(link.student), *TEACHER_RECORD_FIELDS)
    record_access(request, [link.student], fields_shown, obj=link)
    logger.info("User %s viewed the hours record of school link %s", user.pk, pk)
    return render(
        request,
        "partner_links/schools/teacher_student_detail.html",
        {
            "link": link,
            "history": volunteering_selectors.hours_history(link.student),
            "total": format_hours(link.total_hours),  # type: ignore[attr-defined]
        },
    )


@login_required
def teacher_student_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Download one student's record of confirmed hours as a PDF, for the teacher."""
    user = signed_in_user(request)
    link = selectors.link_for_teacher_or_404(user, pk)
    issued_on = timezone.localdate()
    pdf = build_hours_record(
        user=link.student,
        rows=list(volunteering_selectors.hours_history(link.student)),
        total=link.total_hours,  # type: ignore[attr-defined]
        issued_on=issued_on,
    )
    fields_shown = (*name_fields(link.student), *TEACHER_RECORD_FIELDS)
    record_access(
        request, [link.student], fields_shown, action=Action.EXPORTED, obj=link
    )
    logger.info("User %s downloaded the hours record of school link %s", user.pk, pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="volunteer-hours-{pk}-{issued_on:%Y%m%d}.pdf"'
    )
    return response
