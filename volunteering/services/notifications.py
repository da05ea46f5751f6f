"""Queueing volunteering mails once the transaction that caused them commits."""

from django.db import transaction

from volunteering.models import Application

APPLICATION_EVENTS = {
    "received",
    "confirmed",
    "declined",
    "moved_up",
    "cancelled_by_volunteer",
    "cancelled_by_staff",
}


def notify_application(application: Application, event: str) -> None:
    """Queue the mails for *event* on *application* after commit."""
    if event not in APPLICATION_EVENTS:
        raise ValueError(f"Unknown application event {event!r}.")
    from volunteering.tasks import send_application_mail

    application_id = application.pk
    # robust: a mail failure after commit is logged, not raised into the request.
    transaction.on_commit(
        lambda: send_application_mail.delay(application_id, event), robust=True
    )
