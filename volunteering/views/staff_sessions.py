"""Pages where group staff add, change and delete sessions and send calls."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from volunteering.forms import SessionForm, SessionSeriesForm
from volunteering.models import VolunteerPost, VolunteerSession
from volunteering.permissions import get_post_for_staff, get_session_for_staff
from volunteering.services import sessions as session_services

from .staff import attach_errors, call_service, signed_in_user


def _session_form_page(
    request: HttpRequest,
    *,
    form: SessionForm,
    post: VolunteerPost,
    session: VolunteerSession | None,
    save: Callable[..., VolunteerSession],
    success: str,
) -> HttpResponse:
    """Show the session form, or pass its times and capacity to *save*."""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        call = partial(
            save,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            capacity=data["capacity"],
        )
        if call_service(request, call, success=success, form=form):
            return redirect("volunteering:staff_post_detail", pk=post.pk)
    return render(
        request,
        "volunteering/staff/session_form.html",
        {"form": form, "post": post, "session": session},
    )


@login_required
def staff_session_create(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_staff(request.user, pk)
    return _session_form_page(
        request,
        form=SessionForm(request.POST or None),
        post=post,
        session=None,
        save=partial(
            session_services.session_create,
            post_id=post.pk,
            created_by=signed_in_user(request),
        ),
        success=_("The session was added."),
    )


@login_required
def staff_session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request.user, pk)
    if request.method == "POST":
        form = SessionForm(request.POST)
    else:
        form = SessionForm.for_session(session)
    return _session_form_page(
        request,
        form=form,
        post=session.post,
        session=session,
        save=partial(
            session_services.session_update,
            session_id=session.pk,
            changed_by=signed_in_user(request),
        ),
        success=_("The session was saved."),
    )


@login_required
@require_POST
def staff_session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request.user, pk)
    delete = partial(
        session_services.session_delete,
        session_id=session.pk,
        deleted_by=signed_in_user(request),
    )
    call_service(request, delete, success=_("The session was deleted."))
    return redirect("volunteering:staff_post_detail", pk=session.post_id)


def _sessions_added(created: list[VolunteerSession]) -> str:
    return ngettext(
        "%(count)d session was added.",
        "%(count)d sessions were added.",
        len(created),
    ) % {"count": len(created)}


@login_required
def staff_session_series(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a weekly or monthly series, or only list its dates (preview)."""
    post = get_post_for_staff(request.user, pk)
    form = SessionSeriesForm(request.POST or None)
    preview: list = []
    if request.method == "POST" and form.is_valid():
        series = {
            "pattern": form.pattern(),
            "start_time": form.cleaned_data["start_time"],
            "end_time": form.cleaned_data["end_time"],
            "capacity": form.cleaned_data["capacity"],
        }
        if "preview" in request.POST:
            try:
                preview = session_services.check_series(post=post, **series)
            except ValidationError as error:
                attach_errors(request, form, error)
        else:
            create = partial(
                session_services.session_series_create,
                post_id=post.pk,
                created_by=signed_in_user(request),
                **series,
            )
            if call_service(request, create, success=_sessions_added, form=form):
                return redirect("volunteering:staff_post_detail", pk=post.pk)
    return render(
        request,
        "volunteering/staff/session_series.html",
        {"form": form, "post": post, "preview": preview},
    )


@login_required
@require_POST
def staff_session_call(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request.user, pk)
    send_call = partial(
        session_services.session_send_call,
        session_id=session.pk,
        sent_by=signed_in_user(request),
    )
    call_service(
        request,
        send_call,
        success=_("The call to residents is being sent for this session."),
    )
    return redirect("volunteering:staff_post_detail", pk=session.post_id)
