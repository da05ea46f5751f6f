"""Partner exports and teachers' pages log the residents and students shown."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from civic_portal.audit.models import PersonalDataAccess
from civic_portal.audit.services import USER_NAME
from partner_links.selectors import EXPORT_REGISTER_FIELDS
from tests.audit.helpers import logged_fields
from tests.factories import UserFactory
from tests.partner_links.factories import (
    EnrolmentFactory,
    SchoolLinkFactory,
    days_ago,
    participation,
)

pytestmark = pytest.mark.django_db

TEACHER_EMAIL = "teacher@school.example.jp"
SCHOOL_NAME = "partner_links.SchoolLink.school_name"


@pytest.fixture
def enrolled(programme):
    enrolment = EnrolmentFactory(programme=programme, membership_id="00001234")
    participation(enrolment.resident, days_ago(3), hours="1.50")
    return enrolment.resident


def test_partner_csv_logs_residents(client, programme, partner_user, enrolled):
    client.force_login(partner_user)
    url = reverse("partner_links:export", args=[programme.pk])
    response = client.get(
        f"{url}?since={days_ago(10):%Y-%m-%d}&until={days_ago(1):%Y-%m-%d}"
    )
    assert response.status_code == 200
    assert logged_fields(partner_user) == {enrolled.pk: set(EXPORT_REGISTER_FIELDS)}
    row = PersonalDataAccess.objects.get()
    assert row.action == PersonalDataAccess.Action.EXPORTED


def test_partner_api_logs_residents(programme, partner_user, enrolled):
    api = APIClient()
    token = Token.objects.create(user=partner_user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    url = reverse("partner_links:api_participation", args=[programme.pk])
    assert api.get(url).status_code == 200
    assert set(logged_fields(partner_user)) == {enrolled.pk}


def test_partner_export_rejects_others(client, programme, enrolled):
    client.force_login(UserFactory())
    url = reverse("partner_links:export", args=[programme.pk])
    response = client.get(
        f"{url}?since={days_ago(10):%Y-%m-%d}&until={days_ago(1):%Y-%m-%d}"
    )
    assert response.status_code == 403
    assert not PersonalDataAccess.objects.exists()


@pytest.fixture
def link():
    student = UserFactory(full_name="萩 花子", occupation="high_school")
    return SchoolLinkFactory(student=student, teacher_email=TEACHER_EMAIL)


@pytest.fixture
def teacher():
    return UserFactory(email=TEACHER_EMAIL, full_name="防府 先生")


def test_teacher_list_logs_students(client, link, teacher):
    client.force_login(teacher)
    assert client.get(reverse("partner_links:teacher_students")).status_code == 200
    assert logged_fields(teacher) == {
        link.student_id: {USER_NAME, SCHOOL_NAME, "volunteering.Attendance.hours"}
    }


def test_teacher_detail_and_pdf_log_student(client, link, teacher):
    client.force_login(teacher)
    detail = reverse("partner_links:teacher_student_detail", args=[link.pk])
    pdf = reverse("partner_links:teacher_student_pdf", args=[link.pk])
    assert client.get(detail).status_code == 200
    assert client.get(pdf).status_code == 200
    actions = list(
        PersonalDataAccess.objects.order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["viewed", "exported"]
    assert "volunteering.Application.post" in logged_fields(teacher)[link.student_id]


def test_other_teacher_gets_404(client, link):
    client.force_login(UserFactory(email="other@school.example.jp"))
    url = reverse("partner_links:teacher_student_detail", args=[link.pk])
    assert client.get(url).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_student_own_link_logs_nothing(client, link):
    client.force_login(link.student)
    assert client.get(reverse("partner_links:school_link")).status_code == 200
    assert not PersonalDataAccess.objects.exists()
