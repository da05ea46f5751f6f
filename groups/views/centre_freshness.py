"""The list of groups whose information has gone unconfirmed, for centre staff."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from groups.permissions import is_centre_staff
from groups.selectors_directory import unconfirmed_groups_for_centre_staff

UNCONFIRMED_PAGE_SIZE = 50


@login_required
def unconfirmed_groups(request: HttpRequest) -> HttpResponse:
    """List the groups under the user's centres unconfirmed for 18 months.

    The list shows each group's private contact, so that staff can reach
    the group; only centre staff may open it.
    """
    if not is_centre_staff(request.user):
        raise PermissionDenied("Only support centre staff can see this list.")
    groups = unconfirmed_groups_for_centre_staff(request.user, timezone.now())
    page = Paginator(groups, UNCONFIRMED_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "groups/directory/unconfirmed.html", {"page": page})
