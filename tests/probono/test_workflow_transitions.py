import itertools

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError

from probono.models import Evaluation, RequestEvent, RequestState
from probono.permissions import CONCIERGE_GROUP
from probono.services import projects, workflow
from probono.services.workflow import TRANSITIONS, Role
from tests.factories import SupportRequestFactory, UserFactory
from tests.probono.factories_proposals import ProposalFactory

pytestmark = pytest.mark.django_db

S = RequestState
# The state a held request returns to in these tests.
HELD_FROM = S.SEARCHING


@pytest.fixture
def concierge(db):
    user = UserFactory(email="concierge@example.jp", preferred_language="en")
    user.groups.add(Group.objects.get(name=CONCIERGE_GROUP))
    return user


@pytest.fixture
def support_request(group):
    return SupportRequestFactory(group=group)


def in_state(support_request, state, resume_state=""):
    support_request.state = state
    support_request.resume_state = resume_state
    support_request.save()
    return support_request


def expected_allowed(from_state, to_state):
    if (from_state, to_state) not in TRANSITIONS:
        return False
    if from_state == S.ON_HOLD and to_state != S.CANCELLED:
        return to_state == HELD_FROM
    return True


def no_mail(event):
    pass


def with_accepted_proposal(support_request):
    """Give the request a team member, which "team formed" needs."""
    ProposalFactory(request=support_request, status="accepted")
    return support_request


def with_evaluations(support_request):
    """Record the evaluations that "evaluated" needs: the group's and each member's."""
    Evaluation.objects.create(request=support_request, party="group", rating=5)
    for worker in projects.team_members(support_request):
        Evaluation.objects.create(
            request=support_request, party="worker", worker=worker, rating=5
        )
    return support_request


def test_forward_path_is_in_table():
    path = [
        S.RECEIVED,
        S.HEARING,
        S.SEARCHING,
        S.PROPOSED,
        S.TEAM_FORMED,
        S.KICKOFF,
        S.IN_PROGRESS,
        S.DELIVERED,
        S.EVALUATED,
        S.CLOSED,
    ]
    for from_state, to_state in itertools.pairwise(path):
        assert TRANSITIONS[(from_state, to_state)] == {Role.CONCIERGE}
    assert TRANSITIONS[(S.PROPOSED, S.SEARCHING)] == {Role.CONCIERGE}


def test_final_states_have_no_way_out():
    for from_state, _to_state in TRANSITIONS:
        assert from_state not in (S.CLOSED, S.CANCELLED)


def test_hold_and_cancel_from_every_open_state():
    open_states = set(S) - {S.CLOSED, S.CANCELLED}
    for state in open_states - {S.ON_HOLD}:
        assert (state, S.ON_HOLD) in TRANSITIONS
        assert (S.ON_HOLD, state) in TRANSITIONS
    for state in open_states:
        assert (state, S.CANCELLED) in TRANSITIONS


def test_staff_cancel_only_before_work_starts():
    staff_cancellable = {
        from_state
        for (from_state, to_state), roles in TRANSITIONS.items()
        if to_state == S.CANCELLED and Role.GROUP_STAFF in roles
    }
    assert staff_cancellable == {
        S.RECEIVED,
        S.HEARING,
        S.SEARCHING,
        S.PROPOSED,
        S.TEAM_FORMED,
        S.KICKOFF,
        S.ON_HOLD,
    }


@pytest.mark.parametrize(
    ("from_state", "to_state"),
    list(itertools.product(S.values, S.values)),
)
def test_every_state_pair(support_request, concierge, from_state, to_state):
    resume = HELD_FROM if from_state == S.ON_HOLD else ""
    in_state(support_request, from_state, resume)
    if to_state == S.EVALUATED:
        with_evaluations(support_request)
    if to_state == S.TEAM_FORMED:
        with_accepted_proposal(support_request)

    if expected_allowed(from_state, to_state):
        event = workflow.transition(
            support_request, to_state, concierge, note="reason", on_commit=no_mail
        )
        support_request.refresh_from_db()
        assert support_request.state == to_state
        assert event.from_state == from_state
        assert event.to_state == to_state
    else:
        with pytest.raises(ValidationError) as refused:
            workflow.transition(
                support_request, to_state, concierge, note="reason", on_commit=no_mail
            )
        message = refused.value.messages[0]
        assert str(S(from_state).label) in message
        assert str(S(to_state).label) in message
        support_request.refresh_from_db()
        assert support_request.state == from_state
        assert not RequestEvent.objects.filter(request=support_request).exists()


@pytest.mark.parametrize("status", [None, "pending", "declined", "lapsed"])
def test_team_formed_needs_accepted_proposal(support_request, concierge, status):
    in_state(support_request, S.PROPOSED)
    if status:
        ProposalFactory(request=support_request, status=status)

    with pytest.raises(ValidationError) as refused:
        workflow.transition(
            support_request, S.TEAM_FORMED, concierge, on_commit=no_mail
        )

    assert refused.value.code == "no_accepted_proposal"
    assert refused.value.messages == [
        "The team can be formed only after at least one worker has accepted a proposal."
    ]
    support_request.refresh_from_db()
    assert support_request.state == S.PROPOSED


def test_cancel_withdraws_pending_proposals(support_request, concierge):
    in_state(support_request, S.PROPOSED)
    pending = ProposalFactory(request=support_request)
    accepted = ProposalFactory(request=support_request, status="accepted")
    declined = ProposalFactory(request=support_request, status="declined")

    workflow.transition(
        support_request, S.CANCELLED, concierge, "No longer needed", on_commit=no_mail
    )

    for proposal in (pending, accepted, declined):
        proposal.refresh_from_db()
    assert pending.status == "withdrawn"
    assert accepted.status == "accepted"
    assert declined.status == "declined"


def test_cancel_mails_each_withdrawn_worker_once(
    support_request, concierge, django_capture_on_commit_callbacks
):
    in_state(support_request, S.PROPOSED)
    pending = ProposalFactory(request=support_request)
    pending.worker.user.preferred_language = "en"
    pending.worker.user.save(update_fields=["preferred_language"])
    ProposalFactory(request=support_request, status="accepted")

    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(
            support_request,
            S.CANCELLED,
            concierge,
            "No longer needed",
            on_commit=no_mail,
        )

    assert [m.to for m in mail.outbox] == [[pending.worker.user.email]]
    assert "Proposal withdrawn" in mail.outbox[0].subject
    assert "was cancelled" in mail.outbox[0].body


def test_refused_cancel_keeps_proposals(support_request, concierge):
    in_state(support_request, S.PROPOSED)
    pending = ProposalFactory(request=support_request)

    with pytest.raises(ValidationError):
        workflow.transition(
            support_request, S.CANCELLED, concierge, note="", on_commit=no_mail
        )

    pending.refresh_from_db()
    assert pending.status == "pending"


def test_refusal_message(support_request, concierge):
    in_state(support_request, S.RECEIVED)

    with pytest.raises(ValidationError) as refused:
        workflow.transition(support_request, S.CLOSED, concierge, on_commit=no_mail)

    assert refused.value.messages == [
        "A request cannot move from “Received” to “Closed”."
    ]
    assert refused.value.code == "transition_not_allowed"


def test_unknown_state_rejected(support_request, concierge):
    with pytest.raises(ValidationError):
        workflow.transition(support_request, "lost", concierge, on_commit=no_mail)


def test_group_staff_cannot_move_forward(support_request, group_staff):
    with pytest.raises(ValidationError) as refused:
        workflow.transition(support_request, S.HEARING, group_staff, on_commit=no_mail)

    assert refused.value.code == "role_not_allowed"
    assert "“Received” to “Hearing”" in refused.value.messages[0]
    support_request.refresh_from_db()
    assert support_request.state == S.RECEIVED


def test_outsider_cannot_cancel(support_request, other_group_staff):
    with pytest.raises(ValidationError) as refused:
        workflow.transition(
            support_request, S.CANCELLED, other_group_staff, "x", on_commit=no_mail
        )

    assert refused.value.code == "role_not_allowed"


def test_resident_cannot_hold(support_request, resident):
    with pytest.raises(ValidationError) as refused:
        workflow.transition(support_request, S.ON_HOLD, resident, on_commit=no_mail)

    assert refused.value.code == "role_not_allowed"


@pytest.mark.parametrize(
    "state",
    [S.RECEIVED, S.HEARING, S.SEARCHING, S.PROPOSED, S.TEAM_FORMED, S.KICKOFF],
)
def test_staff_cancel_before_work(support_request, group_staff, state):
    in_state(support_request, state)

    workflow.transition(
        support_request, S.CANCELLED, group_staff, "No longer needed", on_commit=no_mail
    )

    support_request.refresh_from_db()
    assert support_request.state == S.CANCELLED
    assert support_request.cancel_reason == "No longer needed"


@pytest.mark.parametrize("state", [S.IN_PROGRESS, S.DELIVERED, S.EVALUATED])
def test_staff_cannot_cancel_started_work(support_request, group_staff, state):
    in_state(support_request, state)

    with pytest.raises(ValidationError) as refused:
        workflow.transition(
            support_request, S.CANCELLED, group_staff, "late", on_commit=no_mail
        )

    assert refused.value.code == "role_not_allowed"


def test_staff_cancel_on_hold_depends_on_resume_state(support_request, group_staff):
    in_state(support_request, S.ON_HOLD, resume_state=S.IN_PROGRESS)
    with pytest.raises(ValidationError):
        workflow.transition(
            support_request, S.CANCELLED, group_staff, "late", on_commit=no_mail
        )

    in_state(support_request, S.ON_HOLD, resume_state=S.SEARCHING)
    workflow.transition(
        support_request, S.CANCELLED, group_staff, "early", on_commit=no_mail
    )
    support_request.refresh_from_db()
    assert support_request.state == S.CANCELLED


def test_cancel_needs_reason(support_request, concierge):
    with pytest.raises(ValidationError) as refused:
        workflow.transition(
            support_request, S.CANCELLED, concierge, note="  ", on_commit=no_mail
        )

    assert refused.value.message_dict == {
        "note": ["Give a reason for cancelling the request."]
    }
    support_request.refresh_from_db()
    assert support_request.state == S.RECEIVED


def test_hold_and_resume(support_request, concierge):
    in_state(support_request, S.PROPOSED)

    workflow.transition(support_request, S.ON_HOLD, concierge, on_commit=no_mail)
    support_request.refresh_from_db()
    assert support_request.resume_state == S.PROPOSED

    with pytest.raises(ValidationError) as refused:
        workflow.transition(support_request, S.SEARCHING, concierge, on_commit=no_mail)
    assert "“On hold” to “Searching for workers”" in refused.value.messages[0]

    workflow.transition(support_request, S.PROPOSED, concierge, on_commit=no_mail)
    support_request.refresh_from_db()
    assert support_request.state == S.PROPOSED
    assert support_request.resume_state == ""


def test_hearing_takes_request(support_request, concierge):
    workflow.transition(support_request, S.HEARING, concierge, on_commit=no_mail)

    support_request.refresh_from_db()
    assert support_request.concierge == concierge


def test_state_changed_at_moves(support_request, concierge):
    before = support_request.state_changed_at

    workflow.transition(support_request, S.HEARING, concierge, on_commit=no_mail)

    support_request.refresh_from_db()
    assert support_request.state_changed_at > before


def test_history_of_full_path(support_request, concierge):
    path = [
        S.HEARING,
        S.SEARCHING,
        S.PROPOSED,
        S.TEAM_FORMED,
        S.KICKOFF,
        S.IN_PROGRESS,
        S.DELIVERED,
        S.EVALUATED,
        S.CLOSED,
    ]
    with_accepted_proposal(support_request)
    for state in path:
        if state == S.EVALUATED:
            with_evaluations(support_request)
        workflow.transition(
            support_request, state, concierge, note=f"to {state}", on_commit=no_mail
        )

    events = list(support_request.events.all())
    assert [(e.from_state, e.to_state) for e in events] == list(
        itertools.pairwise([S.RECEIVED, *path])
    )
    assert {e.actor for e in events} == {concierge}
    assert events[0].note == "to hearing"


def test_allowed_targets_per_role(support_request, concierge, group_staff):
    assert workflow.allowed_targets(support_request, concierge) == [
        S.HEARING,
        S.ON_HOLD,
        S.CANCELLED,
    ]
    assert workflow.allowed_targets(support_request, group_staff) == [S.CANCELLED]


def test_waits_on(support_request):
    assert workflow.waits_on(support_request) == {Role.CONCIERGE}
    in_state(support_request, S.CLOSED)
    assert workflow.waits_on(support_request) == frozenset()


def test_hearing_notes_only_in_hearing(support_request, concierge):
    with pytest.raises(ValidationError) as refused:
        workflow.record_hearing(support_request, concierge, "notes")
    assert refused.value.code == "wrong_state"

    in_state(support_request, S.HEARING)
    workflow.record_hearing(support_request, concierge, " Needs a new site. ")
    support_request.refresh_from_db()
    assert support_request.hearing_notes == "Needs a new site."


def test_hearing_notes_concierge_only(support_request, group_staff):
    in_state(support_request, S.HEARING)

    with pytest.raises(ValidationError) as refused:
        workflow.record_hearing(support_request, group_staff, "notes")

    assert refused.value.code == "role_not_allowed"
