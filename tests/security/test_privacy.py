"""No personal data in caches, URLs or logs.

Responses to a signed-in user and responses that set a cookie are sent
with Cache-Control: private, no-store (PrivateResponseMiddleware). Log
calls pass ids, never contact details, and link tokens in logged URLs are
redacted (RedactTokensFilter).
"""

import ast
import logging
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from civic_portal.security.log_filters import RedactTokensFilter, redact_tokens
from tests.security.urlconf import endpoints

ROOT = Path(__file__).resolve().parent.parent.parent
SKIPPED_FOLDERS = {".venv", "tests", "benchmarks", "migrations", "node_modules"}
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical"}
# Attribute and variable names that hold personal data or raw form input.
PERSONAL = re.compile(
    r"\b(?:\w*email\w*|full_name|name_kana|\w*phone\w*|\w*address\w*|"
    r"representative|contact_\w+|postal_code|birth_date|POST|GET|body)\b"
)


def assert_not_stored(response) -> None:
    cache_control = response.get("Cache-Control", "")

    assert "no-store" in cache_control, response
    assert "private" in cache_control, response


@pytest.mark.django_db
def test_signed_in_pages_not_stored(resident):
    browser = Client(raise_request_exception=False)
    browser.force_login(resident)
    stored = []

    for endpoint in endpoints():
        if endpoint.path.startswith("/admin/"):
            continue
        response = browser.get(endpoint.path)
        if "no-store" not in response.get("Cache-Control", ""):
            stored.append((endpoint.name, response.status_code))

    assert stored == []


@pytest.mark.django_db
def test_signed_in_api_not_stored(client, resident):
    client.force_login(resident)

    assert_not_stored(client.get("/api/my/applications/"))


@pytest.mark.django_db
def test_token_authenticated_api_not_stored(resident):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=resident)

    response = Client().get(
        "/api/my/applications/", HTTP_AUTHORIZATION=f"Token {token.key}"
    )

    assert response.status_code == 200
    assert_not_stored(response)


@pytest.mark.django_db
def test_cookie_setting_response_not_stored():
    response = Client().get("/accounts/login/")

    assert response.cookies
    assert_not_stored(response)


@pytest.mark.django_db
def test_anonymous_response_without_cookie_may_be_cached():
    # Pages with a form renew the CSRF cookie on every response (Django
    # 5.2), so they are never stored; the public API sets no cookie.
    response = Client().get("/api/posts/")

    assert response.status_code == 200
    assert not response.cookies
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Not Found: /volunteer/apply/eyJ1IjoxfQ:1xZbA6:YvotKDB3w710ZAI0mTWWD7gcR/",
            "Not Found: /volunteer/apply/[redacted]/",
        ),
        (
            "Bad Request: /accounts/password-reset/MQ/c4l2x7-0123456789abcdef01234567/",
            "Bad Request: /accounts/password-reset/MQ/[redacted]/",
        ),
        (
            "GET /volunteer/calendar/0b4f3a5c-2f0e-4b44-9a8d-3c8f5d2b7e11.ics",
            "GET /volunteer/calendar/[redacted].ics",
        ),
        (
            "Forbidden: /volunteer/manage/posts/12345/applications/",
            "Forbidden: /volunteer/manage/posts/12345/applications/",
        ),
        (
            "Not Found: /indicators/municipalities_with_centre/2025/rows/",
            "Not Found: /indicators/municipalities_with_centre/2025/rows/",
        ),
    ],
)
def test_tokens_redacted(text, expected):
    assert redact_tokens(text) == expected


def test_filter_rewrites_formatted_message():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        ("/newsletter/unsubscribe/AbCdEfGhIjKlMnOpQrStUv1/",),
        None,
    )

    kept = RedactTokensFilter().filter(record)

    assert kept is True
    assert record.getMessage() == "Not Found: /newsletter/unsubscribe/[redacted]/"


def logger_calls():
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if SKIPPED_FOLDERS.intersection(relative.parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in LOG_METHODS
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in {"logger", "logging", "log"}
            ):
                yield f"{relative}:{node.lineno}", node


def test_log_calls_pass_no_personal_data():
    personal = [
        (place, ast.unparse(argument))
        for place, call in logger_calls()
        for argument in [*call.args[1:], *(k.value for k in call.keywords)]
        if PERSONAL.search(ast.unparse(argument))
    ]

    assert personal == []


def url_parameter_names(patterns) -> set[str]:
    names: set[str] = set()
    for entry in patterns:
        names.update(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            names.update(url_parameter_names(entry.url_patterns))
    return names


def test_url_parameters_hold_no_personal_data():
    names = url_parameter_names(get_resolver().url_patterns)

    assert "pk" in names
    assert {name for name in names if PERSONAL.search(name)} == set()
