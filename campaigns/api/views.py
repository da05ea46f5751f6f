"""Read-only API of public campaigns and their photo galleries.

Anyone can read every campaign and the photos in public galleries. A
photo leaves the API as soon as its uploader withdraws it. Writes go
through the pages only.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.routers import DefaultRouter

from campaigns.models import Campaign, Photo
from civic_portal.accounts.ages import today_in_japan
from volunteering.api.serializers import GroupSummarySerializer
from volunteering.api.views import PortalPagination

PHASES = ("current", "upcoming", "past")


class CampaignSerializer(serializers.ModelSerializer):
    municipality: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        help_text=_("Local-government code; null for a prefecture-wide campaign."),
    )
    phase = serializers.SerializerMethodField(
        help_text=_("“current”, “upcoming” or “past”, in Japan time.")
    )

    class Meta:
        model = Campaign
        fields = [
            "id",
            "title",
            "description",
            "starts_on",
            "ends_on",
            "registration_open",
            "municipality",
            "phase",
        ]
        read_only_fields = fields

    def get_phase(self, campaign: Campaign) -> str:
        return campaign.phase(today_in_japan())


class GalleryPhotoSerializer(serializers.ModelSerializer):
    campaign = serializers.IntegerField(
        source="participation.campaign_id", read_only=True
    )
    group = GroupSummarySerializer(
        source="participation.group",
        read_only=True,
        allow_null=True,
        help_text=_("The group that took part; null for a resident."),
    )
    approved_at = serializers.DateTimeField(source="reviewed_at", read_only=True)
    credit = serializers.CharField(
        source="public_credit",
        read_only=True,
        help_text=_(
            "The name shown with the photo; a placeholder when a resident "
            "under 18 uploaded it."
        ),
    )

    class Meta:
        model = Photo
        fields = [
            "id",
            "campaign",
            "image",
            "caption",
            "credit",
            "group",
            "approved_at",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="Campaigns",
        parameters=[
            OpenApiParameter(
                "phase",
                OpenApiTypes.STR,
                enum=PHASES,
                description=_("Only current, upcoming or past campaigns."),
            )
        ],
    ),
    retrieve=extend_schema(summary="One campaign"),
)
class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CampaignSerializer
    pagination_class = PortalPagination
    permission_classes = [permissions.AllowAny]
    queryset = Campaign.objects.none()

    def get_queryset(self) -> QuerySet[Campaign]:
        campaigns = Campaign.objects.select_related("municipality").order_by(
            "-starts_on", "-pk"
        )
        phase = self.request.query_params.get("phase")
        if phase is None:
            return campaigns
        if phase not in PHASES:
            raise ValidationError({"phase": _("Use one of: current, upcoming, past.")})
        return getattr(campaigns, phase)(today_in_japan())


@extend_schema_view(
    list=extend_schema(
        summary="Photos in public campaign galleries",
        parameters=[
            OpenApiParameter(
                "campaign",
                OpenApiTypes.INT,
                description=_("Only the photos of this campaign."),
            )
        ],
    ),
    retrieve=extend_schema(summary="One gallery photo"),
)
class GalleryPhotoViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = GalleryPhotoSerializer
    pagination_class = PortalPagination
    permission_classes = [permissions.AllowAny]
    queryset = Photo.objects.none()

    def get_queryset(self) -> QuerySet[Photo]:
        photos = (
            Photo.objects.in_gallery()
            .select_related("participation__group", "uploaded_by")
            .order_by("-reviewed_at", "-pk")
        )
        campaign = self.request.query_params.get("campaign")
        if campaign is None:
            return photos
        if not campaign.isdigit():
            raise ValidationError({"campaign": _("Give a campaign id (a number).")})
        return photos.filter(participation__campaign_id=int(campaign))


def register(router: DefaultRouter) -> None:
    """Add the campaign viewsets to *router*."""
    router.register("campaigns", CampaignViewSet, basename="campaign")
    router.register("campaign-photos", GalleryPhotoViewSet, basename="campaign-photo")
