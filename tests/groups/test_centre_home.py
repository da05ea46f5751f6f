"""The centre staff workspace and the links that lead to it."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from groups.models import CivicGroup, GroupChangeRequest
from tests.factories import CivicGroupFactory, GroupMembershipFactory, municipality
from tests.groups.test_registration_flow import centre_staff_of

pytestmark = pytest.mark.django_db

CENTRE_HOME = reverse("groups:centre_home")
WORKSPACE_LINKS = [
    reverse("groups:review_queue"),
    reverse("groups:centre_unconfirmed"),
    reverse("groups:report_overview"),
    reverse("groups:consultation_list"),
    reverse("groups:staff_grants"),
    reverse("groups:newsletter_staff"),
    reverse("groups:centre_directory_export", args=["xlsx"]),
]


@pytest.fixture
def centre_staff():
    return centre_staff_of("35203")


def test_workspace_links_staff_pages(client, centre_staff):
    client.force_login(centre_staff)

    response = client.get(CENTRE_HOME)

    assert response.status_code == 200
    content = response.content.decode()
    for url in WORKSPACE_LINKS:
        assert f'href="{url}' in content, url


def test_workspace_counts_own_municipality(client, centre_staff):
    pending = CivicGroup.ReviewStatus.PENDING
    CivicGroupFactory(municipality=municipality("35203"), review_status=pending)
    CivicGroupFactory(municipality=municipality("35201"), review_status=pending)
    approved = CivicGroupFactory(municipality=municipality("35203"))
    GroupChangeRequest.objects.create(group=approved, name="新しい名前")
    client.force_login(centre_staff)

    response = client.get(CENTRE_HOME)

    assert response.context["open_applications"] == 1
    assert response.context["open_change_requests"] == 1


def test_workspace_import_link_for_admins(client, centre_staff):
    import_url = reverse("admin:groups_civicgroup_import")
    client.force_login(centre_staff)
    without = client.get(CENTRE_HOME).content.decode()
    centre_staff.is_staff = True
    centre_staff.save()
    centre_staff.user_permissions.add(Permission.objects.get(codename="add_civicgroup"))
    client.force_login(centre_staff)

    with_permission = client.get(CENTRE_HOME).content.decode()

    assert import_url not in without
    assert import_url in with_permission


def test_workspace_forbidden_for_resident(client, resident):
    client.force_login(resident)

    assert client.get(CENTRE_HOME).status_code == 403


def test_workspace_forbidden_for_group_staff(client, group_staff):
    client.force_login(group_staff)

    assert client.get(CENTRE_HOME).status_code == 403


def test_workspace_needs_login(client):
    response = client.get(CENTRE_HOME)

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_workspace_queries_bounded(client, centre_staff, django_assert_max_num_queries):
    for _ in range(20):
        CivicGroupFactory(
            municipality=municipality("35203"),
            review_status=CivicGroup.ReviewStatus.PENDING,
        )
    client.force_login(centre_staff)

    with django_assert_max_num_queries(15):
        client.get(CENTRE_HOME)


def test_dashboard_links_workspace(client, centre_staff):
    client.force_login(centre_staff)

    content = client.get(reverse("accounts:dashboard")).content.decode()

    assert f'href="{CENTRE_HOME}"' in content


def test_dashboard_hides_workspace_from_residents(client, resident):
    client.force_login(resident)

    content = client.get(reverse("accounts:dashboard")).content.decode()

    assert f'href="{CENTRE_HOME}"' not in content


def test_manage_page_links_reports_and_events(client, group, group_staff):
    client.force_login(group_staff)

    content = client.get(reverse("groups:manage", args=[group.pk])).content.decode()

    assert reverse("groups:group_reports", args=[group.pk]) in content
    assert reverse("groups:staff_events") in content


def test_pending_group_manage_page_has_no_reports(client, resident):
    group = CivicGroupFactory(review_status=CivicGroup.ReviewStatus.PENDING)
    GroupMembershipFactory(group=group, user=resident)
    client.force_login(resident)

    response = client.get(reverse("groups:manage", args=[group.pk]))

    assert reverse("groups:group_reports", args=[group.pk]) not in (
        response.content.decode()
    )
