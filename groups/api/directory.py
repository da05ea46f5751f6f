"""The group directory API: public profiles for everyone, profile edits for staff.

Reading needs no login and returns the public fields only, also to centre
staff. A group's own staff (admin or editor) may PATCH the ordinary profile
fields. The edit is checked by the same form as the profile page and saved
by groups.services.profile.update_profile, which records a GroupRevision.
The legal name, legal form and corporate number change only through a
change request on the pages, so the API rejects them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from civic_portal.accounts.models import User
from groups.filters import GroupFilter
from groups.forms_registration import GroupProfileForm
from groups.models import ActivityField, CivicGroup, Municipality
from groups.permissions import can_edit
from groups.selectors_directory import directory_groups
from groups.services.directory import (
    disclosure_of,
    last_confirmed_at,
    social_link_urls,
)
from groups.services.profile import PROFILE_FIELDS, update_profile
from volunteering.api.serializers import (
    ActivityFieldSerializer,
    MunicipalitySerializer,
)
from volunteering.api.views import PortalPagination

logger = logging.getLogger(__name__)


class DisclosureSerializer(serializers.Serializer):
    level = serializers.CharField(help_text=_("A, B or C."))
    percent = serializers.IntegerField(
        help_text=_("Share of the counted public profile items that are filled.")
    )


class GroupSerializer(serializers.ModelSerializer):
    """The public profile of a group; the private contact is never included."""

    legal_form_display = serializers.CharField(
        source="get_legal_form_display", read_only=True
    )
    municipality = MunicipalitySerializer(read_only=True)
    activity_fields = ActivityFieldSerializer(many=True, read_only=True)
    social_links = serializers.SerializerMethodField()
    is_recruiting = serializers.BooleanField(
        read_only=True, help_text=_("The group has a post open for applications.")
    )
    last_confirmed_at = serializers.SerializerMethodField()
    is_unconfirmed = serializers.SerializerMethodField()
    disclosure = serializers.SerializerMethodField()

    class Meta:
        model = CivicGroup
        fields = [
            "id",
            "name",
            "name_kana",
            "legal_form",
            "legal_form_display",
            "corporate_number",
            "status",
            "representative",
            "public_email",
            "public_phone",
            "municipality",
            "postal_code",
            "address",
            "founded_on",
            "member_count",
            "activity_fields",
            "description",
            "website",
            "social_links",
            "wants_probono",
            "is_recruiting",
            "registered_on",
            "last_confirmed_at",
            "is_unconfirmed",
            "disclosure",
        ]
        read_only_fields = fields

    def get_social_links(self, group: CivicGroup) -> list[str]:
        return social_link_urls(group)

    @extend_schema_field(OpenApiTypes.DATETIME)  # type: ignore[misc]
    def get_last_confirmed_at(self, group: CivicGroup) -> str | None:
        moment = last_confirmed_at(group)
        if moment is None:
            return None
        return serializers.DateTimeField().to_representation(moment)

    def get_is_unconfirmed(self, group: CivicGroup) -> bool:
        return group.is_unconfirmed(timezone.now())

    @extend_schema_field(DisclosureSerializer)  # type: ignore[misc]
    def get_disclosure(self, group: CivicGroup) -> dict[str, Any]:
        disclosure = disclosure_of(group)
        return {"level": disclosure.level, "percent": disclosure.percent}


class GroupProfileUpdateSerializer(serializers.Serializer):
    """The ordinary profile fields that a group's staff may change.

    Every field is optional; a field left out keeps its value.
    """

    representative = serializers.CharField(required=False, allow_blank=True)
    municipality = serializers.CharField(
        required=False, help_text=_("Local-government code, for example 35203.")
    )
    postal_code = serializers.CharField(required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)
    founded_on = serializers.DateField(required=False, allow_null=True)
    member_count = serializers.IntegerField(required=False, allow_null=True)
    activity_fields = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text=_("Numbers of the activity fields, 1 to 20."),
    )
    description = serializers.CharField(required=False, allow_blank=True)
    website = serializers.CharField(required=False, allow_blank=True)
    social_links = serializers.ListField(child=serializers.CharField(), required=False)
    public_email = serializers.CharField(required=False, allow_blank=True)
    public_phone = serializers.CharField(required=False, allow_blank=True)
    contact_name = serializers.CharField(required=False, allow_blank=True)
    contact_email = serializers.CharField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(required=False, allow_blank=True)
    wants_probono = serializers.BooleanField(required=False)


def profile_form_data(group: CivicGroup, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Return data for GroupProfileForm: the group's values with *changes* on top.

    Municipalities arrive as local-government codes and activity fields as
    their numbers. Raises ValidationError, keyed by field, for an unknown one.
    """
    data: dict[str, Any] = {name: getattr(group, name) for name in PROFILE_FIELDS}
    data["municipality"] = group.municipality_id
    data["activity_fields"] = [field.pk for field in group.activity_fields.all()]
    data.update({k: v for k, v in changes.items() if k in data})
    # SocialLinksField checks each address only when it parses text, one
    # address a line; a list would pass unchecked.
    data["social_links"] = "\n".join(data["social_links"] or [])
    if "municipality" in changes:
        municipality = Municipality.objects.filter(code=changes["municipality"]).first()
        if municipality is None:
            raise ValidationError({"municipality": _("No municipality has this code.")})
        data["municipality"] = municipality.pk
    if "activity_fields" in changes:
        numbers = set(changes["activity_fields"])
        fields = list(ActivityField.objects.filter(number__in=numbers))
        if len(fields) != len(numbers):
            raise ValidationError(
                {"activity_fields": _("Use activity field numbers from 1 to 20.")}
            )
        data["activity_fields"] = [field.pk for field in fields]
    return data


def _error_response(error: ValidationError) -> Response:
    if hasattr(error, "error_dict"):
        return Response(error.message_dict, status=400)
    return Response({"non_field_errors": error.messages}, status=400)


class IsGroupStaffToWrite(permissions.BasePermission):
    """Reads are public; writes need a signed-in member of the group's staff."""

    message = _("Only staff of this group can change its profile.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return can_edit(request.user, obj)


# Filters whose FilterSet methods do not reveal the value's type.
GROUP_FILTER_PARAMETERS = [
    OpenApiParameter(
        "recruiting", OpenApiTypes.BOOL, description="Recruiting volunteers now"
    ),
    OpenApiParameter("probono", OpenApiTypes.BOOL, description="Wants pro bono help"),
]


@extend_schema_view(
    list=extend_schema(
        summary="Search the public group directory",
        description="Takes the same filters as the directory page.",
        parameters=GROUP_FILTER_PARAMETERS,
    ),
    retrieve=extend_schema(summary="One public group"),
    partial_update=extend_schema(
        summary="Change the group's ordinary profile fields (group staff only)",
        request=GroupProfileUpdateSerializer,
        responses={
            200: GroupSerializer,
            400: OpenApiResponse(
                description="A field is invalid or may not be changed here; "
                "the body maps each field to its messages."
            ),
            403: OpenApiResponse(description="Not staff of this group."),
        },
    ),
)
class GroupViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = GroupSerializer
    filterset_class = GroupFilter
    pagination_class = PortalPagination
    permission_classes = [IsGroupStaffToWrite]
    queryset = CivicGroup.objects.none()

    def get_queryset(self) -> QuerySet[CivicGroup]:
        return directory_groups()

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        group = self.get_object()
        assert isinstance(request.user, User)  # IsGroupStaffToWrite
        payload = GroupProfileUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        not_writable = sorted(set(request.data) - set(payload.fields))
        if not_writable:
            return Response(
                {
                    name: [_("This field cannot be changed through the API.")]
                    for name in not_writable
                },
                status=400,
            )
        try:
            form = GroupProfileForm(
                profile_form_data(group, payload.validated_data), instance=group
            )
        except ValidationError as error:
            return _error_response(error)
        if not form.is_valid():
            errors = {name: list(messages) for name, messages in form.errors.items()}
            return Response(errors, status=400)
        try:
            update_profile(
                group_id=group.pk,
                by=request.user,
                fields=form.group_fields(),
                activity_fields=form.cleaned_data["activity_fields"],
            )
        except ValidationError as error:
            return _error_response(error)
        logger.info("Profile of group %s changed through the API", group.pk)
        return Response(GroupSerializer(self.get_object()).data)
