"""Redis down: pages still serve, and a task sent meanwhile runs once it is back.

Each test starts its own redis-server on 127.0.0.1, sends work to it
through the portal's real Celery app and runs a real worker in a thread.
"""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from civic_portal.celery import app as celery_app
from civic_portal.jobs.models import PendingTask
from civic_portal.jobs.publishing import PortalTask, relay_pending
from tests.faults.portal_processes import wait_for
from volunteering.models import Application

# Serialized rollback, as the other transactional tests use: a plain
# flush followed by theirs would load the content types twice.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def apply(client, session):
    url = reverse("volunteering:apply_session", args=[session.pk])
    return client.post(url, {f"session-{session.pk}-message": ""})


def test_apply_redis_down_mails_later(celery_broker, client, resident, session):
    resident.preferred_language = "en"
    resident.save(update_fields=["preferred_language"])
    client.force_login(resident)

    response = apply(client, session)

    assert response.status_code == 302
    assert Application.objects.filter(applicant=resident).count() == 1
    pending = PendingTask.objects.get()
    assert pending.name == "volunteering.tasks.send_application_mail"
    assert pending.last_error
    assert mail.outbox == []
    assert relay_pending() == 0
    pending.refresh_from_db()
    assert pending.attempts == 1

    celery_broker.start()
    assert relay_pending() == 1
    assert not PendingTask.objects.exists()
    with start_worker(celery_app, pool="solo", perform_ping_check=False):
        # One mail to the applicant, one to the post's contact address.
        assert wait_for(lambda: len(mail.outbox) == 2)
        time.sleep(1)
    assert len(mail.outbox) == 2
    assert [resident.email] in [message.to for message in mail.outbox]
    assert relay_pending() == 0


def test_pages_served_without_cache(celery_broker, client, post):
    assert cache.get("anything", "missing") == "missing"
    cache.set("anything", "kept")
    assert cache.incr("counter") == 1

    assert client.get(reverse("volunteering:search")).status_code == 200
    assert (
        client.get(reverse("volunteering:post_detail", args=[post.pk])).status_code
        == 200
    )


def test_cache_works_after_redis_returns(celery_broker):
    celery_broker.start()

    cache.set("anything", "kept")

    assert cache.get("anything") == "kept"


def test_tasks_sent_to_running_broker(celery_broker, client, resident, session):
    celery_broker.start()
    client.force_login(resident)

    assert apply(client, session).status_code == 302

    assert not PendingTask.objects.exists()


def test_portal_tasks_use_portal_task():
    portal_tasks = [
        task
        for name, task in celery_app.tasks.items()
        if not name.startswith("celery.")
    ]

    assert portal_tasks
    assert all(isinstance(task, PortalTask) for task in portal_tasks)


def test_relay_keeps_unknown_task(celery_broker):
    celery_broker.start()
    PendingTask.objects.create(name="removed.task", args=[1])

    assert relay_pending() == 0

    assert PendingTask.objects.filter(name="removed.task").exists()
