"""The workspace page that gathers the pages centre staff work on."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from groups.models import CivicGroup, GroupChangeRequest, SupportCentre
from groups.permissions import groups_under_centre_staff
from groups.selectors_directory import unconfirmed_groups_for_centre_staff


@login_required
def centre_home(request: HttpRequest) -> HttpResponse:
    """Link the staff pages of the registry, with the work that waits on each."""
    centres = list(
        SupportCentre.objects.staffed_by(request.user)
        .select_related("municipality")
        .order_by("scope", "pk")
    )
    if not centres:
        raise PermissionDenied("Only support centre staff can open this page.")
    groups = groups_under_centre_staff(request.user)
    # Only what awaits the staff's decision: items sent back for changes
    # wait for the applicant.
    open_applications = groups.filter(
        review_status=CivicGroup.ReviewStatus.PENDING
    ).count()
    open_change_requests = GroupChangeRequest.objects.filter(
        group__in=groups, status=GroupChangeRequest.Status.PENDING
    ).count()
    unconfirmed = unconfirmed_groups_for_centre_staff(
        request.user, timezone.now()
    ).count()
    can_import = request.user.has_perm("groups.add_civicgroup")
    return render(
        request,
        "groups/centre/home.html",
        {
            "centres": centres,
            "open_applications": open_applications,
            "open_change_requests": open_change_requests,
            "unconfirmed": unconfirmed,
            "can_import": can_import and getattr(request.user, "is_staff", False),
        },
    )
