"""The search and post pages on a 375 px wide phone, and the language switch."""

import tempfile
from pathlib import Path

from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from tests.factories import VolunteerPostFactory, VolunteerSessionFactory
from volunteering.models import VolunteerPost

PHONE_WIDTH = 375
PHONE_HEIGHT = 812
# Screenshots for a person to look at, in /tmp/screens unless TMPDIR is set.
SCREENSHOT_DIR = Path(tempfile.gettempdir()) / "screens"
LONG_TITLE = "やまぐち里山再生プロジェクト竹林整備と間伐材活用ワークショップ参加者募集"
# Addresses have no spaces, so they can overflow a narrow page unless the
# browser breaks them at hyphens or CSS wraps them anywhere.
LONG_ADDRESS = "satoyama-saisei-project-jimukyoku@example.jp"
LONG_URL = "https://example.jp/satoyama-saisei-project/2026/bamboo-thinning-workshop"


def scroll_overflow(page: Page) -> int:
    """Return how many CSS pixels the page scrolls sideways (0 when it fits)."""
    return page.evaluate(
        "() => document.scrollingElement.scrollWidth"
        " - document.scrollingElement.clientWidth"
    )


def japanese(message: str) -> str:
    """Return *message* as the Japanese page shows it, translated or not."""
    with translation.override("ja"):
        return translation.gettext(message)


def make_post() -> VolunteerPost:
    post = VolunteerPostFactory(
        title=LONG_TITLE,
        place="山口県山口市仁保下郷字ながいながいばしょのなまえ1234番地の5",
        description=f"竹林を整備します。詳しくは {LONG_URL} をご覧ください。",
        contact_email=LONG_ADDRESS,
        accepts_teams=True,
    )
    VolunteerSessionFactory(post=post, capacity=12)
    return post


def test_search_page_fits_phone(open_page):
    make_post()
    page = open_page(language="ja", width=PHONE_WIDTH, height=PHONE_HEIGHT)

    page.goto(reverse("volunteering:search"))

    expect(page.get_by_role("link", name=LONG_TITLE)).to_be_visible()
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / "search-375.png", full_page=True)
    assert scroll_overflow(page) == 0


def test_post_page_fits_phone(open_page):
    post = make_post()
    page = open_page(language="ja", width=PHONE_WIDTH, height=PHONE_HEIGHT)

    page.goto(reverse("volunteering:post_detail", args=[post.pk]))

    expect(page.get_by_role("heading", level=1)).to_have_text(LONG_TITLE)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / "post-375.png", full_page=True)
    assert scroll_overflow(page) == 0


def test_language_switch_to_english(open_page):
    post = make_post()
    page = open_page(language="ja", width=PHONE_WIDTH, height=PHONE_HEIGHT)
    page.goto(reverse("volunteering:post_detail", args=[post.pk]))
    expect(page.locator("html")).to_have_attribute("lang", "ja")

    page.get_by_label(japanese("Language")).select_option(label="English")
    page.get_by_role("button", name=japanese("Change"), exact=True).click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(LONG_TITLE)
    expect(page.get_by_role("heading", name="About the activity")).to_be_visible()
    assert scroll_overflow(page) == 0
