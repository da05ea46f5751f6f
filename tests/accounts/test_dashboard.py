from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from civic_portal.accounts.models import PRIVACY_NOTICE_VERSION
from tests.factories import GroupMembershipFactory, UserFactory
from tests.probono.factories_proposals import make_concierge

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

    # One of the nine is the partner-account and teacher check of the
    # partner_link_roles tag, which decides two links.
    with django_assert_max_num_queries(9):
        response = client.get(URL)

    assert len(response.context["staff_groups"]) == 6


def test_dashboard_asks_new_consent(client, resident):
    resident.privacy_notice_version = PRIVACY_NOTICE_VERSION - 1
    resident.save()
    client.force_login(resident)

    page = client.get(URL).content.decode()

    assert "has changed since you agreed to it" in page
    assert reverse("accounts:privacy_consent") in page


def test_dashboard_asks_first_consent(client, resident):
    resident.privacy_consent_at = None
    resident.save()
    client.force_login(resident)

    page = client.get(URL).content.decode()

    assert "has changed since you agreed to it" not in page
    assert "which says how the portal uses your data" in page


def test_dashboard_hides_consent_when_current(client, resident):
    resident.privacy_consent_at = timezone.now()
    resident.privacy_notice_version = PRIVACY_NOTICE_VERSION
    resident.save()
    client.force_login(resident)

    page = client.get(URL).content.decode()

    assert reverse("accounts:privacy_consent") not in page


def test_privacy_consent_records_version(client, resident):
    resident.privacy_consent_at = None
    resident.privacy_notice_version = 0
    resident.save()
    client.force_login(resident)

    response = client.post(reverse("accounts:privacy_consent"))

    resident.refresh_from_db()
    assert response.status_code == 302
    assert response.url == URL
    assert resident.privacy_consent_at is not None
    assert resident.privacy_notice_version == PRIVACY_NOTICE_VERSION


def test_privacy_consent_needs_post(client, resident):
    client.force_login(resident)

    response = client.get(reverse("accounts:privacy_consent"))

    assert response.status_code == 405


def test_privacy_consent_requires_login(client, db):
    url = reverse("accounts:privacy_consent")

    response = client.post(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={url}"


def test_dashboard_shows_concierge_links(client, db):
    client.force_login(make_concierge())

    page = client.get(URL).content.decode()

    assert f'href="{reverse("probono:board")}"' in page
    assert f'href="{reverse("probono:statistics")}"' in page
    assert f'href="{reverse("indicators:dashboard")}"' not in page


def test_dashboard_shows_indicators_to_prefectural_staff(client, db):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)

    page = client.get(URL).content.decode()

    assert f'href="{reverse("indicators:dashboard")}"' in page


def test_dashboard_hides_role_sections_from_resident(client, resident):
    client.force_login(resident)

    page = client.get(URL).content.decode()

    assert f'href="{reverse("probono:board")}"' not in page
    assert f'href="{reverse("facilitation:case_list")}"' not in page
    assert f'href="{reverse("indicators:dashboard")}"' not in page
