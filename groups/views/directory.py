"""The public group directory, a group's page, its export and the confirm action."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic_portal.accounts.models import User
from civic_portal.security.ratelimit import rate_limit
from groups.exports import directory_export
from groups.filters import GroupFilter
from groups.models import CivicGroup
from groups.permissions import (
    can_edit,
    can_review,
    groups_under_centre_staff,
    is_centre_staff,
)
from groups.selectors_directory import directory_groups, group_activity, public_group
from groups.services.directory import (
    confirm_information,
    disclosure_of,
    last_confirmed_at,
    social_link_urls,
)

logger = logging.getLogger(__name__)

DIRECTORY_PAGE_SIZE = 20


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def directory(request: HttpRequest) -> HttpResponse:
    """List the public groups that match the filters in the query string."""
    group_filter = GroupFilter(request.GET, queryset=directory_groups())
    form = group_filter.form
    page = None
    rows = []
    if form.is_valid():
        page = Paginator(group_filter.qs, DIRECTORY_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        rows = [(group, disclosure_of(group)) for group in page.object_list]
    else:
        # Invalid filters would silently widen the list, so show none.
        logger.info("Directory rejected filters: %s", sorted(form.errors))
    filtered = any(value for key, value in request.GET.items() if key != "page")
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "filtered": filtered,
        "export_query": _query_without_page(request),
        "show_staff_export": is_centre_staff(request.user),
    }
    return render(
        request,
        "groups/directory/list.html",
        context,
        status=200 if page is not None else 400,
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a public group's profile, posts, events and reports."""
    group = public_group(pk)
    now = timezone.now()
    is_group_staff = can_edit(request.user, group)
    context = {
        "group": group,
        "activity": group_activity(group, timezone.localdate(now)),
        "disclosure": disclosure_of(group),
        "social_links": social_link_urls(group),
        "last_confirmed_at": last_confirmed_at(group),
        "is_unconfirmed": group.is_unconfirmed(now),
        "is_group_staff": is_group_staff,
        # Staff of the group and its centre see which items are missing.
        "show_missing_items": is_group_staff or can_review(request.user, group),
    }
    return render(request, "groups/directory/detail.html", context)


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the group's staff checked its information is current."""
    group = get_object_or_404(CivicGroup.objects.public(), pk=pk)
    if not can_edit(request.user, group):
        raise PermissionDenied("Only staff of the group can confirm its information.")
    assert isinstance(request.user, User)  # login_required
    confirm_information(group, by=request.user, at=timezone.now())
    messages.success(request, _("Thank you. The information is marked as current."))
    return redirect("groups:detail", pk=group.pk)


@rate_limit("export", methods=("GET",))
def export(request: HttpRequest, file_format: str) -> HttpResponse:
    """Export the public fields of the groups that match the filters."""
    group_filter = GroupFilter(request.GET, queryset=directory_groups())
    if not group_filter.form.is_valid():
        return HttpResponseBadRequest(_("Some filters are not valid."))
    return directory_export(group_filter.qs, file_format, with_private=False)


@login_required
@rate_limit("export", methods=("GET",))
def staff_export(request: HttpRequest, file_format: str) -> HttpResponse:
    """Export every field, private contact included, for centre staff.

    Staff of a municipal centre get the groups of their municipality only.
    """
    if not is_centre_staff(request.user):
        raise PermissionDenied("Only support centre staff can export all fields.")
    under_user = groups_under_centre_staff(request.user).values("pk")
    queryset = directory_groups().filter(pk__in=under_user)
    group_filter = GroupFilter(request.GET, queryset=queryset)
    if not group_filter.form.is_valid():
        return HttpResponseBadRequest(_("Some filters are not valid."))
    groups = list(group_filter.qs)
    # Staff access to personal data is logged, without the data itself.
    logger.info(
        "User %s exported %d groups with private contact details",
        request.user.pk,
        len(groups),
    )
    return directory_export(groups, file_format, with_private=True)
