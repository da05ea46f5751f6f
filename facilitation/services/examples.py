"""Collaboration examples: drafting, consent per party, publishing.

A manager of a completed case drafts its example, with one row per party
saying what the party did and what it gained. Each party's consent is
recorded by a manager of the case, by the staff of a civic group taking
part, or by a partner's staff member (see represents_party). The example
can be published only while every party's consent is in force, and
withdrawing any consent takes it down at once.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_portal.types import AnyUser
from facilitation.models import (
    CaseParty,
    CaseStage,
    CollaborationCase,
    CollaborationExample,
    ExampleParty,
)
from facilitation.permissions import partners_represented_by
from facilitation.services import cases as case_services
from groups.models import CivicGroup

logger = logging.getLogger(__name__)

# Party id → (what they did, what they gained).
PartyTexts = Mapping[int, tuple[str, str]]


def public_examples() -> QuerySet[CollaborationExample]:
    """Return the published examples, the only ones the public can read."""
    return CollaborationExample.objects.published()


def consent_examples_of(user: AnyUser) -> QuerySet[CollaborationExample]:
    """Return the examples with a party that *user* acts for (represents_party)."""
    groups = CivicGroup.objects.managed_by(user)
    partners = partners_represented_by(user)
    rows = ExampleParty.objects.filter(
        Q(party__group__in=groups) | Q(party__partner__in=partners)
    )
    return CollaborationExample.objects.filter(pk__in=rows.values("example_id"))


def readable_examples(user: AnyUser) -> QuerySet[CollaborationExample]:
    """Return the examples *user* may read, drafts included where allowed.

    Everyone reads published examples. Readers of the case and the people
    who act for a party (represents_party) also read the draft.
    """
    condition = Q(published_at__isnull=False)
    if user.is_authenticated:
        condition |= Q(case__in=case_services.visible_cases(user))
        condition |= Q(pk__in=consent_examples_of(user).values("pk"))
    return CollaborationExample.objects.filter(condition)


def represents_party(user: AnyUser, party: CaseParty) -> bool:
    """Tell whether *user* acts for *party*: staff of its group, or its partner's.

    A partner's staff member is a user whose confirmed e-mail address is
    the partner's contact address (partners_represented_by).
    """
    if party.group is not None:
        return party.group.is_staff_member(user)
    partners = partners_represented_by(user)
    return (
        party.partner_id is not None and partners.filter(pk=party.partner_id).exists()
    )


def can_record_consent(user: AnyUser, row: ExampleParty) -> bool:
    """Tell whether *user* may give or withdraw consent for *row*'s party.

    The case's managers may for every party, and the people who act for a
    party (represents_party) for their own.
    """
    if case_services.can_manage(user, row.example.case):
        return True
    return represents_party(user, row.party)


def _require_manager(user: AnyUser, case: CollaborationCase) -> None:
    if not case_services.can_manage(user, case):
        raise ValidationError(
            _(
                "Only the chief facilitator and the facilitators of the case's "
                "centre may change its example."
            ),
            code="not_case_manager",
        )


def _check_texts(case: CollaborationCase, texts: PartyTexts) -> None:
    party_ids = set(case.parties.values_list("pk", flat=True))
    if set(texts) != party_ids:
        raise ValidationError(
            _("Describe every party of the case, and only those."),
            code="parties_mismatch",
        )
    for did, gained in texts.values():
        if not did.strip() or not gained.strip():
            raise ValidationError(
                _("Say what each party did and what each party gained."),
                code="party_text_missing",
            )


def draft_example(
    case: CollaborationCase,
    user: AnyUser,
    *,
    title: str,
    summary: str,
    texts: PartyTexts,
) -> CollaborationExample:
    """Draft the example of a completed case, unpublished and without consents."""
    _require_manager(user, case)
    if case.stage != CaseStage.COMPLETED:
        raise ValidationError(
            _("Only a completed case can become a collaboration example."),
            code="case_not_completed",
        )
    if CollaborationExample.objects.filter(case=case).exists():
        raise ValidationError(
            _("This case already has an example. Edit that one."),
            code="example_exists",
        )
    _check_texts(case, texts)
    with transaction.atomic():
        example = CollaborationExample.objects.create(
            case=case,
            title=title.strip(),
            summary=summary.strip(),
            created_by_id=user.pk,
        )
        ExampleParty.objects.bulk_create(
            ExampleParty(
                example=example,
                party_id=party_id,
                what_they_did=did.strip(),
                what_they_gained=gained.strip(),
            )
            for party_id, (did, gained) in texts.items()
        )
    logger.info(
        "Example %s drafted for case %s by user %s", example.pk, case.pk, user.pk
    )
    return example


def update_example(
    example: CollaborationExample,
    user: AnyUser,
    *,
    title: str,
    summary: str,
    texts: PartyTexts,
) -> bool:
    """Change an unpublished example's text.

    The parties consented to the text as it was, so a change to it clears
    every consent recorded so far. Returns True when consents were cleared.
    """
    _require_manager(user, example.case)
    if example.is_published:
        raise ValidationError(
            _("Take the example down before changing its text."),
            code="example_published",
        )
    _check_texts(example.case, texts)
    rows = list(example.parties.all())
    new_texts = {
        pk: (did.strip(), gained.strip()) for pk, (did, gained) in texts.items()
    }
    changed = (
        example.title != title.strip()
        or example.summary != summary.strip()
        or any(
            (row.what_they_did, row.what_they_gained) != new_texts[row.party_id]
            for row in rows
        )
    )
    if not changed:
        return False
    cleared = False
    with transaction.atomic():
        example.title = title.strip()
        example.summary = summary.strip()
        example.save(update_fields=["title", "summary", "updated_at"])
        for row in rows:
            row.what_they_did, row.what_they_gained = new_texts[row.party_id]
            if row.consent_given_at is not None:
                cleared = True
            row.consent_given_at = None
            row.consent_given_by = None
            row.consent_withdrawn_at = None
            row.consent_withdrawn_by = None
        ExampleParty.objects.bulk_update(
            rows,
            [
                "what_they_did",
                "what_they_gained",
                "consent_given_at",
                "consent_given_by",
                "consent_withdrawn_at",
                "consent_withdrawn_by",
            ],
        )
    logger.info(
        "Example %s edited by user %s; consents cleared: %s",
        example.pk,
        user.pk,
        cleared,
    )
    return cleared


def _require_consent_recorder(user: AnyUser, row: ExampleParty) -> None:
    if not can_record_consent(user, row):
        raise ValidationError(
            _(
                "Only the case's facilitators, or the staff of the group or "
                "partner taking part, may record this party's consent."
            ),
            code="not_consent_recorder",
        )


def give_consent(row: ExampleParty, user: AnyUser) -> None:
    """Record that *row*'s party consents to publishing the example."""
    _require_consent_recorder(user, row)
    row.consent_given_at = timezone.now()
    row.consent_given_by_id = user.pk
    row.consent_withdrawn_at = None
    row.consent_withdrawn_by = None
    row.save(
        update_fields=[
            "consent_given_at",
            "consent_given_by",
            "consent_withdrawn_at",
            "consent_withdrawn_by",
        ]
    )
    logger.info(
        "Consent of party %s to example %s recorded by user %s",
        row.party_id,
        row.example_id,
        user.pk,
    )


def withdraw_consent(row: ExampleParty, user: AnyUser) -> bool:
    """Record the withdrawal of *row*'s consent and take the example down.

    Returns True when the example was published and is now taken down.
    """
    _require_consent_recorder(user, row)
    if not row.has_consent:
        raise ValidationError(
            _("This party has not given consent, so there is nothing to withdraw."),
            code="no_consent",
        )
    with transaction.atomic():
        example = CollaborationExample.objects.select_for_update().get(
            pk=row.example_id
        )
        row.consent_withdrawn_at = timezone.now()
        row.consent_withdrawn_by_id = user.pk
        row.save(update_fields=["consent_withdrawn_at", "consent_withdrawn_by"])
        taken_down = example.is_published
        if taken_down:
            example.published_at = None
            example.published_by = None
            example.save(update_fields=["published_at", "published_by", "updated_at"])
    row.example.published_at = example.published_at
    logger.info(
        "Consent of party %s to example %s withdrawn by user %s; taken down: %s",
        row.party_id,
        row.example_id,
        user.pk,
        taken_down,
    )
    return taken_down


def missing_consents(example: CollaborationExample) -> list[ExampleParty]:
    """Return the rows whose party has no consent in force."""
    rows = example.parties.select_related("party__group", "party__partner")
    return [row for row in rows if not row.has_consent]


def publish(example: CollaborationExample, user: AnyUser) -> None:
    """Publish *example*, which needs every party's consent in force."""
    _require_manager(user, example.case)
    with transaction.atomic():
        locked = CollaborationExample.objects.select_for_update().get(pk=example.pk)
        if locked.case.stage != CaseStage.COMPLETED:
            raise ValidationError(
                _("Only a completed case can become a collaboration example."),
                code="case_not_completed",
            )
        missing = missing_consents(locked)
        if missing:
            raise ValidationError(
                _("Consent is missing from: %(parties)s.")
                % {"parties": ", ".join(row.party.name for row in missing)},
                code="consent_missing",
            )
        locked.published_at = timezone.now()
        locked.published_by_id = user.pk
        locked.save(update_fields=["published_at", "published_by", "updated_at"])
    example.published_at = locked.published_at
    example.published_by_id = locked.published_by_id
    logger.info("Example %s published by user %s", example.pk, user.pk)


def unpublish(example: CollaborationExample, user: AnyUser) -> None:
    """Take *example* down; consents stay as they are."""
    _require_manager(user, example.case)
    example.published_at = None
    example.published_by = None
    example.save(update_fields=["published_at", "published_by", "updated_at"])
    logger.info("Example %s taken down by user %s", example.pk, user.pk)
