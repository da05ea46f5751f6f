"""Celery tasks that tell a support centre's staff about new consultations."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from civic_portal.accounts.models import User
from civic_portal.mail import send_mail_once
from civic_portal.tasks import RETRY_OPTIONS, site_url
from groups.models import Consultation

logger = logging.getLogger(__name__)

TEMPLATE_PREFIX = "mail/groups/consultations/asked"


@shared_task(**RETRY_OPTIONS)
def send_consultation_asked(consultation_id: int) -> int:
    """Mail each active staff member of the centre about a new question.

    The mail names the topic and links to the consultation, but leaves the
    question out, so personal details stay on the portal. Returns the
    number of mails sent now.
    """
    consultation = (
        Consultation.objects.select_related("centre", "group")
        .filter(pk=consultation_id)
        .first()
    )
    if consultation is None:
        logger.warning("Consultation %s not found; mail skipped", consultation_id)
        return 0
    staff = User.objects.filter(
        centre_memberships__centre=consultation.centre, is_active=True
    ).order_by("pk")
    sent = 0
    for recipient in staff:
        context: dict[str, Any] = {
            "consultation": consultation,
            "centre": consultation.centre,
            "recipient": recipient,
            "consultation_url": site_url("groups:consultation_detail", consultation.pk),
        }
        sent += send_mail_once(
            key=f"groups.consultation.asked:{consultation.pk}:user:{recipient.pk}",
            recipient=recipient,
            template_prefix=TEMPLATE_PREFIX,
            context=context,
        )
    logger.info(
        "Consultation %s: %s mails sent to centre %s",
        consultation.pk,
        sent,
        consultation.centre_id,
    )
    return sent
