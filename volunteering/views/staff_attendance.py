"""Attendance pages: hours per person and approvals, per session or day.

A post with dated sessions has one attendance page per session. A
year-round post has one per activity day, reached from the list of days
with confirmed volunteers. Both pages record through
volunteering.services.attendance.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import BaseFormSet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from civic_portal.audit.services import name_fields, record_access
from civic_portal.privacy.minors import MinorsPolicy
from volunteering.forms import AttendanceFormSet, AttendanceRowForm, DayHoursForm
from volunteering.models import Application, Attendance, VolunteerPost
from volunteering.models.querysets import ApplicationQuerySet
from volunteering.permissions import (
    get_attendance_for_staff,
    get_post_for_staff,
    get_session_for_staff,
)
from volunteering.services import attendance as attendance_services

from .staff import call_service, log_rejection, redirect_to_next, signed_in_user

ATTENDANCE_DAYS_PAGE_SIZE = 30


def _confirmed(applications: ApplicationQuerySet) -> QuerySet[Application]:
    return (
        applications.matches()
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


def _attendance_page(
    request: HttpRequest,
    *,
    applications: QuerySet[Application],
    page_url: str,
    formset_data: QueryDict | None,
    unknown_row_error: str,
    context: dict[str, Any],
) -> HttpResponse:
    """Show the attendance form of *applications*, or save *formset_data*.

    Redirects to *page_url* once every row with a status is saved. A row
    whose application is not among *applications* gets *unknown_row_error*.
    """
    confirmed = list(applications)
    record_access(
        request, {a.applicant_id: name_fields(a.applicant) for a in confirmed}
    )
    by_id = {application.pk: application for application in confirmed}
    if formset_data is not None:
        formset = AttendanceFormSet(formset_data)
        if formset.is_valid() and _save_rows(
            request, formset, by_id, unknown_row_error
        ):
            return redirect(page_url)
    else:
        formset = AttendanceFormSet(initial=[_initial(a) for a in confirmed])
    rows = [(form, by_id.get(_row_application_id(form) or 0)) for form in formset]
    submitted = [application for application in confirmed if _submitted(application)]
    # Every row is a confirmed application, so the group accepted each
    # minor here; the names still go through the one rule for minors.
    minors = MinorsPolicy(request.user).prefetch(
        application.applicant for application in confirmed
    )
    return render(
        request,
        "volunteering/staff/attendance.html",
        {
            **context,
            "formset": formset,
            "rows": rows,
            "submitted": submitted,
            "page_url": page_url,
            "minors": minors,
        },
    )


def _save_rows(
    request: HttpRequest,
    formset: BaseFormSet,
    by_id: dict[int, Application],
    unknown_row_error: str,
) -> bool:
    """Record each row that has a status, and return False if any row failed."""
    saved = 0
    all_saved = True
    for form in formset:
        data = form.cleaned_data
        application = by_id.get(data.get("application_id"))
        if application is None:
            form.add_error(None, unknown_row_error)
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


def _posted_formset(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


# Sessions


@login_required
def staff_session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request.user, pk)
    return _attendance_page(
        request,
        applications=_confirmed(Application.objects.filter(session=session)),
        page_url=reverse("volunteering:staff_session_attendance", args=[session.pk]),
        formset_data=_posted_formset(request),
        unknown_row_error=_("This application is not confirmed for the session."),
        context={
            "session": session,
            "post": session.post,
            "planned_hours": attendance_services.planned_hours(session),
        },
    )


def _planned_hours_confirmed(count: int) -> str:
    return ngettext(
        "Planned hours were confirmed for %(count)d application.",
        "Planned hours were confirmed for %(count)d applications.",
        count,
    ) % {"count": count}


@login_required
@require_POST
def staff_attendance_confirm_planned(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request.user, pk)
    confirm = partial(
        attendance_services.attendance_bulk_confirm_planned,
        session_id=session.pk,
        recorded_by=signed_in_user(request),
    )
    call_service(request, confirm, success=_planned_hours_confirmed)
    return redirect("volunteering:staff_session_attendance", pk=session.pk)


# Days of year-round posts


def _year_round_post(request: HttpRequest, pk: int) -> VolunteerPost:
    post = get_post_for_staff(request.user, pk)
    if not post.is_year_round:
        raise Http404(f"Post {pk} has dated sessions, not activity days.")
    return post


def _day_url(post: VolunteerPost, day: dt.date) -> str:
    return reverse("volunteering:staff_day_attendance", args=[post.pk, day])


@login_required
def staff_attendance_days(request: HttpRequest, pk: int) -> HttpResponse:
    """List the days of a year-round post that have confirmed volunteers."""
    post = _year_round_post(request, pk)
    days = attendance_services.year_round_attendance_days(post)
    page = Paginator(days, ATTENDANCE_DAYS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "volunteering/staff/attendance_days.html", {"post": post, "page": page}
    )


def _day_page(
    request: HttpRequest,
    post: VolunteerPost,
    day: dt.date,
    *,
    formset_data: QueryDict | None = None,
    hours_form: DayHoursForm | None = None,
) -> HttpResponse:
    applications = Application.objects.filter(
        post=post, session__isnull=True, activity_date=day
    )
    return _attendance_page(
        request,
        applications=_confirmed(applications),
        page_url=_day_url(post, day),
        formset_data=formset_data,
        unknown_row_error=_("This application is not confirmed for this day."),
        context={
            "session": None,
            "post": post,
            "activity_date": day,
            "hours_form": hours_form or DayHoursForm(),
        },
    )


@login_required
def staff_day_attendance(request: HttpRequest, pk: int, day: dt.date) -> HttpResponse:
    post = _year_round_post(request, pk)
    return _day_page(request, post, day, formset_data=_posted_formset(request))


def _hours_confirmed(count: int) -> str:
    return ngettext(
        "Hours were confirmed for %(count)d application.",
        "Hours were confirmed for %(count)d applications.",
        count,
    ) % {"count": count}


@login_required
@require_POST
def staff_day_attendance_confirm(
    request: HttpRequest, pk: int, day: dt.date
) -> HttpResponse:
    """Confirm the hours staff entered for every unrecorded volunteer of a day."""
    post = _year_round_post(request, pk)
    form = DayHoursForm(request.POST)
    if not form.is_valid():
        return _day_page(request, post, day, hours_form=form)
    confirm = partial(
        attendance_services.attendance_bulk_confirm_day,
        post_id=post.pk,
        activity_date=day,
        hours=form.cleaned_data["hours"],
        recorded_by=signed_in_user(request),
    )
    call_service(request, confirm, success=_hours_confirmed)
    return redirect(_day_url(post, day))


# Approving volunteers' own hours


@login_required
@require_POST
def staff_attendance_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve the hours a volunteer submitted, then return to the form's page."""
    record = get_attendance_for_staff(request.user, pk)
    approve = partial(
        attendance_services.attendance_approve,
        attendance_id=record.pk,
        approved_by=signed_in_user(request),
    )
    call_service(request, approve, success=_("The submitted hours were approved."))
    application = record.application
    if application.session_id is not None:
        default_url = reverse(
            "volunteering:staff_session_attendance", args=[application.session_id]
        )
    else:
        assert application.activity_date is not None
        default_url = _day_url(application.post, application.activity_date)
    return redirect_to_next(request, default_url)
