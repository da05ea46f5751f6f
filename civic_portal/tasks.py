"""Settings and helpers shared by the Celery tasks of every app.

Mail tasks retry on network and database outages with exponential
backoff. Links in mails are absolute, built from settings.SITE_URL.
"""

import smtplib
import socket
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.urls import reverse

# Errors worth retrying: the mail server refused the mail, the connection
# failed, timed out or could not resolve the host, or the database was
# unreachable (restarted, or its connection dropped). A database error
# while the mail's record commits, after the mail server took the mail,
# can send that mail twice. That is retried anyway, because losing every
# mail of an outage is worse.
RETRY_ERRORS = (
    smtplib.SMTPException,
    ConnectionError,
    TimeoutError,
    socket.gaierror,
    OperationalError,
    InterfaceError,
)
RETRY_OPTIONS: dict[str, Any] = {
    "autoretry_for": RETRY_ERRORS,
    "retry_backoff": 30,
    "retry_backoff_max": 30 * 60,
    "retry_jitter": True,
    "max_retries": 8,
}


def site_url(name: str, *args: object) -> str:
    """Return the absolute URL of the view *name*, for links in mails."""
    return settings.SITE_URL + reverse(name, args=args)
