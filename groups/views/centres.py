"""Public pages of the support centres, and their upkeep by staff.

Anyone may read the list and a centre's page. Staff of a centre edit that
centre's page; prefectural staff edit any centre and add new ones. Other
users get 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_portal.fiscal import JAPAN
from civic_portal.views import attach_errors, signed_in_user
from groups.forms_reports import CentreCreateForm, CentrePageForm
from groups.models import SupportCentre
from groups.permissions import (
    can_edit_centre,
    is_centre_staff,
    is_prefectural_staff,
)
from groups.services import centres as centre_services


def centre_list(request: HttpRequest) -> HttpResponse:
    """List the open support centres, the prefectural centre first."""
    today = timezone.localdate(timezone=JAPAN)
    centres = centre_services.in_display_order(SupportCentre.objects.open_on(today))
    context = {
        "centres": centres,
        "can_add": is_prefectural_staff(request.user),
        "is_centre_staff": is_centre_staff(request.user),
    }
    return render(request, "groups/centres/list.html", context)


def centre_detail(request: HttpRequest, pk: int) -> HttpResponse:
    centre = get_object_or_404(
        SupportCentre.objects.select_related("municipality"), pk=pk
    )
    context = {
        "centre": centre,
        "can_edit": can_edit_centre(request.user, centre),
        "is_closed": not centre.is_open_on(timezone.localdate(timezone=JAPAN)),
    }
    return render(request, "groups/centres/detail.html", context)


@login_required
def centre_edit(request: HttpRequest, pk: int) -> HttpResponse:
    centre = get_object_or_404(
        SupportCentre.objects.select_related("municipality"), pk=pk
    )
    if not can_edit_centre(request.user, centre):
        raise PermissionDenied(_("Only the centre's staff may change its page."))
    form = CentrePageForm(request.POST or None, instance=centre)
    if request.method == "POST" and form.is_valid():
        try:
            centre_services.centre_update(
                centre=centre,
                fields=form.page_fields(),
                changed_by=signed_in_user(request),
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The centre's page was saved."))
            return redirect("groups:centre_detail", centre.pk)
    return render(request, "groups/centres/form.html", {"form": form, "centre": centre})


@login_required
def centre_create(request: HttpRequest) -> HttpResponse:
    if not is_prefectural_staff(request.user):
        raise PermissionDenied(_("Only prefectural staff may add support centres."))
    form = CentreCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = form.centre_fields()
        try:
            centre = centre_services.centre_create(
                fields=fields,
                opening_month=form.cleaned_data["opening_month"],
                created_by=signed_in_user(request),
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The support centre was added."))
            return redirect("groups:centre_detail", centre.pk)
    return render(request, "groups/centres/form.html", {"form": form, "centre": None})
