"""Who may review registrations and change requests, and who gets 403 or 404."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from groups.models import CivicGroup, GroupChangeRequest, SupportCentre
from groups.services import registration
from tests.factories import CivicGroupFactory, municipality
from tests.groups.test_registration_flow import centre_staff_of

pytestmark = pytest.mark.django_db

YAMAGUCHI = "35203"
SHIMONOSEKI = "35201"


@pytest.fixture
def pending_group(resident):
    return CivicGroupFactory(
        review_status=CivicGroup.ReviewStatus.PENDING,
        approved_at=None,
        registered_on=None,
        municipality=municipality(YAMAGUCHI),
        created_by=resident,
    )


@pytest.fixture
def change_request(group, group_staff):
    return GroupChangeRequest.objects.create(
        group=group, name="新しい名前", requested_by=group_staff
    )


def review_urls(group, change_request):
    return [
        ("get", reverse("groups:review_group", args=[group.pk])),
        ("post", reverse("groups:review_record_status", args=[group.pk])),
        ("post", reverse("groups:review_record_certification", args=[group.pk])),
        ("get", reverse("groups:review_change_request", args=[change_request.pk])),
    ]


def test_queue_anonymous_redirects_to_login(client):
    response = client.get(reverse("groups:review_queue"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("user_fixture", ["resident", "group_staff"])
def test_queue_forbidden_without_centre(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))

    assert client.get(reverse("groups:review_queue")).status_code == 403


@pytest.mark.parametrize("user_fixture", ["resident", "group_staff"])
def test_review_pages_forbidden_without_centre(
    client, request, user_fixture, group, change_request
):
    client.force_login(request.getfixturevalue(user_fixture))

    for method, url in review_urls(group, change_request):
        response = getattr(client, method)(url, {"action": "approved"})
        assert response.status_code == 403, url


def test_applicant_cannot_decide_own_application(client, resident, pending_group):
    client.force_login(resident)
    response = client.post(
        reverse("groups:review_group", args=[pending_group.pk]), {"action": "approved"}
    )

    assert response.status_code == 403
    pending_group.refresh_from_db()
    assert pending_group.review_status == CivicGroup.ReviewStatus.PENDING


def test_other_municipality_centre_gets_404(client, pending_group, change_request):
    reviewer = centre_staff_of(SHIMONOSEKI)
    client.force_login(reviewer)

    for method, url in [
        *review_urls(pending_group, change_request),
        ("get", reverse("groups:history", args=[pending_group.pk])),
    ]:
        response = getattr(client, method)(url, {"action": "approved"})
        assert response.status_code == 404, url
    pending_group.refresh_from_db()
    assert pending_group.review_status == CivicGroup.ReviewStatus.PENDING


def test_other_municipality_service_rejects(pending_group):
    reviewer = centre_staff_of(SHIMONOSEKI)

    with pytest.raises(PermissionDenied):
        registration.decide_registration(
            group_id=pending_group.pk, by=reviewer, action="approved"
        )


def test_queue_lists_own_municipality_only(client, pending_group):
    elsewhere = CivicGroupFactory(
        review_status=CivicGroup.ReviewStatus.PENDING,
        municipality=municipality(SHIMONOSEKI),
    )
    client.force_login(centre_staff_of(YAMAGUCHI))
    response = client.get(reverse("groups:review_queue"))

    listed = list(response.context["page"].object_list)
    assert listed == [pending_group]
    assert elsewhere not in listed


def test_prefectural_centre_reviews_every_group(client, pending_group):
    elsewhere = CivicGroupFactory(
        review_status=CivicGroup.ReviewStatus.CHANGES_REQUESTED,
        municipality=municipality(SHIMONOSEKI),
    )
    reviewer = centre_staff_of(YAMAGUCHI, scope=SupportCentre.Scope.PREFECTURE)
    client.force_login(reviewer)
    response = client.get(reverse("groups:review_queue"))

    assert set(response.context["page"].object_list) == {pending_group, elsewhere}
    detail = client.get(reverse("groups:review_group", args=[elsewhere.pk]))
    assert detail.status_code == 200


def test_review_page_shows_private_contact(client, pending_group):
    pending_group.contact_email = "private@example.jp"
    pending_group.save()
    client.force_login(centre_staff_of(YAMAGUCHI))
    response = client.get(reverse("groups:review_group", args=[pending_group.pk]))

    assert "private@example.jp" in response.content.decode()


@pytest.mark.parametrize("count", [1, 25])
def test_queue_queries_bounded(client, django_assert_max_num_queries, count):
    for index in range(count):
        CivicGroupFactory(
            name=f"申請団体{index}",
            review_status=CivicGroup.ReviewStatus.PENDING,
            municipality=municipality(YAMAGUCHI),
        )
        GroupChangeRequest.objects.create(
            group=CivicGroupFactory(municipality=municipality(YAMAGUCHI)),
            name=f"変更{index}",
        )
    client.force_login(centre_staff_of(YAMAGUCHI))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("groups:review_queue"))

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == count
    assert len(response.context["change_requests"]) == count


def test_queue_is_paginated(client):
    for index in range(35):
        CivicGroupFactory(
            name=f"申請団体{index}",
            review_status=CivicGroup.ReviewStatus.PENDING,
            municipality=municipality(YAMAGUCHI),
        )
    client.force_login(centre_staff_of(YAMAGUCHI))
    response = client.get(reverse("groups:review_queue"), {"page": 2})

    assert len(response.context["page"].object_list) == 5


def test_non_centre_cannot_record_status(client, group_staff, group):
    client.force_login(group_staff)
    response = client.post(
        reverse("groups:review_record_status", args=[group.pk]),
        {"status": "dissolved", "effective_on": dt.date.today().isoformat()},
    )

    assert response.status_code == 403
    group.refresh_from_db()
    assert group.status == CivicGroup.Status.ACTIVE


def test_queue_lists_pending_first(client):
    sent_back = CivicGroupFactory(
        review_status=CivicGroup.ReviewStatus.CHANGES_REQUESTED,
        municipality=municipality(YAMAGUCHI),
    )
    pending = CivicGroupFactory(
        review_status=CivicGroup.ReviewStatus.PENDING,
        municipality=municipality(YAMAGUCHI),
    )
    client.force_login(centre_staff_of(YAMAGUCHI))
    response = client.get(reverse("groups:review_queue"))

    assert list(response.context["page"].object_list) == [pending, sent_back]
