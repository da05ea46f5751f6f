import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from groups.models import ActivityField, CivicGroup, GroupMembership, GroupRevision
from tests.factories import (
    CivicGroupFactory,
    GroupMembershipFactory,
    UserFactory,
    VolunteerSessionFactory,
    centre_staff,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("group-list")

PRIVATE_CONTACT = {
    "contact_name": "秘密 連絡子",
    "contact_email": "private-contact@example.jp",
    "contact_phone": "083-999-0000",
}


@pytest.fixture
def api():
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def detail_url(group: CivicGroup) -> str:
    return reverse("group-detail", args=[group.pk])


def names(response) -> set[str]:
    return {row["name"] for row in response.json()["results"]}


# Reading


def test_list_public_groups_only(api):
    CivicGroupFactory(name="公開の会")
    CivicGroupFactory(name="審査中", review_status=CivicGroup.ReviewStatus.PENDING)
    CivicGroupFactory(name="解散", status=CivicGroup.Status.DISSOLVED)

    response = api.get(LIST_URL)

    assert response.status_code == 200
    assert names(response) == {"公開の会"}


def test_list_takes_directory_filters(api):
    recruiting = CivicGroupFactory(name="ボランティア募集中", wants_probono=True)
    VolunteerSessionFactory(post__group=recruiting)
    CivicGroupFactory(name="ボランティア休止中", wants_probono=True)
    CivicGroupFactory(name="別の会", legal_form=CivicGroup.LegalForm.VOLUNTARY)

    assert names(api.get(LIST_URL, {"q": "ぼらんてぃあ"})) == {
        "ボランティア募集中",
        "ボランティア休止中",
    }
    assert names(api.get(LIST_URL, {"recruiting": "true"})) == {"ボランティア募集中"}
    assert names(api.get(LIST_URL, {"probono": "true", "q": "休止"})) == {
        "ボランティア休止中"
    }
    assert names(api.get(LIST_URL, {"legal_form": "voluntary"})) == {"別の会"}


def test_list_rejects_invalid_filter(api):
    response = api.get(LIST_URL, {"legal_form": "company"})

    assert response.status_code == 400


def test_detail_shape(api):
    group = CivicGroupFactory(name="里山の会", social_links=["https://x.example/a"])
    group.activity_fields.set([ActivityField.objects.get(number=7)])

    data = api.get(detail_url(group)).json()

    assert data["name"] == "里山の会"
    assert data["municipality"]["code"] == "35203"
    assert [field["number"] for field in data["activity_fields"]] == [7]
    assert data["social_links"] == ["https://x.example/a"]
    assert data["is_recruiting"] is False
    assert data["is_unconfirmed"] is False
    assert data["disclosure"]["level"] in {"A", "B", "C"}


def test_detail_freshness_fields(api):
    confirmed = dt.datetime(2026, 5, 10, 3, 0, tzinfo=dt.UTC)
    fresh = CivicGroupFactory(info_confirmed_at=confirmed)
    stale = CivicGroupFactory(
        approved_at=timezone.now() - dt.timedelta(days=600), info_confirmed_at=None
    )

    fresh_data = api.get(detail_url(fresh)).json()
    stale_data = api.get(detail_url(stale)).json()

    assert fresh_data["last_confirmed_at"] == "2026-05-10T12:00:00+09:00"
    assert fresh_data["is_unconfirmed"] is False
    assert stale_data["is_unconfirmed"] is True


@pytest.mark.parametrize("viewer", ["anonymous", "own_staff", "centre_staff"])
def test_api_never_shows_private_contact(api, viewer):
    group = CivicGroupFactory(**PRIVATE_CONTACT)
    if viewer == "own_staff":
        api.force_authenticate(GroupMembershipFactory(group=group).user)
    elif viewer == "centre_staff":
        api.force_authenticate(centre_staff(UserFactory()))

    for response in (api.get(LIST_URL), api.get(detail_url(group))):
        content = response.content.decode()
        for key, value in PRIVATE_CONTACT.items():
            assert key not in content
            assert value not in content


def test_detail_404_for_group_not_public(api):
    group = CivicGroupFactory(review_status=CivicGroup.ReviewStatus.PENDING)

    assert api.get(detail_url(group)).status_code == 404


@pytest.mark.parametrize("count", [1, 25])
def test_list_queries_bounded(api, django_assert_max_num_queries, count):
    fields = list(ActivityField.objects.all()[:3])
    for _ in range(count):
        group = CivicGroupFactory()
        group.activity_fields.set(fields)

    with django_assert_max_num_queries(4):
        response = api.get(LIST_URL, {"page_size": 100, "q": "里山"})

    assert len(response.json()["results"]) == count


# Writing


@pytest.fixture
def group():
    group = CivicGroupFactory(
        description="前の説明", representative="山口 花子", **PRIVATE_CONTACT
    )
    group.activity_fields.set([ActivityField.objects.get(number=7)])
    return group


@pytest.fixture
def staff_api(api, group):
    membership = GroupMembershipFactory(group=group, role=GroupMembership.Role.EDITOR)
    api.force_authenticate(membership.user)
    return api


def test_staff_patch_updates_and_records_revision(staff_api, group):
    response = staff_api.patch(
        detail_url(group),
        {
            "description": "新しい説明",
            "public_phone": "０８３－９２２－１１１１",
            "activity_fields": [2, 7],
            "wants_probono": True,
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["description"] == "新しい説明"
    assert data["public_phone"] == "083-922-1111"
    assert sorted(field["number"] for field in data["activity_fields"]) == [2, 7]
    group.refresh_from_db()
    assert group.description == "新しい説明"
    assert group.wants_probono is True
    revision = GroupRevision.objects.get(group=group)
    assert revision.changes["description"] == {"old": "前の説明", "new": "新しい説明"}
    assert revision.changes["activity_fields"]["new"] == [2, 7]


def test_staff_patch_keeps_fields_left_out(staff_api, group):
    staff_api.patch(detail_url(group), {"address": "山口市滝町1-1"}, format="json")

    group.refresh_from_db()
    assert group.address == "山口市滝町1-1"
    assert group.description == "前の説明"
    assert group.contact_email == PRIVATE_CONTACT["contact_email"]
    assert [field.number for field in group.activity_fields.all()] == [7]


def test_staff_patch_changes_municipality_by_code(staff_api, group):
    response = staff_api.patch(
        detail_url(group), {"municipality": "35201"}, format="json"
    )

    assert response.status_code == 200
    group.refresh_from_db()
    assert group.municipality.code == "35201"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"municipality": "99999"}, "municipality"),
        ({"activity_fields": [99]}, "activity_fields"),
        ({"public_phone": "123"}, "public_phone"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"social_links": ["ftp://x.example"]}, "social_links"),
        ({"member_count": "many"}, "member_count"),
        ({"description": ""}, "description"),
        ({"activity_fields": []}, "activity_fields"),
        ({"name": "新しい名前"}, "name"),
        ({"legal_form": "voluntary"}, "legal_form"),
        ({"corporate_number": "1234567890123"}, "corporate_number"),
    ],
)
def test_staff_patch_rejects_invalid_field(staff_api, group, payload, field):
    response = staff_api.patch(detail_url(group), payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    group.refresh_from_db()
    assert group.description == "前の説明"
    assert not GroupRevision.objects.filter(group=group).exists()


def test_staff_patch_lists_missing_required_fields(api):
    incomplete = CivicGroupFactory(representative="")
    api.force_authenticate(GroupMembershipFactory(group=incomplete).user)

    response = api.patch(detail_url(incomplete), {"address": "山口市"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) >= {"representative", "activity_fields"}


def test_patch_rejects_anonymous(api, group):
    response = api.patch(detail_url(group), {"description": "x"}, format="json")

    assert response.status_code in (401, 403)
    group.refresh_from_db()
    assert group.description == "前の説明"


def test_patch_rejects_resident(api, group):
    api.force_authenticate(UserFactory())

    response = api.patch(detail_url(group), {"description": "x"}, format="json")

    assert response.status_code == 403
    group.refresh_from_db()
    assert group.description == "前の説明"


def test_patch_rejects_staff_of_other_group(api, group):
    api.force_authenticate(GroupMembershipFactory().user)

    response = api.patch(detail_url(group), {"description": "x"}, format="json")

    assert response.status_code == 403
    group.refresh_from_db()
    assert group.description == "前の説明"


def test_patch_rejects_centre_staff(api, group):
    api.force_authenticate(centre_staff(UserFactory()))

    response = api.patch(detail_url(group), {"description": "x"}, format="json")

    assert response.status_code == 403


def test_patch_404_for_group_not_public(api):
    pending = CivicGroupFactory(review_status=CivicGroup.ReviewStatus.PENDING)
    api.force_authenticate(GroupMembershipFactory(group=pending).user)

    response = api.patch(detail_url(pending), {"description": "x"}, format="json")

    assert response.status_code == 404


def test_put_not_allowed(staff_api, group):
    response = staff_api.put(detail_url(group), {"description": "x"}, format="json")

    assert response.status_code == 405


def test_post_not_allowed(staff_api):
    response = staff_api.post(LIST_URL, {"name": "新しい会"}, format="json")

    assert response.status_code == 405
