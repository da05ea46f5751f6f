"""The campaign loan tables on a 375 px wide phone, in Japanese."""

from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page

from campaigns.models import Loan
from tests.browser.steps import line_counts, log_in, page_overflow
from tests.campaigns.factories import LoanFactory
from tests.factories import UserFactory, centre_staff

PHONE_WIDTH = 375
PHONE_HEIGHT = 800
# Two 16 px characters and the cell's padding (2 × 0.4 rem): a column
# must hold a two-character word such as 数量 on one line.
MIN_COLUMN_PX = 44


def assert_table_readable(page: Page, table: str) -> None:
    assert page_overflow(page) == 0
    widths = page.locator(f"{table} th[scope=col]").evaluate_all(
        "cells => cells.map(cell => cell.getBoundingClientRect().width)"
    )
    assert min(widths) >= MIN_COLUMN_PX, widths
    # Headers such as 貸出期間 stay on one line instead of one line per
    # character, and a ten-character item name takes at most two lines.
    visible_headers = f"{table} th[scope=col]:not(:has(.visually-hidden))"
    assert max(line_counts(page, visible_headers)) == 1
    assert max(line_counts(page, f"{table} tbody td:first-child")) <= 2


def japanese_phone(open_page, portal_url: str, email: str) -> Page:
    phone = open_page(width=PHONE_WIDTH, height=PHONE_HEIGHT)
    log_in(phone, email)
    phone.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ja", "url": portal_url}]
    )
    return phone


def test_loan_tables_readable_on_phone(open_page, portal_url):
    loan = LoanFactory(item__name="キャンペーンのぼり旗", status=Loan.Status.REQUESTED)
    staff = centre_staff(UserFactory(email="centre@example.jp"))

    phone = japanese_phone(open_page, portal_url, staff.email)
    phone.goto(reverse("campaigns:staff_loans"))
    assert_table_readable(phone, ".loan-table")

    resident = japanese_phone(open_page, portal_url, loan.participation.user.email)
    resident.goto(
        reverse("campaigns:participation_detail", args=[loan.participation_id])
    )
    assert_table_readable(resident, ".loan-table")
