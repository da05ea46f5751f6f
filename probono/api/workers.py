"""The worker bank API: a worker's own registration and the concierge's list.

/api/probono/workers/me/ lets a registered worker read and change their
registration. The list and the detail of all workers are for concierges
only, because they contain contact details. Registering, pausing and
deleting happen on the portal's pages, which ask for consent and
confirmation.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.fields import get_error_detail
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from civic_portal.accounts.models import User
from civic_portal.audit.api import AccessLogMixin
from civic_portal.audit.services import USER_EMAIL, USER_NAME
from civic_portal.privacy.register import declared_fields
from groups.models import ActivityField, Municipality
from probono.forms_workers import WorkerFilter
from probono.models import ProbonoWorker, Skill, WorkerSkill
from probono.permissions import is_concierge
from probono.services import workers as worker_services
from volunteering.api.views import PortalPagination

logger = logging.getLogger(__name__)

# The concierge's API returns every field that the register declares for
# a worker.
API_WORKER_FIELDS = tuple(
    f"probono.ProbonoWorker.{name}"
    for name in sorted(declared_fields()["probono.ProbonoWorker"])
)


class WorkerSkillSerializer(serializers.ModelSerializer):
    skill = serializers.SlugRelatedField(slug_field="key", queryset=Skill.objects.all())
    level = serializers.ChoiceField(choices=WorkerSkill.Level.choices)
    years = serializers.IntegerField(min_value=0, max_value=70)

    class Meta:
        model = WorkerSkill
        fields = ["skill", "level", "years"]


class WorkerSerializer(serializers.ModelSerializer):
    """A registration as its worker sees and changes it."""

    skills = WorkerSkillSerializer(source="worker_skills", many=True, required=False)
    municipality = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Municipality.objects.all(),
        allow_null=True,
        required=False,
    )
    activity_fields = serializers.SlugRelatedField(
        slug_field="number",
        queryset=ActivityField.objects.all(),
        many=True,
        required=False,
    )
    hours_per_month = serializers.IntegerField(min_value=1, max_value=744)
    # A plain string, because the schema already has a "status" enum of
    # another model and drf-spectacular warns about the name collision.
    status = serializers.CharField(read_only=True)
    max_projects = serializers.IntegerField(min_value=1, max_value=10)

    class Meta:
        model = ProbonoWorker
        fields = [
            "id",
            *worker_services.WORKER_FIELDS,
            "skills",
            "activity_fields",
            "status",
            "contact_consent_at",
            "registered_at",
            "paused_at",
        ]
        read_only_fields = [
            "status",
            "contact_consent_at",
            "registered_at",
            "paused_at",
        ]


class ConciergeWorkerSerializer(WorkerSerializer):
    """A registration with the worker's name and e-mail, for concierges."""

    name = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()

    class Meta(WorkerSerializer.Meta):
        fields = [*WorkerSerializer.Meta.fields, "name", "email", "deleted_at"]
        read_only_fields = WorkerSerializer.Meta.fields

    def get_name(self, worker: ProbonoWorker) -> str | None:
        return worker.user.get_full_name() if worker.user else None

    def get_email(self, worker: ProbonoWorker) -> str | None:
        return worker.user.email if worker.user else None


class IsConciergeOrMe(permissions.IsAuthenticated):
    """Concierges read every worker, and any signed-in user reads their own /me/."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not super().has_permission(request, view):
            return False
        if getattr(view, "action", None) == "me":
            return True
        return is_concierge(request.user)


def _signed_in_user(request: Request) -> User:
    # The IsConciergeOrMe permission has already rejected anonymous users.
    assert isinstance(request.user, User)
    return request.user


@extend_schema_view(
    list=extend_schema(summary="List pro bono workers (concierges only)"),
    retrieve=extend_schema(summary="One pro bono worker (concierges only)"),
)
class WorkerViewSet(AccessLogMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ConciergeWorkerSerializer
    permission_classes = [IsConciergeOrMe]
    pagination_class = PortalPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = WorkerFilter

    def get_queryset(self) -> QuerySet[ProbonoWorker]:
        return (
            ProbonoWorker.objects.select_related("user", "municipality")
            .prefetch_related("worker_skills__skill", "activity_fields")
            .order_by("-registered_at", "pk")
        )

    def audit_shown(self, instance: ProbonoWorker) -> dict[int, tuple[str, ...]]:
        if instance.user is None:
            return {}
        return {instance.user.pk: (USER_NAME, USER_EMAIL, *API_WORKER_FIELDS)}

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        # Staff access to personal data is logged, by user id only.
        logger.info("Concierge %s listed pro bono workers", request.user.pk)
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        logger.info(
            "Concierge %s viewed pro bono worker %s", request.user.pk, kwargs["pk"]
        )
        return response

    @extend_schema(
        summary="Your own pro bono worker registration",
        request=WorkerSerializer,
        responses=WorkerSerializer,
    )
    @action(detail=False, methods=["get", "patch"], serializer_class=WorkerSerializer)
    def me(self, request: Request) -> Response:
        worker = worker_services.current_registration(_signed_in_user(request))
        if worker is None:
            raise NotFound(
                _(
                    "You are not registered as a pro bono worker. "
                    "Register on the portal's pro bono page first."
                )
            )
        if request.method == "PATCH":
            serializer = WorkerSerializer(worker, data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            self._update(worker, serializer.validated_data)
        worker = self.get_queryset().get(pk=worker.pk)
        return Response(WorkerSerializer(worker).data)

    def _update(self, worker: ProbonoWorker, data: dict[str, Any]) -> None:
        skills = None
        if "worker_skills" in data:
            skills = [
                worker_services.SkillEntry(row["skill"], row["level"], row["years"])
                for row in data["worker_skills"]
            ]
        try:
            worker_services.update_worker(
                worker=worker,
                fields=data,
                skills=skills,
                activity_fields=data.get("activity_fields"),
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(get_error_detail(error)) from error
