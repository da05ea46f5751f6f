"""Permission rules of the group registry.

Group staff act on their own groups only. Centre staff (members of a
support centre) review registrations and see private contact details.
Staff of the prefectural centre act on every group, staff of a municipal
centre on the groups of their municipality.
"""

from django.db.models import Q, QuerySet

from civic_portal.types import AnyUser
from groups.models import CivicGroup, GroupMembership, SupportCentre


def is_centre_staff(user: AnyUser) -> bool:
    """Tell whether *user* works at any support centre."""
    if not user.is_authenticated:
        return False
    return SupportCentre.objects.staffed_by(user).exists()


def groups_under_centre_staff(user: AnyUser) -> QuerySet[CivicGroup]:
    """Return the groups whose registration *user* may review and see in full."""
    centres = SupportCentre.objects.staffed_by(user)
    if not centres.exists():
        return CivicGroup.objects.none()
    if centres.filter(scope=SupportCentre.Scope.PREFECTURE).exists():
        return CivicGroup.objects.all()
    return CivicGroup.objects.filter(Q(municipality__in=centres.values("municipality")))


def can_review(user: AnyUser, group: CivicGroup) -> bool:
    """Tell whether *user* is centre staff responsible for *group*."""
    return groups_under_centre_staff(user).filter(pk=group.pk).exists()


def can_edit(user: AnyUser, group: CivicGroup) -> bool:
    """Tell whether *user* is staff (admin or editor) of *group*."""
    return group.is_staff_member(user)


def can_manage_staff(user: AnyUser, group: CivicGroup) -> bool:
    """Tell whether *user* may invite, remove and promote the group's staff."""
    if not user.is_authenticated:
        return False
    return GroupMembership.objects.filter(
        group=group, user_id=user.pk, role=GroupMembership.Role.ADMIN
    ).exists()


def is_prefectural_staff(user: AnyUser) -> bool:
    """Tell whether *user* is prefectural staff.

    Prefectural staff are Django staff users and the staff of the
    prefectural centre. They manage reference data such as the centres.
    """
    if not user.is_authenticated:
        return False
    if getattr(user, "is_staff", False):
        return True
    return (
        SupportCentre.objects.staffed_by(user)
        .filter(scope=SupportCentre.Scope.PREFECTURE)
        .exists()
    )


def can_edit_centre(user: AnyUser, centre: SupportCentre) -> bool:
    """Tell whether *user* is staff of *centre* or prefectural staff."""
    return centre.is_staff_member(user) or is_prefectural_staff(user)
