"""My page links to the partner-link pages for the roles that use them."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory, centre_staff

pytestmark = pytest.mark.django_db

URL = reverse("accounts:dashboard")


def test_resident_sees_programmes_link(client, resident):
    client.force_login(resident)

    page = client.get(URL).content.decode()

    assert reverse("partner_links:programme_list") in page
    assert reverse("partner_links:school_link") not in page
    assert reverse("partner_links:partner_home") not in page


def test_student_sees_school_link(client):
    client.force_login(UserFactory(occupation="high_school"))

    page = client.get(URL).content.decode()

    assert reverse("partner_links:school_link") in page


def test_prefectural_staff_sees_exports_link(client):
    client.force_login(centre_staff(UserFactory()))

    page = client.get(URL).content.decode()

    assert reverse("partner_links:partner_home") in page
