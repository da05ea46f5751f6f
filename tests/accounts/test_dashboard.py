from django.urls import NoReverseMatch, reverse

from tests.factories import GroupMembershipFactory

URL = reverse("accounts:dashboard")


def reverse_or_none(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def test_dashboard_requires_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={URL}"


def test_dashboard_greets_user(client, resident):
    client.force_login(resident)

    response = client.get(URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert f"Hello, {resident.full_name}." in page
    assert reverse("accounts:profile") in page
    assert reverse("accounts:password_change") in page


def test_dashboard_links_volunteering_pages(client, resident):
    client.force_login(resident)

    page = client.get(URL).content.decode()

    for name in [
        "volunteering:my_applications",
        "volunteering:my_hours",
        "volunteering:calendar_settings",
    ]:
        url = reverse_or_none(name)
        if url is not None:
            assert f'href="{url}"' in page, name


def test_dashboard_hides_staff_section(client, resident):
    client.force_login(resident)

    response = client.get(URL)

    assert response.context["staff_groups"] == []
    assert "Groups you manage" not in response.content.decode()


def test_dashboard_lists_staff_groups(client, group_staff, group):
    client.force_login(group_staff)

    response = client.get(URL)

    page = response.content.decode()
    assert response.context["staff_groups"] == [group]
    assert group.name in page
    assert f'href="{reverse("volunteering:staff_posts")}"' in page


def test_dashboard_queries_bounded(client, db, django_assert_max_num_queries):
    membership = GroupMembershipFactory()
    for _ in range(5):
        GroupMembershipFactory(user=membership.user)
    client.force_login(membership.user)

    with django_assert_max_num_queries(8):
        response = client.get(URL)

    assert len(response.context["staff_groups"]) == 6
