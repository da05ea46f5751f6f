"""Writes on school links: a student names a teacher, or withdraws."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_portal.accounts import ages
from civic_portal.accounts.models import User
from partner_links.consent import check_guardian_consent
from partner_links.models import SchoolLink

logger = logging.getLogger(__name__)

# Each new link mails the named address. A student may create only a few
# links a day, so the form cannot be used to flood arbitrary addresses.
MAX_SCHOOL_LINKS_PER_DAY = 3


def link_school(
    *,
    student: User,
    school_name: str,
    teacher_name: str,
    teacher_email: str,
) -> SchoolLink:
    """Record *student*'s consent to share the hours record with a teacher, now.

    The teacher gets a mail with a link once the transaction commits.
    Raises ValidationError when the account is not a high-school student's,
    a guardian's agreement is needed and missing, the student already
    names a school, the address is the student's own, or the daily limit
    of new links is reached.
    """
    if not student.is_high_school_student:
        raise ValidationError(
            _(
                "Only high-school students can share their hours with a school. "
                "If you are one, set your occupation in your profile first."
            ),
            code="not_high_school_student",
        )
    check_guardian_consent(student, ages.today_in_japan())
    address = teacher_email.strip().lower()
    if address == student.email.lower():
        raise ValidationError(
            _("Enter your teacher's e-mail address, not your own."),
            code="own_address",
        )
    one_school = ValidationError(
        _(
            "You already share your hours with a school. Stop sharing with it "
            "first to name another school."
        ),
        code="one_school_at_a_time",
    )
    if SchoolLink.objects.filter(student=student, withdrawn_at__isnull=True).exists():
        raise one_school
    now = timezone.now()
    if (
        SchoolLink.objects.filter(
            student=student, consented_at__gte=now - dt.timedelta(days=1)
        ).count()
        >= MAX_SCHOOL_LINKS_PER_DAY
    ):
        logger.info("School link of user %s rejected: daily limit", student.pk)
        raise ValidationError(
            _(
                "You have named a teacher %(count)d times in the last 24 hours. "
                "Try again tomorrow."
            ),
            code="too_many_links",
            params={"count": MAX_SCHOOL_LINKS_PER_DAY},
        )
    try:
        with transaction.atomic():
            link = SchoolLink.objects.create(
                student=student,
                school_name=school_name.strip(),
                teacher_name=teacher_name.strip(),
                teacher_email=address,
                consented_at=now,
            )
            _queue_teacher_mail(link)
    except IntegrityError as error:
        raise one_school from error
    logger.info("User %s shares hours with a school (link %s)", student.pk, link.pk)
    return link


def _queue_teacher_mail(link: SchoolLink) -> None:
    from partner_links.tasks import send_teacher_invitation

    link_id = link.pk
    transaction.on_commit(lambda: send_teacher_invitation.delay(link_id))


def withdraw_school_link(*, link: SchoolLink) -> bool:
    """Stop sharing *link*'s hours record now, or return False if already stopped."""
    now = timezone.now()
    updated = SchoolLink.objects.filter(pk=link.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=now
    )
    if not updated:
        return False
    link.withdrawn_at = now
    logger.info("User %s stopped sharing hours (link %s)", link.student_id, link.pk)
    return True
