"""Celery task that mails a teacher whom a student named."""

import logging

from celery import shared_task

from civic_portal.mail import send_mail_once
from civic_portal.tasks import RETRY_OPTIONS, site_url
from partner_links.models import SchoolLink

logger = logging.getLogger(__name__)


@shared_task(**RETRY_OPTIONS)
def send_teacher_invitation(link_id: int) -> bool:
    """Mail the teacher of school link *link_id* where to see the hours record.

    Skipped when the student has withdrawn before the task ran. The mail
    is in the portal's default language, since the teacher may have no
    account yet.
    """
    link = (
        SchoolLink.objects.filter(pk=link_id, withdrawn_at__isnull=True)
        .select_related("student")
        .first()
    )
    if link is None:
        logger.info("Teacher mail for school link %s skipped: withdrawn", link_id)
        return False
    sent = send_mail_once(
        key=f"partner_links.school_link.invited:{link.pk}",
        recipient=None,
        to_address=link.teacher_email,
        template_prefix="mail/partner_links/teacher_invitation",
        context={
            "link": link,
            "student_name": link.student.get_full_name() or link.student.email,
            "students_url": site_url("partner_links:teacher_students"),
            "signup_url": site_url("accounts:signup"),
        },
    )
    logger.info("Teacher mail for school link %s finished (sent=%s)", link_id, sent)
    return sent
