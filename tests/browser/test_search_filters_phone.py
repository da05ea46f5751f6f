"""On a phone the search keyword and button fit the first screen."""

from django.urls import reverse
from playwright.sync_api import expect

PHONE_WIDTH = 375
PHONE_HEIGHT = 812


def test_keyword_and_button_in_first_screen(open_page):
    page = open_page(width=PHONE_WIDTH, height=PHONE_HEIGHT)

    page.goto(reverse("volunteering:search"))
    filters = page.get_by_role("search", name="Search filters")

    expect(filters.get_by_label("Keyword")).to_be_in_viewport()
    expect(filters.get_by_role("button", name="Search", exact=True)).to_be_in_viewport()
    expect(filters.get_by_label("Municipality")).to_be_hidden()


def test_more_filters_open_when_set(open_page):
    page = open_page(width=PHONE_WIDTH, height=PHONE_HEIGHT)

    page.goto(reverse("volunteering:search") + "?online=on")
    filters = page.get_by_role("search", name="Search filters")

    expect(filters.get_by_label("Online only")).to_be_visible()
    expect(filters.get_by_label("Online only")).to_be_checked()
