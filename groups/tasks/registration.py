"""Celery tasks that mail applicants about reviews and invite group staff.

Tasks take ids and reload their rows. Each mail has a key naming its
event (a review row or an invitation), so a retried task sends nothing
twice. Network errors are retried with backoff.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from civic_portal.accounts.models import User
from civic_portal.mail import send_mail_once
from civic_portal.tasks import RETRY_OPTIONS, site_url
from groups.models import GroupInvitation, GroupMembership, GroupReview
from groups.services import lifecycle

logger = logging.getLogger(__name__)

TEMPLATE_DIR = "mail/groups/registration"


def _review_recipients(review: GroupReview) -> list[User]:
    """Return who is mailed about a review step.

    An application's steps go to the applicant. A change request concerns
    the group as it is now, so its steps go to the group's current admins
    and to the requester only while the requester is still on its staff.
    """
    group = review.group
    if review.change_request is None:
        return [group.created_by] if group.created_by else []
    recipients = list(
        User.objects.filter(
            group_memberships__group=group,
            group_memberships__role=GroupMembership.Role.ADMIN,
        ).order_by("pk")
    )
    requester = review.change_request.requested_by
    if (
        requester is not None
        and requester not in recipients
        and group.is_staff_member(requester)
    ):
        recipients.append(requester)
    return recipients


def _review_mail_key(review: GroupReview, recipient: User) -> str:
    # An application has one recipient, a change request one per staff member.
    if review.change_request is None:
        return f"groups.review:{review.pk}"
    return f"groups.review:{review.pk}:user:{recipient.pk}"


@shared_task(**RETRY_OPTIONS)
def send_review_mail(review_id: int) -> int:
    """Mail the people a review step concerns; return the mails sent."""
    review = (
        GroupReview.objects.select_related(
            "group__created_by", "change_request__requested_by"
        )
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        logger.warning("Group review %s not found; mail skipped", review_id)
        return 0
    recipients = _review_recipients(review)
    if not recipients:
        logger.info("Group review %s has no recipient; mail skipped", review_id)
        return 0
    group = review.group
    sent = 0
    for recipient in recipients:
        context: dict[str, Any] = {
            "review": review,
            "group": group,
            "change_request": review.change_request,
            "recipient": recipient,
            "application_url": site_url("groups:application", group.pk),
            "manage_url": site_url("groups:manage", group.pk),
        }
        sent += send_mail_once(
            key=_review_mail_key(review, recipient),
            recipient=recipient,
            template_prefix=f"{TEMPLATE_DIR}/review_{review.action}",
            context=context,
        )
    return sent


@shared_task(**RETRY_OPTIONS)
def send_invitation_mail(invitation_id: int) -> int:
    """Mail an invitation link to the invited address; return the mails sent."""
    invitation = (
        GroupInvitation.objects.select_related("group", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.revoked_at or invitation.accepted_at:
        logger.info("Invitation %s is not open; mail skipped", invitation_id)
        return 0
    # The invited person may have no account yet, so the mail goes out in
    # the portal's default language unless the address belongs to a user.
    recipient = User.objects.filter(email__iexact=invitation.email).first()
    context: dict[str, Any] = {
        "invitation": invitation,
        "group": invitation.group,
        "accept_url": site_url("groups:invitation", invitation.token),
    }
    sent = send_mail_once(
        key=f"groups.invitation:{invitation.pk}",
        recipient=recipient,
        template_prefix=f"{TEMPLATE_DIR}/invitation",
        context=context,
        to_address=invitation.email,
    )
    return int(sent)


@shared_task(**RETRY_OPTIONS)
def sync_certified_forms() -> int:
    """Turn legal forms back or forward as certifications end or begin today."""
    return lifecycle.sync_certified_forms()
