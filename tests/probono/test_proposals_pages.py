import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from probono.models import Interest, Proposal, RequestState
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
def support_request(group):
    return SupportRequestFactory(
        group=group,
        state=S.SEARCHING,
        contact_email="contact-person@example.jp",
        contact_phone="083-000-0000",
    )


@pytest.fixture
def worker(db):
    return ProbonoWorkerFactory(
        user=UserFactory(
            email="worker@example.jp", full_name="Kenji Sato", preferred_language="en"
        )
    )


@pytest.fixture
def other_worker(db):
    return ProbonoWorkerFactory(
        user=UserFactory(email="other-worker@example.jp", full_name="Aiko Mori")
    )


@pytest.fixture
def proposal(support_request, worker, concierge):
    support_request.state = S.PROPOSED
    support_request.save()
    return ProposalFactory(
        request=support_request,
        worker=worker,
        proposed_by=concierge,
        message="Your web skills fit well.",
    )


def user_of(request, who):
    """Return the user behind a fixture: a user, or a worker's user."""
    value = request.getfixturevalue(who)
    return getattr(value, "user", value)


def login_url(path):
    return f"{reverse('accounts:login')}?next={path}"


# --- Candidates and proposing ------------------------------------------------


def test_candidates_ranked_with_parts(client, concierge, support_request, worker):
    InterestFactory(request=support_request, worker=worker, note="I know this area")
    client.force_login(concierge)

    response = client.get(
        reverse("probono:proposal_candidates", args=[support_request.pk])
    )

    assert response.status_code == 200
    candidates = response.context["candidates"]
    assert [c.worker for c in candidates] == [worker]
    content = response.content.decode()
    assert "Kenji Sato" in content
    assert "Interested" in content
    assert "I know this area" in content
    assert "Has 1 of 1 skills needed" in content
    assert 'name="reply_days" value="7"' in content


@pytest.mark.parametrize("who", ["group_staff", "worker", "resident"])
def test_candidates_refused_to_others(client, support_request, request, who):
    client.force_login(user_of(request, who))

    response = client.get(
        reverse("probono:proposal_candidates", args=[support_request.pk])
    )

    assert response.status_code == 403


def test_candidates_anonymous_redirected(client, support_request):
    path = reverse("probono:proposal_candidates", args=[support_request.pk])

    response = client.get(path)

    assert response.status_code == 302
    assert response.url == login_url(path)


def test_candidates_queries_bounded(
    client, concierge, support_request, django_assert_max_num_queries
):
    for n in range(15):
        worker = ProbonoWorkerFactory(max_projects=2)
        if n % 2:
            InterestFactory(request=support_request, worker=worker)
    client.force_login(concierge)

    with django_assert_max_num_queries(16):
        response = client.get(
            reverse("probono:proposal_candidates", args=[support_request.pk])
        )

    assert len(response.context["candidates"]) == 15


def test_candidates_in_japanese(japanese_client, support_request, worker):
    concierge = make_concierge("ja-concierge@example.jp")
    concierge.preferred_language = "ja"
    concierge.save()
    japanese_client.force_login(concierge)

    response = japanese_client.get(
        reverse("probono:proposal_candidates", args=[support_request.pk])
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="ja"' in content
    assert "コンシェルジュボード" in content


def test_propose_from_page(
    client, concierge, support_request, worker, django_capture_on_commit_callbacks
):
    from django.core import mail

    client.force_login(concierge)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("probono:proposal_new", args=[support_request.pk]),
            {"worker": worker.pk, "message": "Please help", "reply_days": "10"},
        )

    assert response.status_code == 302
    assert response.url == reverse(
        "probono:proposal_candidates", args=[support_request.pk]
    )
    proposal = Proposal.objects.get()
    assert proposal.worker == worker
    assert proposal.message == "Please help"
    assert proposal.reply_by > timezone.now() + dt.timedelta(days=9)
    support_request.refresh_from_db()
    assert support_request.state == S.PROPOSED
    assert "worker@example.jp" in [m.to[0] for m in mail.outbox]


def test_propose_bad_days_keeps_input(client, concierge, support_request, worker):
    client.force_login(concierge)

    response = client.post(
        reverse("probono:proposal_new", args=[support_request.pk]),
        {"worker": worker.pk, "message": "Keep this text", "reply_days": "0"},
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "Keep this text" in content
    assert "Ensure this value is greater than or equal to 1." in content
    assert not Proposal.objects.exists()


def test_propose_without_capacity_explains(client, concierge, support_request):
    full = ProbonoWorkerFactory(max_projects=1)
    ProposalFactory(worker=full, status="accepted")
    client.force_login(concierge)

    response = client.post(
        reverse("probono:proposal_new", args=[support_request.pk]),
        {"worker": full.pk, "message": "Still try", "reply_days": "7"},
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "already has 1 of 1 projects at a time" in content
    assert "Still try" in content
    assert Proposal.objects.filter(request=support_request).count() == 0


@pytest.mark.parametrize("who", ["group_staff", "worker"])
def test_propose_refused_to_others(client, support_request, worker, request, who):
    client.force_login(user_of(request, who))

    response = client.post(
        reverse("probono:proposal_new", args=[support_request.pk]),
        {"worker": worker.pk, "reply_days": "7"},
    )

    assert response.status_code == 403
    assert not Proposal.objects.exists()


# --- Request detail section --------------------------------------------------


def test_detail_lists_proposals_for_concierge(client, concierge, proposal):
    client.force_login(concierge)

    response = client.get(reverse("probono:request_detail", args=[proposal.request_id]))

    content = response.content.decode()
    assert "Kenji Sato" in content
    assert "Waiting for reply" in content
    assert reverse("probono:proposal_withdraw", args=[proposal.pk]) in content
    assert reverse("probono:proposal_candidates", args=[proposal.request_id]) in (
        content
    )


def test_detail_shows_staff_only_accepted_names(
    client, group_staff, proposal, other_worker
):
    ProposalFactory(request=proposal.request, worker=other_worker, status="accepted")
    client.force_login(group_staff)

    response = client.get(reverse("probono:request_detail", args=[proposal.request_id]))

    content = response.content.decode()
    assert "Aiko Mori" in content
    assert "Kenji Sato" not in content
    assert "other-worker@example.jp" not in content
    assert "Match score" not in content


def test_detail_queries_bounded(
    client, concierge, proposal, django_assert_max_num_queries
):
    for _ in range(10):
        ProposalFactory(request=proposal.request)
    client.force_login(concierge)

    with django_assert_max_num_queries(20):
        response = client.get(
            reverse("probono:request_detail", args=[proposal.request_id])
        )

    assert response.status_code == 200


def test_withdraw_from_page(client, concierge, proposal):
    client.force_login(concierge)

    response = client.post(reverse("probono:proposal_withdraw", args=[proposal.pk]))

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"


@pytest.mark.parametrize("who", ["group_staff", "worker"])
def test_withdraw_refused_to_others(client, proposal, request, who):
    client.force_login(user_of(request, who))

    response = client.post(reverse("probono:proposal_withdraw", args=[proposal.pk]))

    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "pending"


def test_withdraw_anonymous_redirected(client, proposal):
    path = reverse("probono:proposal_withdraw", args=[proposal.pk])

    response = client.post(path)

    assert response.status_code == 302
    assert response.url == login_url(path)


# --- The worker's side -------------------------------------------------------


def test_my_page_lists_pending_with_deadline(client, worker, proposal):
    ProposalFactory(worker=worker, status="declined")
    client.force_login(worker.user)

    response = client.get(reverse("probono:my_worker"))

    content = response.content.decode()
    assert reverse("probono:proposal_accept", args=[proposal.pk]) in content
    assert reverse("probono:proposal_decline", args=[proposal.pk]) in content
    assert "reply by" in content
    assert "Earlier proposals" in content
    assert "Declined" in content


def test_my_page_queries_bounded(client, worker, django_assert_max_num_queries):
    for _ in range(8):
        ProposalFactory(worker=worker)
    client.force_login(worker.user)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("probono:my_worker"))

    assert response.status_code == 200


def test_my_page_in_japanese(japanese_client, worker, proposal):
    worker.user.preferred_language = "ja"
    worker.user.save()
    japanese_client.force_login(worker.user)

    response = japanese_client.get(reverse("probono:my_worker"))

    content = response.content.decode()
    assert "プロボノワーカー登録" in content
    assert proposal.request.title in content


def test_detail_hides_contact_until_accepted(client, worker, proposal):
    client.force_login(worker.user)
    url = reverse("probono:proposal_detail", args=[proposal.pk])

    before = client.get(url).content.decode()
    client.post(reverse("probono:proposal_accept", args=[proposal.pk]))
    after = client.get(url).content.decode()

    assert "contact-person@example.jp" not in before
    assert "You see the group's contact person after you accept." in before
    assert "Your web skills fit well." in before
    assert "contact-person@example.jp" in after
    assert "083-000-0000" in after


def test_proposal_detail_in_japanese(japanese_client, worker, proposal):
    worker.user.preferred_language = "ja"
    worker.user.save()
    japanese_client.force_login(worker.user)

    response = japanese_client.get(
        reverse("probono:proposal_detail", args=[proposal.pk])
    )

    assert response.status_code == 200
    assert "課題の種類" in response.content.decode()


@pytest.mark.parametrize("who", ["other_worker", "group_staff", "concierge"])
def test_proposal_detail_not_found_for_others(client, proposal, request, who):
    client.force_login(user_of(request, who))

    response = client.get(reverse("probono:proposal_detail", args=[proposal.pk]))

    assert response.status_code == 404


def test_accept_from_page(
    client, worker, proposal, concierge, django_capture_on_commit_callbacks
):
    from django.core import mail

    client.force_login(worker.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("probono:proposal_accept", args=[proposal.pk]),
            {"note": "Glad to"},
        )

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    assert proposal.reply_note == "Glad to"
    assert [m.to for m in mail.outbox] == [[concierge.email]]


def test_decline_from_page(client, worker, proposal):
    client.force_login(worker.user)

    response = client.post(
        reverse("probono:proposal_decline", args=[proposal.pk]),
        {"reason": "No time in March"},
    )

    assert response.status_code == 302
    assert response.url == reverse("probono:my_worker")
    proposal.refresh_from_db()
    assert proposal.status == "declined"
    assert proposal.reply_note == "No time in March"


@pytest.mark.parametrize("action", ["proposal_accept", "proposal_decline"])
@pytest.mark.parametrize("who", ["other_worker", "group_staff"])
def test_reply_refused_to_others(client, proposal, request, who, action):
    client.force_login(user_of(request, who))

    response = client.post(reverse(f"probono:{action}", args=[proposal.pk]))

    assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == "pending"


@pytest.mark.parametrize("action", ["proposal_accept", "proposal_decline"])
def test_reply_anonymous_redirected(client, proposal, action):
    path = reverse(f"probono:{action}", args=[proposal.pk])

    response = client.post(path)

    assert response.status_code == 302
    assert response.url == login_url(path)
    proposal.refresh_from_db()
    assert proposal.status == "pending"


def test_accept_refused_keeps_note(client, worker, proposal):
    ProposalFactory(worker=worker, status="accepted")
    client.force_login(worker.user)

    response = client.post(
        reverse("probono:proposal_accept", args=[proposal.pk]),
        {"note": "I can make time"},
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "You already have 1 of 1 projects at a time." in content
    assert "I can make time" in content
    proposal.refresh_from_db()
    assert proposal.status == "pending"


def test_decline_too_long_reason_keeps_input(client, worker, proposal):
    client.force_login(worker.user)
    reason = "x" * 2001

    response = client.post(
        reverse("probono:proposal_decline", args=[proposal.pk]), {"reason": reason}
    )

    assert response.status_code == 400
    assert reason in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "pending"


# --- Open requests and interest ----------------------------------------------


def test_open_requests_without_contact(client, worker, support_request, group):
    SupportRequestFactory(group=group, state=S.TEAM_FORMED, title="Already staffed")
    client.force_login(worker.user)

    response = client.get(reverse("probono:open_requests"))

    assert response.status_code == 200
    content = response.content.decode()
    assert support_request.title in content
    assert "Already staffed" not in content
    assert "contact-person@example.jp" not in content
    assert support_request.contact_name not in content
    assert "083-000-0000" not in content
    assert str(group.municipality.name_en) in content


def test_open_requests_queries_bounded(
    client, worker, group, django_assert_max_num_queries
):
    for n in range(12):
        item = SupportRequestFactory(group=group, state=S.SEARCHING)
        if n % 2:
            InterestFactory(request=item, worker=worker)
    client.force_login(worker.user)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("probono:open_requests"))

    assert len(response.context["interested"]) == 6


def test_open_requests_in_japanese(japanese_client, worker, support_request):
    worker.user.preferred_language = "ja"
    worker.user.save()
    japanese_client.force_login(worker.user)

    response = japanese_client.get(reverse("probono:open_requests"))

    assert response.status_code == 200
    assert "課題の種類" in response.content.decode()


@pytest.mark.parametrize("who", ["resident", "group_staff", "concierge"])
def test_open_requests_refused_to_non_workers(client, request, who):
    client.force_login(user_of(request, who))

    response = client.get(reverse("probono:open_requests"))

    assert response.status_code == 403


def test_open_requests_anonymous_redirected(client):
    path = reverse("probono:open_requests")

    response = client.get(path)

    assert response.status_code == 302
    assert response.url == login_url(path)


def test_interest_express_and_take_back(client, worker, support_request):
    client.force_login(worker.user)

    response = client.post(
        reverse("probono:interest_express", args=[support_request.pk]),
        {"note": "Evenings work for me"},
    )
    assert response.status_code == 302
    assert Interest.objects.get().note == "Evenings work for me"

    page = client.get(reverse("probono:open_requests")).content.decode()
    assert "You are interested" in page

    response = client.post(
        reverse("probono:interest_withdraw", args=[support_request.pk])
    )
    assert response.status_code == 302
    assert not Interest.objects.exists()


def test_interest_too_long_keeps_input(client, worker, support_request):
    client.force_login(worker.user)
    note = "y" * 2001

    response = client.post(
        reverse("probono:interest_express", args=[support_request.pk]),
        {"note": note},
    )

    assert response.status_code == 400
    assert note in response.content.decode()
    assert not Interest.objects.exists()


def test_paused_worker_cannot_express_interest(client, worker, support_request):
    worker.status = "paused"
    worker.save()
    client.force_login(worker.user)

    response = client.post(
        reverse("probono:interest_express", args=[support_request.pk]),
        {"note": "Hi"},
    )

    assert response.status_code == 400
    assert "Only active pro bono workers can say they are interested." in (
        response.content.decode()
    )
    assert not Interest.objects.exists()


def test_interest_in_closed_request_not_found(client, worker, group):
    closed = SupportRequestFactory(group=group, state=S.CLOSED)
    client.force_login(worker.user)

    response = client.post(reverse("probono:interest_express", args=[closed.pk]))

    assert response.status_code == 404


def test_interest_refused_to_non_worker(client, resident, support_request):
    client.force_login(resident)

    response = client.post(
        reverse("probono:interest_express", args=[support_request.pk])
    )

    assert response.status_code == 403
