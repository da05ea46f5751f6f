"""A rejected application shows its error and keeps what the resident typed."""

from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.steps import log_in
from tests.factories import (
    ApplicationFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)
from volunteering.models import Application


def test_team_too_large_keeps_input(open_page):
    resident = UserFactory(email="leader@example.jp")
    post = VolunteerPostFactory(title="棚田の草刈り", accepts_teams=True)
    session = VolunteerSessionFactory(post=post, capacity=5)
    ApplicationFactory(session=session, party_size=3)
    page = open_page()
    log_in(page, resident.email)

    page.goto(reverse("volunteering:post_detail", args=[post.pk]))
    sessions = page.get_by_role("region", name="Upcoming sessions")
    expect(sessions).to_contain_text("2 places left")
    sessions.get_by_label("Number of people").fill("4")
    sessions.get_by_label("Company or group name").fill("山口商事 ボランティア部")
    sessions.get_by_label("Message to the group").fill(
        "駐車場はありますか？\n4人で伺います。"
    )
    sessions.get_by_role("button", name="Apply for this session").click()

    expect(sessions.get_by_role("alert")).to_have_text(
        "Error: Only 2 places are left. Apply for 2 people or fewer, or for "
        "another session."
    )
    expect(sessions.get_by_label("Number of people")).to_have_value("4")
    expect(sessions.get_by_label("Company or group name")).to_have_value(
        "山口商事 ボランティア部"
    )
    expect(sessions.get_by_label("Message to the group")).to_have_value(
        "駐車場はありますか？\n4人で伺います。"
    )
    assert not Application.objects.filter(applicant=resident).exists()
