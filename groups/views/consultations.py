"""Consultation pages: asking a centre, recording, answering, reading.

A consultation is shown only to its asker and to the staff of its centre;
anyone else gets 404. Recording one needs staff membership of a centre (403).
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from civic_portal.audit.services import record_access, shown_fields
from civic_portal.views import attach_errors, signed_in_user
from groups.forms_reports import (
    ConsultationAnswerForm,
    ConsultationAskForm,
    ConsultationRecordForm,
)
from groups.models import CivicGroup, Consultation, SupportCentre
from groups.services import consultations as consultation_services

logger = logging.getLogger(__name__)

# The register's fields of a consultation that its centre's staff see.
ASKER_NAME = "groups.Consultation.asker_name"
QUESTION = "groups.Consultation.question"

CONSULTATION_PAGE_SIZE = 30


@login_required
def consultation_list(request: HttpRequest) -> HttpResponse:
    """List the user's own questions and those asked to the user's centres."""
    user = signed_in_user(request)
    status = request.GET.get("status", "")
    consultations = (
        consultation_services.visible_to(user)
        .select_related("centre", "group", "asker")
        .order_by("-created_at", "-pk")
    )
    if status in Consultation.Status.values:
        consultations = consultations.filter(status=status)
    page = Paginator(consultations, CONSULTATION_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "status": status,
        "statuses": Consultation.Status.choices,
        "is_centre_staff": SupportCentre.objects.staffed_by(user).exists(),
    }
    return render(request, "groups/consultations/list.html", context)


@login_required
def consultation_ask(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    groups = CivicGroup.objects.managed_by(user).distinct().order_by("name")
    initial = {"centre": request.GET.get("centre")} if request.GET.get("centre") else {}
    form = ConsultationAskForm(request.POST or None, groups=groups, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = consultation_services.consultation_ask(
                asker=user,
                centre=form.cleaned_data["centre"],
                topic=form.cleaned_data["topic"],
                question=form.cleaned_data["question"],
                group=form.cleaned_data.get("group"),
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(
                request,
                _("Your question was sent. You will get a mail when it is answered."),
            )
            return redirect("groups:consultation_detail", consultation.pk)
    return render(request, "groups/consultations/ask.html", {"form": form})


@login_required
def consultation_record(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    centres = SupportCentre.objects.staffed_by(user)
    if not centres.exists():
        raise PermissionDenied(_("Only support centre staff may record consultations."))
    form = ConsultationRecordForm(request.POST or None, centres=centres)
    if request.method == "POST" and form.is_valid():
        fields = {
            name: form.cleaned_data[name]
            for name in form.Meta.fields
            if name != "centre"
        }
        try:
            consultation = consultation_services.consultation_record(
                recorded_by=user, centre=form.cleaned_data["centre"], fields=fields
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The consultation was recorded."))
            return redirect("groups:consultation_detail", consultation.pk)
    return render(request, "groups/consultations/record.html", {"form": form})


@login_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a consultation; the centre's staff also get the answer form."""
    user = signed_in_user(request)
    consultation = get_object_or_404(
        consultation_services.visible_to(user).select_related(
            "centre", "group", "asker", "recorded_by", "answered_by"
        ),
        pk=pk,
    )
    is_staff = consultation_services.is_centre_staff_for(user, consultation)
    form = None
    if is_staff:
        # Staff access to a resident's question is logged, as for other
        # personal data.
        logger.info(
            "Consultation %s opened by centre staff user %s", consultation.pk, user.pk
        )
        if consultation.asker_id is not None:
            fields_shown = shown_fields(
                {
                    ASKER_NAME: consultation.asker_name,
                    QUESTION: consultation.question,
                }
            )
            record_access(
                request, [consultation.asker_id], fields_shown, obj=consultation
            )
        form = ConsultationAnswerForm(request.POST or None, instance=consultation)
        if request.method == "POST" and form.is_valid():
            try:
                consultation_services.consultation_answer(
                    consultation=consultation,
                    answered_by=user,
                    answer=form.cleaned_data["answer"],
                    follow_up=form.cleaned_data["follow_up"],
                    status=form.cleaned_data["status"],
                )
            except ValidationError as error:
                attach_errors(request, form, error)
            else:
                messages.success(request, _("The answer was saved."))
                return redirect("groups:consultation_detail", consultation.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("Only the centre's staff may answer."))
    context = {"consultation": consultation, "form": form, "is_staff": is_staff}
    return render(request, "groups/consultations/detail.html", context)
