"""Celery tasks that keep the task queue whole after a broker outage."""

from celery import shared_task
from celery.signals import worker_ready

from civic_portal.jobs.publishing import relay_pending


@shared_task
def relay_pending_tasks() -> int:
    """Send the tasks stored while the broker was down; return how many."""
    return relay_pending()


@worker_ready.connect
def relay_on_worker_start(**kwargs: object) -> None:
    """Send stored tasks as soon as a worker is up, without waiting for beat."""
    relay_pending()
