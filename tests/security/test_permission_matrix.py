"""Request every URL as every role and compare each response with the rules.

The world of tests/security/permission_world.py is built once for the
module inside a transaction that is rolled back at the end; each test
runs in a savepoint of its own, so a POST that changes data leaves the
world as it was for the next test. Each role's client reuses one session
made by force_login.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import reverse

from civic_portal.security.permissions.api_rules import API_RULES
from civic_portal.security.permissions.document import (
    MATRIX_PATH,
    build_matrix_markdown,
)
from civic_portal.security.permissions.page_rules import ADMIN_SITE_RULE, PAGE_RULES
from civic_portal.security.permissions.resolver import (
    UrlEntry,
    admin_entries,
    api_entries,
    page_entries,
)
from civic_portal.security.permissions.rules import Role, Rule
from tests.security.permission_world import World, build_world

REFUSED = {403, 404}
# A JSON endpoint outside /api/, such as the session keep-alive, returns
# 401 to an anonymous request.
PAGE_ANONYMOUS_REFUSED = {401, 403, 404}
# An object that an anonymous request may not see is not found, as for a
# signed-in one.
API_ANONYMOUS_REFUSED = {401, 403, 404}
REDIRECTS = {301, 302, 303, 307, 308}


@pytest.fixture(scope="module")
def world_media(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("permission-media")


@pytest.fixture(autouse=True)
def _media_root(settings, world_media):
    """Keep the world's files, instead of the suite's empty folder per test."""
    settings.MEDIA_ROOT = world_media


@pytest.fixture(scope="module")
def world(
    django_db_setup, django_db_blocker, world_media
) -> Iterator[tuple[World, dict[Role, str]]]:
    """Build the world and sign each role in once; roll it all back at the end."""
    started = time.monotonic()
    # The LINE pages return 404 while no channel is configured. None of the requests
    # below calls the LINE API: the webhook checks the signature first and
    # the link page needs a link token.
    line = {"LINE_CHANNEL_ACCESS_TOKEN": "matrix", "LINE_CHANNEL_SECRET": "matrix"}
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=world_media, **line),
        transaction.atomic(),
    ):
        built = build_world()
        sessions = {}
        for role, user in built.users.items():
            client = Client()
            client.force_login(user)
            sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        print(f"\npermission world built in {time.monotonic() - started:.1f} s")
        yield built, sessions
        transaction.set_rollback(True)


def _client(sessions: dict[Role, str], role: Role) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if role != Role.ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
    return client


def _request(client: Client, rule: Rule, url: str) -> HttpResponse:
    if rule.method == "POST":
        return client.post(url, {})
    if rule.method in {"PATCH", "PUT", "DELETE"}:
        return client.generic(rule.method, url, "{}", content_type="application/json")
    return client.get(url)


def _redirects_to(response: HttpResponse, path: str) -> bool:
    if response.status_code not in REDIRECTS:
        return False
    return urlsplit(response["Location"]).path == path


def _url(rule: Rule, world: World) -> str:
    if not rule.target:
        return reverse(rule.name)
    return reverse(rule.name, kwargs=world.kwargs[rule.target])


def _check(rule: Rule, role: Role, response: HttpResponse, *, api: bool) -> None:
    status = response.status_code
    to_login = _redirects_to(response, reverse(settings.LOGIN_URL))
    where = f"{rule.method} {rule.name} as {role}: {status}"
    if role in rule.allow:
        assert status not in {401, 403, 404}, f"{where}, expected the page"
        assert not to_login, f"{where} to the log-in page, expected the page"
        return
    if role == Role.ANONYMOUS:
        if api:
            refused = status in API_ANONYMOUS_REFUSED
        else:
            refused = status in PAGE_ANONYMOUS_REFUSED or to_login
        assert refused, f"{where}, expected a refusal or the log-in page"
        return
    assert status in REFUSED, f"{where}, expected 403 or 404"


def _case_id(rule: Rule, role: Role) -> str:
    # The target is named only where a URL has rules for several targets.
    target = f"-{rule.target}" if rule.target else ""
    return f"{rule.method}-{rule.name}{target}-{role}"


def _cases(rules: list[Rule]) -> list[pytest.param]:
    return [
        pytest.param(rule, role, id=_case_id(rule, role))
        for rule in rules
        for role in Role
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("rule", "role"), _cases(PAGE_RULES))
def test_page_rule(world, rule, role):
    built, sessions = world
    response = _request(_client(sessions, role), rule, _url(rule, built))
    _check(rule, role, response, api=False)


@pytest.mark.django_db
@pytest.mark.parametrize(("rule", "role"), _cases(API_RULES))
def test_api_rule(world, rule, role):
    built, sessions = world
    response = _request(_client(sessions, role), rule, _url(rule, built))
    _check(rule, role, response, api=True)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_admin_changelists(world, role):
    """Every registered model's changelist is for ADMIN only."""
    _built, sessions = world
    client = _client(sessions, role)
    login = reverse("admin:login")
    wrong = []
    for model in admin.site._registry:
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        response = client.get(url)
        if role in ADMIN_SITE_RULE.allow:
            ok = response.status_code == 200
        else:
            ok = response.status_code == 403 or _redirects_to(response, login)
        if not ok:
            wrong.append(f"{url}: {response.status_code}")
    assert wrong == [], f"admin changelists as {role}"


def _missing_rules(entries: list[UrlEntry], rules: list[Rule]) -> list[str]:
    names = {rule.name for rule in rules}
    return sorted(
        entry.describe()
        for entry in entries
        if entry.name is None or entry.name not in names
    )


def _rules_without_url(entries: list[UrlEntry], rules: list[Rule]) -> list[str]:
    names = {entry.name for entry in entries}
    return sorted(rule.name for rule in rules if rule.name not in names)


def test_every_page_has_rule():
    assert _missing_rules(page_entries(), PAGE_RULES) == []


def test_every_page_rule_names_url():
    assert _rules_without_url(page_entries(), PAGE_RULES) == []


def test_page_rules_unique():
    names = [(rule.name, rule.method, rule.target) for rule in PAGE_RULES]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    assert duplicates == []


def test_admin_urls_are_admin_site():
    """Every admin URL is named in the admin namespace, under one rule."""
    unnamed_outside = [
        entry.describe() for entry in admin_entries() if entry.namespace != "admin"
    ]
    assert unnamed_outside == []
    assert ADMIN_SITE_RULE.name == "admin:index"


def test_every_api_url_has_rule():
    assert _missing_rules(api_entries(), API_RULES) == []


def test_every_api_rule_names_url():
    assert _rules_without_url(api_entries(), API_RULES) == []


def test_api_rules_unique():
    names = [(rule.name, rule.method) for rule in API_RULES]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    assert duplicates == []


@pytest.mark.django_db
def test_rule_targets_exist(world):
    built, _sessions = world
    targets = {rule.target for rule in PAGE_RULES + API_RULES if rule.target}
    assert sorted(targets - set(built.kwargs)) == []


def test_committed_matrix_is_current():
    committed = (Path(settings.BASE_DIR) / MATRIX_PATH).read_text(encoding="utf-8")
    assert committed == build_matrix_markdown(), (
        f"{MATRIX_PATH} is stale: run python manage.py permission_matrix"
    )
