"""Queueing volunteering mails once the transaction that caused them commits."""

import datetime as dt

from django.db import transaction

from volunteering.models import Application, VolunteerPost, VolunteerSession

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


def same_minutes(
    times: tuple[dt.datetime, ...], other_times: tuple[dt.datetime, ...]
) -> bool:
    """Return True if the two tuples of times agree to the minute.

    Mails show times to the minute, so a change of seconds is no change.
    """

    def minutes(moments: tuple[dt.datetime, ...]) -> tuple[dt.datetime, ...]:
        return tuple(moment.replace(second=0, microsecond=0) for moment in moments)

    return minutes(times) == minutes(other_times)


def notify_session_times_changed(
    session: VolunteerSession, *, old_starts_at: dt.datetime, old_ends_at: dt.datetime
) -> None:
    """Queue mails about *session*'s new times after commit, if they changed.

    The task mails every volunteer with an active application to the session.
    """
    if same_minutes((session.starts_at, session.ends_at), (old_starts_at, old_ends_at)):
        return
    from volunteering.tasks import send_session_change_mails

    session_id = session.pk
    old_times = (old_starts_at.isoformat(), old_ends_at.isoformat())
    transaction.on_commit(
        lambda: send_session_change_mails.delay(session_id, *old_times), robust=True
    )


def notify_place_changed(*, post_id: int, old_place: str, old_is_online: bool) -> None:
    """Queue mails about a post's new place after commit, if it changed.

    Call after the change is saved, with the place before it. The task
    mails every volunteer with an active application to an activity of the
    post that has not started yet.
    """
    place, is_online = (
        VolunteerPost.objects.filter(pk=post_id).values_list("place", "is_online").get()
    )
    if (place, is_online) == (old_place, old_is_online):
        return
    from volunteering.tasks import send_place_change_mails

    transaction.on_commit(
        lambda: send_place_change_mails.delay(post_id, old_place, old_is_online),
        robust=True,
    )
