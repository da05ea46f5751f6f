"""The Makefile's demo target passes the address it serves on."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def demo_commands(*variables: str) -> list[str]:
    """Return the lines `make -n demo` prints, without running any of them."""
    # make reads variables from the environment, so drop any set by the caller.
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"HOST", "PORT", "SITE_URL"}
    }
    result = subprocess.run(  # noqa: S603 - fixed arguments
        ["make", "-n", "demo", *variables],  # noqa: S607 - make from PATH
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


def test_demo_site_url_follows_port():
    runserver = [line for line in demo_commands("PORT=8765") if "runserver" in line]

    assert runserver == [
        "SITE_URL=http://127.0.0.1:8765 .venv/bin/python manage.py runserver "
        "127.0.0.1:8765"
    ]


def test_demo_site_url_can_be_set():
    commands = demo_commands("PORT=8765", "SITE_URL=https://demo.example.jp")
    runserver = [line for line in commands if "runserver" in line]

    assert runserver[0].startswith("SITE_URL=https://demo.example.jp ")
