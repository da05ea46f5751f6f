"""Post-activity reports written by group staff."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from volunteering.forms import ReportForm, ReportPhotoFormSet
from volunteering.permissions import get_post_for_staff, get_report_for_staff
from volunteering.services import reports as report_services

from .staff import call_service, signed_in_user


@login_required
def staff_report_create(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_staff(request.user, pk)
    data = request.POST if request.method == "POST" else None
    form = ReportForm(data, post=post)
    photo_forms = ReportPhotoFormSet(data, request.FILES or None, prefix="photos")
    # Validate both, so that every error shows at once.
    valid = [form.is_valid(), photo_forms.is_valid()]
    if request.method == "POST" and all(valid):
        photos = [
            (row.cleaned_data["image"], row.cleaned_data["alt_text"])
            for row in photo_forms
            if row.cleaned_data.get("image")
        ]
        session = form.cleaned_data["session"]
        create = partial(
            report_services.report_create,
            post_id=post.pk,
            created_by=signed_in_user(request),
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            session_id=session.pk if session else None,
            photos=photos,
        )
        published = _("The report was published.")
        if call_service(request, create, success=published, form=form):
            return redirect("volunteering:staff_post_detail", pk=post.pk)
    return render(
        request,
        "volunteering/staff/report_form.html",
        {"form": form, "photo_forms": photo_forms, "post": post},
    )


@login_required
@require_POST
def staff_report_delete(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_staff(request.user, pk)
    report_services.report_delete(
        report_id=report.pk, deleted_by=signed_in_user(request)
    )
    messages.success(request, _("The report was deleted."))
    return redirect("volunteering:staff_post_detail", pk=report.post_id)
