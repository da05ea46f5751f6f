import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from groups.models import CivicGroup
from probono.models import RequestEvent, RequestState, SupportRequest
from probono.permissions import CONCIERGE_GROUP
from tests.factories import (
    CivicGroupFactory,
    GroupMembershipFactory,
    SupportRequestFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

S = RequestState
LIST_URL = "/api/probono/requests/"


@pytest.fixture
def api():
    client = APIClient()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def concierge(db):
    user = UserFactory(email="concierge@example.jp", preferred_language="en")
    user.groups.add(Group.objects.get(name=CONCIERGE_GROUP))
    return user


@pytest.fixture
def support_request(group):
    return SupportRequestFactory(group=group)


def filing_body(group, **changes):
    body = {
        "group": group.pk,
        "title": "Bookkeeping help",
        "challenge": "bookkeeping",
        "description": "Our accounts are on paper.",
        "outcome": "Accounts in a cloud service.",
        "skills": ["accounting"],
        "period_start": "2026-02-01",
        "period_end": "2026-04-30",
        "work_mode": "either",
        "contact_name": "Hanako Yamaguchi",
        "contact_email": "Hanako@Example.JP",
    }
    body.update(changes)
    return body


def transition_url(support_request):
    return f"{LIST_URL}{support_request.pk}/transition/"


def test_anonymous_rejected(api, support_request):
    assert api.get(LIST_URL).status_code in (401, 403)


def test_staff_list_own_groups(api, support_request, group_staff):
    SupportRequestFactory()
    api.force_authenticate(group_staff)

    response = api.get(LIST_URL)

    assert [item["id"] for item in response.json()["results"]] == [support_request.pk]


def test_concierge_lists_all(api, support_request, concierge):
    SupportRequestFactory()
    api.force_authenticate(concierge)

    response = api.get(LIST_URL)

    assert response.json()["count"] == 2


def test_outsider_gets_404(api, support_request, other_group_staff):
    api.force_authenticate(other_group_staff)

    assert api.get(f"{LIST_URL}{support_request.pk}/").status_code == 404
    response = api.post(
        transition_url(support_request), {"to_state": S.CANCELLED, "note": "x"}
    )
    assert response.status_code == 404


def test_staff_files_request(api, group, group_staff):
    api.force_authenticate(group_staff)

    response = api.post(LIST_URL, filing_body(group), format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["state"] == S.RECEIVED
    assert body["contact_email"] == "hanako@example.jp"
    assert body["skills"] == ["accounting"]
    assert [e["to_state"] for e in body["events"]] == [S.RECEIVED]


def test_filing_for_other_group_forbidden(api, group, other_group_staff):
    api.force_authenticate(other_group_staff)

    response = api.post(LIST_URL, filing_body(group), format="json")

    assert response.status_code == 403
    assert not SupportRequest.objects.exists()


def test_resident_filing_forbidden_before_validation(api, resident):
    api.force_authenticate(resident)

    response = api.post(LIST_URL, {}, format="json")

    assert response.status_code == 403
    assert "title" not in response.json()


def test_filing_for_pending_group_forbidden(api):
    pending = CivicGroupFactory(review_status=CivicGroup.ReviewStatus.PENDING)
    staff = GroupMembershipFactory(group=pending).user
    api.force_authenticate(staff)

    response = api.post(LIST_URL, filing_body(pending), format="json")

    assert response.status_code == 403


def test_filing_needs_skill(api, group, group_staff):
    api.force_authenticate(group_staff)

    response = api.post(LIST_URL, filing_body(group, skills=[]), format="json")

    assert response.status_code == 400
    assert "skills" in response.json()


def test_filing_period_in_order(api, group, group_staff):
    api.force_authenticate(group_staff)

    response = api.post(
        LIST_URL, filing_body(group, period_end="2026-01-31"), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "period_end": ["The period cannot end before it starts."]
    }


def test_concierge_transition(api, support_request, concierge):
    api.force_authenticate(concierge)

    response = api.post(transition_url(support_request), {"to_state": S.HEARING})

    assert response.status_code == 200
    assert response.json()["state"] == S.HEARING
    assert response.json()["concierge"] == concierge.pk
    assert RequestEvent.objects.get().actor == concierge


def test_refused_transition(api, support_request, concierge):
    api.force_authenticate(concierge)

    response = api.post(transition_url(support_request), {"to_state": S.DELIVERED})

    assert response.status_code == 400
    assert response.json() == {
        "detail": "A request cannot move from “Received” to “Delivered”."
    }


def test_staff_forward_step_forbidden(api, support_request, group_staff):
    api.force_authenticate(group_staff)

    response = api.post(transition_url(support_request), {"to_state": S.HEARING})

    assert response.status_code == 403
    support_request.refresh_from_db()
    assert support_request.state == S.RECEIVED


def test_staff_cancel_with_reason(api, support_request, group_staff):
    api.force_authenticate(group_staff)
    url = transition_url(support_request)

    missing = api.post(url, {"to_state": S.CANCELLED})
    done = api.post(url, {"to_state": S.CANCELLED, "note": "Found a volunteer"})

    assert missing.status_code == 400
    assert missing.json() == {"note": ["Give a reason for cancelling the request."]}
    assert done.status_code == 200
    assert done.json()["cancel_reason"] == "Found a volunteer"


def test_list_queries_bounded(api, concierge, django_assert_max_num_queries):
    for _ in range(5):
        SupportRequestFactory()
    api.force_authenticate(concierge)

    with django_assert_max_num_queries(10):
        api.get(LIST_URL)
