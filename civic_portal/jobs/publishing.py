"""Sending tasks to the broker without losing them while it is down.

Every task of the portal uses PortalTask. When the broker cannot be
reached, apply_async() stores the task as a PendingTask row and returns,
so the request that sent it still returns its page. relay_pending() sends
the stored tasks again once the broker is reachable: every minute from Celery
beat, when a worker starts, and from the relay_pending_tasks command.

A task may then run twice (sent, but the row's deletion was not
committed), so tasks must be safe to repeat; the mail tasks are, through
send_mail_once.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from celery import Task, current_app
from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from civic_portal.jobs.models import PendingTask

logger = logging.getLogger(__name__)

# Raised by kombu and redis-py when the broker refuses or drops the
# connection, or the connection times out.
BROKER_ERRORS = (OperationalError, RedisError, ConnectionError, TimeoutError)

# Sending options that survive a round trip through JSON and mean the
# same later. An eta or countdown is kept as given: a task delayed by the
# outage runs late rather than not at all.
KEPT_OPTIONS = ("countdown", "eta", "expires", "queue", "priority")


class PortalTask(Task):
    """A Celery task that is stored when the broker cannot take it."""

    def apply_async(  # type: ignore[override]
        self,
        args: Any = None,
        kwargs: Any = None,
        **options: Any,
    ) -> Any:
        try:
            return super().apply_async(args, kwargs, **options)
        except BROKER_ERRORS as error:
            store(self.name, args, kwargs, options, error)
            return None


def store(
    name: str,
    args: Any,
    kwargs: Any,
    options: dict[str, Any],
    error: BaseException,
) -> PendingTask:
    """Keep task *name* for relay_pending() and log why it was kept."""
    storable = {
        key: (value.isoformat() if hasattr(value, "isoformat") else value)
        for key, value in options.items()
        if key in KEPT_OPTIONS and value is not None
    }
    pending = PendingTask.objects.create(
        name=name,
        args=list(args or ()),
        kwargs=dict(kwargs or {}),
        options=storable,
        last_error=type(error).__name__,
    )
    logger.warning(
        "Broker unreachable (%s); task %s kept as pending task %s",
        type(error).__name__,
        name,
        pending.pk,
    )
    return pending


def _options(pending: PendingTask) -> dict[str, Any]:
    options = dict(pending.options)
    for key in ("eta", "expires"):
        if isinstance(options.get(key), str):
            options[key] = dt.datetime.fromisoformat(options[key])
    return options


def relay_pending(limit: int = 500) -> int:
    """Send up to *limit* stored tasks to the broker; return how many were sent.

    Stops at the first broker error, leaving that task and the rest for
    the next relay. Rows are locked with SKIP LOCKED where the database
    has it, so two relays running at once send each task once.
    """
    sent = 0
    with transaction.atomic():
        rows = PendingTask.objects.select_for_update(skip_locked=True)[:limit]
        for pending in rows:
            task = current_app.tasks.get(pending.name)
            if task is None:
                logger.error(
                    "Pending task %s names unknown task %s; left in place",
                    pending.pk,
                    pending.name,
                )
                continue
            try:
                # The base class method raises instead of storing again.
                Task.apply_async(
                    task, pending.args, pending.kwargs, **_options(pending)
                )
            except BROKER_ERRORS as error:
                pending.attempts += 1
                pending.last_error = type(error).__name__
                pending.save(update_fields=["attempts", "last_error"])
                logger.warning(
                    "Broker still unreachable (%s); %s tasks sent, the rest wait",
                    type(error).__name__,
                    sent,
                )
                break
            pending.delete()
            sent += 1
    if sent:
        logger.info("Sent %s pending tasks to the broker", sent)
    return sent
