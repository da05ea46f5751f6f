import pytest
from rest_framework.test import APIClient

from probono.models import Interest, Proposal, RequestState
from tests.factories import ProbonoWorkerFactory, SupportRequestFactory, UserFactory
from tests.probono.factories_proposals import (
    InterestFactory,
    ProposalFactory,
    make_concierge,
)

pytestmark = pytest.mark.django_db

S = RequestState
PROPOSALS = "/api/probono/proposals/"
INTERESTS = "/api/probono/interests/"
OPEN_REQUESTS = "/api/probono/open-requests/"


def candidates_url(support_request):
    return f"/api/probono/requests/{support_request.pk}/candidates/"


@pytest.fixture
def api():
    client = APIClient()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def concierge(db):
    return make_concierge()


@pytest.fixture
def support_request(group):
    return SupportRequestFactory(
        group=group, state=S.SEARCHING, contact_email="contact-person@example.jp"
    )


@pytest.fixture
def worker(db):
    return ProbonoWorkerFactory(
        user=UserFactory(email="worker@example.jp", full_name="Kenji Sato")
    )


@pytest.fixture
def other_worker(db):
    return ProbonoWorkerFactory(user=UserFactory(email="other-worker@example.jp"))


@pytest.fixture
def proposal(support_request, worker, concierge):
    support_request.state = S.PROPOSED
    support_request.save()
    return ProposalFactory(
        request=support_request, worker=worker, proposed_by=concierge
    )


def test_concierge_proposes(api, concierge, support_request, worker):
    api.force_authenticate(concierge)

    response = api.post(
        PROPOSALS,
        {"request": support_request.pk, "worker": worker.pk, "reply_days": 3},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["worker"] == worker.pk
    assert body["worker_name"] == "Kenji Sato"
    assert body["status"] == "pending"
    assert [part["key"] for part in body["score_parts"]] == [
        "skills",
        "availability",
        "work_mode",
        "fields",
        "load",
    ]
    assert body["score"] == sum(part["points"] for part in body["score_parts"])
    support_request.refresh_from_db()
    assert support_request.state == S.PROPOSED


def test_propose_without_capacity_400(api, concierge, support_request, worker):
    ProposalFactory(worker=worker, status="accepted")
    api.force_authenticate(concierge)

    response = api.post(
        PROPOSALS,
        {"request": support_request.pk, "worker": worker.pk},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "This worker already has 1 of 1 projects at a time, "
        "so they cannot take on another one now."
    }


def test_propose_bad_reply_days_400(api, concierge, support_request, worker):
    api.force_authenticate(concierge)

    response = api.post(
        PROPOSALS,
        {"request": support_request.pk, "worker": worker.pk, "reply_days": 99},
        format="json",
    )

    assert response.status_code == 400
    assert "reply_days" in response.json()


@pytest.mark.parametrize("who", ["group_staff", "worker"])
def test_propose_refused_to_others(api, support_request, worker, request, who):
    user = request.getfixturevalue(who)
    api.force_authenticate(getattr(user, "user", user))

    response = api.post(
        PROPOSALS,
        {"request": support_request.pk, "worker": worker.pk},
        format="json",
    )

    assert response.status_code == 403
    assert not Proposal.objects.exists()


def test_anonymous_refused(api, proposal, support_request):
    assert api.get(PROPOSALS).status_code == 403
    assert api.post(f"{PROPOSALS}{proposal.pk}/accept/").status_code == 403
    assert api.get(candidates_url(support_request)).status_code == 403
    assert api.get(OPEN_REQUESTS).status_code == 403
    assert api.get(INTERESTS).status_code == 403


def test_worker_lists_own_only(api, worker, proposal, other_worker):
    ProposalFactory(worker=other_worker)
    api.force_authenticate(worker.user)

    response = api.get(PROPOSALS)

    body = response.json()
    assert [row["id"] for row in body["results"]] == [proposal.pk]
    row = body["results"][0]
    assert row["request"]["title"] == proposal.request.title
    assert row["contact"] is None
    assert "score_parts" not in row
    assert "contact-person@example.jp" not in response.content.decode()


def test_concierge_lists_all_by_request(api, concierge, proposal, other_worker):
    ProposalFactory(worker=other_worker)
    api.force_authenticate(concierge)

    response = api.get(PROPOSALS, {"request": proposal.request_id})

    assert [row["id"] for row in response.json()["results"]] == [proposal.pk]


def test_list_queries_bounded(api, concierge, worker, django_assert_max_num_queries):
    for _ in range(10):
        ProposalFactory(worker=worker)
    for user in (concierge, worker.user):
        api.force_authenticate(user)
        with django_assert_max_num_queries(10):
            response = api.get(PROPOSALS)
        assert response.json()["count"] == 10


def test_group_staff_sees_no_proposals(api, group_staff, proposal):
    api.force_authenticate(group_staff)

    assert api.get(PROPOSALS).json()["count"] == 0
    assert api.get(f"{PROPOSALS}{proposal.pk}/").status_code == 404


def test_worker_accepts_and_sees_contact(api, worker, proposal):
    api.force_authenticate(worker.user)

    response = api.post(
        f"{PROPOSALS}{proposal.pk}/accept/", {"note": "Glad to"}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "accepted"
    assert body["reply_note"] == "Glad to"
    assert body["contact"]["email"] == "contact-person@example.jp"


def test_worker_declines(api, worker, proposal):
    api.force_authenticate(worker.user)

    response = api.post(
        f"{PROPOSALS}{proposal.pk}/decline/", {"note": "Busy"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    proposal.refresh_from_db()
    assert proposal.reply_note == "Busy"


@pytest.mark.parametrize("action", ["accept", "decline"])
def test_reply_by_other_worker_not_found(api, other_worker, proposal, action):
    api.force_authenticate(other_worker.user)

    response = api.post(f"{PROPOSALS}{proposal.pk}/{action}/")

    assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == "pending"


@pytest.mark.parametrize("action", ["accept", "decline"])
def test_reply_by_concierge_forbidden(api, concierge, proposal, action):
    api.force_authenticate(concierge)

    response = api.post(f"{PROPOSALS}{proposal.pk}/{action}/")

    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "pending"


def test_accept_without_capacity_400(api, worker, proposal):
    ProposalFactory(worker=worker, status="accepted")
    api.force_authenticate(worker.user)

    response = api.post(f"{PROPOSALS}{proposal.pk}/accept/")

    assert response.status_code == 400
    assert "You already have 1 of 1 projects" in response.json()["detail"]


def test_concierge_withdraws(api, concierge, proposal):
    api.force_authenticate(concierge)

    response = api.post(f"{PROPOSALS}{proposal.pk}/withdraw/")

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"


def test_worker_cannot_withdraw(api, worker, proposal):
    api.force_authenticate(worker.user)

    response = api.post(f"{PROPOSALS}{proposal.pk}/withdraw/")

    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "pending"


def test_candidates_for_concierge(api, concierge, support_request, worker):
    InterestFactory(request=support_request, worker=worker)
    api.force_authenticate(concierge)

    response = api.get(candidates_url(support_request))

    assert response.status_code == 200
    row = response.json()["results"][0]
    assert row["worker"] == worker.pk
    assert row["name"] == "Kenji Sato"
    assert row["interested"] is True
    assert row["score"] == sum(part["points"] for part in row["parts"])
    assert row["parts"][0]["label"] == "Skills"


@pytest.mark.parametrize("who", ["group_staff", "worker", "resident"])
def test_candidates_refused_to_others(api, support_request, request, who):
    user = request.getfixturevalue(who)
    api.force_authenticate(getattr(user, "user", user))

    response = api.get(candidates_url(support_request))

    assert response.status_code == 403


def test_candidates_unknown_request_404(api, concierge):
    api.force_authenticate(concierge)

    assert api.get("/api/probono/requests/999999/candidates/").status_code == 404


def test_candidates_queries_bounded(
    api, concierge, support_request, django_assert_max_num_queries
):
    for _ in range(12):
        ProbonoWorkerFactory()
    api.force_authenticate(concierge)

    with django_assert_max_num_queries(12):
        response = api.get(candidates_url(support_request))

    assert response.json()["count"] == 12


def test_open_requests_for_workers(api, worker, support_request, group):
    SupportRequestFactory(group=group, state=S.CLOSED)
    api.force_authenticate(worker.user)

    response = api.get(OPEN_REQUESTS)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [support_request.pk]
    assert "contact_email" not in rows[0]
    assert "contact-person@example.jp" not in response.content.decode()
    assert rows[0]["municipality"] == group.municipality.name_en


@pytest.mark.parametrize("who", ["resident", "group_staff", "concierge"])
def test_open_requests_refused_to_non_workers(api, request, who):
    api.force_authenticate(request.getfixturevalue(who))

    assert api.get(OPEN_REQUESTS).status_code == 403


def test_interest_create_list_delete(api, worker, support_request, other_worker):
    InterestFactory(worker=other_worker)
    api.force_authenticate(worker.user)

    created = api.post(
        INTERESTS, {"request": support_request.pk, "note": "Evenings"}, format="json"
    )
    listed = api.get(INTERESTS)

    assert created.status_code == 201
    assert created.json()["worker"] == worker.pk
    assert [row["id"] for row in listed.json()["results"]] == [created.json()["id"]]
    deleted = api.delete(f"{INTERESTS}{created.json()['id']}/")
    assert deleted.status_code == 204
    assert not Interest.objects.filter(worker=worker).exists()


def test_interest_in_closed_request_400(api, worker, group):
    closed = SupportRequestFactory(group=group, state=S.CLOSED)
    api.force_authenticate(worker.user)

    response = api.post(INTERESTS, {"request": closed.pk}, format="json")

    assert response.status_code == 400
    assert response.json() == {"detail": "This request is no longer open for interest."}


@pytest.mark.parametrize("with_request", [True, False])
def test_interest_by_non_worker_403(api, resident, support_request, with_request):
    api.force_authenticate(resident)
    body = {"request": support_request.pk} if with_request else {}

    response = api.post(INTERESTS, body, format="json")

    assert response.status_code == 403
    assert not Interest.objects.exists()


def test_interest_by_paused_worker_400(api, worker, support_request):
    worker.status = worker.Status.PAUSED
    worker.save(update_fields=["status"])
    api.force_authenticate(worker.user)

    response = api.post(INTERESTS, {"request": support_request.pk}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Only active pro bono workers can say they are interested."
    }


def test_interest_of_other_worker_not_deletable(api, worker, other_worker):
    interest = InterestFactory(worker=other_worker)
    api.force_authenticate(worker.user)

    assert api.delete(f"{INTERESTS}{interest.pk}/").status_code == 404
    assert Interest.objects.filter(pk=interest.pk).exists()


def test_concierge_lists_interests_of_request(api, concierge, support_request):
    mine = InterestFactory(request=support_request)
    InterestFactory()
    api.force_authenticate(concierge)

    response = api.get(INTERESTS, {"request": support_request.pk})

    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
