"""Headers and cookies under the production settings.

A child process loads civic_portal.settings.production, because the test
process runs on the test settings, and requests the log-in page over
HTTPS through Django's test client. The page needs no database, and
static files come from the finders, because no collectstatic has run.
"""

import json
import os
import subprocess
import sys
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
DUMMY_SECRET = "test-only-production-headers-secret-7c1e9a3f5b2d4086e1a3c5f7b9d0"

CHILD = """
import json
import django
from django.conf import settings
from django.test import Client, override_settings

django.setup()
plain_static = {
    **settings.STORAGES,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
with override_settings(STORAGES=plain_static):
    response = Client().get("/accounts/login/", secure=True, HTTP_HOST="localhost")
print(json.dumps({
    "status": response.status_code,
    "headers": dict(response.headers),
    "cookies": [morsel.OutputString() for morsel in response.cookies.values()],
    "session_cookie_name": settings.SESSION_COOKIE_NAME,
    "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
}))
"""


def production_login_page(**env_overrides: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "civic_portal.settings.production",
        "DJANGO_SECRET_KEY": DUMMY_SECRET,
        **env_overrides,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(  # noqa: S603 (a fixed command line)
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def page() -> dict:
    return production_login_page()


def test_hsts_one_year_with_subdomains(page):
    hsts = page["headers"]["Strict-Transport-Security"]

    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts
    assert "preload" not in hsts


def test_hsts_preload_opt_in():
    page = production_login_page(DJANGO_SECURE_HSTS_PRELOAD="true")

    assert "preload" in page["headers"]["Strict-Transport-Security"]


def test_cookie_names_have_host_prefix(page):
    assert page["session_cookie_name"] == "__Host-sessionid"
    assert page["csrf_cookie_name"] == "__Host-csrftoken"


def test_csrf_cookie_is_secure_host_cookie(page):
    cookies = SimpleCookie()
    for line in page["cookies"]:
        cookies.load(line)
    csrf = cookies["__Host-csrftoken"]

    assert page["status"] == 200
    assert csrf["secure"] is True
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"
    assert csrf["path"] == "/"
    assert not csrf["domain"]


def test_policy_sent_in_production(page):
    policy = page["headers"]["Content-Security-Policy"]

    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_private_page_not_cached(page):
    assert "no-store" in page["headers"]["Cache-Control"]
    assert "private" in page["headers"]["Cache-Control"]
