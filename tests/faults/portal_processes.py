"""A Celery worker and gunicorn, started by a test on the test database.

Both are separate processes, so they see the test's data only on
PostgreSQL.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.db import connection

PROJECT_DIR = Path(__file__).resolve().parents[2]


def wait_for(condition: Callable[[], bool], seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start_worker(redis_url: str, smtp_port: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "civic_portal.settings.dev",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        # An unacknowledged task goes back to the queue after 2 seconds.
        "CELERY_VISIBILITY_TIMEOUT": "2",
    }
    command = [
        str(Path(sys.executable).with_name("celery")),
        "-A",
        "civic_portal",
        "worker",
        "--pool=solo",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=INFO",
    ]
    return subprocess.Popen(  # noqa: S603
        command,
        cwd=PROJECT_DIR,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def start_gunicorn(
    port: int, redis_url: str, secret_key: str, log: Path
) -> subprocess.Popen:
    """Start gunicorn with the production settings on 127.0.0.1:*port*.

    Two workers with three threads each serve up to six requests at once.
    Returns once the port accepts connections.
    """
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.faults.server_settings",
        "DJANGO_SECRET_KEY": secret_key,
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        # Every request comes from 127.0.0.1, so the rate limits would return 429.
        "RATE_LIMIT_ENABLED": "false",
    }
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "civic_portal.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--threads",
        "3",
        "--preload",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(  # noqa: S603
        command,
        cwd=PROJECT_DIR,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )

    def listening() -> bool:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            return False
        return True

    if not wait_for(listening, seconds=60):
        server.terminate()
        raise RuntimeError(f"gunicorn did not listen on port {port}: {log.read_text()}")
    return server


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
