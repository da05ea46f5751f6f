"""A Celery worker killed in the middle of a task: the task runs again,
and the mail it had already sent is not sent twice.

The worker is a real `celery worker` process, so it needs a database the
test shares with it: PostgreSQL only. Mail goes over SMTP to a sink on
127.0.0.1 that keeps back the task's second mail until the worker is killed.
"""

import signal
import time

import pytest
from django.urls import reverse

from tests.faults.portal_processes import start_worker, wait_for
from tests.faults.smtp_sink import SmtpSink

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


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
