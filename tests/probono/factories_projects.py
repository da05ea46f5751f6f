"""Test data for project workspaces: a request with its team and outsiders."""

import dataclasses
import datetime as dt

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from civic_portal.accounts.models import User
from probono.models import (
    Milestone,
    ProbonoWorker,
    Proposal,
    RequestState,
    SupportRequest,
)
from probono.permissions import CONCIERGE_GROUP
from tests.factories import (
    GroupMembershipFactory,
    ProbonoWorkerFactory,
    SupportRequestFactory,
    UserFactory,
)


def make_concierge(**kwargs) -> User:
    user = UserFactory(preferred_language="en", **kwargs)
    user.groups.add(Group.objects.get(name=CONCIERGE_GROUP))
    return user


class ProposalFactory(factory.django.DjangoModelFactory):
    """An accepted proposal: its worker is a team member of the request."""

    class Meta:
        model = Proposal

    request = factory.SubFactory(SupportRequestFactory)
    worker = factory.SubFactory(ProbonoWorkerFactory)
    status = Proposal.Status.ACCEPTED
    reply_by = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    request = factory.SubFactory(SupportRequestFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=10))


def make_worker(**user_fields) -> ProbonoWorker:
    """Return a worker whose user reads mail in English."""
    user = UserFactory(preferred_language="en", **user_fields)
    return ProbonoWorkerFactory(user=user)


@dataclasses.dataclass
class Project:
    """A request at *state* with staff, a concierge, two team members and outsiders."""

    request: SupportRequest
    staff: User
    concierge: User
    member: ProbonoWorker
    second_member: ProbonoWorker
    pending_worker: ProbonoWorker
    declined_worker: ProbonoWorker
    other_project_worker: ProbonoWorker
    stranger: User


def make_project(state: str = RequestState.KICKOFF) -> Project:
    concierge = make_concierge(full_name="Concierge Chiyo")
    request = SupportRequestFactory(
        state=state,
        concierge=concierge,
        contact_name="Hanako Contact",
        contact_email="contact@example.jp",
        contact_phone="083-000-0000",
    )

    staff = GroupMembershipFactory(
        group=request.group,
        user=UserFactory(full_name="Staff Saburo", preferred_language="en"),
    ).user
    member = make_worker(full_name="Member Misaki", phone="090-1111-2222")
    second_member = make_worker(full_name="Member Makoto", phone="090-3333-4444")
    ProposalFactory(request=request, worker=member)
    ProposalFactory(request=request, worker=second_member)

    pending_worker = make_worker(full_name="Pending Pete")
    ProposalFactory(request=request, worker=pending_worker, status="pending")
    declined_worker = make_worker(full_name="Declined Dan")
    ProposalFactory(request=request, worker=declined_worker, status="declined")

    other_project_worker = make_worker(full_name="Other Otto")
    ProposalFactory(
        request=SupportRequestFactory(state=state), worker=other_project_worker
    )
    stranger = UserFactory(full_name="Stranger Sato", preferred_language="en")

    return Project(
        request=request,
        staff=staff,
        concierge=concierge,
        member=member,
        second_member=second_member,
        pending_worker=pending_worker,
        declined_worker=declined_worker,
        other_project_worker=other_project_worker,
        stranger=stranger,
    )


def member_user(worker: ProbonoWorker) -> User:
    assert worker.user is not None
    return worker.user
