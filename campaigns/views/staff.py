"""Staff pages: create and edit campaigns, see and export participations.

Only centre and prefectural staff reach these pages, and only for the
campaigns they manage; anyone else gets 403.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from campaigns.exports import (
    exported_residents,
    participation_header,
    participation_rows,
)
from campaigns.forms import CampaignForm
from campaigns.models import Activity, Campaign, Participation
from campaigns.permissions import (
    can_manage_campaign,
    is_campaign_staff,
    staff_municipalities,
)
from campaigns.services import campaigns as campaign_services
from civic_portal.audit.services import (
    USER_EMAIL,
    USER_NAME,
    Action,
    name_fields,
    record_access,
)
from civic_portal.exports import EXPORT_FORMATS, export_response
from civic_portal.privacy.minors import MinorsPolicy
from civic_portal.views import attach_errors, signed_in_user
from groups.models import Municipality
from groups.permissions import is_prefectural_staff

logger = logging.getLogger(__name__)

PARTICIPATIONS_PER_PAGE = 50
PARTICIPATION_SUMMARY = "campaigns.Participation.summary"


def _campaign_form(request: HttpRequest, instance: Campaign | None) -> CampaignForm:
    prefecture_wide = is_prefectural_staff(request.user)
    municipalities = (
        Municipality.objects.all()
        if prefecture_wide
        else staff_municipalities(request.user)
    )
    return CampaignForm(
        request.POST or None,
        instance=instance,
        municipalities=municipalities,
        prefecture_wide=prefecture_wide,
    )


@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    if not is_campaign_staff(request.user):
        raise PermissionDenied
    form = _campaign_form(request, None)
    if request.method == "POST" and form.is_valid():
        fields = {
            name: form.cleaned_data[name] for name in campaign_services.CAMPAIGN_FIELDS
        }
        try:
            campaign = campaign_services.create_campaign(
                signed_in_user(request), **fields
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The campaign was created."))
            return redirect("campaigns:detail", campaign.pk)
    return render(request, "campaigns/staff/campaign_form.html", {"form": form})


@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    if not can_manage_campaign(request.user, campaign):
        raise PermissionDenied
    # The form writes cleaned values onto its instance; the service saves a
    # fresh copy so that a rejected edit leaves the row untouched.
    form = _campaign_form(request, Campaign.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        fields = {
            name: form.cleaned_data[name] for name in campaign_services.CAMPAIGN_FIELDS
        }
        try:
            campaign_services.update_campaign(
                campaign, signed_in_user(request), **fields
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The campaign was saved."))
            return redirect("campaigns:detail", campaign.pk)
    context = {"form": form, "campaign": campaign}
    return render(request, "campaigns/staff/campaign_form.html", context)


@login_required
def participation_list(request: HttpRequest, pk: int) -> HttpResponse:
    """List every active participation of a campaign; ?format= exports them."""
    campaign = get_object_or_404(Campaign, pk=pk)
    if not can_manage_campaign(request.user, campaign):
        raise PermissionDenied
    file_format = request.GET.get("format")
    if file_format is not None:
        if file_format not in EXPORT_FORMATS:
            raise Http404("Unknown export format")
        # Staff access to personal data is logged, by ids only.
        logger.info(
            "User %s exported the participations of campaign %s as %s",
            request.user.pk,
            campaign.pk,
            file_format,
        )
        minors = MinorsPolicy(request.user)
        record_access(
            request,
            exported_residents(campaign, minors),
            (USER_NAME, USER_EMAIL, PARTICIPATION_SUMMARY),
            action=Action.EXPORTED,
            obj=campaign,
        )
        return export_response(
            file_format,
            filename=f"campaign-{campaign.pk}-participations",
            header=participation_header(),
            rows=participation_rows(campaign, minors),
        )
    participations = (
        Participation.objects.active()
        .filter(campaign=campaign)
        .select_related("group", "user")
        .prefetch_related(
            Prefetch(
                "activities",
                queryset=Activity.objects.select_related("municipality"),
            )
        )
        .order_by("created_at", "pk")
    )
    page = Paginator(participations, PARTICIPATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    logger.info(
        "User %s listed the participations of campaign %s",
        request.user.pk,
        campaign.pk,
    )
    minors = MinorsPolicy(request.user).prefetch(
        participation.user for participation in page.object_list
    )
    residents = [
        participation.user for participation in page if participation.group is None
    ]
    fields_shown = {
        user.pk: (
            (*name_fields(user), USER_EMAIL, PARTICIPATION_SUMMARY)
            if minors.can_see(user)
            else (PARTICIPATION_SUMMARY,)
        )
        for user in residents
    }
    record_access(request, fields_shown, obj=campaign)
    context = {"campaign": campaign, "page": page, "minors": minors}
    return render(request, "campaigns/staff/participations.html", context)
