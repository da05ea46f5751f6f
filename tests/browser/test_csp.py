"""Pages run under the Content Security Policy with no violation.

Chromium reports each blocked script, style, image or frame as a
securitypolicyviolation event and as a console error. The walk records
both on the home page, the search, a post page, the log-in page, the
admin (index, a change list and an add form with its widgets) and the
Swagger UI of the API, and expects none.
"""

import pytest
from playwright.sync_api import Page, expect

from tests.factories import UserFactory, VolunteerSessionFactory

# Runs before any script of the page, so no violation is missed.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
  );
});
"""


@pytest.fixture
def watched_page(open_page):
    """Return a page that records CSP violations and console reports."""
    page = open_page()
    page.context.add_init_script(RECORD_VIOLATIONS)
    console_reports: list[str] = []
    page.on(
        "console",
        lambda message: (
            console_reports.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.console_reports = console_reports  # type: ignore[attr-defined]
    return page


def violations(page: Page) -> list[str]:
    return [*page.evaluate("window.__cspViolations"), *page.console_reports]  # type: ignore[attr-defined]


def visit(page: Page, path: str) -> list[str]:
    response = page.goto(path)
    assert response is not None
    assert response.status == 200, path
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    return violations(page)


def test_public_pages_without_violations(watched_page):
    session = VolunteerSessionFactory()
    found = {}

    for path in (
        "/",
        "/volunteer/",
        "/volunteer/?q=竹林",
        f"/volunteer/posts/{session.post.pk}/",
        "/accounts/login/",
    ):
        found[path] = visit(watched_page, path)

    assert {path: seen for path, seen in found.items() if seen} == {}


def test_admin_without_violations(watched_page):
    admin = UserFactory(email="admin@example.jp", is_staff=True, is_superuser=True)
    watched_page.goto("/admin/login/")
    watched_page.get_by_label("E-mail address").fill(admin.email)
    watched_page.get_by_label("Password").fill("correct horse 42")
    watched_page.get_by_role("button", name="Log in").click()
    expect(watched_page.locator("#site-name")).to_be_visible()
    found = {"/admin/login/": violations(watched_page)}

    for path in (
        "/admin/",
        "/admin/groups/civicgroup/",
        "/admin/groups/civicgroup/add/",
        "/admin/volunteering/volunteersession/add/",
    ):
        found[path] = visit(watched_page, path)

    assert {path: seen for path, seen in found.items() if seen} == {}


def test_api_docs_run_under_policy(watched_page):
    seen = visit(watched_page, "/api/docs/")

    expect(watched_page.locator(".swagger-ui .info .title")).to_be_visible()
    expect(watched_page.locator(".opblock").first).to_be_visible()
    assert seen == []


def test_blocked_inline_script_recorded(watched_page):
    visit(watched_page, "/")

    watched_page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.inlineRan = true;";
          document.body.append(script);
        }"""
    )
    watched_page.wait_for_timeout(200)

    assert watched_page.evaluate("window.inlineRan") is None
    assert any("script-src" in seen for seen in violations(watched_page))
