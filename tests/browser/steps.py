"""Steps that several browser walks share: logging in and raw form posts."""

import base64
import time

from django.urls import reverse
from django_otp.oath import TOTP
from playwright.sync_api import APIResponse, Page, expect

# The password that tests.factories.UserFactory gives every user.
PASSWORD = "correct horse 42"


def log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Log in through the real log-in page and wait until it has worked."""
    page.goto(reverse("accounts:login"))
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def enter_password(page: Page, email: str) -> None:
    """Submit the log-in form, leaving the page at the step that follows."""
    page.goto(reverse("accounts:login"))
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()


def code_from_key(key_text: str, steps_ahead: int = 0) -> str:
    """Compute the code an authenticator app shows for the base32 *key_text*."""
    key = key_text.replace(" ", "")
    key += "=" * (-len(key) % 8)
    totp = TOTP(base64.b32decode(key), step=30, t0=0, digits=6)
    totp.time = time.time() + steps_ahead * 30
    return f"{totp.token():06d}"


def post_with_csrf(page: Page, path: str) -> APIResponse:
    """Send an empty POST to *path* with the page's cookies and CSRF token.

    This is what a crafted form on another page would send, so it checks a
    view's own permission test rather than the missing button.
    """
    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    return page.request.post(
        path,
        headers={"X-CSRFToken": cookies["csrftoken"]},
        max_redirects=0,
    )


def page_overflow(page: Page) -> int:
    """Return how many pixels the page is wider than the window."""
    return page.evaluate(
        "() => document.scrollingElement.scrollWidth"
        " - document.scrollingElement.clientWidth"
    )


def line_counts(page: Page, selector: str) -> list[int]:
    """Return the number of lines of text in each element matching *selector*."""
    return page.evaluate(
        """selector => Array.from(document.querySelectorAll(selector)).map(cell => {
            const range = document.createRange();
            range.selectNodeContents(cell);
            const tops = new Set(Array.from(range.getClientRects()).map(r => r.top));
            return tops.size;
        })""",
        selector,
    )
