"""On a phone, a rejected application opens at the form's error summary."""

from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.steps import log_in
from tests.factories import (
    ApplicationFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)

PHONE_WIDTH = 375
PHONE_HEIGHT = 812


def test_rejected_apply_focuses_errors(open_page):
    resident = UserFactory(email="leader@example.jp")
    post = VolunteerPostFactory(
        title="棚田の草刈り",
        accepts_teams=True,
        description="棚田の草を刈ります。\n" * 40,
    )
    session = VolunteerSessionFactory(post=post, capacity=5)
    ApplicationFactory(session=session, party_size=3)
    page = open_page(width=PHONE_WIDTH, height=PHONE_HEIGHT)
    log_in(page, resident.email)

    page.goto(reverse("volunteering:post_detail", args=[post.pk]))
    sessions = page.get_by_role("region", name="Upcoming sessions")
    sessions.get_by_label("Number of people").fill("4")
    sessions.get_by_label("Company or group name").fill("山口商事")
    sessions.get_by_role("button", name="Apply for this session").click()

    summary = page.locator(f"#apply-session-{session.pk}-errors")
    expect(summary).to_contain_text("Only 2 places are left.")
    expect(summary).to_be_in_viewport()
    expect(summary).to_be_focused()
    assert page.evaluate("() => window.scrollY") > 0
