"""Recognition pages: public pages by fiscal year, and the managers' pages.

The public reads recognitions in force. The chief facilitator and
prefectural staff record, edit and withdraw them, and everyone else gets
403 on those pages.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_portal.fiscal import JAPAN, fiscal_year_label
from civic_portal.views import attach_errors, signed_in_user
from facilitation.forms_recognitions import (
    GROUP_CHOICES_MAX,
    RecognitionForm,
    WithdrawForm,
)
from facilitation.models import Recognition, RecognitionKind
from facilitation.models.recognitions import FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR
from facilitation.permissions import can_manage_recognitions
from facilitation.services import recognitions as recognition_services

RECOGNITIONS_PER_PAGE = 50


def recognition_index(request: HttpRequest) -> HttpResponse:
    context = {
        "years": recognition_services.year_summaries(),
        "totals": recognition_services.historical_totals(),
        "can_manage": can_manage_recognitions(request.user),
    }
    return render(request, "facilitation/recognitions/index.html", context)


def recognition_year(request: HttpRequest, year: int) -> HttpResponse:
    if not FIRST_FISCAL_YEAR <= year <= LAST_FISCAL_YEAR:
        raise Http404("Fiscal year out of range")
    by_kind = recognition_services.recognitions_of_year(year)
    context = {
        "year": year,
        "year_label": fiscal_year_label(year),
        "awards": by_kind[RecognitionKind.AWARD],
        "model_business_sites": by_kind[RecognitionKind.MODEL_BUSINESS_SITE],
        "totals": recognition_services.historical_totals(),
    }
    return render(request, "facilitation/recognitions/year.html", context)


def _require_manager(request: HttpRequest) -> None:
    if not can_manage_recognitions(request.user):
        raise PermissionDenied


@login_required
def manage_list(request: HttpRequest) -> HttpResponse:
    """List every recognition, withdrawn ones included, for the managers."""
    _require_manager(request)
    page = Paginator(
        recognition_services.managed_recognitions(), RECOGNITIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(request, "facilitation/recognitions/manage_list.html", {"page": page})


def _edit(request: HttpRequest, recognition: Recognition) -> HttpResponse:
    creating = recognition.pk is None
    # The search comes from the search form (GET), or from the hidden copy
    # that the recognition form posts back so a rejected form keeps its list.
    group_query = request.POST.get("group_q") or request.GET.get("group_q") or ""
    form = RecognitionForm(
        request.POST or None, instance=recognition, group_query=group_query
    )
    if request.method == "POST" and form.is_valid():
        try:
            recognition_services.save_recognition(
                recognition,
                fields=form.recognition_fields(),
                by=signed_in_user(request),
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The recognition was saved."))
            return redirect("facilitation:recognition_manage")
    context = {
        "form": form,
        "recognition": recognition,
        "creating": creating,
        "group_choices_max": GROUP_CHOICES_MAX,
    }
    return render(request, "facilitation/recognitions/manage_form.html", context)


@login_required
def manage_new(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    return _edit(request, Recognition())


@login_required
def manage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    return _edit(request, get_object_or_404(Recognition, pk=pk))


@login_required
def manage_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the date and reason, then withdraw the recognition."""
    _require_manager(request)
    recognition = get_object_or_404(Recognition.objects.with_recipient(), pk=pk)
    if recognition.is_withdrawn:
        messages.info(request, _("This recognition is already withdrawn."))
        return redirect("facilitation:recognition_manage")
    form = WithdrawForm(
        request.POST or None, initial={"on": timezone.localdate(timezone=JAPAN)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            recognition_services.withdraw_recognition(
                recognition,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
                by=signed_in_user(request),
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(
                request,
                _("The recognition of %(recipient)s was withdrawn.")
                % {"recipient": recognition.recipient_name},
            )
            return redirect("facilitation:recognition_manage")
    context = {"form": form, "recognition": recognition}
    return render(request, "facilitation/recognitions/manage_withdraw.html", context)
