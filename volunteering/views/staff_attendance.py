"""The attendance page of a session: hours per person, approvals."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BaseFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from volunteering.forms import AttendanceFormSet, AttendanceRowForm
from volunteering.models import Application, Attendance, VolunteerSession
from volunteering.permissions import get_attendance_for_staff, get_session_for_staff
from volunteering.services import attendance as attendance_services

from .staff import log_rejection, message_errors, signed_in_user


def _confirmed(session: VolunteerSession) -> QuerySet[Application]:
    return (
        Application.objects.matches()
        .filter(session=session)
        .select_related("applicant", "attendance")
        .order_by("created_at", "pk")
    )


def _submitted(application: Application) -> bool:
    record: Attendance | None = getattr(application, "attendance", None)
    return record is not None and record.status == Attendance.Status.SUBMITTED


def _initial(application: Application) -> dict:
    record: Attendance | None = getattr(application, "attendance", None)
    if record is None or record.status == Attendance.Status.SUBMITTED:
        return {"application_id": application.pk, "status": "", "hours": None}
    return {
        "application_id": application.pk,
        "status": record.status,
        "hours": record.hours,
        "note": record.note,
    }


def _row_application_id(form: AttendanceRowForm) -> int | None:
    try:
        return int(form["application_id"].value())
    except (TypeError, ValueError):
        return None


@login_required
def staff_session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request.user, pk)
    applications = list(_confirmed(session))
    by_id = {application.pk: application for application in applications}
    if request.method == "POST":
        formset = AttendanceFormSet(request.POST)
        if formset.is_valid() and _save_rows(request, formset, by_id):
            return redirect("volunteering:staff_session_attendance", pk=session.pk)
    else:
        formset = AttendanceFormSet(initial=[_initial(a) for a in applications])
    rows = [(form, by_id.get(_row_application_id(form) or 0)) for form in formset]
    return render(
        request,
        "volunteering/staff/attendance.html",
        {
            "session": session,
            "post": session.post,
            "formset": formset,
            "rows": rows,
            "submitted": [
                application for application in applications if _submitted(application)
            ],
            "planned_hours": attendance_services.planned_hours(session),
        },
    )


def _save_rows(
    request: HttpRequest, formset: BaseFormSet, by_id: dict[int, Application]
) -> bool:
    """Record each row that has a status, and return False if any row failed."""
    saved = 0
    all_saved = True
    for form in formset:
        data = form.cleaned_data
        application = by_id.get(data.get("application_id"))
        if application is None:
            form.add_error(
                None, _("This application is not confirmed for the session.")
            )
            all_saved = False
            continue
        if not data.get("status"):
            continue
        try:
            attendance_services.attendance_record(
                application_id=application.pk,
                recorded_by=signed_in_user(request),
                status=data["status"],
                hours=data.get("hours") or Decimal("0"),
                note=data.get("note", ""),
            )
        except ValidationError as error:
            log_rejection(request, error)
            form.add_error(None, error)
            all_saved = False
        else:
            saved += 1
    if saved:
        messages.success(
            request,
            ngettext(
                "Attendance was saved for %(count)d application.",
                "Attendance was saved for %(count)d applications.",
                saved,
            )
            % {"count": saved},
        )
    return all_saved


@login_required
@require_POST
def staff_attendance_confirm_planned(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request.user, pk)
    try:
        count = attendance_services.attendance_bulk_confirm_planned(
            session_id=session.pk, recorded_by=signed_in_user(request)
        )
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "Planned hours were confirmed for %(count)d application.",
                "Planned hours were confirmed for %(count)d applications.",
                count,
            )
            % {"count": count},
        )
    return redirect("volunteering:staff_session_attendance", pk=session.pk)


@login_required
@require_POST
def staff_attendance_approve(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_attendance_for_staff(request.user, pk)
    try:
        attendance_services.attendance_approve(
            attendance_id=record.pk, approved_by=signed_in_user(request)
        )
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, _("The submitted hours were approved."))
    session_id = record.application.session_id
    if session_id is None:
        return redirect("volunteering:post_applications", pk=record.application.post_id)
    return redirect("volunteering:staff_session_attendance", pk=session_id)
