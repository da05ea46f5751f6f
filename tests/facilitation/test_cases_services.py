"""Collaboration case rules: visibility, the stage table, agreement, invitations."""

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from facilitation.models import (
    CaseParty,
    CaseStage,
    CaseStageChange,
    CollaborationCase,
    FacilitatorAppointment,
    Principle,
)
from facilitation.services import cases as case_services
from tests.facilitation.factories import (
    PartnerFactory,
    chief_facilitator,
    municipal_centre,
    prefectural_centre,
    regional_facilitator,
)
from tests.factories import CivicGroupFactory, UserFactory, centre_staff

pytestmark = pytest.mark.django_db

S = CaseStage

ALL_AGREE = {p.value: (True, "") for p in Principle}

ALLOWED = {
    (S.CONSULTATION, S.MATCHING),
    (S.CONSULTATION, S.DISCONTINUED),
    (S.MATCHING, S.CONSULTATION),
    (S.MATCHING, S.AGREEMENT),
    (S.MATCHING, S.DISCONTINUED),
    (S.AGREEMENT, S.MATCHING),
    (S.AGREEMENT, S.IN_PROGRESS),
    (S.AGREEMENT, S.DISCONTINUED),
    (S.IN_PROGRESS, S.COMPLETED),
    (S.IN_PROGRESS, S.DISCONTINUED),
}
EVERY_PAIR = list(itertools.product(S.values, S.values))


@pytest.fixture
def regional():
    return regional_facilitator("regional@example.jp", centre=municipal_centre(0))


@pytest.fixture
def other_regional():
    return regional_facilitator("other@example.jp", centre=municipal_centre(1))


@pytest.fixture
def chief():
    return chief_facilitator()


@pytest.fixture
def case(regional):
    return case_services.open_case(
        user=regional.user,
        centre=municipal_centre(0),
        title="子ども食堂と地元企業の協働",
        shared_goal="地域の子どもに温かい食事を届ける",
    )


def add_agreeing_parties(case, user):
    group_party = case_services.add_party(
        case, user, group=CivicGroupFactory(), role="運営", contribution="調理"
    )
    partner_party = case_services.add_party(
        case, user, partner=PartnerFactory(), role="食材提供", contribution="野菜"
    )
    for party in (group_party, partner_party):
        case_services.record_principle_answers(party, user, ALL_AGREE)
    return group_party, partner_party


def put_in_stage(case, stage):
    CollaborationCase.objects.filter(pk=case.pk).update(stage=stage)
    case.refresh_from_db()


def test_stage_table_matches_allowed_pairs():
    assert case_services.TRANSITIONS == ALLOWED


@pytest.mark.parametrize(("from_stage", "to_stage"), EVERY_PAIR)
def test_every_stage_pair(case, regional, from_stage, to_stage):
    add_agreeing_parties(case, regional.user)
    put_in_stage(case, from_stage)

    if (from_stage, to_stage) in ALLOWED:
        case_services.transition(case, to_stage, regional.user, note="理由")
        case.refresh_from_db()
        assert case.stage == to_stage
        last = case.stage_changes.last()
        assert (last.from_stage, last.to_stage) == (from_stage, to_stage)
        assert last.actor == regional.user
    else:
        with pytest.raises(ValidationError) as raised:
            case_services.transition(case, to_stage, regional.user, note="理由")
        assert raised.value.code == "transition_not_allowed"
        case.refresh_from_db()
        assert case.stage == from_stage


def test_opening_records_first_step(case, regional):
    change = CaseStageChange.objects.get(case=case)

    assert case.stage == S.CONSULTATION
    assert case.facilitator == regional
    assert (change.from_stage, change.to_stage) == ("", S.CONSULTATION)


def test_opening_needs_current_centre(regional):
    with pytest.raises(ValidationError) as raised:
        case_services.open_case(
            user=regional.user,
            centre=municipal_centre(1),
            title="t",
            shared_goal="g",
        )

    assert "centre" in raised.value.message_dict


def test_opening_needs_facilitator():
    with pytest.raises(ValidationError) as raised:
        case_services.open_case(
            user=UserFactory(), centre=municipal_centre(0), title="t", shared_goal="g"
        )

    assert raised.value.code == "not_facilitator"


def test_ended_appointment_cannot_open(regional):
    FacilitatorAppointment.objects.filter(facilitator=regional).update(
        ends_on=dt.date(2020, 12, 31)
    )

    with pytest.raises(ValidationError):
        case_services.open_case(
            user=regional.user, centre=municipal_centre(0), title="t", shared_goal="g"
        )


def test_discontinuing_needs_reason(case, regional):
    with pytest.raises(ValidationError) as raised:
        case_services.transition(case, S.DISCONTINUED, regional.user, note="  ")

    assert raised.value.message_dict == {
        "note": ["Give a reason for discontinuing the case."]
    }
    case.refresh_from_db()
    assert case.stage == S.CONSULTATION


def test_discontinuing_keeps_reason(case, regional):
    case_services.transition(case, S.DISCONTINUED, regional.user, note="予算不足")

    case.refresh_from_db()
    assert case.discontinued_reason == "予算不足"
    assert case.stage_changes.last().note == "予算不足"


def test_agreement_needs_two_parties(case, regional):
    party = case_services.add_party(
        case, regional.user, group=CivicGroupFactory(), role="r", contribution="c"
    )
    case_services.record_principle_answers(party, regional.user, ALL_AGREE)
    put_in_stage(case, S.MATCHING)

    with pytest.raises(ValidationError) as raised:
        case_services.transition(case, S.AGREEMENT, regional.user)

    assert raised.value.error_list[0].code == "too_few_parties"


def test_agreement_needs_every_answer(case, regional):
    group_party, partner_party = add_agreeing_parties(case, regional.user)
    partner_party.principle_answers.filter(
        principle=Principle.OPEN_INFORMATION
    ).delete()
    put_in_stage(case, S.MATCHING)

    with pytest.raises(ValidationError) as raised:
        case_services.transition(case, S.AGREEMENT, regional.user)

    messages = raised.value.messages
    assert len(messages) == 1
    assert partner_party.name in messages[0]
    assert group_party.name not in messages[0]
    case.refresh_from_db()
    assert case.stage == S.MATCHING


def test_agreement_needs_every_party_agreeing(case, regional):
    group_party, _partner_party = add_agreeing_parties(case, regional.user)
    answers = {**ALL_AGREE, Principle.MUTUAL_INDEPENDENCE.value: (False, "検討中")}
    case_services.record_principle_answers(group_party, regional.user, answers)
    put_in_stage(case, S.MATCHING)

    with pytest.raises(ValidationError) as raised:
        case_services.transition(case, S.AGREEMENT, regional.user)

    assert raised.value.error_list[0].code == "principle_not_agreed"
    assert group_party.name in raised.value.messages[0]


def test_agreement_with_every_answer(case, regional):
    add_agreeing_parties(case, regional.user)
    put_in_stage(case, S.MATCHING)

    case_services.transition(case, S.AGREEMENT, regional.user)

    assert case.stage == S.AGREEMENT


def test_answers_must_cover_all_principles(case, regional):
    party = case_services.add_party(
        case, regional.user, group=CivicGroupFactory(), role="r", contribution="c"
    )
    partial = {Principle.EQUAL_FOOTING.value: (True, "")}

    with pytest.raises(ValidationError) as raised:
        case_services.record_principle_answers(party, regional.user, partial)

    assert raised.value.code == "answers_missing"
    assert not party.principle_answers.exists()


def test_answers_replaced_on_second_recording(case, regional):
    party = case_services.add_party(
        case, regional.user, group=CivicGroupFactory(), role="r", contribution="c"
    )
    case_services.record_principle_answers(party, regional.user, ALL_AGREE)
    disagree = {p.value: (False, "再検討") for p in Principle}

    case_services.record_principle_answers(party, regional.user, disagree)

    assert party.principle_answers.count() == 5
    assert not party.principle_answers.filter(agrees=True).exists()


def test_party_is_group_or_partner(case, regional):
    with pytest.raises(ValidationError) as neither:
        case_services.add_party(case, regional.user, role="r", contribution="c")
    with pytest.raises(ValidationError) as both:
        case_services.add_party(
            case,
            regional.user,
            group=CivicGroupFactory(),
            partner=PartnerFactory(),
            role="r",
            contribution="c",
        )

    assert neither.value.code == "group_or_partner"
    assert both.value.code == "group_or_partner"
    assert not CaseParty.objects.exists()


def test_party_added_once(case, regional):
    group = CivicGroupFactory(name="やまぐち子ども食堂")
    case_services.add_party(
        case, regional.user, group=group, role="r", contribution="c"
    )

    with pytest.raises(ValidationError) as raised:
        case_services.add_party(
            case, regional.user, group=group, role="r2", contribution="c2"
        )

    assert raised.value.messages == [
        "やまぐち子ども食堂 already takes part in this case."
    ]


def test_closed_case_takes_no_party(case, regional):
    put_in_stage(case, S.COMPLETED)

    with pytest.raises(ValidationError) as raised:
        case_services.add_party(
            case, regional.user, group=CivicGroupFactory(), role="r", contribution="c"
        )

    assert raised.value.code == "case_closed"


def test_visibility_by_role(case, regional, other_regional, chief):
    stranger = UserFactory()
    own_centre_staff = centre_staff(UserFactory(), scope="municipal")
    prefecture_staff = centre_staff(UserFactory(), scope="prefecture")

    def sees(user):
        return case_services.visible_cases(user).filter(pk=case.pk).exists()

    assert sees(regional.user)
    assert sees(chief.user)
    assert sees(own_centre_staff)
    assert not sees(other_regional.user)
    assert not sees(stranger)
    # The prefectural centre's staff see the prefectural centre's cases only.
    assert not sees(prefecture_staff)


def test_invited_facilitator_sees_case(case, regional, other_regional):
    party = case_services.add_party(
        case, regional.user, group=CivicGroupFactory(), role="r", contribution="c"
    )

    case_services.invite_facilitator(
        case, regional.user, facilitator=other_regional, requested_by_party=party
    )

    assert case_services.visible_cases(other_regional.user).get() == case
    assert not case_services.can_manage(other_regional.user, case)
    assert case_services.can_add_notes(other_regional.user, case)


def test_invited_facilitator_not_listed_again(case, regional, other_regional):
    case_services.invite_facilitator(case, regional.user, facilitator=other_regional)

    assert case_services.visible_cases(other_regional.user).exists()
    assert case_services.invitable_facilitators(case).count() == 0


def test_cannot_invite_own_centre_or_chief(case, regional, chief):
    colleague = regional_facilitator("colleague@example.jp", centre=municipal_centre(0))

    for facilitator in (colleague, chief):
        with pytest.raises(ValidationError) as raised:
            case_services.invite_facilitator(
                case, regional.user, facilitator=facilitator
            )
        assert list(raised.value.message_dict) == ["facilitator"]


def test_invitee_cannot_invite(case, regional, other_regional):
    third = regional_facilitator("third@example.jp", centre=municipal_centre(2))
    case_services.invite_facilitator(case, regional.user, facilitator=other_regional)

    with pytest.raises(ValidationError) as raised:
        case_services.invite_facilitator(case, other_regional.user, facilitator=third)

    assert raised.value.code == "not_case_manager"


def test_other_centre_cannot_move_stage(case, other_regional):
    with pytest.raises(ValidationError) as raised:
        case_services.transition(case, S.MATCHING, other_regional.user)

    assert raised.value.code == "not_case_manager"


def test_centre_staff_read_only(case):
    staff = centre_staff(UserFactory(), scope="municipal")

    assert not case_services.can_manage(staff, case)
    assert not case_services.can_add_notes(staff, case)
    assert case_services.allowed_targets(case, staff) == []


def test_chief_manages_every_case(case, chief):
    case_services.transition(case, S.MATCHING, chief.user)

    assert case.stage == S.MATCHING


def test_chief_opens_at_prefectural_centre(chief):
    case = case_services.open_case(
        user=chief.user, centre=prefectural_centre(), title="t", shared_goal="g"
    )

    assert case.centre == prefectural_centre()


def test_note_needs_body(case, regional):
    with pytest.raises(ValidationError) as raised:
        case_services.add_note(
            case, regional.user, held_on=timezone.localdate(), body=" "
        )

    assert raised.value.message_dict == {"body": ["Write the notes."]}


def test_note_dated_today_accepted(case, regional):
    note = case_services.add_note(
        case, regional.user, held_on=timezone.localdate(), body="面談"
    )

    assert note.held_on == timezone.localdate()


def test_note_in_future_rejected(case, regional):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    with pytest.raises(ValidationError) as raised:
        case_services.add_note(case, regional.user, held_on=tomorrow, body="面談")

    assert raised.value.error_dict["held_on"][0].code == "note_in_future"
    assert list(raised.value.message_dict) == ["held_on"]
    assert tomorrow.isoformat() in raised.value.message_dict["held_on"][0]
    assert not case.notes.exists()


def test_note_before_opening_rejected(case, regional):
    CollaborationCase.objects.filter(pk=case.pk).update(
        created_at=timezone.now() - dt.timedelta(days=10)
    )
    case.refresh_from_db()
    opened_on = timezone.localdate(case.created_at)

    with pytest.raises(ValidationError) as raised:
        case_services.add_note(
            case,
            regional.user,
            held_on=opened_on - dt.timedelta(days=1),
            body="面談",
        )
    note = case_services.add_note(case, regional.user, held_on=opened_on, body="面談")

    assert raised.value.error_dict["held_on"][0].code == "note_before_opening"
    assert opened_on.isoformat() in raised.value.message_dict["held_on"][0]
    assert note.held_on == opened_on


def test_note_bounds_use_japan_time(case, settings):
    """At 20:00 UTC it is already the next day in Japan, so that day is allowed."""
    settings.TIME_ZONE = "UTC"
    late_evening = dt.datetime(2026, 5, 1, 20, 0, tzinfo=dt.UTC)
    CollaborationCase.objects.filter(pk=case.pk).update(created_at=late_evening)
    case.refresh_from_db()

    opened_on, _today = case_services.note_date_bounds(case)

    assert opened_on == dt.date(2026, 5, 2)


def test_administrator_reads_every_case(case):
    admin = UserFactory(is_staff=True, is_superuser=True)

    assert list(case_services.visible_cases(admin)) == [case]
    assert not case_services.can_manage(admin, case)
    assert not case_services.can_add_notes(admin, case)
