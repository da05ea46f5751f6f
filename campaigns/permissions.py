"""Permission rules of campaigns.

Campaign staff are centre staff and prefectural staff (see
groups.permissions). Prefectural staff manage every campaign; staff of a
municipal centre manage the campaigns scoped to their centre's
municipality. A participation is managed by the resident who registered
it, or, for a group's participation, by any staff member of the group.
"""

from __future__ import annotations

from django.db.models import QuerySet

from campaigns.models import Campaign, Participation
from civic_portal.types import AnyUser
from groups.models import Municipality, SupportCentre
from groups.permissions import is_centre_staff, is_prefectural_staff


def is_campaign_staff(user: AnyUser) -> bool:
    """Tell whether *user* is centre or prefectural staff."""
    return is_prefectural_staff(user) or is_centre_staff(user)


def staff_municipalities(user: AnyUser) -> QuerySet[Municipality]:
    """Return the municipalities of the municipal centres that *user* staffs."""
    centres = SupportCentre.objects.staffed_by(user).filter(
        scope=SupportCentre.Scope.MUNICIPAL
    )
    return Municipality.objects.filter(support_centres__in=centres).distinct()


def managed_campaigns(user: AnyUser) -> QuerySet[Campaign]:
    """Return the campaigns *user* may edit and whose participants they handle."""
    if is_prefectural_staff(user):
        return Campaign.objects.all()
    if not is_centre_staff(user):
        return Campaign.objects.none()
    return Campaign.objects.filter(municipality__in=staff_municipalities(user))


def can_manage_campaign(user: AnyUser, campaign: Campaign) -> bool:
    return managed_campaigns(user).filter(pk=campaign.pk).exists()


def can_manage_participation(user: AnyUser, participation: Participation) -> bool:
    """Tell whether *user* registered *participation* or is staff of its group."""
    if not user.is_authenticated:
        return False
    if participation.group_id is None:
        return participation.user_id == user.pk
    return participation.group.memberships.filter(user_id=user.pk).exists()  # type: ignore[union-attr]
