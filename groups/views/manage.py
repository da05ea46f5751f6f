"""Pages where group staff edit the profile, ask for legal changes and manage staff.

Groups are fetched through CivicGroup.objects.managed_by, so staff of one
group get 404 for another group. Editors get 403 from the services for
actions that only admins may take.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic_portal.views import attach_errors, message_errors, signed_in_user
from groups.forms_registration import (
    ChangeRequestForm,
    GroupProfileForm,
    InvitationForm,
)
from groups.models import ActivityField, CivicGroup, GroupChangeRequest
from groups.permissions import can_manage_staff, groups_under_centre_staff
from groups.services import profile as profile_services
from groups.services import staff as staff_services

from .registration import get_group_for_staff

OPEN_REQUEST = (
    GroupChangeRequest.Status.PENDING,
    GroupChangeRequest.Status.CHANGES_REQUESTED,
)


def _require_approved(group: CivicGroup) -> HttpResponse | None:
    if group.review_status != CivicGroup.ReviewStatus.APPROVED:
        return redirect("groups:application", pk=group.pk)
    return None


def _open_change_request(group: CivicGroup) -> GroupChangeRequest | None:
    return group.change_requests.filter(status__in=OPEN_REQUEST).first()


@login_required
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a group's page for its staff: what they can do and what awaits review."""
    group = get_group_for_staff(request, pk)
    if (response := _require_approved(group)) is not None:
        return response
    context = {
        "group": group,
        "is_admin": can_manage_staff(request.user, group),
        "change_request": _open_change_request(group),
    }
    return render(request, "groups/manage/overview.html", context)


@login_required
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_staff(request, pk)
    if (response := _require_approved(group)) is not None:
        return response
    form = GroupProfileForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        try:
            revision = profile_services.update_profile(
                group_id=group.pk,
                by=signed_in_user(request),
                fields=form.group_fields(),
                activity_fields=form.cleaned_data["activity_fields"],
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            if revision is None:
                messages.info(request, _("Nothing was changed."))
            else:
                messages.success(
                    request, _("The profile was saved and is shown at once.")
                )
            return redirect("groups:manage", pk=group.pk)
    return render(
        request, "groups/manage/profile_form.html", {"group": group, "form": form}
    )


@login_required
def change_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a change of the legal name, form, corporate number or certification."""
    group = get_group_for_staff(request, pk)
    if (response := _require_approved(group)) is not None:
        return response
    open_request = _open_change_request(group)
    form = ChangeRequestForm(request.POST or None, instance=open_request)
    if request.method == "POST" and form.is_valid():
        try:
            profile_services.submit_change_request(
                group_id=group.pk,
                by=signed_in_user(request),
                fields=form.request_fields(),
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(
                request,
                _(
                    "The change was sent for review. The group keeps its current "
                    "details until support centre staff approve it."
                ),
            )
            return redirect("groups:manage", pk=group.pk)
    reviews = (
        open_request.reviews.select_related("actor") if open_request is not None else []
    )
    return render(
        request,
        "groups/manage/change_request.html",
        {
            "group": group,
            "form": form,
            "change_request": open_request,
            "reviews": reviews,
        },
    )


# History


def _field_label(name: str) -> str:
    try:
        field = CivicGroup._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


def _history_text(name: str, value: Any, field_names: dict[int, str]) -> str:
    """Return a stored history value as text in the reader's language."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name == "activity_fields":
        return ", ".join(field_names.get(number, str(number)) for number in value)
    if name == "legal_form" and value in CivicGroup.LegalForm.values:
        return str(CivicGroup.LegalForm(value).label)
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return str(value)


def status_rows(group: CivicGroup) -> list[tuple[Any, str]]:
    """Return the group's status changes, newest first, each with its label."""
    labels = dict(CivicGroup.Status.choices)
    return [
        (change, str(labels.get(change.status, change.status)))
        for change in group.status_changes.order_by("-effective_on", "-pk")
    ]


def get_group_for_history(request: HttpRequest, pk: int) -> CivicGroup:
    """Return the group if the user is its staff or centre staff responsible for it."""
    for groups in (
        CivicGroup.objects.managed_by(request.user),
        groups_under_centre_staff(request.user),
    ):
        group = groups.filter(pk=pk).first()
        if group is not None:
            return group
    raise Http404


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    """Show profile revisions, reviews, status changes and certifications."""
    group = get_group_for_history(request, pk)
    field_names = {
        field.number: field.localized_name for field in ActivityField.objects.all()
    }
    revisions = [
        (
            revision,
            [
                (
                    _field_label(name),
                    _history_text(name, change.get("old"), field_names),
                    _history_text(name, change.get("new"), field_names),
                )
                for name, change in revision.changes.items()
            ],
        )
        for revision in group.revisions.select_related("changed_by")
    ]
    context = {
        "group": group,
        "revisions": revisions,
        "reviews": group.reviews.select_related("actor", "change_request").order_by(
            "-created_at", "-pk"
        ),
        "status_changes": status_rows(group),
        "certifications": group.certifications.order_by("-certified_on"),
    }
    return render(request, "groups/manage/history.html", context)


# Staff


@login_required
def staff(request: HttpRequest, pk: int) -> HttpResponse:
    """List the group's staff; admins also invite, change roles and remove."""
    group = get_group_for_staff(request, pk)
    if (response := _require_approved(group)) is not None:
        return response
    is_admin = can_manage_staff(request.user, group)
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied
        if form.is_valid():
            try:
                staff_services.invite(
                    group_id=group.pk,
                    by=signed_in_user(request),
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                )
            except ValidationError as error:
                attach_errors(request, form, error)
            else:
                messages.success(
                    request,
                    _("The invitation was sent to %(email)s.")
                    % {"email": form.cleaned_data["email"]},
                )
                return redirect("groups:staff", pk=group.pk)
    invitations = []
    if is_admin:
        invitations = list(
            group.invitations.filter(
                accepted_at__isnull=True,
                revoked_at__isnull=True,
                expires_at__gt=timezone.now(),
            )
        )
    context = {
        "group": group,
        "is_admin": is_admin,
        "memberships": group.memberships.select_related("user").order_by(
            "role", "user__full_name"
        ),
        "invitations": invitations,
        "form": form,
    }
    return render(request, "groups/manage/staff.html", context)


def _staff_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    group = get_group_for_staff(request, pk)
    user = signed_in_user(request)
    membership_id = int(request.POST.get("membership", 0) or 0)
    try:
        if action == "role":
            staff_services.change_role(
                group_id=group.pk,
                by=user,
                membership_id=membership_id,
                role=request.POST.get("role", ""),
            )
            messages.success(request, _("The role was changed."))
        elif action == "remove":
            staff_services.remove_member(
                group_id=group.pk, by=user, membership_id=membership_id
            )
            messages.success(request, _("The staff member was removed."))
        elif action == "hand_over":
            staff_services.hand_over_admin(
                group_id=group.pk, by=user, membership_id=membership_id
            )
            messages.success(request, _("You handed over the admin role."))
        elif action == "revoke":
            staff_services.revoke_invitation(
                group_id=group.pk,
                by=user,
                invitation_id=int(request.POST.get("invitation", 0) or 0),
            )
            messages.success(request, _("The invitation was withdrawn."))
        elif action == "leave":
            staff_services.leave(group_id=group.pk, user=user)
            messages.success(
                request,
                _("You left the staff of %(group)s.") % {"group": group.name},
            )
            return redirect("groups:my_groups")
    except ValidationError as error:
        message_errors(request, error)
    return redirect("groups:staff", pk=group.pk)


@login_required
@require_POST
def staff_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one staff action: role, remove, hand_over, revoke (invitation) or leave."""
    if action not in {"role", "remove", "hand_over", "revoke", "leave"}:
        raise Http404
    try:
        return _staff_action(request, pk, action)
    except ValueError:
        messages.error(request, _("The request was not valid. Try again."))
        return redirect("groups:staff", pk=pk)


@login_required
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Show an invitation to its addressee and accept it on POST."""
    found = staff_services.find_invitation(token)
    if found is None:
        raise Http404
    user = signed_in_user(request)
    error: ValidationError | None = None
    if request.method == "POST":
        try:
            staff_services.accept_invitation(token=token, user=user)
        except ValidationError as rejected:
            error = rejected
        else:
            messages.success(
                request,
                _("You are now staff of %(group)s.") % {"group": found.group.name},
            )
            return redirect("groups:manage", pk=found.group_id)
    wrong_address = found.email.casefold() != user.email.casefold()
    # The addressee of another account gets a refusal, not an accept button.
    status = 403 if wrong_address else 200
    return render(
        request,
        "groups/manage/invitation.html",
        {
            "invitation": found,
            "error": error,
            "wrong_address": wrong_address,
            "usable": found.is_usable(timezone.now()),
        },
        status=status,
    )
