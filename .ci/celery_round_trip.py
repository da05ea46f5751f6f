"""Prove that a real Celery worker takes tasks from Redis and returns results.

Run by .ci/run with REDIS_URL (the broker) and CELERY_RESULT_BACKEND set,
after it has started a worker with the same result backend. Exits non-zero
if the worker does not reply to a ping or return a task's result in time.
"""

import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic_portal.settings.dev")
django.setup()

from civic_portal.celery import app  # noqa: E402

WORKER_START_SECONDS = 60
TASK_SECONDS = 60
# A beat task that touches the database, run when its module is there.
DATABASE_TASK = "volunteering.tasks.publish_scheduled_posts"


def wait_for_worker() -> dict:
    deadline = time.monotonic() + WORKER_START_SECONDS
    while time.monotonic() < deadline:
        replies = app.control.inspect(timeout=1.0).ping()
        if replies:
            return replies
    sys.exit(f"No Celery worker answered a ping within {WORKER_START_SECONDS} s.")


def main() -> None:
    app.conf.result_backend = os.environ["CELERY_RESULT_BACKEND"]
    if app.conf.task_always_eager:
        sys.exit("Celery runs eagerly: set REDIS_URL to a running Redis server.")

    print("Worker ping replies:", wait_for_worker())

    result = app.send_task("celery.accumulate", args=(21, 21))
    value = result.get(timeout=TASK_SECONDS)
    if value != [21, 21]:
        sys.exit(f"celery.accumulate returned {value!r}, expected [21, 21].")
    print(f"Task {result.id} ran on the worker and returned {value!r}.")

    registered = app.control.inspect(timeout=2.0).registered() or {}
    names = {name for tasks in registered.values() for name in tasks}
    print(f"The worker registered {len(names)} tasks.")
    if DATABASE_TASK in names:
        result = app.send_task(DATABASE_TASK)
        value = result.get(timeout=TASK_SECONDS)
        print(f"Task {DATABASE_TASK} ({result.id}) returned {value!r}.")
    else:
        print(f"{DATABASE_TASK} is not registered yet: database task skipped.")


if __name__ == "__main__":
    main()
