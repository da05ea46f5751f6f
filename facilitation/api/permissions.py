"""API permission classes of the collaboration app, built on its page rules."""

from __future__ import annotations

from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.views import APIView

from facilitation.permissions import can_manage_facilitators, can_use_partner_directory


class CanUsePartnerDirectory(permissions.IsAuthenticated):
    """Facilitators, centre staff and administrators. Others get 401 or 403."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return super().has_permission(request, view) and can_use_partner_directory(
            request.user
        )


class CanManageFacilitators(permissions.IsAuthenticated):
    """The chief facilitator and prefectural staff."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return super().has_permission(request, view) and can_manage_facilitators(
            request.user
        )
