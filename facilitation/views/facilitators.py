"""Pages of the facilitator roster and the training of regional facilitators.

Only the chief facilitator and prefectural staff use them.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic_portal.audit.services import USER_EMAIL, name_fields, record_access
from civic_portal.views import attach_errors, message_errors, signed_in_user
from facilitation.forms_facilitators import (
    AppointmentForm,
    CompletionForm,
    CourseForm,
    DeactivateForm,
    EndAppointmentForm,
    EnrolForm,
    FacilitatorForm,
    SessionForm,
)
from facilitation.models import Facilitator, FacilitatorAppointment, TrainingCourse
from facilitation.permissions import can_manage_facilitators
from facilitation.services import facilitators as facilitator_services

logger = logging.getLogger(__name__)


# The register's fields that the roster, a facilitator's page and a
# course's attendance table show besides the name.
FACILITATOR_KIND = "facilitation.Facilitator.kind"
COMPLETED_ON = "facilitation.CourseCompletion.completed_on"
TRAINING_ATTENDED = "facilitation.TrainingAttendance.attended"


def _require_manager(request: HttpRequest) -> None:
    if not can_manage_facilitators(request.user):
        raise PermissionDenied


@login_required
def roster(request: HttpRequest) -> HttpResponse:
    """List the facilitators and register a new one."""
    _require_manager(request)
    form = FacilitatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            facilitator = facilitator_services.register_facilitator(
                user=form.cleaned_data["user"],
                kind=form.cleaned_data["kind"],
                by=signed_in_user(request),
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The facilitator was registered."))
            return redirect("facilitation:facilitator_detail", facilitator.pk)
    facilitators = list(facilitator_services.roster())
    fields_shown = {
        facilitator.user.pk: (*name_fields(facilitator.user), FACILITATOR_KIND)
        for facilitator in facilitators
    }
    record_access(request, fields_shown)
    context = {"facilitators": facilitators, "form": form}
    return render(request, "facilitation/facilitators/roster.html", context)


def _detail_page(
    request: HttpRequest,
    facilitator: Facilitator,
    *,
    form: AppointmentForm | None = None,
    end_form: EndAppointmentForm | None = None,
    ended: FacilitatorAppointment | None = None,
    deactivate_form: DeactivateForm | None = None,
) -> HttpResponse:
    """Render a facilitator's page, with any bound form that was rejected.

    *end_form* is the rejected form that ends the appointment *ended*; its
    row shows the date as typed, with the error next to it.
    """
    user = facilitator.user
    fields_shown = (*name_fields(user), USER_EMAIL, FACILITATOR_KIND, COMPLETED_ON)
    record_access(request, [user], fields_shown, obj=facilitator)
    context = {
        "facilitator": facilitator,
        "form": form or AppointmentForm(),
        "end_form": end_form,
        "ended_pk": ended.pk if ended is not None else None,
        "deactivate_form": deactivate_form or DeactivateForm(),
        "completions": facilitator.user.course_completions.select_related("course"),
    }
    return render(request, "facilitation/facilitators/detail.html", context)


@login_required
def facilitator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a facilitator's appointments and training, and appoint them."""
    _require_manager(request)
    facilitator = get_object_or_404(facilitator_services.roster(), pk=pk)
    form = AppointmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            facilitator_services.appoint(
                facilitator=facilitator, by=signed_in_user(request), **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The appointment was saved."))
            return redirect("facilitation:facilitator_detail", facilitator.pk)
    return _detail_page(request, facilitator, form=form)


@login_required
@require_POST
def end_appointment(request: HttpRequest, pk: int) -> HttpResponse:
    """Set an appointment's last day, or show the page again with the day as typed."""
    _require_manager(request)
    appointment = get_object_or_404(
        FacilitatorAppointment.objects.select_related("facilitator"), pk=pk
    )
    form = EndAppointmentForm(request.POST)
    if form.is_valid():
        try:
            facilitator_services.end_appointment(
                appointment=appointment,
                ends_on=form.cleaned_data["ends_on"],
                by=signed_in_user(request),
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The end of the appointment was saved."))
            return redirect(
                "facilitation:facilitator_detail", appointment.facilitator_id
            )
    facilitator = get_object_or_404(
        facilitator_services.roster(), pk=appointment.facilitator_id
    )
    return _detail_page(request, facilitator, end_form=form, ended=appointment)


@login_required
@require_POST
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    facilitator = get_object_or_404(facilitator_services.roster(), pk=pk)
    form = DeactivateForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, facilitator, deactivate_form=form)
    facilitator_services.deactivate_facilitator(
        facilitator=facilitator,
        on=form.cleaned_data["on"],
        by=signed_in_user(request),
    )
    messages.success(request, _("The facilitator was deactivated."))
    return redirect("facilitation:facilitator_detail", facilitator.pk)


@login_required
def course_list(request: HttpRequest) -> HttpResponse:
    """List the training courses and add a new one."""
    _require_manager(request)
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        course = form.save()
        logger.info(
            "Training course %s created by user %s",
            course.pk,
            signed_in_user(request).pk,
        )
        messages.success(request, _("The training course was added."))
        return redirect("facilitation:course_detail", course.pk)
    courses = TrainingCourse.objects.annotate(
        session_count=Count("sessions", distinct=True),
        completion_count=Count("completions", distinct=True),
    ).order_by("-fiscal_year", "title", "pk")
    context = {"courses": courses, "form": form}
    return render(request, "facilitation/training/course_list.html", context)


def _course_page(
    request: HttpRequest,
    course: TrainingCourse,
    session_form: SessionForm | None = None,
    enrol_form: EnrolForm | None = None,
) -> HttpResponse:
    sessions, rows = facilitator_services.attendance_table(course)
    fields_shown = {
        row.person.pk: (*name_fields(row.person), TRAINING_ATTENDED, COMPLETED_ON)
        for row in rows
    }
    record_access(request, fields_shown, obj=course)
    context = {
        "course": course,
        "sessions": sessions,
        "rows": rows,
        "session_form": session_form or SessionForm(),
        "enrol_form": enrol_form or EnrolForm(),
        "completion_form": CompletionForm(),
    }
    return render(request, "facilitation/training/course_detail.html", context)


@login_required
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the sessions and the attendance table of a course."""
    _require_manager(request)
    course = get_object_or_404(TrainingCourse, pk=pk)
    return _course_page(request, course)


@login_required
@require_POST
def add_session(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    course = get_object_or_404(TrainingCourse, pk=pk)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            facilitator_services.add_session(
                course=course, by=signed_in_user(request), **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The session was added."))
            return redirect("facilitation:course_detail", course.pk)
    return _course_page(request, course, session_form=form)


@login_required
@require_POST
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    course = get_object_or_404(TrainingCourse, pk=pk)
    form = EnrolForm(request.POST)
    if form.is_valid():
        try:
            facilitator_services.enrol(
                course=course,
                person=form.cleaned_data["person"],
                by=signed_in_user(request),
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The participant was enrolled."))
            return redirect("facilitation:course_detail", course.pk)
    return _course_page(request, course, enrol_form=form)


def _ticked_pairs(values: list[str]) -> set[tuple[int, int]]:
    """Parse "session:person" checkbox values, skipping malformed ones."""
    pairs = set()
    for value in values:
        session_id, _separator, person_id = value.partition(":")
        if session_id.isdigit() and person_id.isdigit():
            pairs.add((int(session_id), int(person_id)))
    return pairs


@login_required
@require_POST
def record_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    course = get_object_or_404(TrainingCourse, pk=pk)
    facilitator_services.record_attendance(
        course=course,
        attended=_ticked_pairs(request.POST.getlist("attended")),
        by=signed_in_user(request),
    )
    messages.success(request, _("The attendance was saved."))
    return redirect("facilitation:course_detail", course.pk)


@login_required
@require_POST
def record_completion(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    course = get_object_or_404(TrainingCourse, pk=pk)
    form = CompletionForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Enter a valid completion date, for example 2027-03-31.")
        )
        return redirect("facilitation:course_detail", course.pk)
    try:
        facilitator_services.record_completion(
            course=course,
            person=form.cleaned_data["person"],
            completed_on=form.cleaned_data["completed_on"],
            by=signed_in_user(request),
        )
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, _("The completion was recorded."))
    return redirect("facilitation:course_detail", course.pk)
