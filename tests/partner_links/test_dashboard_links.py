"""My page links to the partner-link pages for the roles that use them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory, centre_staff
from tests.partner_links.factories import SchoolLinkFactory

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


def test_partner_account_sees_exports_link(client, partner_user):
    client.force_login(partner_user)

    page = client.get(URL).content.decode()

    assert reverse("partner_links:partner_home") in page
    assert reverse("partner_links:teacher_students") not in page


def test_teacher_sees_students_link(client):
    teacher = UserFactory(email="teacher@school.example.jp", email_confirmed=True)
    SchoolLinkFactory(teacher_email="Teacher@school.example.jp")
    client.force_login(teacher)

    page = client.get(URL).content.decode()

    assert reverse("partner_links:teacher_students") in page
    assert reverse("partner_links:partner_home") not in page


def test_teacher_without_consenting_student(client):
    teacher = UserFactory(email="teacher@school.example.jp", email_confirmed=True)
    SchoolLinkFactory(teacher_email=teacher.email, withdrawn_at=timezone.now())
    client.force_login(teacher)

    page = client.get(URL).content.decode()

    assert reverse("partner_links:teacher_students") not in page
