"""Every staff page passes axe-core at WCAG 2.1 AA, in Japanese and English.

The demo data (`manage.py load_demo_data`) is loaded into the live
server's database, and each demo staff account logs in and crawls the
portal: it starts at My page and at every URL pattern without parameters,
follows the links on each page it opens, and audits the first page of
every URL name it reaches. A page that an anonymous visitor can also open
is left to tests/browser/test_accessibility.py, but its links are
followed. Downloads and redirects are not audited. EXPECTED_URL_NAMES
lists the pages that the crawl must reach, so a lost link or demo row
fails the test instead of shrinking it.

States that no link leads to are opened by hand: staff forms submitted
empty, two-factor set-up and log-in, and the idle-session dialog.
"""

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from playwright.sync_api import APIRequestContext, Page, expect

from civic_portal.accounts.models import User
from civic_portal.fiscal import fiscal_year_of
from groups.models import AnnualGroupReport
from groups.services.reports import current_fiscal_year
from probono.models import SupportRequest
from probono.services.proposals import PROPOSABLE_STATES
from tests.browser.axe import describe_violations, find_violations
from tests.browser.axe.record import audited_pages, record_after_module
from tests.browser.steps import code_from_key, enter_password, log_in
from tests.browser.test_accessibility import (
    routes_without_parameters,
    submit_main_form,
)
from tests.factories import GroupMembershipFactory, UserFactory, centre_staff
from volunteering.demo import DEMO_DOMAIN, DEMO_PASSWORD
from volunteering.models import VolunteerPost, VolunteerSession

LANGUAGES = ["ja", "en"]
# The demo accounts in crawl order. Each page but My page is audited as
# the first account that can open it, so the roles that work on shared pages (the
# concierge on pro bono requests, centre staff on consultations) come
# before group staff. The pro bono worker, the partner company's staff
# and the teacher are not staff but use pages that only their role opens.
STAFF_ACCOUNTS = [
    "concierge",
    "worker",
    "facilitator",
    "chief",
    "partner-staff",
    "partner",
    "teacher",
    "centre-yamaguchi",
    "centre",
    "staff",
]
# Paths that are never followed: the log-out and language endpoints, the
# Django admin, the API and media files.
SKIPPED_PREFIXES = ("/admin/", "/api/", "/i18n/", "/media/", "/accounts/logout/")
# Downloads, which are not opened at all because some are logged as
# access to personal data.
FILE_SUFFIXES = (".atom", ".csv", ".ics", ".json", ".pdf", ".png", ".xlsx", ".zip")
# Pages that show each role its own sections, audited for every account.
AUDITED_FOR_EVERY_ACCOUNT = {"accounts:dashboard"}
# Staff forms that are also audited after an empty submission, by account.
FORMS_SUBMITTED_EMPTY = {
    "staff": [
        "volunteering:staff_post_create",
        "groups:event_create",
        "probono:request_new",
    ],
    "centre-yamaguchi": [
        "groups:consultation_record",
        "groups:grant_create",
        "campaigns:item_new",
    ],
    "facilitator": ["facilitation:case_new", "facilitation:partner_create"],
    "chief": ["facilitation:meeting_new", "facilitation:recognition_new"],
    "centre": ["groups:centre_create", "campaigns:campaign_new"],
}
# Pages that the crawl must reach, one per staff view, by URL name.
EXPECTED_URL_NAMES = {
    # Group staff.
    "accounts:dashboard",
    "volunteering:staff_posts",
    "volunteering:staff_post_detail",
    "volunteering:staff_post_edit",
    "volunteering:staff_post_create",
    "volunteering:post_applications",
    "volunteering:staff_session_applications",
    "volunteering:staff_session_attendance",
    "volunteering:staff_attendance_days",
    "volunteering:staff_report_create",
    "volunteering:staff_session_edit",
    "groups:manage",
    "groups:group_reports",
    "groups:report_create",
    "probono:request_list",
    "probono:request_new",
    "probono:request_detail",
    # Centre staff and prefectural staff.
    "groups:centre_home",
    "groups:review_queue",
    "groups:review_group",
    "groups:consultation_list",
    "groups:consultation_detail",
    "groups:consultation_record",
    "groups:centre_edit",
    "groups:report_overview",
    "indicators:dashboard",
    "indicators:white_paper",
    "indicators:white_paper_exports",
    # Concierge and pro bono.
    "probono:board",
    "probono:worker_list",
    "probono:worker_detail",
    "probono:project_workspace",
    "probono:proposal_candidates",
    "probono:my_worker",
    # Facilitators.
    "facilitation:case_list",
    "facilitation:case_detail",
    "facilitation:case_new",
    "facilitation:meeting_list",
    "facilitation:meeting_detail",
    "facilitation:partner_list",
    "facilitation:partner_detail",
    "facilitation:partner_create",
    # Campaign staff.
    "campaigns:campaign_new",
    "campaigns:participation_list",
    "campaigns:staff_loans",
    "campaigns:item_list",
    # Partners: health points and schools.
    "partner_links:partner_home",
    "partner_links:teacher_students",
    "partner_links:teacher_student_detail",
    # Two-factor set-up.
    "accounts:two_factor",
    "accounts:two_factor_setup",
}


def demo_email(key: str) -> str:
    return f"{key}@{DEMO_DOMAIN}"


@pytest.fixture(scope="module", autouse=True)
def audit_record(request, browser) -> Iterator[None]:
    yield from record_after_module(request, browser)


@pytest.fixture
def demo_data(portal_url) -> None:
    call_command("load_demo_data", "--seed", "2026", stdout=StringIO())
    # The demo files this year's report for groups picked by primary key,
    # which changes from test to test. Without a report, group staff get
    # the form for a new one.
    staff = User.objects.get(email=demo_email("staff"))
    AnnualGroupReport.objects.filter(
        group__in=staff.civic_groups.all(), fiscal_year=current_fiscal_year()
    ).delete()


def url_name(path: str) -> str | None:
    """Return the namespaced URL name of path, or None if it resolves to none."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def html_page(request: APIRequestContext, path: str) -> str | None:
    """Return the HTML that a GET of path returns with status 200, else None."""
    response = request.get(path, max_redirects=0)
    content_type = response.headers.get("content-type", "")
    if response.status != 200 or not content_type.startswith("text/html"):
        return None
    return response.text()


class LinkParser(HTMLParser):
    """Collect the href of every link in an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def same_site_links(base: str, html: str) -> list[str]:
    """Return the path and query of every link in html to this site's pages."""
    parser = LinkParser()
    parser.feed(html)
    links = []
    for href in parser.hrefs:
        url = urlsplit(urljoin(base, href))
        if url.scheme not in ("http", "https") or url.netloc != urlsplit(base).netloc:
            continue
        if url.path.startswith(SKIPPED_PREFIXES) or url.path.endswith(FILE_SUFFIXES):
            continue
        links.append(url.path + (f"?{url.query}" if url.query else ""))
    return links


class StaffCrawl:
    """Audit the pages that staff accounts reach, once per URL name."""

    def __init__(self, portal_url: str, anonymous: APIRequestContext, language: str):
        self.portal_url = portal_url
        self.anonymous = anonymous
        self.language = language
        # Whether an anonymous visitor can open the page, by URL name.
        self.public: dict[str, bool] = {}
        # The label of the page audited for each URL name.
        self.audited: dict[str, str] = {}
        self.failures: dict[str, str] = {}

    def crawl(self, page: Page, account: str, seeds: list[str]) -> None:
        """Audit the pages that account reaches from seeds and were not audited.

        Pages that were audited before or are public are opened only to
        follow their links, because a page shows each role different links.
        """
        queue = list(seeds)
        # URL names opened, and paths that did not return a page. A page
        # that account may not open (403) leaves its URL name open for
        # another path, such as the account's own group.
        opened: set[str] = set()
        rejected: set[str] = set()
        while queue:
            path = queue.pop(0)
            name = url_name(path)
            if name is None or name in opened or path in rejected:
                continue
            html = html_page(page.request, path)
            if html is None:
                rejected.add(path)
                continue
            opened.add(name)
            if self.needs_audit(name, path):
                page.goto(path)
                label = f"{path} as {account}"
                self.audited.setdefault(name, label)
                audit_current(page, label, self.failures)
            queue.extend(same_site_links(self.portal_url, html))

    def needs_audit(self, name: str, path: str) -> bool:
        if name in AUDITED_FOR_EVERY_ACCOUNT:
            return True
        if name in self.audited:
            return False
        if name not in self.public:
            self.public[name] = html_page(self.anonymous, path) is not None
        return not self.public[name]


def audit_current(page: Page, label: str, failures: dict[str, str]) -> None:
    """Audit the page as it is now, adding its report to failures under label."""
    language = page.locator("html").get_attribute("lang") or ""
    audited_pages[__name__].add((language, label))
    violations = find_violations(page)
    if violations:
        failures[label] = describe_violations(violations)


def report(failures: dict[str, str]) -> str:
    return "\n".join(f"{label}\n{text}" for label, text in failures.items())


def set_language(page: Page, portal_url: str, language: str) -> None:
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": portal_url}]
    )


def seed_paths(key: str) -> list[str]:
    """Return the pages of an account's role that no link of the crawl leads to.

    Some links show only in one state of a row (a request that is looking
    for workers, a session in the past), which the first row of its kind
    that the crawl opens may not be in.
    """
    if key == "concierge":
        searching = SupportRequest.objects.filter(state__in=PROPOSABLE_STATES).first()
        assert searching is not None
        return [reverse("probono:proposal_candidates", args=[searching.pk])]
    if key == "centre":
        year = fiscal_year_of(timezone.localdate())
        return [
            reverse("indicators:white_paper_exports", args=[year]),
            reverse("indicators:white_paper", args=[year]),
        ]
    if key == "staff":
        group = User.objects.get(email=demo_email(key)).civic_groups.first()
        assert group is not None
        posts = VolunteerPost.objects.filter(group=group)
        year_round = posts.filter(kind=VolunteerPost.Kind.YEAR_ROUND).first()
        sessions = VolunteerSession.objects.filter(post__in=posts).order_by("starts_at")
        past = sessions.filter(starts_at__lt=timezone.now()).last()
        upcoming = sessions.filter(starts_at__gt=timezone.now()).first()
        assert year_round is not None
        assert past is not None
        assert upcoming is not None
        return [
            reverse("groups:report_create", args=[group.pk]),
            reverse("volunteering:staff_attendance_days", args=[year_round.pk]),
            reverse("volunteering:staff_session_applications", args=[past.pk]),
            reverse("volunteering:staff_session_attendance", args=[past.pk]),
            reverse("volunteering:staff_session_edit", args=[upcoming.pk]),
        ]
    return []


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_pages(open_page, portal_url, demo_data, language):
    crawl = StaffCrawl(portal_url, open_page().request, language)
    seeds = [reverse("accounts:dashboard"), *routes_without_parameters()]
    form_failures: dict[str, str] = {}
    for key in STAFF_ACCOUNTS:
        page = open_page()
        log_in(page, demo_email(key), DEMO_PASSWORD)
        set_language(page, portal_url, language)
        crawl.crawl(page, key, [*seed_paths(key), *seeds])
        for name in FORMS_SUBMITTED_EMPTY.get(key, []):
            submit_main_form(page, reverse(name))
            expect(page.locator(".errorlist, [role=alert]").first).to_be_visible()
            audit_current(page, f"{name} as {key} (errors shown)", form_failures)
        page.context.close()

    assert not crawl.failures, report(crawl.failures)
    assert not form_failures, report(form_failures)
    missing = EXPECTED_URL_NAMES - set(crawl.audited)
    assert not missing, f"pages not reached: {sorted(missing)}"


def submit_code(page: Page, code: str) -> None:
    page.locator("main input[name=code]").fill(code)
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").first.click()


@pytest.mark.parametrize("language", LANGUAGES)
def test_two_factor_pages(open_page, portal_url, settings, language):
    settings.TWO_FACTOR_ENFORCED = True
    user = centre_staff(UserFactory(email="a11y-2fa@example.jp"))
    page = open_page()
    failures: dict[str, str] = {}

    # Set-up is required at the first log-in of a centre staff account.
    enter_password(page, user.email)
    expect(page).to_have_url(re.compile(reverse("accounts:two_factor_setup")))
    set_language(page, portal_url, language)
    page.reload()
    audit_current(page, "two-factor set-up", failures)
    key_text = page.locator("[data-totp-key]").inner_text()
    submit_code(page, "000000")
    expect(page.locator("#id_code_error")).to_be_visible()
    audit_current(page, "two-factor set-up (wrong code)", failures)
    # One wrong code makes the device wait a second before the next try.
    page.wait_for_timeout(1500)
    submit_code(page, code_from_key(key_text))
    expect(page.locator("[data-backup-codes] li")).to_have_count(10)
    audit_current(page, "two-factor backup codes", failures)
    for name in ("accounts:two_factor", "accounts:two_factor_disable"):
        page.goto(reverse(name))
        audit_current(page, name, failures)

    # The second log-in requires a code from the app.
    page.context.clear_cookies()
    set_language(page, portal_url, "en")
    enter_password(page, user.email)
    expect(page).to_have_url(re.compile(reverse("accounts:two_factor_verify")))
    set_language(page, portal_url, language)
    page.reload()
    audit_current(page, "two-factor log-in", failures)
    submit_code(page, "000000")
    expect(page.locator("#id_code_error")).to_be_visible()
    audit_current(page, "two-factor log-in (wrong code)", failures)
    assert not failures, report(failures)


@pytest.mark.parametrize("language", LANGUAGES)
def test_idle_session_dialog(open_page, portal_url, settings, language):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 10
    settings.SESSION_IDLE_WARNING_SECONDS = 7
    staff = GroupMembershipFactory(user__email="a11y-idle@example.jp").user
    page = open_page()
    log_in(page, staff.email)
    set_language(page, portal_url, language)
    page.goto(reverse("volunteering:staff_posts"))
    failures: dict[str, str] = {}

    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible(timeout=10_000)
    audit_current(page, "idle-session warning", failures)
    expect(dialog.get_by_role("link")).to_be_visible(timeout=13_000)
    audit_current(page, "idle-session end", failures)
    assert not failures, report(failures)
