"""Pages where group staff add, change and delete sessions and send calls."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from volunteering.forms import SessionForm, SessionSeriesForm
from volunteering.permissions import get_post_for_staff, get_session_for_staff
from volunteering.services import sessions as session_services

from .staff import attach_errors, message_errors, signed_in_user


@login_required
def staff_session_create(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_staff(request.user, pk)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session_services.session_create(
                post_id=post.pk,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                capacity=form.cleaned_data["capacity"],
                created_by=signed_in_user(request),
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The session was added."))
            return redirect("volunteering:staff_post_detail", pk=post.pk)
    return render(
        request,
        "volunteering/staff/session_form.html",
        {"form": form, "post": post, "session": None},
    )


@login_required
def staff_session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request.user, pk)
    if request.method == "POST":
        form = SessionForm(request.POST)
    else:
        form = SessionForm.for_session(session)
    if request.method == "POST" and form.is_valid():
        try:
            session_services.session_update(
                session_id=session.pk,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                capacity=form.cleaned_data["capacity"],
                changed_by=signed_in_user(request),
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The session was saved."))
            return redirect("volunteering:staff_post_detail", pk=session.post_id)
    return render(
        request,
        "volunteering/staff/session_form.html",
        {"form": form, "post": session.post, "session": session},
    )


@login_required
@require_POST
def staff_session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request.user, pk)
    try:
        session_services.session_delete(
            session_id=session.pk, deleted_by=signed_in_user(request)
        )
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, _("The session was deleted."))
    return redirect("volunteering:staff_post_detail", pk=session.post_id)


@login_required
def staff_session_series(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a weekly or monthly series, or only list its dates (preview)."""
    post = get_post_for_staff(request.user, pk)
    form = SessionSeriesForm(request.POST or None)
    preview: list = []
    if request.method == "POST" and form.is_valid():
        try:
            if "preview" in request.POST:
                preview = session_services.series_dates(form.pattern())
            else:
                created = session_services.session_series_create(
                    post_id=post.pk,
                    pattern=form.pattern(),
                    start_time=form.cleaned_data["start_time"],
                    end_time=form.cleaned_data["end_time"],
                    capacity=form.cleaned_data["capacity"],
                    created_by=signed_in_user(request),
                )
                messages.success(
                    request,
                    ngettext(
                        "%(count)d session was added.",
                        "%(count)d sessions were added.",
                        len(created),
                    )
                    % {"count": len(created)},
                )
                return redirect("volunteering:staff_post_detail", pk=post.pk)
        except ValidationError as error:
            attach_errors(request, form, error)
    return render(
        request,
        "volunteering/staff/session_series.html",
        {"form": form, "post": post, "preview": preview},
    )


@login_required
@require_POST
def staff_session_call(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request.user, pk)
    try:
        session_services.session_send_call(
            session_id=session.pk, sent_by=signed_in_user(request)
        )
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(
            request, _("The call to residents is being sent for this session.")
        )
    return redirect("volunteering:staff_post_detail", pk=session.post_id)
