"""Consultations: questions that residents and groups ask a support centre.

A consultation is seen only by its asker and by the staff of its centre.
Everyone else gets 404, as if it did not exist.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_portal.accounts.models import User
from civic_portal.types import AnyUser
from groups.models import CivicGroup, Consultation, SupportCentre

logger = logging.getLogger(__name__)


def visible_to(user: AnyUser) -> QuerySet[Consultation]:
    """Return the consultations *user* asked or that were asked to their centre."""
    if not user.is_authenticated:
        return Consultation.objects.none()
    centres = SupportCentre.objects.staffed_by(user).values("pk")
    return Consultation.objects.filter(Q(asker_id=user.pk) | Q(centre__in=centres))


def is_centre_staff_for(user: AnyUser, consultation: Consultation) -> bool:
    """Tell whether *user* works at the centre *consultation* was asked to."""
    return consultation.centre.is_staff_member(user)


def _notify_answered(consultation: Consultation) -> None:
    from groups.tasks.reports import send_consultation_answered

    consultation_id = consultation.pk
    transaction.on_commit(
        lambda: send_consultation_answered.delay(consultation_id), robust=True
    )


def _notify_asked(consultation: Consultation) -> None:
    from groups.tasks.consultations import send_consultation_asked

    consultation_id = consultation.pk
    transaction.on_commit(
        lambda: send_consultation_asked.delay(consultation_id), robust=True
    )


def consultation_ask(
    *,
    asker: User,
    centre: SupportCentre,
    topic: str,
    question: str,
    group: CivicGroup | None = None,
) -> Consultation:
    """Record a question that *asker* asks *centre* through the portal.

    The centre's staff get a mail once the transaction commits. Raises
    ValidationError when *asker* is not staff of *group* or the centre is
    closed.
    """
    if group is not None and not group.is_staff_member(asker):
        raise ValidationError(
            {"group": _("You can ask only for a group you are staff of.")},
            code="not_group_staff",
        )
    if centre.closed_on is not None:
        raise ValidationError(
            {"centre": _("This centre is closed; choose another centre.")},
            code="centre_closed",
        )
    consultation = Consultation(
        centre=centre,
        asker=asker,
        asker_name=asker.full_name,
        group=group,
        channel=Consultation.Channel.PORTAL,
        topic=topic,
        question=question,
    )
    consultation.full_clean()
    consultation.save()
    _notify_asked(consultation)
    logger.info(
        "Consultation %s asked to centre %s through the portal",
        consultation.pk,
        centre.pk,
    )
    return consultation


def consultation_record(
    *, recorded_by: User, centre: SupportCentre, fields: dict[str, Any]
) -> Consultation:
    """Record a consultation that centre staff took by phone, desk or mail."""
    if not centre.is_staff_member(recorded_by):
        raise ValidationError(
            {"centre": _("You can record consultations only for your own centre.")},
            code="not_centre_staff",
        )
    if fields.get("channel") == Consultation.Channel.PORTAL:
        raise ValidationError(
            {"channel": _("Choose how the question reached the centre.")},
            code="portal_channel",
        )
    consultation = Consultation(centre=centre, recorded_by=recorded_by, **fields)
    if consultation.answer.strip():
        consultation.status = Consultation.Status.ANSWERED
        consultation.answered_by = recorded_by
        consultation.answered_at = timezone.now()
    consultation.full_clean()
    consultation.save()
    logger.info("Consultation %s recorded at centre %s", consultation.pk, centre.pk)
    return consultation


def consultation_answer(
    *,
    consultation: Consultation,
    answered_by: User,
    answer: str,
    follow_up: str,
    status: str,
) -> Consultation:
    """Store the staff's answer and follow-up notes.

    The asker gets a mail the first time the consultation has an answer.
    """
    if not is_centre_staff_for(answered_by, consultation):
        raise ValidationError(
            _("Only the centre's staff may answer this consultation."),
            code="not_centre_staff",
        )
    answer = answer.strip()
    if status != Consultation.Status.OPEN and not answer:
        raise ValidationError(
            {"answer": _("Write the answer before marking it answered or closed.")},
            code="answer_missing",
        )
    with transaction.atomic():
        # Compare with the stored row, not with *consultation*, which a bound
        # form may already have changed in memory.
        stored = Consultation.objects.select_for_update().get(pk=consultation.pk)
        first_answer = not stored.answer and bool(answer)
        stored.answer = answer
        stored.follow_up = follow_up
        stored.status = status
        if first_answer:
            stored.answered_by = answered_by
            stored.answered_at = timezone.now()
            if status == Consultation.Status.OPEN:
                stored.status = Consultation.Status.ANSWERED
        stored.full_clean()
        stored.save()
        if first_answer and stored.asker_id is not None:
            _notify_answered(stored)
    consultation = stored
    logger.info(
        "Consultation %s answered by user %s (status %s)",
        consultation.pk,
        answered_by.pk,
        consultation.status,
    )
    return consultation
