"""A resident finds a post with the search, opens it and applies."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.steps import log_in
from tests.factories import (
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
    municipality,
)

YAMAGUCHI = "35203"
SHIMONOSEKI = "35201"


def test_search_then_apply_to_session(open_page):
    resident = UserFactory(email="hanako@example.jp")
    matching = VolunteerPostFactory(
        title="ビーチクリーン大作戦",
        municipality=municipality(YAMAGUCHI),
    )
    VolunteerSessionFactory(post=matching, capacity=10)
    # Same keyword, other municipality: the municipality filter must drop it.
    elsewhere = VolunteerPostFactory(
        title="ビーチクリーン 関門海峡",
        municipality=municipality(SHIMONOSEKI),
    )
    VolunteerSessionFactory(post=elsewhere)
    # Same municipality, other keyword: the keyword must drop it.
    unrelated = VolunteerPostFactory(
        title="竹林の間伐", municipality=municipality(YAMAGUCHI)
    )
    VolunteerSessionFactory(post=unrelated)
    page = open_page()
    log_in(page, resident.email)

    page.goto(reverse("volunteering:search"))
    filters = page.get_by_role("search", name="Search filters")
    # Hiragana typed by the resident must find the katakana title.
    filters.get_by_label("Keyword").fill("びーちくりーん")
    filters.get_by_text("More filters").click()
    filters.get_by_label("Municipality").select_option(label="Yamaguchi")
    filters.get_by_role("button", name="Search", exact=True).click()

    results = page.get_by_role("region", name="1 post found")
    expect(results).to_be_visible()
    expect(results.get_by_role("article")).to_have_count(1)
    expect(results.get_by_role("link", name="ビーチクリーン大作戦")).to_be_visible()
    expect(filters.get_by_label("Keyword")).to_have_value("びーちくりーん")
    # A filter is set, so the other filters stay unfolded.
    expect(filters.get_by_label("Municipality")).to_be_visible()

    results.get_by_role("link", name="ビーチクリーン大作戦").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ビーチクリーン大作戦")
    expect(page.get_by_text("10 places left")).to_be_visible()
    page.get_by_label("Message to the group").fill("軍手を持って行きます。")
    page.get_by_role("button", name="Apply for this session").click()

    # The redirect names the main content, so the apply form's fragment,
    # which names its error summary, is not carried over.
    expect(page).to_have_url(
        re.compile(reverse("volunteering:my_applications") + "#main$")
    )
    expect(page.get_by_role("status")).to_have_text(
        "Done: Your application was sent and is awaiting confirmation by the "
        "group. We will e-mail you when they decide."
    )
    application = page.get_by_role("article").filter(has_text="ビーチクリーン大作戦")
    expect(application).to_have_count(1)
    expect(application).to_contain_text("Awaiting confirmation")
    expect(page.get_by_role("article")).to_have_count(1)
