"""Grant notice pages: the public list and page, and the pages where
centre staff create, edit and publish notices (403 for anyone else).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic_portal.views import attach_errors, message_errors, signed_in_user
from groups import selectors_events as selectors
from groups.filters_events import GrantFilter, order_by_deadline
from groups.forms_events import GrantForm
from groups.models import GrantNotice
from groups.permissions import is_centre_staff
from groups.services import events as services
from groups.views.events import render_filtered_list

GRANT_PAGE_SIZE = 20

View = Callable[..., HttpResponse]


def centre_staff_required(view: View) -> View:
    """Let signed-in centre staff through; raise PermissionDenied for others."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_centre_staff(request.user):
            raise PermissionDenied("Only support centre staff may do this.")
        return view(request, *args, **kwargs)

    return wrapper


def grant_list(request: HttpRequest) -> HttpResponse:
    """List published notices, open ones first by the nearest deadline."""
    filterset = GrantFilter(
        request.GET, queryset=order_by_deadline(selectors.published_grants())
    )
    return render_filtered_list(
        request,
        filterset,
        "groups/grants/grant_list.html",
        GRANT_PAGE_SIZE,
        extra_context={"can_manage": is_centre_staff(request.user)},
    )


def grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grant = selectors.grant_for_viewer(request.user, pk)
    context = {
        "grant": grant,
        "is_closed": grant.deadline < timezone.now(),
        "can_manage": is_centre_staff(request.user),
    }
    return render(request, "groups/grants/grant_detail.html", context)


@centre_staff_required
def staff_grants(request: HttpRequest) -> HttpResponse:
    """List every notice, drafts included, latest deadline first."""
    grants = GrantNotice.objects.order_by("-deadline", "-pk")
    page = Paginator(grants, GRANT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "groups/grants/staff_grants.html", {"page": page})


@centre_staff_required
def grant_create(request: HttpRequest) -> HttpResponse:
    form = GrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.grant_create(
                created_by=signed_in_user(request),
                fields=form.grant_fields(),
                eligible_fields=form.cleaned_data["eligible_fields"],
                publish="publish" in request.POST,
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The grant notice was saved."))
            return redirect("groups:grant_detail", pk=grant.pk)
    return render(
        request, "groups/grants/grant_form.html", {"form": form, "grant": None}
    )


@centre_staff_required
def grant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(GrantNotice, pk=pk)
    form = GrantForm(request.POST or None, instance=grant)
    if request.method == "POST" and form.is_valid():
        services.grant_update(
            grant=grant,
            fields=form.grant_fields(),
            eligible_fields=form.cleaned_data["eligible_fields"],
        )
        messages.success(request, _("The grant notice was saved."))
        return redirect("groups:grant_detail", pk=grant.pk)
    return render(
        request, "groups/grants/grant_form.html", {"form": form, "grant": grant}
    )


@centre_staff_required
@require_POST
def grant_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the notice, or withdraw it when the form sends published=0."""
    grant = get_object_or_404(GrantNotice, pk=pk)
    published = request.POST.get("published") != "0"
    try:
        services.grant_set_published(grant=grant, published=published)
    except ValidationError as error:
        message_errors(request, error)
    else:
        if published:
            messages.success(request, _("The grant notice is published."))
        else:
            messages.success(request, _("The grant notice is no longer public."))
    return redirect("groups:grant_detail", pk=grant.pk)
