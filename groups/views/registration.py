"""Pages where a resident applies to register a group and follows the review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from civic_portal.views import attach_errors, signed_in_user
from groups.forms_registration import RegistrationForm
from groups.models import CivicGroup, GroupChangeRequest, GroupMembership
from groups.permissions import is_centre_staff
from groups.services import registration as registration_services

ReviewStatus = CivicGroup.ReviewStatus
OPEN_REVIEW = (ReviewStatus.PENDING, ReviewStatus.CHANGES_REQUESTED)


def get_group_for_staff(request: HttpRequest, pk: int) -> CivicGroup:
    """Return a group the user is staff of, or raise Http404 for any other."""
    return get_object_or_404(
        CivicGroup.objects.managed_by(request.user).select_related("municipality"),
        pk=pk,
    )


@login_required
def register(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = registration_services.submit_registration(
                applicant=signed_in_user(request),
                **form.application(),
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(
                request,
                _(
                    "Your application was sent. Support centre staff will review "
                    "it, and we will e-mail you when they decide."
                ),
            )
            return redirect("groups:application", pk=group.pk)
    return render(request, "groups/registration/form.html", {"form": form})


@login_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an application's review and let its staff change it before a decision."""
    group = get_group_for_staff(request, pk)
    editable = group.review_status in OPEN_REVIEW
    form = None
    if editable:
        form = RegistrationForm(request.POST or None, instance=group)
    if request.method == "POST" and form is not None and form.is_valid():
        resubmitting = group.review_status == ReviewStatus.CHANGES_REQUESTED
        try:
            registration_services.update_application(
                group_id=group.pk,
                by=signed_in_user(request),
                **form.application(),
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            if resubmitting:
                messages.success(request, _("Your application was sent again."))
            else:
                messages.success(request, _("Your application was saved."))
            return redirect("groups:application", pk=group.pk)
    reviews = group.reviews.filter(change_request__isnull=True).select_related("actor")
    return render(
        request,
        "groups/registration/application.html",
        {"group": group, "form": form, "reviews": reviews},
    )


@login_required
def my_groups(request: HttpRequest) -> HttpResponse:
    """List the groups the user is staff of, with their review and open requests."""
    user = signed_in_user(request)
    memberships = (
        GroupMembership.objects.filter(user=user)
        .select_related("group__municipality")
        .annotate(
            open_change_requests=Count(
                "group__change_requests",
                filter=Q(
                    group__change_requests__status__in=[
                        GroupChangeRequest.Status.PENDING,
                        GroupChangeRequest.Status.CHANGES_REQUESTED,
                    ]
                ),
            )
        )
        .order_by("group__name_kana", "group__name")
    )
    context = {"memberships": memberships, "is_centre_staff": is_centre_staff(user)}
    return render(request, "groups/registration/my_groups.html", context)
