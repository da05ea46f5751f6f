"""Pages of the partner directory, for facilitators and centre staff."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from civic_portal.views import attach_errors, signed_in_user
from facilitation.forms_partners import PartnerFilter, PartnerForm
from facilitation.models import Partner
from facilitation.permissions import can_use_partner_directory
from facilitation.services import partners as partner_services

logger = logging.getLogger(__name__)

PARTNERS_PER_PAGE = 50


def _require_directory_user(request: HttpRequest) -> None:
    if not can_use_partner_directory(request.user):
        raise PermissionDenied


@login_required
def partner_list(request: HttpRequest) -> HttpResponse:
    _require_directory_user(request)
    partner_filter = PartnerFilter(
        request.GET or None, queryset=partner_services.directory()
    )
    page = Paginator(partner_filter.qs, PARTNERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"filter": partner_filter, "page": page}
    return render(request, "facilitation/partners/list.html", context)


@login_required
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a partner with its contact person, and log the access."""
    _require_directory_user(request)
    partner = get_object_or_404(partner_services.directory(), pk=pk)
    logger.info("User %s viewed partner %s", signed_in_user(request).pk, partner.pk)
    context = {"partner": partner, "recognitions": partner.recognitions.all()}
    return render(request, "facilitation/partners/detail.html", context)


def _edit(request: HttpRequest, partner: Partner) -> HttpResponse:
    creating = partner.pk is None
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        try:
            partner_services.save_partner(
                partner=partner,
                fields=form.partner_fields(),
                activity_fields=form.cleaned_data["activity_fields"],
                user=signed_in_user(request),
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The partner was saved."))
            return redirect("facilitation:partner_detail", partner.pk)
    context = {"form": form, "partner": partner, "creating": creating}
    return render(request, "facilitation/partners/form.html", context)


@login_required
def partner_create(request: HttpRequest) -> HttpResponse:
    _require_directory_user(request)
    return _edit(request, Partner())


@login_required
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_directory_user(request)
    return _edit(request, get_object_or_404(Partner, pk=pk))
