"""On a phone, a resident enrols in a health-points programme, checks what
is shared, and withdraws; a teacher opens the hours of a student."""

from django.urls import reverse
from playwright.sync_api import expect

from partner_links.models import ProgrammeEnrolment
from tests.browser.steps import log_in
from tests.factories import UserFactory
from tests.partner_links.factories import (
    PointsProgrammeFactory,
    SchoolLinkFactory,
    days_ago,
    participation,
)


def test_enrol_preview_withdraw_on_phone(open_page):
    resident = UserFactory(email="volunteer@example.jp")
    programme = PointsProgrammeFactory(name="ほうふ健康マイレージ")
    page = open_page(width=375, height=812)
    log_in(page, resident.email)

    page.goto(reverse("accounts:dashboard"))
    page.get_by_role(
        "link", name="Health-points programmes: share my hours with a partner"
    ).click()
    page.get_by_role("link", name="Enrol with my membership id").click()
    page.get_by_label("Membership id").fill("１２３４５６７８")
    page.get_by_label("I agree that the portal shares").check()
    page.get_by_role("button", name="Enrol and agree to share").click()

    expect(page.get_by_role("status").first).to_contain_text("You are enrolled")
    expect(page.get_by_text("12345678", exact=True)).to_be_visible()
    enrolment = ProgrammeEnrolment.objects.get(programme=programme)
    assert enrolment.withdrawn_at is None

    page.get_by_role("button", name="Withdraw my consent").click()

    expect(page.get_by_role("status").first).to_contain_text("You withdrew")
    enrolment.refresh_from_db()
    assert enrolment.withdrawn_at is not None


def test_teacher_opens_student_hours(open_page):
    teacher = UserFactory(email="teacher@school.example.jp")
    student = UserFactory(full_name="萩 花子", occupation="high_school")
    SchoolLinkFactory(student=student, teacher_email=teacher.email)
    attendance = participation(student, days_ago(5), hours="3")
    page = open_page(width=375, height=812)
    log_in(page, teacher.email)

    page.goto(reverse("partner_links:teacher_students"))
    page.get_by_role("link", name="萩 花子").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("萩 花子")
    title = attendance.application.post.title
    expect(page.get_by_role("cell", name=title)).to_be_visible()
