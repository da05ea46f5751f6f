"""The case study API, with the same rules as the pages.

Anyone can read published case studies. A concierge also reads drafts
and the consent status, and publishes. The group's staff and the team
members give and withdraw their own consent, and for anyone else a draft
is not found (404).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from civic_portal.accounts.models import User
from civic_portal.fiscal import fiscal_year_of
from probono.api.statistics import StatisticsViewSet
from probono.models import CaseStudy, ProbonoWorker
from probono.permissions import is_concierge
from probono.services import case_studies as case_study_services
from probono.services import workers as worker_services
from volunteering.api.serializers import ErrorSerializer, GroupSummarySerializer
from volunteering.api.views import PortalPagination

logger = logging.getLogger(__name__)


class CaseStudySerializer(serializers.ModelSerializer):
    """A case study as the public page shows it: the group, never a worker."""

    group = GroupSummarySerializer(source="request.group", read_only=True)
    skills: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="key", many=True, read_only=True
    )
    fiscal_year = serializers.SerializerMethodField(
        help_text=_("The fiscal year in which the project was closed.")
    )

    class Meta:
        model = CaseStudy
        fields = [
            "id",
            "title",
            "group",
            "challenge",
            "work_done",
            "result",
            "skills",
            "fiscal_year",
            "published_at",
        ]
        read_only_fields = fields

    def get_fiscal_year(self, case_study: CaseStudy) -> int:
        return fiscal_year_of(case_study.request.state_changed_at)


class PartySerializer(serializers.Serializer):
    party = serializers.ChoiceField(
        choices=[("group", _("the group")), ("worker", _("yourself, as a worker"))],
        help_text=_("Whom the consent is for: your group, or yourself as a worker."),
    )


class ConsentStatusSerializer(serializers.Serializer):
    party = serializers.CharField(help_text=_("“group” or “worker”."))
    worker = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    given_at = serializers.DateTimeField(allow_null=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    is_live = serializers.BooleanField()


def _consent_rows(
    parties: list[case_study_services.PartyConsent], case_study: CaseStudy
) -> list[dict[str, Any]]:
    group = case_study.request.group
    return [
        {
            "party": "group" if party.is_group else "worker",
            "worker": party.worker.pk if party.worker else None,
            "name": case_study_services.party_name(party, group),
            "given_at": party.consent.given_at if party.consent else None,
            "withdrawn_at": party.consent.withdrawn_at if party.consent else None,
            "is_live": party.is_live,
        }
        for party in parties
    ]


def _signed_in_user(request: Request) -> User:
    # IsAuthenticated on the action has already rejected anonymous requests.
    assert isinstance(request.user, User)
    return request.user


def _bad_request(error: ValidationError) -> Response:
    return Response(
        {"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST
    )


@extend_schema_view(
    list=extend_schema(
        summary="Published case studies (drafts too for a concierge)",
        parameters=[
            OpenApiParameter(
                "skill", str, description=_("A skill key, such as it_web.")
            )
        ],
    ),
    retrieve=extend_schema(summary="One case study"),
)
class CaseStudyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CaseStudySerializer
    pagination_class = PortalPagination
    permission_classes = [permissions.AllowAny]
    queryset = CaseStudy.objects.none()

    def get_queryset(self) -> QuerySet[CaseStudy]:
        case_studies = (
            case_study_services.visible_to(self.request.user)
            .select_related("request__group")
            .prefetch_related("skills")
            .order_by("-published_at", "-pk")
        )
        skill = self.request.query_params.get("skill")
        if skill:
            case_studies = case_studies.filter(skills__key=skill)
        return case_studies

    def _party_case_study(self, request: Request) -> CaseStudy:
        case_study = (
            case_study_services.party_case_studies(request.user)
            .select_related("request__group")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if case_study is None:
            raise NotFound(_("Not a case study you can consent to."))
        return case_study

    def _consent(self, request: Request, give: bool) -> Response:
        user = _signed_in_user(request)
        case_study = self._party_case_study(request)
        serializer = PartySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        worker: ProbonoWorker | None = None
        if serializer.validated_data["party"] == "worker":
            worker = worker_services.current_registration(user)
            if worker is None:
                raise PermissionDenied(
                    _("You are not registered as a pro bono worker.")
                )
        change = (
            case_study_services.give_consent
            if give
            else case_study_services.withdraw_consent
        )
        try:
            change(case_study, user, worker)
        except DjangoPermissionDenied as error:
            logger.info("API consent change on case study %s denied", case_study.pk)
            raise PermissionDenied(str(error)) from error
        except ValidationError as error:
            logger.info("API consent change on case study %s rejected", case_study.pk)
            return _bad_request(error)
        parties = case_study_services.parties_of(user, case_study)
        return Response(_consent_rows(parties, case_study))

    @extend_schema(
        summary="Give your consent, or your group's, to publish a case study",
        request=PartySerializer,
        responses={
            200: ConsentStatusSerializer(many=True),
            400: OpenApiResponse(ErrorSerializer, description="Already given."),
            403: OpenApiResponse(description="You may not consent for that party."),
            404: OpenApiResponse(description="Not a case study you can consent to."),
        },
    )
    @action(
        detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated]
    )
    def consent(self, request: Request, pk: str | None = None) -> Response:
        return self._consent(request, give=True)

    @extend_schema(
        summary="Withdraw a consent, which takes a published case study down",
        request=PartySerializer,
        responses={
            200: ConsentStatusSerializer(many=True),
            400: OpenApiResponse(
                ErrorSerializer, description="No consent to withdraw."
            ),
            403: OpenApiResponse(description="You may not act for that party."),
            404: OpenApiResponse(description="Not a case study you can consent to."),
        },
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="withdraw-consent",
        permission_classes=[permissions.IsAuthenticated],
    )
    def withdraw_consent(self, request: Request, pk: str | None = None) -> Response:
        return self._consent(request, give=False)

    def _concierge_case_study(self, request: Request) -> CaseStudy:
        if not is_concierge(request.user):
            raise PermissionDenied(_("Only a concierge can do this."))
        case_study = (
            CaseStudy.objects.select_related("request__group")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if case_study is None:
            raise NotFound(_("Case study not found."))
        return case_study

    @extend_schema(
        summary="Every party's consent (concierges only)",
        responses={200: ConsentStatusSerializer(many=True)},
    )
    @action(
        detail=True, methods=["get"], permission_classes=[permissions.IsAuthenticated]
    )
    def consents(self, request: Request, pk: str | None = None) -> Response:
        case_study = self._concierge_case_study(request)
        parties = case_study_services.consent_status(case_study)
        return Response(_consent_rows(parties, case_study))

    @extend_schema(
        summary="Publish a case study (concierges only)",
        request=None,
        responses={
            200: CaseStudySerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="A consent is missing or withdrawn."
            ),
            403: OpenApiResponse(description="Not a concierge."),
        },
    )
    @action(
        detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated]
    )
    def publish(self, request: Request, pk: str | None = None) -> Response:
        case_study = self._concierge_case_study(request)
        try:
            case_study_services.publish(case_study, _signed_in_user(request))
        except ValidationError as error:
            logger.info("API publishing of case study %s rejected", case_study.pk)
            return _bad_request(error)
        return Response(CaseStudySerializer(case_study).data)


def register(router: DefaultRouter) -> None:
    """Add the case study and statistics viewsets to *router*."""
    router.register(
        "probono/case-studies", CaseStudyViewSet, basename="probono-case-study"
    )
    router.register(
        "probono/statistics", StatisticsViewSet, basename="probono-statistics"
    )
