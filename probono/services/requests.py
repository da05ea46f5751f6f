"""Filing support requests and reading them as group staff or concierge."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from civic_portal.types import AnyUser
from groups.models import CivicGroup
from probono.models import RequestEvent, RequestState, Skill, SupportRequest
from probono.permissions import is_concierge

logger = logging.getLogger(__name__)


def groups_that_can_file(user: AnyUser) -> QuerySet[CivicGroup]:
    """Return the public groups whose staff *user* is."""
    return CivicGroup.objects.public().managed_by(user).distinct().order_by("name")


def visible_to(user: AnyUser) -> QuerySet[SupportRequest]:
    """Return the requests *user* may read: all for a concierge, else own groups'."""
    if is_concierge(user):
        return SupportRequest.objects.all()
    return SupportRequest.objects.filter(group__in=CivicGroup.objects.managed_by(user))


def file_request(
    *,
    user: AnyUser,
    group: CivicGroup,
    skills: Iterable[Skill],
    **fields: Any,
) -> SupportRequest:
    """File a support request for *group* and record its first history step.

    Raises ValidationError unless *user* is staff of a public group, the
    request names at least one skill and the period ends after it starts.
    After commit, the concierges are mailed and *user* gets a receipt.
    """
    if not group.is_public or not group.is_staff_member(user):
        raise ValidationError(
            _("Only the staff of a public group can file a support request for it."),
            code="not_group_staff",
        )
    skills = list(skills)
    if not skills:
        raise ValidationError({"skills": _("Choose at least one skill.")})
    start, end = fields.get("period_start"), fields.get("period_end")
    if start and end and end < start:
        raise ValidationError(
            {"period_end": _("The period cannot end before it starts.")}
        )
    with transaction.atomic():
        request = SupportRequest.objects.create(
            group=group, created_by_id=user.pk, state=RequestState.RECEIVED, **fields
        )
        request.skills.set(skills)
        RequestEvent.objects.create(
            request=request,
            from_state="",
            to_state=RequestState.RECEIVED,
            actor_id=user.pk,
        )
        request_id = request.pk
        transaction.on_commit(lambda: _announce_filing(request_id))
    logger.info(
        "Request %s filed for group %s by user %s", request.pk, group.pk, user.pk
    )
    return request


def _announce_filing(request_id: int) -> None:
    from probono.tasks.requests import send_request_filed

    send_request_filed.delay(request_id)
