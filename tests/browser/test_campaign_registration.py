"""A resident adds a third activity row and registers with it, under the CSP."""

from django.urls import reverse
from playwright.sync_api import expect

from campaigns.models import Participation
from tests.browser.steps import log_in
from tests.campaigns.factories import CampaignFactory
from tests.factories import UserFactory


def test_register_with_added_activity(open_page):
    resident = UserFactory(email="resident@example.jp")
    campaign = CampaignFactory(title="ボランティアチャレンジ")
    page = open_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    log_in(page, resident.email)
    page.goto(reverse("campaigns:participation_new", args=[campaign.pk]))

    page.get_by_label("What you will do").fill("清掃と見守りをします")
    # static/js/campaigns-activities.js adds the button, so it exists only
    # when the script ran under the Content Security Policy.
    page.get_by_role("button", name="Add another activity").click()
    third = page.get_by_role("group", name="Activity 3")
    expect(third).to_be_visible()
    third.get_by_label("Title").fill("読み聞かせ会")
    third.get_by_label("Date").fill(campaign.ends_on.isoformat())
    third.get_by_label("Place").fill("市立図書館")
    third.get_by_label("Municipality").select_option(label="Yamaguchi")
    third.get_by_label("Expected participants").fill("6")
    page.get_by_role("button", name="Register", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Your participation")
    participation = Participation.objects.get()
    assert list(participation.activities.values_list("title", flat=True)) == [
        "読み聞かせ会"
    ]
    assert violations == []
