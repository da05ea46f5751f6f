"""Demo applications awaiting review, one sent back, and an open change request.

The demo resident applies for the groups below and the staff account of
the first demo group asks to rename it, so the review queue has work in
it. Rows are found again by name, so a second run creates nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from civic_portal.accounts.models import User
from groups.models import (
    ActivityField,
    CivicGroup,
    GroupChangeRequest,
    GroupMembership,
    GroupReview,
    Municipality,
)
from volunteering.demo import DEMO_ACCOUNTS

logger = logging.getLogger(__name__)

Report = Callable[[str], None]

ReviewStatus = CivicGroup.ReviewStatus

# Name, reading, municipality code, activity field numbers, review status,
# and the reviewer's reason for a request for changes.
APPLICATIONS = (
    (
        "椹野川クリーンアップの会",
        "ふしのがわくりーんあっぷのかい",
        "35203",
        (7,),
        ReviewStatus.PENDING,
        "",
    ),
    (
        "周南こども読書の会",
        "しゅうなんこどもどくしょのかい",
        "35215",
        (2, 13),
        ReviewStatus.PENDING,
        "",
    ),
    (
        "萩まちなか歴史ガイドの会",
        "はぎまちなかれきしがいどのかい",
        "35204",
        (3, 6),
        ReviewStatus.CHANGES_REQUESTED,
        "活動の頻度と会則の有無を書き加えてください。",
    ),
)


def _demo_user(label: str) -> User | None:
    emails = [account.email for account in DEMO_ACCOUNTS if label in account.email]
    return User.objects.filter(email__in=emails).first()


def _create_application(
    applicant: User,
    name: str,
    kana: str,
    code: str,
    field_numbers: tuple[int, ...],
    review_status: str,
    reason: str,
) -> None:
    now = timezone.now()
    group = CivicGroup.objects.create(
        name=name,
        name_kana=kana,
        legal_form=CivicGroup.LegalForm.VOLUNTARY,
        representative=applicant.full_name,
        municipality=Municipality.objects.get(code=code),
        description=f"{name}の登録申請です。",
        contact_name=applicant.full_name,
        contact_email=applicant.email,
        declared_conditions_at=now,
        review_status=review_status,
        created_by=applicant,
    )
    group.activity_fields.set(ActivityField.objects.filter(number__in=field_numbers))
    GroupMembership.objects.create(
        group=group, user=applicant, role=GroupMembership.Role.ADMIN
    )
    GroupReview.objects.create(
        group=group, action=GroupReview.Action.SUBMITTED, actor=applicant
    )
    if review_status == ReviewStatus.CHANGES_REQUESTED:
        GroupReview.objects.create(
            group=group, action=GroupReview.Action.CHANGES_REQUESTED, reason=reason
        )


def _load_change_request() -> int:
    staff = _demo_user("staff@")
    membership = (
        GroupMembership.objects.filter(user=staff, group__review_status="approved")
        .select_related("group")
        .order_by("group_id")
        .first()
    )
    if membership is None or membership.group.change_requests.exists():
        return 0
    request = GroupChangeRequest.objects.create(
        group=membership.group,
        name=f"{membership.group.name}（新名称）",
        note="総会で名称の変更を決めました。",
        requested_by=staff,
    )
    GroupReview.objects.create(
        group=membership.group,
        change_request=request,
        action=GroupReview.Action.SUBMITTED,
        actor=staff,
    )
    return 1


@transaction.atomic
def load_registration_demo(*, report: Report) -> dict[str, int]:
    """Create the demo applications and change request that do not exist yet."""
    applicant = _demo_user("resident@")
    created = 0
    if applicant is not None:
        existing = set(
            CivicGroup.objects.filter(
                name__in=[row[0] for row in APPLICATIONS]
            ).values_list("name", flat=True)
        )
        for row in APPLICATIONS:
            if row[0] not in existing:
                _create_application(applicant, *row)
                created += 1
    change_requests = _load_change_request()
    report(
        f"Registration demo: {created} applications and "
        f"{change_requests} change requests created"
    )
    return {"applications": created, "change requests": change_requests}
