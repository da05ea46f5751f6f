"""Pages where groups and residents register, and manage their participation.

A participation's pages are for the resident who registered it, or for
the staff of its group; anyone else gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.forms import ParticipationForm, activity_formset
from campaigns.models import Campaign, Loan, Participation, Photo
from campaigns.services import participations as participation_services
from civic_portal.accounts.ages import today_in_japan
from civic_portal.views import attach_errors, message_errors, signed_in_user
from groups.models import CivicGroup

CONSENT_ACTIONS = ("give", "withdraw")


def own_participation(request: HttpRequest, pk: int) -> Participation:
    """Return the active or withdrawn participation *pk* that the user manages."""
    queryset = Participation.objects.of_user(request.user.pk).select_related(
        "campaign", "group", "user"
    )
    return get_object_or_404(queryset, pk=pk)


@login_required
def my_participations(request: HttpRequest) -> HttpResponse:
    participations = (
        Participation.objects.of_user(request.user.pk)
        .select_related("campaign", "group")
        .order_by("-campaign__starts_on", "-pk")
    )
    return render(
        request, "campaigns/mine.html", {"participations": list(participations)}
    )


def _formset_errors_to_form(
    request: HttpRequest, form: ParticipationForm, error: ValidationError
) -> None:
    """Show a service error; activity field errors go to the form's top."""
    if hasattr(error, "error_dict"):
        error = ValidationError(
            [
                message
                for messages_ in error.error_dict.values()
                for message in messages_
            ]
        )
    attach_errors(request, form, error)


@login_required
def participation_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Register the user or one of their groups, with the activities they plan."""
    campaign = get_object_or_404(Campaign, pk=pk)
    user = signed_in_user(request)
    if not campaign.accepts_participation(today_in_japan()):
        messages.error(request, _("This campaign is not taking registrations."))
        return redirect("campaigns:detail", campaign.pk)
    groups = CivicGroup.objects.public().managed_by(user).order_by("name")
    data = request.POST if request.method == "POST" else None
    form = ParticipationForm(data, groups=groups)
    formset = activity_formset(data, Participation(campaign=campaign), campaign)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            participation = participation_services.register_participation(
                campaign,
                user,
                group=form.chosen_group(),
                summary=form.cleaned_data["summary"],
                share_consent=form.cleaned_data["share_consent"],
                activities=formset.activity_data(),
            )
        except ValidationError as error:
            _formset_errors_to_form(request, form, error)
        else:
            messages.success(request, _("You are registered for the campaign."))
            return redirect("campaigns:participation_detail", participation.pk)
    context = {"campaign": campaign, "form": form, "formset": formset}
    return render(request, "campaigns/participation_form.html", context)


@login_required
def participation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    participation = own_participation(request, pk)
    campaign = participation.campaign
    data = request.POST if request.method == "POST" else None
    form = ParticipationForm(data, initial={"summary": participation.summary})
    formset = activity_formset(data, participation, campaign)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            participation_services.update_participation(
                participation,
                signed_in_user(request),
                summary=form.cleaned_data["summary"],
                activities=formset.activity_data(),
            )
        except ValidationError as error:
            _formset_errors_to_form(request, form, error)
        else:
            messages.success(request, _("Your participation was saved."))
            return redirect("campaigns:participation_detail", participation.pk)
    context = {
        "campaign": campaign,
        "participation": participation,
        "form": form,
        "formset": formset,
    }
    return render(request, "campaigns/participation_form.html", context)


@login_required
def participation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a participation with its activities, loans and photos, and actions."""
    participation = own_participation(request, pk)
    user = signed_in_user(request)
    today = today_in_japan()
    campaign = participation.campaign
    context = {
        "participation": participation,
        "campaign": campaign,
        "activities": participation.activities.select_related("municipality"),
        "loans": participation.loans.select_related("item").order_by("-pk"),
        "photos": participation.photos.exclude(status=Photo.Status.WITHDRAWN),
        "can_change": participation.is_active and campaign.accepts_participation(today),
        "can_withdraw": participation.is_active and campaign.ends_on >= today,
        "is_resident_participation": participation.group_id is None
        and participation.user_id == user.pk,
        "cancellable": (Loan.Status.REQUESTED, Loan.Status.APPROVED),
        "today": today,
    }
    return render(request, "campaigns/participation_detail.html", context)


@login_required
def participation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then withdraw the participation."""
    participation = own_participation(request, pk)
    if request.method == "POST":
        try:
            participation_services.withdraw_participation(
                participation, signed_in_user(request)
            )
        except ValidationError as error:
            message_errors(request, error)
            return redirect("campaigns:participation_detail", participation.pk)
        messages.success(request, _("Your participation was withdrawn."))
        return redirect("campaigns:detail", participation.campaign_id)
    context = {"participation": participation, "campaign": participation.campaign}
    return render(request, "campaigns/participation_withdraw.html", context)


@login_required
@require_POST
def participation_consent(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Give or withdraw the resident's consent to exports of their contact details."""
    if action not in CONSENT_ACTIONS:
        raise Http404("Unknown consent action")
    participation = own_participation(request, pk)
    give = action == "give"
    participation_services.set_share_consent(
        participation, signed_in_user(request), give=give
    )
    messages.success(
        request,
        _("Your consent was recorded.") if give else _("Your consent was withdrawn."),
    )
    return redirect("campaigns:participation_detail", participation.pk)
