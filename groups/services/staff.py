"""The staff of a group: invitations, roles, leaving and removal.

Admins invite by e-mail, change roles, remove staff and hand over the
admin role; any staff member may leave. Every change locks the group's
row and then checks that the group still has an admin, so two admins who
remove each other at the same time cannot leave the group without one.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_portal.accounts.models import User
from groups.models import CivicGroup, GroupInvitation, GroupMembership
from groups.permissions import can_manage_staff

from .lifecycle import lock_group

logger = logging.getLogger(__name__)

Role = GroupMembership.Role

INVITATION_LIFETIME = dt.timedelta(days=14)


def _ensure_admin_remains(group: CivicGroup) -> None:
    """Raise ValidationError when *group* has no admin left.

    Callers hold the group's lock and call this after their change, inside
    the transaction, so a rejected change is rolled back.
    """
    if not group.memberships.filter(role=Role.ADMIN).exists():
        raise ValidationError(
            _(
                "A group must keep at least one admin. Make another staff member "
                "admin first."
            )
        )


def _locked_group_for_admin(group_id: int, by: User) -> CivicGroup:
    group = lock_group(group_id)
    if not can_manage_staff(by, group):
        raise PermissionDenied
    return group


def _membership(group: CivicGroup, membership_id: int) -> GroupMembership:
    try:
        return group.memberships.select_related("user").get(pk=membership_id)
    except GroupMembership.DoesNotExist:
        raise ValidationError(
            _("This person is no longer staff of the group.")
        ) from None


@transaction.atomic
def invite(*, group_id: int, by: User, email: str, role: str) -> GroupInvitation:
    """Create an invitation for *email* and mail it after commit."""
    group = _locked_group_for_admin(group_id, by)
    email = email.strip()
    if role not in Role.values:
        raise ValidationError({"role": _("Choose admin or editor.")})
    if group.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError(
            {"email": _("This person is already staff of the group.")}
        )
    now = timezone.now()
    # An earlier open invitation to the same address is replaced, so only
    # the newest link works.
    group.invitations.filter(
        email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    invitation = GroupInvitation.objects.create(
        group=group,
        email=email,
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=by,
        expires_at=now + INVITATION_LIFETIME,
    )
    from groups.tasks.registration import send_invitation_mail

    invitation_id = invitation.pk
    transaction.on_commit(
        lambda: send_invitation_mail.delay(invitation_id), robust=True
    )
    logger.info(
        "Invitation %s to group %s created by user %s", invitation.pk, group.pk, by.pk
    )
    return invitation


@transaction.atomic
def revoke_invitation(*, group_id: int, by: User, invitation_id: int) -> None:
    group = _locked_group_for_admin(group_id, by)
    updated = group.invitations.filter(
        pk=invitation_id, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if not updated:
        raise ValidationError(_("This invitation was already used or withdrawn."))
    logger.info("Invitation %s revoked by user %s", invitation_id, by.pk)


def find_invitation(token: str) -> GroupInvitation | None:
    return GroupInvitation.objects.select_related("group").filter(token=token).first()


@transaction.atomic
def accept_invitation(*, token: str, user: User) -> GroupMembership:
    """Make *user* staff of the invitation's group with the invited role.

    The invitation works only for the account whose e-mail address it was
    sent to, once, and before it expires.
    """
    invitation = find_invitation(token)
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid."))
    group = lock_group(invitation.group_id)
    invitation.refresh_from_db()
    if not invitation.is_usable(timezone.now()):
        raise ValidationError(
            _(
                "This invitation has expired or was already used or withdrawn. "
                "Ask the group's admin for a new one."
            )
        )
    # An address that its owner never confirmed proves nothing, although
    # the log-in form already turns such accounts away.
    if not user.email_confirmed:
        raise ValidationError(
            _("Confirm your e-mail address first, then open the invitation again.")
        )
    if invitation.email.casefold() != user.email.casefold():
        raise ValidationError(
            _(
                "This invitation was sent to another e-mail address. Log in "
                "with the account for that address, or ask the group's admin "
                "to invite %(email)s."
            )
            % {"email": user.email}
        )
    if group.memberships.filter(user=user).exists():
        raise ValidationError(_("You are already staff of this group."))
    membership = GroupMembership.objects.create(
        group=group, user=user, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    logger.info(
        "Invitation %s accepted by user %s for group %s",
        invitation.pk,
        user.pk,
        group.pk,
    )
    return membership


@transaction.atomic
def change_role(
    *, group_id: int, by: User, membership_id: int, role: str
) -> GroupMembership:
    group = _locked_group_for_admin(group_id, by)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose admin or editor.")})
    membership = _membership(group, membership_id)
    membership.role = role
    membership.save(update_fields=["role"])
    _ensure_admin_remains(group)
    logger.info(
        "Membership %s of group %s set to %s by user %s",
        membership.pk,
        group.pk,
        role,
        by.pk,
    )
    return membership


@transaction.atomic
def remove_member(*, group_id: int, by: User, membership_id: int) -> None:
    """Remove a staff member from the group (an admin's action)."""
    group = _locked_group_for_admin(group_id, by)
    membership = _membership(group, membership_id)
    membership.delete()
    _ensure_admin_remains(group)
    logger.info(
        "Membership %s of group %s removed by user %s", membership_id, group.pk, by.pk
    )


@transaction.atomic
def leave(*, group_id: int, user: User) -> None:
    """Remove *user* from the group's staff at their own request."""
    group = lock_group(group_id)
    deleted, _details = group.memberships.filter(user=user).delete()
    if not deleted:
        raise ValidationError(_("You are not staff of this group."))
    _ensure_admin_remains(group)
    logger.info("User %s left group %s", user.pk, group.pk)


@transaction.atomic
def hand_over_admin(*, group_id: int, by: User, membership_id: int) -> GroupMembership:
    """Make another staff member admin and *by* an editor."""
    group = _locked_group_for_admin(group_id, by)
    membership = _membership(group, membership_id)
    if membership.user_id == by.pk:
        raise ValidationError(_("Choose another staff member to hand over to."))
    membership.role = Role.ADMIN
    membership.save(update_fields=["role"])
    group.memberships.filter(user=by).update(role=Role.EDITOR)
    _ensure_admin_remains(group)
    logger.info(
        "User %s handed admin of group %s to membership %s",
        by.pk,
        group.pk,
        membership.pk,
    )
    return membership
