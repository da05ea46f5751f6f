"""A resident cancels an application in two taps: open, then confirm."""

from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.steps import log_in
from tests.factories import ApplicationFactory, UserFactory
from volunteering.models import Application


def test_cancel_needs_confirmation(open_page):
    resident = UserFactory(email="volunteer@example.jp")
    application = ApplicationFactory(applicant=resident)
    page = open_page(width=375, height=812)
    log_in(page, resident.email)
    page.goto(reverse("volunteering:my_applications"))
    confirm = page.get_by_role("button", name="Yes, cancel this application")

    expect(confirm).to_be_hidden()
    page.get_by_text("Cancel this application", exact=True).click()
    application.refresh_from_db()
    assert application.status == Application.Status.CONFIRMED

    confirm.click()
    expect(page.get_by_role("status").first).to_contain_text("is cancelled")
    application.refresh_from_db()
    assert application.status == Application.Status.CANCELLED_BY_VOLUNTEER
