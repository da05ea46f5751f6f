"""Group staff open a post's flyer from its page and print it under the CSP."""

from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.steps import log_in
from tests.factories import (
    GroupMembershipFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)


def test_flyer_print_view(open_page):
    staff = GroupMembershipFactory(user__email="staff@example.jp").user
    post = VolunteerPostFactory(group=staff.civic_groups.get(), title="河川敷の清掃")
    VolunteerSessionFactory(post=post)
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
    log_in(page, staff.email)

    page.goto(reverse("volunteering:post_detail", args=[post.pk]))
    page.get_by_role("link", name="Print flyer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("河川敷の清掃")
    # The button is shown by static/js/outreach-flyer.js, so it is visible
    # only when the script ran under the Content Security Policy.
    print_button = page.get_by_role("button", name="Print")
    expect(print_button).to_be_visible()
    expect(page.get_by_role("img", name="QR code of the web page")).to_be_visible()
    qr_width = page.locator(".qr-code svg").bounding_box()["width"]
    # 45 mm at 96 CSS pixels per inch is 170 px, so the stylesheet applied.
    assert 160 < qr_width < 180, qr_width
    assert violations == []

    page.emulate_media(media="print")
    expect(print_button).to_be_hidden()
