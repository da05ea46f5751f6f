"""Collaboration examples: drafting, the consent rule, publishing, withdrawal."""

import pytest
from django.core.exceptions import ValidationError

from facilitation.models import CaseStage, CollaborationCase, Principle
from facilitation.services import cases as case_services
from facilitation.services import examples as example_services
from tests.facilitation.factories import (
    PartnerFactory,
    municipal_centre,
    regional_facilitator,
)
from tests.factories import CivicGroupFactory, GroupMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def regional():
    return regional_facilitator("regional@example.jp", centre=municipal_centre(0))


@pytest.fixture
def group():
    return CivicGroupFactory(name="里山の会")


@pytest.fixture
def group_staff(group):
    return GroupMembershipFactory(group=group).user


@pytest.fixture
def completed_case(regional, group):
    case = case_services.open_case(
        user=regional.user,
        centre=municipal_centre(0),
        title="里山保全の協働",
        shared_goal="里山を残す",
    )
    for fields in ({"group": group}, {"partner": PartnerFactory(name="山口建設")}):
        party = case_services.add_party(
            case, regional.user, role="r", contribution="c", **fields
        )
        case_services.record_principle_answers(
            party, regional.user, {p.value: (True, "") for p in Principle}
        )
    for stage in (CaseStage.MATCHING, CaseStage.AGREEMENT, CaseStage.IN_PROGRESS):
        case_services.transition(case, stage, regional.user)
    case_services.transition(case, CaseStage.COMPLETED, regional.user)
    return case


def texts_for(case):
    return {party.pk: ("草刈りをした", "仲間が増えた") for party in case.parties.all()}


@pytest.fixture
def example(completed_case, regional):
    return example_services.draft_example(
        completed_case,
        regional.user,
        title="里山を守る協働",
        summary="団体と企業が里山を守った",
        texts=texts_for(completed_case),
    )


def consent_all(example, user):
    for row in example.parties.all():
        example_services.give_consent(row, user)


def test_draft_needs_completed_case(completed_case, regional):
    CollaborationCase.objects.filter(pk=completed_case.pk).update(
        stage=CaseStage.IN_PROGRESS
    )
    completed_case.refresh_from_db()

    with pytest.raises(ValidationError) as raised:
        example_services.draft_example(
            completed_case,
            regional.user,
            title="t",
            summary="s",
            texts=texts_for(completed_case),
        )

    assert raised.value.code == "case_not_completed"


def test_draft_needs_every_party(completed_case, regional):
    first = completed_case.parties.first()

    with pytest.raises(ValidationError) as raised:
        example_services.draft_example(
            completed_case,
            regional.user,
            title="t",
            summary="s",
            texts={first.pk: ("did", "gained")},
        )

    assert raised.value.code == "parties_mismatch"


def test_draft_is_not_public(example):
    assert not example.is_published
    assert example.parties.count() == 2
    assert not example_services.public_examples().exists()


def test_publish_needs_every_consent(example, regional):
    rows = list(example.parties.all())
    example_services.give_consent(rows[0], regional.user)

    with pytest.raises(ValidationError) as raised:
        example_services.publish(example, regional.user)

    assert raised.value.code == "consent_missing"
    assert raised.value.messages == ["Consent is missing from: 山口建設."]
    example.refresh_from_db()
    assert not example.is_published


def test_publish_with_every_consent(example, regional):
    consent_all(example, regional.user)

    example_services.publish(example, regional.user)

    assert list(example_services.public_examples()) == [example]
    example.refresh_from_db()
    assert example.published_by == regional.user


def test_consent_records_who_and_when(example, group_staff):
    row = example.parties.get(party__group__isnull=False)

    example_services.give_consent(row, group_staff)

    row.refresh_from_db()
    assert row.has_consent
    assert row.consent_given_by == group_staff
    assert row.consent_given_at is not None


def test_group_staff_cannot_consent_for_partner(example, group_staff):
    row = example.parties.get(party__partner__isnull=False)

    with pytest.raises(ValidationError) as raised:
        example_services.give_consent(row, group_staff)

    assert raised.value.code == "not_consent_recorder"
    row.refresh_from_db()
    assert not row.has_consent


def test_other_group_staff_cannot_consent(example):
    outsider = GroupMembershipFactory().user
    row = example.parties.get(party__group__isnull=False)

    with pytest.raises(ValidationError):
        example_services.give_consent(row, outsider)


def test_other_centre_facilitator_cannot_consent(example):
    other = regional_facilitator("other@example.jp", centre=municipal_centre(1))

    for row in example.parties.all():
        with pytest.raises(ValidationError):
            example_services.give_consent(row, other.user)


def test_withdrawal_takes_example_down(example, regional, group_staff):
    consent_all(example, regional.user)
    example_services.publish(example, regional.user)
    row = example.parties.get(party__group__isnull=False)

    taken_down = example_services.withdraw_consent(row, group_staff)

    assert taken_down is True
    example.refresh_from_db()
    assert not example.is_published
    assert not example_services.public_examples().exists()
    row.refresh_from_db()
    assert row.consent_withdrawn_by == group_staff
    with pytest.raises(ValidationError):
        example_services.publish(example, regional.user)


def test_consent_again_allows_publishing(example, regional, group_staff):
    consent_all(example, regional.user)
    row = example.parties.get(party__group__isnull=False)
    example_services.withdraw_consent(row, group_staff)

    example_services.give_consent(row, group_staff)
    example_services.publish(example, regional.user)

    row.refresh_from_db()
    assert row.consent_withdrawn_at is None
    assert example.is_published


def test_withdraw_without_consent_rejected(example, regional):
    row = example.parties.first()

    with pytest.raises(ValidationError) as raised:
        example_services.withdraw_consent(row, regional.user)

    assert raised.value.code == "no_consent"


def test_text_change_clears_consents(example, regional):
    consent_all(example, regional.user)
    texts = texts_for(example.case)
    first = next(iter(texts))
    texts[first] = ("別の説明", "別の成果")

    cleared = example_services.update_example(
        example,
        regional.user,
        title=example.title,
        summary=example.summary,
        texts=texts,
    )

    assert cleared is True
    assert all(not row.has_consent for row in example.parties.all())


def test_same_text_keeps_consents(example, regional):
    consent_all(example, regional.user)

    cleared = example_services.update_example(
        example,
        regional.user,
        title=example.title,
        summary=example.summary,
        texts=texts_for(example.case),
    )

    assert cleared is False
    assert all(row.has_consent for row in example.parties.all())


def test_published_example_not_editable(example, regional):
    consent_all(example, regional.user)
    example_services.publish(example, regional.user)

    with pytest.raises(ValidationError) as raised:
        example_services.update_example(
            example, regional.user, title="new", summary="s", texts={}
        )

    assert raised.value.code == "example_published"


def test_readable_examples_by_role(example, regional, group_staff):
    stranger = UserFactory()
    other = regional_facilitator("other@example.jp", centre=municipal_centre(1))

    def reads(user):
        return example_services.readable_examples(user).filter(pk=example.pk).exists()

    assert reads(regional.user)
    assert reads(group_staff)
    assert not reads(stranger)
    assert not reads(other.user)


def partner_row(example):
    return example.parties.select_related("party__partner", "example__case").get(
        party__partner__isnull=False
    )


def partner_staff(example, **user_fields):
    """Return a user whose e-mail address is the partner's contact address."""
    partner = partner_row(example).party.partner
    partner.contact_email = "Tanaka@Yamaguchi-Kensetsu.example.jp"
    partner.save()
    return UserFactory(email="tanaka@yamaguchi-kensetsu.example.jp", **user_fields)


def test_partner_staff_consents_for_partner(example):
    staff = partner_staff(example)
    row = partner_row(example)

    example_services.give_consent(row, staff)

    row.refresh_from_db()
    assert row.has_consent
    assert row.consent_given_by == staff
    assert example in example_services.readable_examples(staff)
    assert example in example_services.consent_examples_of(staff)


def test_partner_staff_cannot_consent_for_group(example):
    staff = partner_staff(example)
    group_row = example.parties.get(party__group__isnull=False)

    with pytest.raises(ValidationError) as raised:
        example_services.give_consent(group_row, staff)

    assert raised.value.code == "not_consent_recorder"


def test_unconfirmed_address_gives_no_rights(example):
    staff = partner_staff(example, email_confirmed=False)

    assert not example_services.can_record_consent(staff, partner_row(example))
    assert example not in example_services.readable_examples(staff)


def test_inactive_partner_gives_no_rights(example):
    staff = partner_staff(example)
    partner = partner_row(example).party.partner
    partner.is_active = False
    partner.save()

    assert not example_services.can_record_consent(staff, partner_row(example))
    assert example not in example_services.consent_examples_of(staff)
