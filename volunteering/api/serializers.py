"""Serializers of the public post API and of the resident's own applications."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from groups.models import ActivityField, CivicGroup, Municipality
from volunteering.models import (
    Application,
    PostPhoto,
    VolunteerPost,
    VolunteerSession,
)


class MunicipalitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["code", "name", "name_en"]


class ActivityFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityField
        fields = ["number", "name", "name_en"]


class GroupSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = CivicGroup
        fields = ["id", "name"]


class SessionSerializer(serializers.ModelSerializer):
    free_places = serializers.IntegerField(
        read_only=True,
        help_text=_("Places still free; 0 means new applications are waitlisted."),
    )

    class Meta:
        model = VolunteerSession
        fields = ["id", "starts_at", "ends_at", "capacity", "free_places"]


class PhotoSerializer(serializers.ModelSerializer):
    class Meta:
        model = PostPhoto
        fields = ["image", "alt_text"]


class PostSerializer(serializers.ModelSerializer):
    group = GroupSummarySerializer(read_only=True)
    municipality = MunicipalitySerializer(read_only=True)
    activity_field = ActivityFieldSerializer(read_only=True)
    sessions = SessionSerializer(
        source="upcoming_sessions",
        many=True,
        read_only=True,
        help_text=_("Sessions that have not started yet, earliest first."),
    )
    photos = PhotoSerializer(many=True, read_only=True)
    is_open_for_applications = serializers.BooleanField(read_only=True)

    class Meta:
        model = VolunteerPost
        fields = [
            "id",
            "title",
            "description",
            "group",
            "activity_field",
            "municipality",
            "place",
            "is_online",
            "tasks",
            "what_to_bring",
            "kind",
            "accepts_individuals",
            "accepts_teams",
            "welcomes_high_school",
            "minimum_age",
            "monthly_capacity",
            "application_deadline",
            "published_at",
            "is_open_for_applications",
            "sessions",
            "photos",
        ]


class ApplicationPostSerializer(serializers.ModelSerializer):
    group = GroupSummarySerializer(read_only=True)

    class Meta:
        model = VolunteerPost
        fields = ["id", "title", "group"]


class ApplicationSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = VolunteerSession
        fields = ["id", "starts_at", "ends_at"]


class ApplicationSerializer(serializers.ModelSerializer):
    post = ApplicationPostSerializer(read_only=True)
    session = ApplicationSessionSerializer(read_only=True, allow_null=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "post",
            "session",
            "activity_date",
            "party_size",
            "team_name",
            "message",
            "status",
            "status_display",
            "cancel_reason",
            "created_at",
            "confirmed_at",
            "cancelled_at",
        ]
        read_only_fields = fields


class ApplicationCreateSerializer(serializers.Serializer):
    """An application to one session, or to a year-round post for one day."""

    session = serializers.PrimaryKeyRelatedField(
        queryset=VolunteerSession.objects.filter(
            post__in=VolunteerPost.objects.published()
        ),
        required=False,
        allow_null=True,
        help_text=_("The session to apply to. Leave out for a year-round post."),
    )
    post = serializers.PrimaryKeyRelatedField(
        queryset=VolunteerPost.objects.published().filter(
            kind=VolunteerPost.Kind.YEAR_ROUND
        ),
        required=False,
        allow_null=True,
        help_text=_("The year-round post to apply to, with activity_date."),
    )
    activity_date = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("The day you plan to come, for a year-round post."),
    )
    party_size = serializers.IntegerField(min_value=1, max_value=100, default=1)
    team_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    message = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )

    def validate(self, attrs: dict) -> dict:
        session = attrs.get("session")
        post = attrs.get("post")
        activity_date = attrs.get("activity_date")
        if session is not None and (post is not None or activity_date is not None):
            raise serializers.ValidationError(
                _("Give either a session, or a year-round post and a date, not both.")
            )
        if session is None and post is None:
            raise serializers.ValidationError(
                _("Give the session to apply to, or a year-round post and a date.")
            )
        if post is not None and activity_date is None:
            raise serializers.ValidationError(
                {"activity_date": _("Give the day you plan to come.")}
            )
        return attrs


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("What went wrong, in your language."))
