import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from probono.models import Interest, Proposal, RequestEvent, RequestState
from probono.services import proposals
from probono.tasks.proposals import lapse_expired_proposals
from tests.factories import ProbonoWorkerFactory, SupportRequestFactory, UserFactory
from tests.probono.factories_proposals import (
    InterestFactory,
    ProposalFactory,
    make_concierge,
)

pytestmark = pytest.mark.django_db

S = RequestState


@pytest.fixture
def concierge(db):
    return make_concierge()


@pytest.fixture
def worker(db):
    return ProbonoWorkerFactory(
        user=UserFactory(email="worker@example.jp", preferred_language="en"),
        max_projects=1,
    )


@pytest.fixture
def searching(group):
    return SupportRequestFactory(group=group, state=S.SEARCHING)


def test_propose_moves_searching_to_proposed(searching, worker, concierge):
    proposal = proposals.propose(
        searching, worker, concierge, message=" Your web skills fit. ", reply_days=5
    )

    searching.refresh_from_db()
    assert searching.state == S.PROPOSED
    event = RequestEvent.objects.get(request=searching)
    assert (event.from_state, event.to_state) == (S.SEARCHING, S.PROPOSED)
    assert event.actor == concierge
    assert proposal.status == "pending"
    assert proposal.proposed_by == concierge
    assert proposal.message == "Your web skills fit."
    expected_deadline = timezone.now() + dt.timedelta(days=5)
    assert abs(proposal.reply_by - expected_deadline) < dt.timedelta(minutes=1)
    assert 0 < proposal.score <= 100
    assert set(proposal.score_parts) == {
        "skills",
        "availability",
        "work_mode",
        "fields",
        "load",
    }
    assert proposal.score == sum(p["points"] for p in proposal.score_parts.values())


def test_propose_mails_worker_with_deadline(
    searching, worker, concierge, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposal = proposals.propose(searching, worker, concierge, reply_days=7)

    to_worker = [m for m in mail.outbox if m.to == ["worker@example.jp"]]
    assert len(to_worker) == 1
    assert searching.title in to_worker[0].subject
    assert "Please accept or decline by" in to_worker[0].body
    assert f"/probono/proposals/{proposal.pk}/" in to_worker[0].body


def test_second_proposal_keeps_state(searching, worker, concierge):
    other = ProbonoWorkerFactory(max_projects=2)
    proposals.propose(searching, worker, concierge)

    proposals.propose(searching, other, concierge)

    searching.refresh_from_db()
    assert searching.state == S.PROPOSED
    assert RequestEvent.objects.filter(request=searching).count() == 1


def test_propose_refused_without_capacity(group, worker, concierge):
    ProposalFactory(worker=worker, status="accepted")

    with pytest.raises(ValidationError) as refused:
        proposals.propose(
            SupportRequestFactory(group=group, state=S.SEARCHING), worker, concierge
        )

    assert refused.value.code == "no_capacity"
    assert refused.value.messages == [
        "This worker already has 1 of 1 projects at a time, "
        "so they cannot take on another one now."
    ]
    assert Proposal.objects.filter(worker=worker).count() == 1


@pytest.mark.parametrize(
    ("status", "state", "counts"),
    [
        ("pending", S.PROPOSED, True),
        ("accepted", S.IN_PROGRESS, True),
        ("accepted", S.ON_HOLD, True),
        ("accepted", S.DELIVERED, False),
        ("accepted", S.EVALUATED, False),
        ("accepted", S.CLOSED, False),
        ("pending", S.CANCELLED, False),
        ("declined", S.PROPOSED, False),
        ("lapsed", S.PROPOSED, False),
        ("withdrawn", S.PROPOSED, False),
    ],
)
def test_load_counts(worker, status, state, counts):
    ProposalFactory(worker=worker, status=status, request__state=state)

    assert proposals.load_of(worker) == (1 if counts else 0)
    assert proposals.has_capacity(worker) is not counts
    annotated = proposals.annotate_load(type(worker).objects.filter(pk=worker.pk))
    assert annotated.get().load == proposals.load_of(worker)


def test_propose_refused_twice(searching, worker, concierge):
    worker.max_projects = 3
    worker.save()
    proposals.propose(searching, worker, concierge)

    with pytest.raises(ValidationError) as refused:
        proposals.propose(searching, worker, concierge)

    assert refused.value.code == "already_proposed"


def test_propose_after_decline_allowed(searching, worker, concierge):
    ProposalFactory(request=searching, worker=worker, status="declined")

    proposal = proposals.propose(searching, worker, concierge)

    assert proposal.status == "pending"


@pytest.mark.parametrize("state", [S.RECEIVED, S.HEARING, S.TEAM_FORMED, S.CLOSED])
def test_propose_refused_in_state(group, worker, concierge, state):
    support_request = SupportRequestFactory(group=group, state=state)

    with pytest.raises(ValidationError) as refused:
        proposals.propose(support_request, worker, concierge)

    assert refused.value.code == "wrong_state"


@pytest.mark.parametrize("status", ["paused", "deleted"])
def test_propose_refused_for_inactive_worker(searching, worker, concierge, status):
    worker.status = status
    worker.save()

    with pytest.raises(ValidationError) as refused:
        proposals.propose(searching, worker, concierge)

    assert refused.value.code == "worker_not_active"


def test_propose_needs_concierge(searching, worker, group_staff):
    with pytest.raises(ValidationError) as refused:
        proposals.propose(searching, worker, group_staff)

    assert refused.value.code == "role_not_allowed"
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("days", [0, 31])
def test_propose_reply_days_range(searching, worker, concierge, days):
    with pytest.raises(ValidationError) as refused:
        proposals.propose(searching, worker, concierge, reply_days=days)

    assert refused.value.message_dict == {
        "reply_days": ["Give the worker between 1 and 30 days to reply."]
    }


def test_accept_mails_concierge(worker, concierge, django_capture_on_commit_callbacks):
    proposal = ProposalFactory(worker=worker, proposed_by=concierge)

    with django_capture_on_commit_callbacks(execute=True):
        proposals.accept(proposal, worker.user, note=" Happy to help. ")

    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    assert proposal.reply_note == "Happy to help."
    assert proposal.replied_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [concierge.email]
    assert "Proposal accepted" in mail.outbox[0].subject
    assert "Happy to help." in mail.outbox[0].body


def test_accept_within_full_capacity(worker):
    # The pending proposal already fills max_projects=1; accepting it is fine.
    proposal = ProposalFactory(worker=worker)

    proposals.accept(proposal, worker.user)

    assert proposal.status == "accepted"
    assert proposals.load_of(worker) == 1


def test_accept_rechecks_capacity(worker):
    ProposalFactory(worker=worker, status="accepted")
    # Created directly, as if max_projects had been lowered after proposing.
    proposal = ProposalFactory(worker=worker)

    with pytest.raises(ValidationError) as refused:
        proposals.accept(proposal, worker.user)

    assert refused.value.code == "no_capacity"
    proposal.refresh_from_db()
    assert proposal.status == "pending"


@pytest.mark.parametrize("state", [S.ON_HOLD, S.CANCELLED, S.KICKOFF])
def test_accept_needs_open_request(worker, state):
    proposal = ProposalFactory(worker=worker, request__state=state)

    with pytest.raises(ValidationError) as refused:
        proposals.accept(proposal, worker.user)

    assert refused.value.code == "request_not_open"


def test_accept_by_other_worker_refused(worker):
    proposal = ProposalFactory(worker=worker)
    other = ProbonoWorkerFactory()

    with pytest.raises(ValidationError) as refused:
        proposals.accept(proposal, other.user)

    assert refused.value.code == "not_your_proposal"


def test_accept_after_deadline_refused(worker):
    proposal = ProposalFactory(
        worker=worker, reply_by=timezone.now() - dt.timedelta(minutes=1)
    )

    with pytest.raises(ValidationError) as refused:
        proposals.accept(proposal, worker.user)

    assert refused.value.code == "deadline_passed"


def test_accept_when_paused_refused(worker):
    proposal = ProposalFactory(worker=worker)
    worker.status = "paused"
    worker.save()

    with pytest.raises(ValidationError) as refused:
        proposals.accept(proposal, worker.user)

    assert refused.value.code == "worker_not_active"


def test_decline_with_reason(worker, concierge, django_capture_on_commit_callbacks):
    proposal = ProposalFactory(worker=worker, proposed_by=concierge)

    with django_capture_on_commit_callbacks(execute=True):
        proposals.decline(proposal, worker.user, reason="Too busy this month.")

    proposal.refresh_from_db()
    assert proposal.status == "declined"
    assert proposal.reply_note == "Too busy this month."
    assert mail.outbox[0].to == [concierge.email]
    assert "Proposal declined" in mail.outbox[0].subject
    assert proposals.load_of(worker) == 0


def test_decline_twice_refused(worker):
    proposal = ProposalFactory(worker=worker)
    proposals.decline(proposal, worker.user)

    with pytest.raises(ValidationError) as refused:
        proposals.decline(proposal, worker.user)

    assert refused.value.code == "not_pending"


def test_answer_mail_falls_back_to_request_concierge(
    worker, concierge, django_capture_on_commit_callbacks
):
    gone = make_concierge("gone@example.jp")
    gone.is_active = False
    gone.save()
    proposal = ProposalFactory(
        worker=worker, proposed_by=gone, request__concierge=concierge
    )

    with django_capture_on_commit_callbacks(execute=True):
        proposals.accept(proposal, worker.user)

    assert [m.to for m in mail.outbox] == [[concierge.email]]


def test_withdraw_by_concierge_mails_the_worker(
    worker, concierge, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(worker=worker)

    with django_capture_on_commit_callbacks(execute=True):
        proposals.withdraw(proposal, concierge)

    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    assert proposals.has_capacity(worker)
    assert [m.to for m in mail.outbox] == [["worker@example.jp"]]
    assert "Proposal withdrawn" in mail.outbox[0].subject
    assert "concierge has withdrawn" in mail.outbox[0].body


def test_withdraw_refused_for_worker_and_staff(worker, group_staff):
    proposal = ProposalFactory(worker=worker)

    for user in (worker.user, group_staff):
        with pytest.raises(ValidationError) as refused:
            proposals.withdraw(proposal, user)
        assert refused.value.code == "role_not_allowed"
    proposal.refresh_from_db()
    assert proposal.status == "pending"


def test_withdraw_accepted_refused(worker, concierge):
    proposal = ProposalFactory(worker=worker, status="accepted")

    with pytest.raises(ValidationError) as refused:
        proposals.withdraw(proposal, concierge)

    assert refused.value.code == "not_pending"


def test_lapse_expired_once_with_mail(
    worker, concierge, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(worker=worker, proposed_by=concierge)
    later = proposal.reply_by + dt.timedelta(seconds=1)
    fresh = ProposalFactory(
        worker=ProbonoWorkerFactory(), reply_by=later + dt.timedelta(days=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert proposals.lapse_expired(now=proposal.reply_by) == []
        assert proposals.lapse_expired(now=later) == [proposal.pk]
        assert proposals.lapse_expired(now=later) == []

    proposal.refresh_from_db()
    fresh.refresh_from_db()
    assert proposal.status == "lapsed"
    assert fresh.status == "pending"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["worker@example.jp"]
    assert "Proposal lapsed" in mail.outbox[0].subject
    assert proposals.has_capacity(worker)


def test_lapse_task_uses_current_time(worker, django_capture_on_commit_callbacks):
    proposal = ProposalFactory(worker=worker)
    Proposal.objects.filter(pk=proposal.pk).update(
        reply_by=timezone.now() - dt.timedelta(hours=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert lapse_expired_proposals() == 1
        assert lapse_expired_proposals() == 0
    assert len(mail.outbox) == 1


def test_lapse_mail_sent_once_on_retry(worker):
    from probono.tasks.proposals import send_proposal_lapsed

    proposal = ProposalFactory(worker=worker, status="lapsed")

    assert send_proposal_lapsed(proposal.pk) == 1
    assert send_proposal_lapsed(proposal.pk) == 0
    assert len(mail.outbox) == 1


def test_interest_express_and_withdraw(searching, worker):
    interest = proposals.express_interest(searching, worker.user, note=" I can help ")
    again = proposals.express_interest(searching, worker.user, note="Evenings")

    assert again.pk == interest.pk
    assert Interest.objects.get().note == "Evenings"
    assert proposals.withdraw_interest(searching, worker.user) is True
    assert proposals.withdraw_interest(searching, worker.user) is False
    assert not Interest.objects.exists()


def test_interest_needs_open_request(group, worker):
    closed = SupportRequestFactory(group=group, state=S.TEAM_FORMED)

    with pytest.raises(ValidationError) as refused:
        proposals.express_interest(closed, worker.user)

    assert refused.value.code == "request_not_open"


def test_interest_needs_active_worker(searching, worker, resident):
    worker.status = "paused"
    worker.save()

    for user in (worker.user, resident):
        with pytest.raises(ValidationError) as refused:
            proposals.express_interest(searching, user)
        assert refused.value.code == "worker_not_active"


def test_open_requests_states(group):
    for state in S.values:
        SupportRequestFactory(group=group, state=state)

    states = set(proposals.open_requests().values_list("state", flat=True))

    assert states == {S.HEARING, S.SEARCHING, S.PROPOSED}


def test_interest_factory_default(db):
    interest = InterestFactory()

    assert interest.request.state == S.SEARCHING
