"""`manage.py check --deploy` against the production settings.

The checks run in a child process because the production settings module
is read once at start-up, and the test process already runs on the test
settings.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DUMMY_SECRET = "test-only-deploy-check-secret-3f9a1c7e5b2d4068a1f3c5e7b9d0a2c4"


def run_deploy_check(
    *, unset: tuple[str, ...] = (), **env_overrides: str
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "civic_portal.settings.production",
        "DJANGO_SECRET_KEY": DUMMY_SECRET,
        **env_overrides,
    }
    for name in unset:
        env.pop(name, None)
    # Django's deploy check rejects this variable, which the browser tests set.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    code = (
        "import django\n"
        "from django.core.management import call_command\n"
        "django.setup()\n"
        "call_command('check', deploy=True, fail_level='WARNING')\n"
    )
    return subprocess.run(  # noqa: S603 (a fixed command line)
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_reports_nothing():
    result = run_deploy_check()

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_catches_missing_ssl_redirect():
    result = run_deploy_check(DJANGO_SECURE_SSL_REDIRECT="false")

    assert result.returncode != 0
    assert "security.W008" in result.stderr


@pytest.mark.parametrize(
    ("secret", "expected_message"),
    [
        ("", "DJANGO_SECRET_KEY is empty."),
        ("   ", "DJANGO_SECRET_KEY is empty."),
        (
            "insecure-embedded-default-key-change-me",
            "DJANGO_SECRET_KEY is a development default",
        ),
        (
            "django-insecure-" + "x7Qp" * 12,
            "DJANGO_SECRET_KEY is a development default",
        ),
        ("short-but-random-3f9a1c", "DJANGO_SECRET_KEY has 23 characters"),
        ("ab" * 40, "fewer than 5 different characters"),
    ],
    ids=["empty", "blank", "embedded-default", "django-insecure", "short", "repeated"],
)
def test_production_settings_reject_weak_secret(secret, expected_message):
    result = run_deploy_check(DJANGO_SECRET_KEY=secret)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert expected_message in result.stderr
    assert "secrets.token_urlsafe" in result.stderr


def test_production_settings_reject_missing_secret():
    result = run_deploy_check(unset=("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY_FILE"))

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
