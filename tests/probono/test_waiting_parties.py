import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from probono.models import Evaluation, RequestState, SupportRequest
from probono.services import workflow
from probono.services.workflow import Role
from probono.tasks import send_overdue_reminders
from tests.factories import GroupMembershipFactory, SupportRequestFactory
from tests.probono.factories_case_studies import team_member
from tests.probono.factories_proposals import ProposalFactory, make_concierge

pytestmark = pytest.mark.django_db


def evaluate(request, worker=None):
    Evaluation.objects.create(
        request=request,
        party="worker" if worker else "group",
        worker=worker,
        rating=5,
    )


def make_overdue(request, days):
    SupportRequest.objects.filter(pk=request.pk).update(
        state_changed_at=timezone.now() - dt.timedelta(days=days)
    )


def test_proposed_waits_on_workers():
    request = SupportRequestFactory(state=RequestState.PROPOSED)
    ProposalFactory(request=request)

    assert workflow.waits_on(request) == {Role.WORKER}


def test_proposed_without_pending_waits_on_concierge():
    request = SupportRequestFactory(state=RequestState.PROPOSED)
    ProposalFactory(request=request, status="declined")

    assert workflow.waits_on(request) == {Role.CONCIERGE}
    assert workflow.waiting_workers(request) == []


def test_delivered_waits_on_evaluators():
    request = SupportRequestFactory(state=RequestState.DELIVERED)
    first, second = team_member(request), team_member(request)

    assert workflow.waits_on(request) == {Role.GROUP_STAFF, Role.WORKER}

    evaluate(request)
    evaluate(request, first)

    assert workflow.waits_on(request) == {Role.WORKER}
    assert workflow.waiting_workers(request) == [second]

    evaluate(request, second)

    assert workflow.waits_on(request) == {Role.CONCIERGE}


def test_board_shows_worker_role(client, django_assert_max_num_queries):
    concierge = make_concierge()
    for _ in range(3):
        ProposalFactory(request__concierge=concierge)
        delivered = SupportRequestFactory(state=RequestState.DELIVERED)
        team_member(delivered)
    client.force_login(concierge)

    with django_assert_max_num_queries(20):
        response = client.get(reverse("probono:board"))

    columns = {column["state"]: column for column in response.context["columns"]}
    proposed_rows = columns[RequestState.PROPOSED]["rows"]
    delivered_rows = columns[RequestState.DELIVERED]["rows"]
    assert [row.waits_on for row in proposed_rows] == [["worker"]] * 3
    assert [row.waits_on for row in delivered_rows] == [["group_staff", "worker"]] * 3
    assert "Worker" in response.content.decode()


def test_board_worker_role_in_japanese(japanese_client):
    concierge = make_concierge()
    concierge.preferred_language = "ja"
    concierge.save(update_fields=["preferred_language"])
    ProposalFactory(request__concierge=concierge)
    japanese_client.force_login(concierge)

    response = japanese_client.get(reverse("probono:board"))

    assert "<td>ワーカー</td>" in response.content.decode()


def test_overdue_proposal_reminds_worker():
    concierge = make_concierge()
    proposal = ProposalFactory(
        request__concierge=concierge, worker__user__preferred_language="en"
    )
    make_overdue(proposal.request, days=8)

    assert send_overdue_reminders() == 1
    assert mail.outbox[0].to == [proposal.worker.user.email]
    assert reverse("probono:proposal_detail", args=[proposal.pk]) in mail.outbox[0].body


def test_overdue_delivery_reminds_evaluators(group):
    staff = GroupMembershipFactory(group=group).user
    request = SupportRequestFactory(state=RequestState.DELIVERED, group=group)
    done, waiting = team_member(request), team_member(request)
    evaluate(request, done)
    make_overdue(request, days=15)

    assert send_overdue_reminders() == 2
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([staff.email, waiting.user.email])
    worker_mail = next(m for m in mail.outbox if m.to == [waiting.user.email])
    assert reverse("probono:project_workspace", args=[request.pk]) in worker_mail.body


def test_state_mail_reaches_team_only(group):
    from probono.tasks import send_request_state_changed

    concierge = make_concierge()
    request = SupportRequestFactory(
        state=RequestState.IN_PROGRESS, group=group, concierge=concierge
    )
    member = team_member(request)
    pending = ProposalFactory(request=request)
    declined = ProposalFactory(request=request, status="declined")
    event = workflow.transition(
        request, RequestState.DELIVERED, concierge, on_commit=lambda event: None
    )

    send_request_state_changed(event.pk)

    recipients = {message.to[0] for message in mail.outbox}
    assert member.user.email in recipients
    assert pending.worker.user.email not in recipients
    assert declined.worker.user.email not in recipients
    member_mail = next(m for m in mail.outbox if m.to == [member.user.email])
    assert reverse("probono:project_workspace", args=[request.pk]) in member_mail.body
