"""A Celery worker killed in the middle of a task: the task runs again,
and the mail it had already sent is not sent twice.

The worker is a real `celery worker` process, so it needs a database the
test shares with it: PostgreSQL only. Mail goes over SMTP to a sink on
127.0.0.1 that keeps back the task's second mail until the worker is killed.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from tests.faults.smtp_sink import SmtpSink

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROJECT_DIR = Path(__file__).resolve().parents[2]


def wait_for(condition, seconds: float = 60) -> bool:
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


def test_killed_worker_task_no_duplicate_mail(
    celery_broker, client, resident, session, tmp_path
):
    celery_broker.start()
    log = tmp_path / "worker.log"
    client.force_login(resident)
    with SmtpSink(hold_after=1) as sink:
        first = start_worker(celery_broker.url, sink.port, log)
        try:
            url = reverse("volunteering:apply_session", args=[session.pk])
            assert client.post(url, {}).status_code == 302
            # The first of the task's two mails is out, the second is held.
            assert sink.state.holding.wait(timeout=60), log.read_text()
            assert len(sink.deliveries) == 1
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
            # A worker puts back unacknowledged tasks older than the
            # visibility timeout (2 s) when it starts polling, then only
            # every few minutes: start the second one after that age.
            time.sleep(3)
        finally:
            if first.poll() is None:
                first.kill()
        sink.state.release.set()

        second = start_worker(celery_broker.url, sink.port, log)
        try:
            applicant_mailed = lambda: any(  # noqa: E731
                delivery.recipients == [resident.email] for delivery in sink.deliveries
            )
            assert wait_for(applicant_mailed), log.read_text()
            time.sleep(3)
        finally:
            second.terminate()
            second.wait(timeout=30)

    recipients = [delivery.recipients for delivery in sink.deliveries]
    assert len(recipients) == 2
    assert [resident.email] in recipients
    assert recipients[0] != recipients[1]
