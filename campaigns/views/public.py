"""Public campaign pages: the list, a campaign and its photo gallery."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from campaigns.models import Activity, Campaign, Gallery, Participation, Photo
from campaigns.permissions import can_manage_campaign, is_campaign_staff
from civic_portal.accounts.ages import today_in_japan

PAST_PER_PAGE = 10
PHOTOS_PER_PAGE = 24
# Group activities listed on a campaign page; the rest are counted.
ACTIVITIES_SHOWN = 50


def campaign_list(request: HttpRequest) -> HttpResponse:
    """List current and upcoming campaigns, then past ones by page."""
    today = today_in_japan()
    campaigns = Campaign.objects.select_related("municipality")
    past = Paginator(
        campaigns.past(today).order_by("-ends_on", "-pk"), PAST_PER_PAGE
    ).get_page(request.GET.get("page"))
    context = {
        "current": list(campaigns.current(today).order_by("ends_on", "pk")),
        "upcoming": list(campaigns.upcoming(today).order_by("starts_on", "pk")),
        "page": past,
        "is_campaign_staff": is_campaign_staff(request.user),
    }
    return render(request, "campaigns/list.html", context)


def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("municipality"), pk=pk)
    today = today_in_japan()
    participations = Participation.objects.active().filter(campaign=campaign)
    counts = participations.aggregate(
        groups=Count("pk", filter=Q(group__isnull=False)),
        residents=Count("pk", filter=Q(group__isnull=True)),
    )
    group_activities = (
        Activity.objects.filter(
            participation__in=participations.filter(group__isnull=False)
        )
        .select_related("participation__group", "municipality")
        .order_by("date", "pk")
    )
    own = (
        participations.of_user(request.user.pk).select_related("group")
        if request.user.is_authenticated
        else Participation.objects.none()
    )
    photos = (
        Photo.objects.in_gallery()
        .filter(participation__campaign=campaign)
        .select_related("participation__group", "uploaded_by")
        .order_by("-reviewed_at", "-pk")[:6]
    )
    context = {
        "campaign": campaign,
        "phase": campaign.phase(today),
        "accepts_participation": campaign.accepts_participation(today),
        "counts": counts,
        "group_activities": group_activities[:ACTIVITIES_SHOWN],
        "more_activities": max(group_activities.count() - ACTIVITIES_SHOWN, 0),
        "own_participations": list(own),
        "photos": photos,
        "can_manage": can_manage_campaign(request.user, campaign),
    }
    return render(request, "campaigns/detail.html", context)


def gallery(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a campaign's approved photos, newest approval first."""
    campaign = get_object_or_404(Campaign, pk=pk)
    gallery = Gallery.objects.filter(campaign=campaign).first()
    if gallery is not None and not gallery.is_public:
        raise Http404("The gallery is hidden")
    photos = (
        Photo.objects.in_gallery()
        .filter(participation__campaign=campaign)
        .select_related("participation__group", "uploaded_by")
        .order_by("-reviewed_at", "-pk")
    )
    page = Paginator(photos, PHOTOS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"campaign": campaign, "gallery": gallery, "page": page}
    return render(request, "campaigns/gallery.html", context)
