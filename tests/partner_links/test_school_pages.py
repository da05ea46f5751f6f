"""Students name a teacher, and only that teacher can open the hours record."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from partner_links.models import SchoolLink
from tests.factories import UserFactory
from tests.partner_links.factories import (
    SchoolLinkFactory,
    days_ago,
    minor_without_guardian,
    participation,
)

pytestmark = pytest.mark.django_db

TEACHER_EMAIL = "teacher@school.example.jp"


@pytest.fixture
def student():
    return UserFactory(
        email="student@example.jp", full_name="萩 花子", occupation="high_school"
    )


@pytest.fixture
def teacher():
    return UserFactory(email=TEACHER_EMAIL, full_name="防府 先生")


@pytest.fixture
def link(student):
    return SchoolLinkFactory(student=student, teacher_email=TEACHER_EMAIL)


def test_student_names_teacher(client, student, django_capture_on_commit_callbacks):
    client.force_login(student)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("partner_links:school_link"),
            {
                "school_name": "山口県立萩高等学校",
                "teacher_name": "防府 先生",
                "teacher_email": TEACHER_EMAIL,
                "consent": "on",
            },
        )

    created = SchoolLink.objects.get()
    assert response.status_code == 302
    assert created.student == student
    assert created.consented_at is not None
    assert len(mail.outbox) == 1
    assert "萩 花子" in mail.outbox[0].subject


def test_student_form_needs_consent(client, student):
    client.force_login(student)

    response = client.post(
        reverse("partner_links:school_link"),
        {
            "school_name": "山口県立萩高等学校",
            "teacher_name": "防府 先生",
            "teacher_email": TEACHER_EMAIL,
        },
    )

    assert response.status_code == 400
    assert not SchoolLink.objects.exists()


def test_minor_student_refused(client):
    minor = minor_without_guardian(occupation="high_school")
    client.force_login(minor)

    response = client.post(
        reverse("partner_links:school_link"),
        {
            "school_name": "山口県立萩高等学校",
            "teacher_name": "防府 先生",
            "teacher_email": TEACHER_EMAIL,
            "consent": "on",
        },
    )

    assert response.status_code == 400
    assert "parent or guardian" in response.content.decode()
    assert not SchoolLink.objects.exists()


def test_non_student_sees_no_form(client, resident):
    client.force_login(resident)

    content = client.get(reverse("partner_links:school_link")).content.decode()

    assert "This is for high-school students" in content
    assert 'name="teacher_email"' not in content


def test_student_withdraws(client, student, link):
    client.force_login(student)

    response = client.post(reverse("partner_links:school_withdraw"))

    link.refresh_from_db()
    assert response.status_code == 302
    assert link.withdrawn_at is not None


def test_teacher_sees_named_students(client, teacher, link):
    participation(link.student, days_ago(5), hours="3")
    participation(link.student, days_ago(4), hours="2.5")
    client.force_login(teacher)

    content = client.get(reverse("partner_links:teacher_students")).content.decode()

    assert "萩 花子" in content
    assert "5.5" in content


def test_teacher_sees_several_students(client, teacher, link):
    SchoolLinkFactory(
        student=UserFactory(full_name="長門 次郎", occupation="high_school"),
        teacher_email=TEACHER_EMAIL,
    )
    client.force_login(teacher)

    content = client.get(reverse("partner_links:teacher_students")).content.decode()

    assert "萩 花子" in content
    assert "長門 次郎" in content


def test_teacher_detail_and_pdf(client, teacher, link):
    attendance = participation(link.student, days_ago(5), hours="3")
    client.force_login(teacher)

    detail = client.get(reverse("partner_links:teacher_student_detail", args=[link.pk]))
    pdf = client.get(reverse("partner_links:teacher_student_pdf", args=[link.pk]))

    assert detail.status_code == 200
    assert attendance.application.post.title in detail.content.decode()
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_address_match_ignores_case(client, link):
    teacher = UserFactory(email="Teacher@School.example.jp".lower())
    link.teacher_email = "Teacher@School.example.jp"
    link.save()
    client.force_login(teacher)

    response = client.get(
        reverse("partner_links:teacher_student_detail", args=[link.pk])
    )

    assert response.status_code == 200


def test_different_teacher_refused(client, link):
    other_teacher = UserFactory(email="other.teacher@school.example.jp")
    client.force_login(other_teacher)

    listing = client.get(reverse("partner_links:teacher_students"))
    detail = client.get(reverse("partner_links:teacher_student_detail", args=[link.pk]))
    pdf = client.get(reverse("partner_links:teacher_student_pdf", args=[link.pk]))

    assert "萩 花子" not in listing.content.decode()
    assert detail.status_code == 404
    assert pdf.status_code == 404


def test_unconfirmed_teacher_address_refused(client, link):
    teacher = UserFactory(email=TEACHER_EMAIL, email_confirmed=False)
    client.force_login(teacher)

    listing = client.get(reverse("partner_links:teacher_students"))
    detail = client.get(reverse("partner_links:teacher_student_detail", args=[link.pk]))

    assert "萩 花子" not in listing.content.decode()
    assert "Confirm your e-mail address first" in listing.content.decode()
    assert detail.status_code == 404


def test_teacher_refused_after_withdrawal(client, teacher, link):
    client.force_login(teacher)
    url = reverse("partner_links:teacher_student_detail", args=[link.pk])
    assert client.get(url).status_code == 200

    link.withdrawn_at = timezone.now()
    link.save()

    assert client.get(url).status_code == 404
    assert (
        "萩 花子"
        not in client.get(reverse("partner_links:teacher_students")).content.decode()
    )


def test_teacher_refused_for_minor_without_guardian(client, teacher):
    minor = minor_without_guardian(occupation="high_school")
    link = SchoolLinkFactory(student=minor, teacher_email=TEACHER_EMAIL)
    client.force_login(teacher)

    response = client.get(
        reverse("partner_links:teacher_student_detail", args=[link.pk])
    )

    assert response.status_code == 404


def test_teacher_pages_need_login(client, link):
    response = client.get(reverse("partner_links:teacher_students"))

    assert response.status_code == 302


def test_teacher_list_query_count(client, teacher, django_assert_max_num_queries):
    for number in range(8):
        student = UserFactory(occupation="high_school")
        SchoolLinkFactory(student=student, teacher_email=TEACHER_EMAIL)
        participation(student, days_ago(number + 1))
    client.force_login(teacher)

    with django_assert_max_num_queries(6):
        response = client.get(reverse("partner_links:teacher_students"))

    assert response.content.decode().count("<tr>") == 9


def test_student_page_query_count(client, student, link, django_assert_max_num_queries):
    client.force_login(student)

    with django_assert_max_num_queries(6):
        response = client.get(reverse("partner_links:school_link"))

    assert link.teacher_email in response.content.decode()
