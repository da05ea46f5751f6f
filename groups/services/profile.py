"""Edits of an approved group's profile by its staff.

Ordinary fields publish at once and each save writes a GroupRevision with
the value before and after for every changed field. The legal name, the
legal form, the corporate number and certification change only through a
GroupChangeRequest that centre staff review like a registration.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_portal.accounts.models import User
from groups.models import (
    ActivityField,
    CivicGroup,
    GroupChangeRequest,
    GroupReview,
    GroupRevision,
    Municipality,
)
from groups.permissions import can_edit, can_review

from .lifecycle import (
    CERTIFIABLE_FORMS,
    FORM_FOR_CERTIFICATION,
    lock_group,
    record_certification,
    today_in_japan,
)
from .registration import (
    REGISTRATION_FIELDS,
    check_corporate_number,
    check_duplicate_name,
    record_review,
    require_reason,
)

logger = logging.getLogger(__name__)

Action = GroupReview.Action
RequestStatus = GroupChangeRequest.Status

# Fields whose change needs a review after approval.
REVIEWED_FIELDS = ("name", "name_kana", "legal_form", "corporate_number")
# Fields that group staff change directly, in form order.
PROFILE_FIELDS = (
    *(name for name in REGISTRATION_FIELDS if name not in REVIEWED_FIELDS),
    "wants_probono",
)
# Fields of a change request; an empty value leaves the group's value as is.
CHANGE_REQUEST_FIELDS = (*REVIEWED_FIELDS, "certification_kind", "certified_on")


def history_value(value: Any) -> Any:
    """Return *value* as stored in GroupRevision.changes, in JSON types."""
    if isinstance(value, Municipality):
        return value.name
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | str | list):
        return value
    return str(value)


def record_revision(
    group: CivicGroup, changed_by: User, changes: dict[str, dict[str, Any]]
) -> GroupRevision | None:
    if not changes:
        return None
    return GroupRevision.objects.create(
        group=group, changed_by=changed_by, changes=changes
    )


def _lock_approved_group(group_id: int, by: User) -> CivicGroup:
    """Lock an approved group that *by* is staff of, or raise."""
    group = lock_group(group_id)
    if not can_edit(by, group):
        raise PermissionDenied
    if group.review_status != CivicGroup.ReviewStatus.APPROVED:
        raise ValidationError(
            _("Edit the application instead: the group is not approved yet.")
        )
    return group


def _field_numbers(fields: Iterable[ActivityField]) -> list[int]:
    return sorted(field.number for field in fields)


@transaction.atomic
def update_profile(
    *,
    group_id: int,
    by: User,
    fields: Mapping[str, Any],
    activity_fields: Iterable[ActivityField] | None = None,
) -> GroupRevision | None:
    """Save the ordinary fields of an approved group and record what changed.

    Every save counts as confirming the information, as the yearly request
    asks staff to confirm or update it. Returns the revision, or None when
    nothing changed.
    """
    group = _lock_approved_group(group_id, by)
    changes: dict[str, dict[str, Any]] = {}
    for name in PROFILE_FIELDS:
        if name not in fields:
            continue
        old, new = getattr(group, name), fields[name]
        if old != new:
            changes[name] = {"old": history_value(old), "new": history_value(new)}
            setattr(group, name, new)
    if activity_fields is not None:
        new_fields = list(activity_fields)
        old_numbers = _field_numbers(group.activity_fields.all())
        new_numbers = _field_numbers(new_fields)
        if old_numbers != new_numbers:
            changes["activity_fields"] = {"old": old_numbers, "new": new_numbers}
            group.activity_fields.set(new_fields)
    group.info_confirmed_at = timezone.now()
    group.save()
    revision = record_revision(group, by, changes)
    logger.info(
        "Profile of group %s saved by user %s: %d fields changed",
        group.pk,
        by.pk,
        len(changes),
    )
    return revision


def _check_change_request(group: CivicGroup, request: GroupChangeRequest) -> None:
    """Raise ValidationError, keyed by field, unless *request* can be reviewed."""
    changed = [
        name
        for name in REVIEWED_FIELDS
        if getattr(request, name) and getattr(request, name) != getattr(group, name)
    ]
    wants_certification = bool(request.certification_kind or request.certified_on)
    if not changed and not wants_certification:
        raise ValidationError(
            _("Nothing would change. Fill in only the values that change.")
        )

    legal_form = request.legal_form or group.legal_form
    if legal_form not in CivicGroup.LegalForm.values:
        raise ValidationError({"legal_form": _("Choose a valid legal form.")})
    # A group registered without a number (an import, say) may still
    # change its name, so the number is checked only when it is touched.
    if request.legal_form or request.corporate_number:
        check_corporate_number(
            legal_form=legal_form,
            corporate_number=request.corporate_number or group.corporate_number,
            exclude_group_id=group.pk,
        )

    if "name" in changed:
        _check_new_name(group, request.name)

    certified_forms = set(FORM_FOR_CERTIFICATION.values())
    if request.legal_form in certified_forms and not wants_certification:
        raise ValidationError(
            {
                "certification_kind": _(
                    "To become a certified NPO corporation, give the kind and "
                    "date of the certification."
                )
            }
        )
    if not wants_certification:
        return

    if not request.certification_kind or request.certified_on is None:
        raise ValidationError(
            {"certified_on": _("Give both the kind and the date of the certification.")}
        )
    if request.certified_on > today_in_japan():
        raise ValidationError(
            {"certified_on": _("The date is in the future. Enter today or earlier.")}
        )
    if legal_form not in CERTIFIABLE_FORMS:
        raise ValidationError(
            {"certification_kind": _("Only an NPO corporation can be certified.")}
        )


def _check_new_name(group: CivicGroup, name: str) -> None:
    """Raise ValidationError if another group in the municipality has *name*."""
    try:
        check_duplicate_name(
            name=name, municipality_id=group.municipality_id, exclude_group_id=group.pk
        )
    except ValidationError as error:
        raise ValidationError(
            {
                "name": _(
                    "Another group in this municipality is registered or awaiting "
                    "review under this name. Choose a name that tells the two "
                    "apart, or contact a support centre."
                )
            }
        ) from error


@transaction.atomic
def submit_change_request(
    *, group_id: int, by: User, fields: Mapping[str, Any], note: str = ""
) -> GroupChangeRequest:
    """Send a change of the legal facts for review, or change the open request.

    A group has at most one open request. Changing a request that centre
    staff sent back puts it in the review queue again.
    """
    group = _lock_approved_group(group_id, by)
    request = group.change_requests.filter(
        status__in=[RequestStatus.PENDING, RequestStatus.CHANGES_REQUESTED]
    ).first() or GroupChangeRequest(group=group, requested_by=by)
    resubmitted = request.status == RequestStatus.CHANGES_REQUESTED
    is_new = request.pk is None
    for name in CHANGE_REQUEST_FIELDS:
        setattr(
            request, name, fields.get(name) or ("" if name != "certified_on" else None)
        )
    request.note = note
    _check_change_request(group, request)
    request.status = RequestStatus.PENDING
    request.save()
    if is_new or resubmitted:
        record_review(group, Action.SUBMITTED, by, change_request=request)
    logger.info(
        "Change request %s of group %s saved by user %s",
        request.pk,
        group.pk,
        by.pk,
    )
    return request


def _apply_change_request(
    group: CivicGroup, request: GroupChangeRequest, by: User
) -> None:
    changes: dict[str, dict[str, Any]] = {}
    for name in REVIEWED_FIELDS:
        new = getattr(request, name)
        old = getattr(group, name)
        if new and new != old:
            changes[name] = {"old": old, "new": new}
            setattr(group, name, new)
    group.save()
    record_revision(group, by, changes)
    if request.certification_kind and request.certified_on is not None:
        record_certification(
            group, request.certification_kind, request.certified_on, by
        )


@transaction.atomic
def decide_change_request(
    *, change_request_id: int, by: User, action: str, reason: str = ""
) -> GroupReview:
    """Approve, send back or reject a change request; approval applies it."""
    request = GroupChangeRequest.objects.select_related("group").get(
        pk=change_request_id
    )
    group = lock_group(request.group_id)
    if not can_review(by, group):
        raise PermissionDenied
    if action not in (Action.APPROVED, Action.CHANGES_REQUESTED, Action.REJECTED):
        raise ValidationError(
            {"action": _("Choose approve, ask for changes or reject.")}
        )
    # Re-read under the group's lock, which every writer of requests holds.
    request.refresh_from_db()
    if request.status != RequestStatus.PENDING:
        raise ValidationError(
            _("Only a change request awaiting review can be decided.")
        )
    reason = require_reason(action, reason)
    if action == Action.APPROVED:
        _check_change_request(group, request)
        _apply_change_request(group, request, by)
    request.status = action
    if action != Action.CHANGES_REQUESTED:
        request.decided_at = timezone.now()
    request.save()
    review = record_review(group, action, by, reason, change_request=request)
    logger.info("Change request %s %s by user %s", request.pk, action, by.pk)
    return review
