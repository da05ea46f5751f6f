"""The indicator tables and the white paper export page in Chromium.

The tables run on a 375 px wide phone: a table wider than the screen
scrolls inside its own box with a hint above it, or stacks its rows, and
the page itself never scrolls sideways. Every page runs under the portal's Content
Security Policy, so a blocked inline style or script shows up here.
"""

from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from indicators.models import WhitePaperExport
from tests.browser.steps import log_in
from tests.factories import UserFactory, centre_staff
from tests.indicators.rows_data import FISCAL_YEAR, build_year_data

PHONE_WIDTH = 375
PHONE_HEIGHT = 800
# A stacked year row of the series table is six to eight lines of about
# 24 px. Squeezed into five columns, a row with a recorded value's source
# was taller than that.
MAX_SERIES_ROW_HEIGHT = 240


def page_overflow(page: Page) -> int:
    return page.evaluate(
        "() => document.scrollingElement.scrollWidth"
        " - document.scrollingElement.clientWidth"
    )


def scrolls_sideways(page: Page, selector: str) -> bool:
    return page.locator(selector).evaluate("box => box.scrollWidth > box.clientWidth")


def watch_policy_errors(page: Page) -> list[str]:
    """Collect the console errors of blocked inline styles and scripts."""
    errors: list[str] = []

    def record(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            errors.append(message.text)

    page.on("console", record)
    return errors


def prefectural_staff():
    return centre_staff(UserFactory(email="pref@example.jp"), scope="prefecture")


def test_white_paper_tables_scroll_on_phone(open_page):
    build_year_data()
    phone = open_page(width=PHONE_WIDTH, height=PHONE_HEIGHT)
    errors = watch_policy_errors(phone)
    log_in(phone, prefectural_staff().email)

    phone.goto(reverse("indicators:white_paper", args=[FISCAL_YEAR]))

    table = phone.locator("#indicators-heading ~ .table-scroll table.figures.wide")
    assert page_overflow(phone) == 0
    assert scrolls_sideways(phone, "#indicators-heading ~ .table-scroll")
    # The linked stylesheet applies: the table's layout is the fixed one.
    assert table.evaluate("t => getComputedStyle(t).tableLayout") == "fixed"
    expect(phone.locator("#indicators-heading ~ .scroll-hint")).to_be_visible()
    name_cell = table.locator("tbody th[scope=row]").first
    assert name_cell.evaluate("cell => cell.getBoundingClientRect().width") >= 100
    expect(phone.locator("svg#series-civic_groups")).to_be_visible()
    assert errors == []


def test_matches_series_table_on_phone(open_page, portal_url):
    build_year_data()
    phone = open_page(width=PHONE_WIDTH, height=PHONE_HEIGHT)
    errors = watch_policy_errors(phone)
    log_in(phone, prefectural_staff().email)
    # Japanese from here on, as the language switch sets it: the year
    # labels are longest in Japanese.
    phone.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ja", "url": portal_url}]
    )

    phone.goto(f"{reverse('indicators:dashboard')}?year={FISCAL_YEAR}")

    box = "#figure-volunteer_matches .indicator-scroll"
    assert page_overflow(phone) == 0
    assert scrolls_sideways(phone, box)
    expect(phone.locator("#figure-volunteer_matches .scroll-hint")).to_be_visible()
    years = phone.locator("#chart-table-volunteer_matches tbody th")
    for height in years.evaluate_all(
        "cells => cells.map(cell => cell.getBoundingClientRect().height)"
    ):
        assert height < 60

    phone.goto(reverse("indicators:detail", args=["volunteer_matches"]))

    # The series table stacks each year's cells under the year, labelled
    # with their column, so a recorded value's source gets the full width.
    assert page_overflow(phone) == 0
    table = phone.locator("#indicator-series")
    assert table.evaluate("t => t.scrollWidth <= t.clientWidth")
    recorded = table.locator("tbody tr").first.locator("td").nth(1)
    assert recorded.evaluate("cell => getComputedStyle(cell).display") == "block"
    label = recorded.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"記録値: "'
    assert recorded.evaluate("cell => cell.getBoundingClientRect().width") > 300
    for height in table.locator("tbody tr").evaluate_all(
        "rows => rows.map(row => row.getBoundingClientRect().height)"
    ):
        assert height < MAX_SERIES_ROW_HEIGHT
    assert errors == []


def test_export_page_polls_until_done(open_page):
    staff = prefectural_staff()
    export = WhitePaperExport.objects.create(
        fiscal_year=FISCAL_YEAR,
        requested_by=staff,
        status=WhitePaperExport.Status.RUNNING,
        step=WhitePaperExport.Step.PDF,
        progress=35,
    )
    page = open_page()
    errors = watch_policy_errors(page)
    log_in(page, staff.email)

    page.goto(reverse("indicators:white_paper_exports", args=[FISCAL_YEAR]))
    status = page.locator('[data-field="status_text"]')
    expect(status).to_have_text("Writing the PDF…")
    WhitePaperExport.objects.filter(pk=export.pk).update(
        status=WhitePaperExport.Status.DONE,
        step=WhitePaperExport.Step.FINISHED,
        progress=100,
    )

    # The script polls every two seconds.
    expect(status).to_have_text(
        "Done. The PDF, the Excel workbook and the HTML are ready."
    )
    expect(page.locator('[data-field="downloads"]')).to_be_visible()
    assert page.locator("progress").evaluate("bar => bar.value") == 100
    assert errors == []
