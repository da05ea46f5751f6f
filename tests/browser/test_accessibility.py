"""Every public and resident-facing page passes axe-core at WCAG 2.1 AA.

The pages without URL parameters are enumerated from the URL conf and
opened anonymously and as a signed-in resident. Every one that returns
an HTML page is audited. Pages with parameters (a post, a group, an
event) and states that need input (search results, forms with errors) are
listed by hand below, on data made by the factories. Staff-only pages,
where a resident gets 403 or a log-in redirect, are audited in
tests/browser/test_accessibility_staff.py. Each page is audited in
Japanese and in English.

With ACCESSIBILITY_AUDIT_RECORD=1 and every audit here and in the staff
module passing, tests/browser/axe/record.py writes
civic_portal/accessibility_audit.json, which the accessibility policy
page shows as the date and result of the last test.
"""

import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import Page

from tests.browser.axe import describe_violations, find_violations
from tests.browser.axe.record import audited_pages, record_after_module
from tests.browser.steps import log_in
from tests.factories import (
    CivicGroupFactory,
    EventFactory,
    GrantNoticeFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)

# Route prefixes that are not portal pages: the Django admin (staff only,
# Django's own templates), the API and its Swagger UI (third-party
# templates), the language switch (a POST endpoint) and media files.
SKIPPED_PREFIXES = ("admin/", "api/", "i18n/", "^media")
LANGUAGES = ["ja", "en"]


@pytest.fixture(scope="module", autouse=True)
def audit_record(request, browser) -> Iterator[None]:
    yield from record_after_module(request, browser)


def routes_without_parameters() -> Iterator[str]:
    """Yield the path of every URL pattern that takes no parameter."""

    def walk(patterns, prefix: str) -> Iterator[str]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and not re.search(r"[<(^$]", route):
                yield "/" + route

    yield from walk(get_resolver().url_patterns, "")


def audit(page: Page, paths: list[str]) -> dict[str, str]:
    """Open each path and return axe's report for those with violations."""
    failures = {}
    for path in paths:
        # Fetch the path first, because page.goto raises on a 405 or a download.
        probe = page.request.get(path, max_redirects=0)
        content_type = probe.headers.get("content-type", "")
        if probe.status != 200 or not content_type.startswith("text/html"):
            continue
        page.goto(path)
        audit_current(page, path, failures)
    return failures


def audit_current(page: Page, label: str, failures: dict[str, str]) -> None:
    """Audit the page as it is now, adding its report to failures under label."""
    violations = find_violations(page)
    audited_pages[__name__].add((page_language(page), label))
    if violations:
        failures[label] = describe_violations(violations)


def page_language(page: Page) -> str:
    return page.locator("html").get_attribute("lang") or ""


def report(failures: dict[str, str]) -> str:
    return "\n".join(f"{path}\n{text}" for path, text in failures.items())


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_without_parameters_anonymous(open_page, language):
    page = open_page(language=language)
    failures = audit(page, list(routes_without_parameters()))
    assert not failures, report(failures)


@pytest.fixture
def portal_data(portal_url):
    """Make a small portal: a group with a post, an event and a grant."""
    group = CivicGroupFactory(name="里山保全の会")
    post = VolunteerPostFactory(group=group, title="竹林の間伐", accepts_teams=True)
    VolunteerSessionFactory(post=post, capacity=2)
    VolunteerSessionFactory(post=VolunteerPostFactory(group=group, title="海岸清掃"))
    event = EventFactory(group=group)
    grant = GrantNoticeFactory()
    return {"group": group, "post": post, "event": event, "grant": grant}


def submit_main_form(page: Page, path: str) -> None:
    """Open path and submit its main form empty, so the errors show."""
    page.goto(path)
    form = page.locator("main form[method=post]").last
    form.evaluate("form => { form.noValidate = true; }")
    with page.expect_navigation():
        form.locator("button[type=submit]").last.click()


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_with_data(open_page, portal_data, language):
    page = open_page(language=language)
    search = reverse("volunteering:search")
    paths = [
        reverse("home"),
        f"{search}?q=竹林",
        f"{search}?q=該当のない言葉",
        reverse("volunteering:post_detail", args=[portal_data["post"].pk]),
        reverse("groups:directory"),
        reverse("groups:detail", args=[portal_data["group"].pk]),
        reverse("groups:event_list"),
        reverse("groups:event_detail", args=[portal_data["event"].pk]),
        reverse("groups:grant_detail", args=[portal_data["grant"].pk]),
    ]
    failures = audit(page, paths)
    for path in [reverse("accounts:signup"), reverse("accounts:login")]:
        submit_main_form(page, path)
        audit_current(page, f"{path} (errors shown)", failures)
    assert not failures, report(failures)


@pytest.mark.parametrize("language", LANGUAGES)
def test_resident_pages(open_page, portal_url, portal_data, language):
    resident = UserFactory(email="a11y-resident@example.jp")
    # The log-in step fills the English form, then the cookie sets the
    # language under test.
    page = open_page(language="en")
    log_in(page, resident.email)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": portal_url}]
    )
    page.goto(reverse("home"))
    assert page.locator("html").get_attribute("lang") == language
    post_path = reverse("volunteering:post_detail", args=[portal_data["post"].pk])
    paths = [*routes_without_parameters(), post_path]
    failures = audit(page, paths)

    # The apply form with an error shown: a team larger than the places.
    page.goto(post_path)
    page.locator("main form input[name$=party_size]").first.fill("5")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert page.get_by_role("alert").count() > 0
    audit_current(page, f"{post_path} (apply error)", failures)

    # The apply flow's end: the confirmation on the resident's applications.
    page.goto(post_path)
    page.locator("main form input[name$=party_size]").first.fill("1")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert page.get_by_role("status").count() > 0
    audit_current(page, "my applications (after applying)", failures)

    submit_main_form(page, reverse("accounts:profile"))
    audit_current(page, "profile (errors shown)", failures)
    assert not failures, report(failures)
