"""Celery tasks that keep the directory fresh: the yearly confirmation request.

Once a year (see the beat schedule in civic_portal/celery.py) every public
group's admins are asked by mail to confirm or update the group's
information. The mail key names the fiscal year, the group and the admin,
so a retried or repeated run sends each admin one mail per group a year.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from civic_portal.fiscal import fiscal_year_of
from civic_portal.mail import send_mail_once
from civic_portal.tasks import RETRY_OPTIONS, site_url
from groups.models import CivicGroup, GroupMembership
from groups.services.directory import disclosure_of, last_confirmed_at

logger = logging.getLogger(__name__)


@shared_task(**RETRY_OPTIONS)
def request_information_confirmations() -> int:
    """Queue this fiscal year's confirmation request for every public group.

    Returns the number of groups queued.
    """
    fiscal_year = fiscal_year_of(timezone.now())
    group_ids = list(
        CivicGroup.objects.public().order_by("pk").values_list("pk", flat=True)
    )
    logger.info(
        "Confirmation requests for fiscal %s: queuing %d groups",
        fiscal_year,
        len(group_ids),
    )
    for group_id in group_ids:
        send_confirmation_request.delay(group_id, fiscal_year)
    return len(group_ids)


@shared_task(**RETRY_OPTIONS)
def send_confirmation_request(group_id: int, fiscal_year: int) -> int:
    """Ask each admin of a public group to confirm its information.

    Returns the number of mails sent now.
    """
    group = (
        CivicGroup.objects.public()
        .select_related("municipality")
        .prefetch_related("activity_fields")
        .filter(pk=group_id)
        .first()
    )
    if group is None:
        logger.info("Group %s is not public; confirmation request skipped", group_id)
        return 0
    admins = list(
        GroupMembership.objects.filter(
            group=group, role=GroupMembership.Role.ADMIN, user__is_active=True
        )
        .select_related("user")
        .order_by("user_id")
    )
    context = {
        "group": group,
        "last_confirmed_at": last_confirmed_at(group),
        "disclosure": disclosure_of(group),
        "group_url": site_url("groups:detail", group.pk),
        "profile_edit_url": site_url("groups:profile_edit", group.pk),
    }
    sent = 0
    for membership in admins:
        key = (
            f"groups.directory.confirmation_request:{fiscal_year}:"
            f"{group.pk}:{membership.user_id}"
        )
        sent += send_mail_once(
            key=key,
            recipient=membership.user,
            template_prefix="mail/groups/directory/confirmation_request",
            context={**context, "recipient": membership.user},
        )
    if not admins:
        logger.warning("Group %s has no active admin to ask for confirmation", group_id)
    return sent
