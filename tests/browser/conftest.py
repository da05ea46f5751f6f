"""Playwright fixtures: the portal on a live server, driven by Debian's Chromium.

Every test under tests/browser is marked `browser` and is skipped when
/usr/bin/chromium is missing (`apt-get install chromium`); Playwright's own
browser download is not used.
"""

import importlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
# Headless, and without the background connections that a closed network
# refuses; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BROWSER_DIR = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark browser tests before `-m` selection runs, and skip without Chromium."""
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not found: apt-get install chromium")
    for item in items:
        if BROWSER_DIR not in item.path.parents:
            continue
        item.add_marker(pytest.mark.browser)
        if not CHROMIUM.exists():
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


# The data migrations whose loaders put reference data and roles back.
# Each loader is idempotent (update_or_create or get_or_create).
REFERENCE_LOADERS = [
    ("groups.migrations.0002_reference_data", "load"),
    ("probono.migrations.0002_skill_reference_data", "load"),
    ("probono.migrations.0004_concierge_role", "create"),
    ("facilitation.migrations.0002_facilitator_role_and_historical_totals", "create"),
    ("indicators.migrations.0002_recorded_values", "load"),
]


@pytest.fixture
def portal_url(django_db_serialized_rollback, live_server) -> str:
    """Return the live server's base URL, with the reference data in place.

    The live server needs a transactional database, which is flushed after
    each test. The serialized rollback should bring the reference data
    (municipalities, skills, roles) back, but on SQLite after other tests
    it has come back empty, so the data migrations' loaders run again.
    """
    for module, function in REFERENCE_LOADERS:
        getattr(importlib.import_module(module), function)(django_apps, None)
    return live_server.url


@pytest.fixture(scope="session", autouse=True)
def _allow_database_in_event_loop() -> Iterator[None]:
    # Playwright's sync API runs an event loop in the test thread, and Django
    # would otherwise reject database access there (SynchronousOnlyOperation).
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture
def page(browser: Browser, portal_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=portal_url, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def open_page(browser: Browser, portal_url: str) -> Iterator[Callable[..., Page]]:
    """Return a function that opens a page in a new browser context.

    Each context keeps its own cookies, so a walk can have a volunteer and
    group staff logged in at once. Pages are in English by default, so the
    tests can assert the exact English source messages, which a Japanese
    translation added later does not change. The language cookie is set
    as the language switch sets it, because the cookie wins over a user's
    preferred language (Japanese for factory-made users). Pass
    language="ja" for the default language, with no cookie.
    """
    contexts: list[BrowserContext] = []

    def open_new_page(
        *, language: str = "en", width: int = 1280, height: int = 800
    ) -> Page:
        context = browser.new_context(
            base_url=portal_url,
            locale="en-GB" if language == "en" else "ja-JP",
            viewport={"width": width, "height": height},
        )
        contexts.append(context)
        # Chromium asks for the icon on its own after a page loads. Left to
        # the live server, that request can outlive the test and close the
        # shared SQLite connection from its thread, which pytest reports.
        context.route("**/favicon*", lambda route: route.fulfill(status=204))
        if language != "ja":
            context.add_cookies(
                [
                    {
                        "name": settings.LANGUAGE_COOKIE_NAME,
                        "value": language,
                        "url": portal_url,
                    }
                ]
            )
        new_page = context.new_page()
        new_page.set_default_timeout(10_000)
        return new_page

    yield open_new_page
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def _media_through_portal_view(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send /media/ requests to the portal's media view, as in production.

    Django's live server serves them itself from MEDIA_ROOT, without the
    permission rules (django.test.testcases._MediaFilesHandler, Django 5.2).
    """
    from django.test.testcases import _MediaFilesHandler

    monkeypatch.setattr(_MediaFilesHandler, "_should_handle", lambda self, path: False)
