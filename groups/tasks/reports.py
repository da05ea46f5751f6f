"""Celery tasks that mail annual-report reminders and consultation answers.

Tasks take ids and reload their rows, so they act on the state after the
transaction that queued them. Each mail goes through send_mail_once with a
key naming its event and recipient, so a retried task sends nothing twice.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from civic_portal.fiscal import JAPAN, fiscal_year_label_lazy
from civic_portal.mail import send_mail_once
from civic_portal.tasks import RETRY_OPTIONS, site_url
from groups.models import AnnualGroupReport, CivicGroup, Consultation, GroupMembership

logger = logging.getLogger(__name__)

TEMPLATE_DIR = "mail/groups"


@shared_task(**RETRY_OPTIONS)
def send_report_reminders(fiscal_year: int, group_ids: list[int]) -> int:
    """Remind the admins of each group that has not filed for *fiscal_year*.

    The mail key contains the Japan date, so each admin of a group gets at
    most one reminder a day however often staff press the button.
    Returns the number of mails sent.
    """
    today = timezone.localdate(timezone=JAPAN)
    filed = AnnualGroupReport.objects.filter(
        group_id__in=group_ids, fiscal_year=fiscal_year
    ).values_list("group_id", flat=True)
    groups = CivicGroup.objects.filter(pk__in=group_ids).exclude(pk__in=filed)
    admins = (
        GroupMembership.objects.filter(
            group__in=groups, role=GroupMembership.Role.ADMIN, user__is_active=True
        )
        .select_related("group", "user")
        .order_by("group_id", "user_id")
    )
    sent = 0
    for membership in admins:
        group = membership.group
        context = {
            "group": group,
            "recipient": membership.user,
            "fiscal_year": fiscal_year,
            "fiscal_year_label": fiscal_year_label_lazy(fiscal_year),
            "report_url": site_url("groups:report_create", group.pk),
        }
        key = (
            f"groups.report.reminder:{fiscal_year}:{group.pk}:"
            f"{membership.user_id}:{today.isoformat()}"
        )
        if send_mail_once(
            key=key,
            recipient=membership.user,
            template_prefix=f"{TEMPLATE_DIR}/reports/reminder",
            context=context,
        ):
            sent += 1
    logger.info("Report reminders for fiscal %s: %s mails sent", fiscal_year, sent)
    return sent


@shared_task(**RETRY_OPTIONS)
def send_consultation_answered(consultation_id: int) -> bool:
    """Tell the asker that their consultation has an answer."""
    consultation = (
        Consultation.objects.select_related("centre", "asker")
        .filter(pk=consultation_id)
        .first()
    )
    if consultation is None or consultation.asker is None:
        return False
    if not consultation.answer or not consultation.asker.is_active:
        return False
    context = {
        "consultation": consultation,
        "centre": consultation.centre,
        "recipient": consultation.asker,
        "consultation_url": site_url("groups:consultation_detail", consultation.pk),
    }
    # One mail per answer: a later change of the answer sends no new mail.
    return send_mail_once(
        key=f"groups.consultation.answered:{consultation.pk}",
        recipient=consultation.asker,
        template_prefix=f"{TEMPLATE_DIR}/consultations/answered",
        context=context,
    )
