"""Pages carry no inline script, event handler, javascript: URL or style.

The Content Security Policy blocks all of these, so a page that has one
breaks in the browser. Every page of the URL conf is rendered anonymously
and for a signed-in resident, with a published post, group, event and
grant in the database, and its HTML is parsed for inline code.
"""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import (
    EventFactory,
    GrantNoticeFactory,
    UserFactory,
    VolunteerSessionFactory,
)
from tests.security.urlconf import endpoints

pytestmark = pytest.mark.django_db

# Script types that browsers do not run, so the policy allows them inline.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}


class InlineCodeFinder(HTMLParser):
    """Collects the inline code of a page that the policy would block."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._inline_element = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler")
            elif name == "style":
                self.problems.append(f"<{tag} style=...> attribute")
            elif name in URL_ATTRIBUTES and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}=javascript:...>")
        script_type = (values.get("type") or "").lower()
        if tag == "style":
            self._inline_element = "style"
        elif (
            tag == "script"
            and "src" not in values
            and script_type not in DATA_SCRIPT_TYPES
        ):
            self._inline_element = "script"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._inline_element = ""

    def handle_data(self, data: str) -> None:
        if self._inline_element and data.strip():
            self.problems.append(
                f"inline <{self._inline_element}>: {data.strip()[:60]}"
            )


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.problems


def test_finder_catches_each_kind():
    html = (
        '<a href="javascript:alert(1)" onclick="x()">a</a><p style="color:red"></p>'
        "<script>alert(1)</script><style>p{}</style>"
        '<script src="/static/js/a.js"></script>'
        '<script type="application/json">{"a": 1}</script>'
    )

    problems = inline_code(html)

    assert len(problems) == 5, problems


@pytest.fixture
def public_objects():
    session = VolunteerSessionFactory()
    event = EventFactory(group=session.post.group)
    grant = GrantNoticeFactory()
    return {
        "volunteering:post_detail": session.post.pk,
        "groups:detail": session.post.group.pk,
        "groups:event_detail": event.pk,
        "groups:grant_detail": grant.pk,
    }


def checked_pages(browser: Client, extra_paths: dict[str, str]) -> dict[str, list]:
    """GET every page but the API; map each HTML page found to its problems.

    Redirects are followed, so a page that sends a bare year to the latest
    one (the white paper, for example) is checked too.
    """
    paths = {
        endpoint.name: endpoint.path
        for endpoint in endpoints()
        if not endpoint.path.startswith(("/api/", "/admin/"))
    }
    paths.update(extra_paths)
    results = {}
    for name, path in paths.items():
        response = browser.get(path, follow=True)
        content_type = response.get("Content-Type", "")
        if response.status_code == 200 and content_type.startswith("text/html"):
            results[name] = inline_code(response.content.decode())
    return results


def detail_paths(public_objects) -> dict[str, str]:
    return {
        f"{name} (existing)": reverse(name, args=[pk])
        for name, pk in public_objects.items()
    }


def test_public_pages_have_no_inline_code(public_objects):
    browser = Client(raise_request_exception=False)

    results = checked_pages(browser, detail_paths(public_objects))

    for name in (
        "home",
        "volunteering:search",
        "accounts:login",
        "privacy",
        "indicators:white_paper",
    ):
        assert name in results
    for name in public_objects:
        assert f"{name} (existing)" in results
    assert {name: found for name, found in results.items() if found} == {}


def test_resident_pages_have_no_inline_code(public_objects, resident):
    browser = Client(raise_request_exception=False)
    browser.force_login(resident)

    results = checked_pages(browser, detail_paths(public_objects))

    for name in ("accounts:dashboard", "accounts:profile"):
        assert name in results
    assert {name: found for name, found in results.items() if found} == {}


def test_admin_pages_have_no_inline_code():
    browser = Client()
    browser.force_login(
        UserFactory(email="admin@example.jp", is_staff=True, is_superuser=True)
    )
    problems = {}

    for path in (
        "/admin/",
        "/admin/groups/civicgroup/",
        "/admin/groups/civicgroup/add/",
        "/admin/accounts/user/add/",
    ):
        response = browser.get(path)

        assert response.status_code == 200, path
        problems[path] = inline_code(response.content.decode())

    assert {path: found for path, found in problems.items() if found} == {}


def test_api_docs_have_no_inline_code(client):
    response = client.get("/api/docs/")

    assert inline_code(response.content.decode()) == []
