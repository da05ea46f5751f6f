"""Applications to register a group, and their review by centre staff.

A resident applies; the group is created awaiting review and the
applicant becomes its first admin. Centre staff responsible for the
group's municipality approve, ask for changes (the applicant edits and
resubmits) or reject. Every step writes a GroupReview row and mails the
applicant once the transaction commits. Only approved groups are public.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic_portal.accounts.models import User
from groups.models import (
    ActivityField,
    CivicGroup,
    GroupChangeRequest,
    GroupMembership,
    GroupReview,
)
from groups.normalize import name_key
from groups.permissions import can_review

from .lifecycle import change_status, lock_group, today_in_japan

logger = logging.getLogger(__name__)

ReviewStatus = CivicGroup.ReviewStatus
Action = GroupReview.Action

# The four conditions of a civic group that an applicant declares, each
# with its own checkbox.
CONDITIONS = {
    "organised": gettext_lazy(
        "The group carries on its activity in an organised and continuing way: "
        "it has rules and is not a one-off."
    ),
    "not_religious": gettext_lazy("Its main purpose is not to spread a religion."),
    "not_political": gettext_lazy(
        "Its main purpose is not to promote or oppose a political cause, nor to "
        "back or oppose candidates for public office or political parties."
    ),
    "not_for_profit": gettext_lazy("It does not work for profit."),
}

# The fields of an application, in form order; activity fields are a
# many-to-many relation and travel separately.
REGISTRATION_FIELDS = (
    "name",
    "name_kana",
    "legal_form",
    "corporate_number",
    "representative",
    "municipality",
    "postal_code",
    "address",
    "founded_on",
    "member_count",
    "description",
    "website",
    "social_links",
    "public_email",
    "public_phone",
    "contact_name",
    "contact_email",
    "contact_phone",
)


def check_corporate_number(
    *, legal_form: str, corporate_number: str, exclude_group_id: int | None = None
) -> None:
    """Raise ValidationError unless the number suits the form and is unused.

    The number's format and check digit are checked by the model field's
    validator; this checks the rules that depend on other rows and fields.
    """
    if legal_form in CivicGroup.CORPORATE_FORMS and not corporate_number:
        raise ValidationError(
            {
                "corporate_number": _(
                    "A corporation must give its 13-digit corporate number."
                )
            }
        )
    if not corporate_number:
        return
    # A rejected application frees its number, as the database constraint
    # unique_corporate_number does.
    taken = CivicGroup.objects.filter(corporate_number=corporate_number).exclude(
        review_status=ReviewStatus.REJECTED
    )
    if exclude_group_id is not None:
        taken = taken.exclude(pk=exclude_group_id)
    if taken.exists():
        raise ValidationError(
            {
                "corporate_number": _(
                    "A group with this corporate number is already registered. "
                    "Ask its staff to invite you, or contact a support centre."
                )
            }
        )


# Review states in which a group's name blocks an application for the same
# name in its municipality. A rejected application frees the name.
NAME_TAKEN_STATUSES = (
    ReviewStatus.APPROVED,
    ReviewStatus.PENDING,
    ReviewStatus.CHANGES_REQUESTED,
)


def groups_named_like(name: str, groups: QuerySet[CivicGroup]) -> list[CivicGroup]:
    """Return the groups among *groups* whose name has the same name_key.

    The key (NFKC, case and spaces ignored) cannot be computed in SQL, so
    the names are compared here. Narrow *groups* first where possible.
    """
    key = name_key(name)
    matching_ids = [
        pk for pk, other in groups.values_list("pk", "name") if name_key(other) == key
    ]
    return list(
        CivicGroup.objects.filter(pk__in=matching_ids)
        .select_related("municipality")
        .order_by("pk")
    )


def check_duplicate_name(
    *, name: str, municipality_id: int | None, exclude_group_id: int | None = None
) -> None:
    """Raise ValidationError if the municipality has a group of the same name.

    Approved groups and open applications count; rejected ones do not.
    """
    if not name or municipality_id is None:
        return
    others = CivicGroup.objects.filter(
        municipality_id=municipality_id, review_status__in=NAME_TAKEN_STATUSES
    )
    if exclude_group_id is not None:
        others = others.exclude(pk=exclude_group_id)
    if groups_named_like(name, others):
        raise ValidationError(
            {
                "name": _(
                    "A group with this name is already registered or awaiting "
                    "review in this municipality. If you belong to it, ask one "
                    "of its admins to invite you by e-mail from the group's "
                    "staff page, or contact a support centre."
                )
            }
        )


def possible_duplicates(group: CivicGroup) -> list[CivicGroup]:
    """Return the other groups in the prefecture with the same name_key."""
    return groups_named_like(group.name, CivicGroup.objects.exclude(pk=group.pk))


def _apply_fields(
    group: CivicGroup, fields: Mapping[str, Any], names: Iterable[str]
) -> None:
    for name in names:
        if name in fields:
            setattr(group, name, fields[name])


def _check_application(group: CivicGroup, *, declared_conditions: bool) -> None:
    if not declared_conditions:
        raise ValidationError(
            _("Declare that the group meets each of the four conditions.")
        )
    check_corporate_number(
        legal_form=group.legal_form,
        corporate_number=group.corporate_number,
        exclude_group_id=group.pk,
    )
    check_duplicate_name(
        name=group.name,
        municipality_id=group.municipality_id,
        exclude_group_id=group.pk,
    )


def record_review(
    group: CivicGroup,
    action: str,
    actor: User,
    reason: str = "",
    change_request: GroupChangeRequest | None = None,
) -> GroupReview:
    """Write a GroupReview row and mail the person it concerns after commit."""
    review = GroupReview.objects.create(
        group=group,
        change_request=change_request,
        action=action,
        reason=reason,
        actor=actor,
    )
    from groups.tasks.registration import send_review_mail

    review_id = review.pk
    # robust: a mail failure after commit is logged, not raised into the request.
    transaction.on_commit(lambda: send_review_mail.delay(review_id), robust=True)
    return review


@transaction.atomic
def submit_registration(
    *,
    applicant: User,
    fields: Mapping[str, Any],
    activity_fields: Iterable[ActivityField],
    declared_conditions: bool,
) -> CivicGroup:
    """Create a group awaiting review, with *applicant* as its first admin."""
    group = CivicGroup(
        created_by=applicant,
        review_status=ReviewStatus.PENDING,
        status=CivicGroup.Status.ACTIVE,
    )
    _apply_fields(group, fields, REGISTRATION_FIELDS)
    _check_application(group, declared_conditions=declared_conditions)
    group.declared_conditions_at = timezone.now()
    group.save()
    group.activity_fields.set(activity_fields)
    GroupMembership.objects.create(
        group=group, user=applicant, role=GroupMembership.Role.ADMIN
    )
    record_review(group, Action.SUBMITTED, applicant)
    logger.info("Group %s applied for registration by user %s", group.pk, applicant.pk)
    return group


@transaction.atomic
def update_application(
    *,
    group_id: int,
    by: User,
    fields: Mapping[str, Any],
    activity_fields: Iterable[ActivityField],
    declared_conditions: bool,
) -> CivicGroup:
    """Change an application that is not decided yet.

    An application sent back with a request for changes goes back to the
    review queue; one still awaiting review only changes.
    """
    group = lock_group(group_id)
    if not group.is_staff_member(by):
        raise PermissionDenied
    if group.review_status not in (
        ReviewStatus.PENDING,
        ReviewStatus.CHANGES_REQUESTED,
    ):
        raise ValidationError(
            _("This application has been decided and can no longer be changed.")
        )
    _apply_fields(group, fields, REGISTRATION_FIELDS)
    _check_application(group, declared_conditions=declared_conditions)
    group.declared_conditions_at = timezone.now()
    resubmitted = group.review_status == ReviewStatus.CHANGES_REQUESTED
    group.review_status = ReviewStatus.PENDING
    group.save()
    group.activity_fields.set(activity_fields)
    if resubmitted:
        record_review(group, Action.SUBMITTED, by)
    logger.info(
        "Application of group %s changed by user %s (resubmitted: %s)",
        group.pk,
        by.pk,
        resubmitted,
    )
    return group


def require_reason(action: str, reason: str) -> str:
    """Return *reason* stripped; asking for changes and rejecting need one."""
    reason = reason.strip()
    if action in (Action.CHANGES_REQUESTED, Action.REJECTED) and not reason:
        raise ValidationError(
            {"reason": _("Give the reason, so that the applicant knows what to do.")}
        )
    return reason


@transaction.atomic
def decide_registration(
    *, group_id: int, by: User, action: str, reason: str = ""
) -> GroupReview:
    """Approve an application, ask for changes or reject it.

    Approval makes the group public from today (Japan time) and records
    its first status, active, from the same day.
    """
    group = lock_group(group_id)
    if not can_review(by, group):
        raise PermissionDenied
    if action not in (Action.APPROVED, Action.CHANGES_REQUESTED, Action.REJECTED):
        raise ValidationError(
            {"action": _("Choose approve, ask for changes or reject.")}
        )
    if group.review_status != ReviewStatus.PENDING:
        raise ValidationError(
            _(
                "Only an application awaiting review can be decided. "
                "Its review status is now: %(status)s."
            )
            % {"status": group.get_review_status_display()}
        )
    reason = require_reason(action, reason)
    group.review_status = action
    if action == Action.APPROVED:
        today = today_in_japan()
        group.approved_at = timezone.now()
        group.registered_on = today
        group.save()
        change_status(group, CivicGroup.Status.ACTIVE, today, by)
    else:
        group.save()
    review = record_review(group, action, by, reason)
    logger.info("Application of group %s %s by user %s", group.pk, action, by.pk)
    return review
