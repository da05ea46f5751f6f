"""Celery tasks that send volunteering mails and publish scheduled posts.

Tasks take ids and reload their rows, so they see the state after the
transaction that queued them. Every mail goes through send_mail_once with
a key naming its event and recipient, so a task that is retried, or that
fails half-way through a list of recipients, sends each mail once.
Network errors while sending are retried with exponential backoff.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from civic_portal.accounts.models import User
from civic_portal.fiscal import JAPAN
from civic_portal.mail import send_mail_once
from civic_portal.tasks import (
    RETRY_ERRORS,  # noqa: F401 (tests read it from here)
    RETRY_OPTIONS,
    site_url,
)
from groups.models import GroupMembership
from volunteering.apply_links import make_apply_token
from volunteering.matching import (
    MATCHING_PERIODS,
    matching_mail_recipients,
    matching_period_start,
    offers_for_resident,
    residents_for_session_call,
)
from volunteering.models import Application, VolunteerPost, VolunteerSession
from volunteering.permissions import applicant_for_staff
from volunteering.services import next_session
from volunteering.services.attendance import confirmed_hours
from volunteering.services.notifications import APPLICATION_EVENTS, same_minutes

logger = logging.getLogger(__name__)

TEMPLATE_DIR = "mail/volunteering"

Status = Application.Status

# The status an application must still have for an event's mail to be
# true when the task runs. A later decision sends its own mail instead.
EVENT_STATUSES: dict[str, tuple[str, ...]] = {
    "confirmed": (Status.CONFIRMED,),
    "declined": (Status.DECLINED,),
    "moved_up": (Status.PENDING, Status.CONFIRMED),
    "cancelled_by_volunteer": (Status.CANCELLED_BY_VOLUNTEER,),
    "cancelled_by_staff": (Status.CANCELLED_BY_STAFF,),
}


def _send(
    *,
    key: str,
    recipient: User | None,
    template: str,
    context: dict[str, Any],
    to_address: str | None = None,
) -> bool:
    return send_mail_once(
        key=key,
        recipient=recipient,
        template_prefix=f"{TEMPLATE_DIR}/{template}",
        context=context,
        to_address=to_address,
    )


# Application mails


def _application_context(application: Application) -> dict[str, Any]:
    post = application.post
    return {
        "application": application,
        "post": post,
        "group": post.group,
        "session": application.session,
        "post_url": site_url("volunteering:post_detail", post.pk),
        "my_applications_url": site_url("volunteering:my_applications"),
        "applications_url": site_url("volunteering:post_applications", post.pk),
    }


def _staff_recipients(application: Application) -> list[User]:
    memberships = (
        GroupMembership.objects.filter(
            group_id=application.post.group_id, user__is_active=True
        )
        .select_related("user")
        .order_by("user_id")
    )
    return [membership.user for membership in memberships]


def _mail_staff(
    application: Application, event: str, template: str, context: dict[str, Any]
) -> int:
    """Mail every staff member of the post's group, and the post's contact.

    The contact address gets its own mail, in the default language, unless
    it is the address of one of the staff members.
    """
    # Staff see the applicant as on the applicant list: no contact details
    # before the application is confirmed.
    context = {**context, "applicant": applicant_for_staff(application)}
    sent = 0
    staff = _staff_recipients(application)
    for user in staff:
        key = f"volunteering.application.{event}.staff:{application.pk}:{user.pk}"
        sent += _send(key=key, recipient=user, template=template, context=context)

    contact = application.post.contact_email.strip()
    staff_addresses = {user.email.lower() for user in staff}
    if contact and contact.lower() not in staff_addresses:
        key = f"volunteering.application.{event}.contact:{application.pk}"
        sent += _send(
            key=key,
            recipient=None,
            template=template,
            context=context,
            to_address=contact,
        )
    return sent


def _mail_volunteer_on_receipt(
    application: Application, context: dict[str, Any]
) -> int:
    """Tell the volunteer what became of the application they just made.

    An application confirmed on arrival (automatic acceptance) gets the
    acceptance mail under the "confirmed" key, so it is never sent twice.
    """
    templates = {
        Status.CONFIRMED: ("confirmed", "application_confirmed"),
        Status.PENDING: ("received", "application_received"),
        Status.WAITLISTED: ("received", "application_waitlisted"),
    }
    if application.status not in templates:
        return 0
    event, template = templates[Status(application.status)]
    return _send(
        key=f"volunteering.application.{event}:{application.pk}",
        recipient=application.applicant,
        template=template,
        context=context,
    )


@shared_task(**RETRY_OPTIONS)
def send_application_mail(application_id: int, event: str) -> int:
    """Send the mails for *event* on an application; return how many were sent."""
    if event not in APPLICATION_EVENTS:
        raise ValueError(f"Unknown application event {event!r}.")
    logger.info("Application mail %s for application %s started", event, application_id)
    application = (
        Application.objects.select_related(
            "post__group", "post__municipality", "session", "applicant"
        )
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        logger.warning(
            "Application %s not found; mail %s skipped", application_id, event
        )
        return 0

    context = _application_context(application)
    if event == "received":
        sent = _send_received(application, context)
    else:
        sent = _send_decision(application, event, context)
    logger.info(
        "Application mail %s for application %s finished: %d sent",
        event,
        application_id,
        sent,
    )
    return sent


def _send_received(application: Application, context: dict[str, Any]) -> int:
    if not application.is_active:
        # Declined or cancelled before the task ran; that event sends its mail.
        logger.info(
            "Application %s is %s; receipt mails skipped",
            application.pk,
            application.status,
        )
        return 0
    sent = _mail_staff(application, "received", "application_received_staff", context)
    return sent + _mail_volunteer_on_receipt(application, context)


def _send_decision(
    application: Application, event: str, context: dict[str, Any]
) -> int:
    if application.status not in EVENT_STATUSES[event]:
        logger.info(
            "Application %s is now %s; mail %s is out of date and skipped",
            application.pk,
            application.status,
            event,
        )
        return 0
    sent = int(
        _send(
            key=f"volunteering.application.{event}:{application.pk}",
            recipient=application.applicant,
            template=f"application_{event}",
            context=context,
        )
    )
    if event == "cancelled_by_volunteer":
        sent += _mail_staff(
            application, event, "application_cancelled_by_volunteer_staff", context
        )
    return sent


# Reminders


def _japan_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time.min, tzinfo=JAPAN)
    return start, start + dt.timedelta(days=1)


@shared_task(**RETRY_OPTIONS)
def send_session_reminders() -> int:
    """Remind volunteers confirmed for an activity tomorrow, Japan date.

    Covers sessions starting tomorrow and year-round applications for
    tomorrow. Each application gets one reminder. A session is marked as
    reminded once all of its volunteers have been mailed.
    """
    tomorrow = timezone.localdate(timezone.now(), JAPAN) + dt.timedelta(days=1)
    start, end = _japan_day_bounds(tomorrow)
    logger.info("Session reminders for %s started", tomorrow.isoformat())

    sessions = list(
        VolunteerSession.objects.filter(
            starts_at__gte=start, starts_at__lt=end, reminder_sent_at__isnull=True
        ).order_by("starts_at", "pk")
    )
    sent = 0
    for session in sessions:
        applications = _reminder_applications().filter(session=session)
        for application in applications:
            sent += _send_reminder(application)
        session.reminder_sent_at = timezone.now()
        session.save(update_fields=["reminder_sent_at"])

    day_applications = _reminder_applications().filter(
        session__isnull=True, activity_date=tomorrow
    )
    for application in day_applications:
        sent += _send_reminder(application)

    logger.info(
        "Session reminders for %s finished: %d sessions, %d mails sent",
        tomorrow.isoformat(),
        len(sessions),
        sent,
    )
    return sent


def _reminder_applications() -> Any:
    return (
        Application.objects.matches()
        .filter(applicant__is_active=True)
        .select_related("post__group", "post__municipality", "session", "applicant")
        .order_by("pk")
    )


def _send_reminder(application: Application) -> int:
    return int(
        _send(
            key=f"volunteering.application.reminder:{application.pk}",
            recipient=application.applicant,
            template="session_reminder",
            context=_application_context(application),
        )
    )


# Matching mails


def _period_label(frequency: str, now: dt.datetime) -> str:
    """Name the mail period: the Japan date, or the ISO week for weekly mails."""
    today = timezone.localdate(now, JAPAN)
    if frequency == User.MatchingMailFrequency.WEEKLY:
        year, week, _weekday = today.isocalendar()
        return f"{year}-W{week:02d}"
    return today.isoformat()


def _apply_url(user: User, session: VolunteerSession) -> str:
    token = make_apply_token(user_id=user.pk, session_id=session.pk)
    return site_url("volunteering:apply_link", token)


def _apply_link_days() -> int:
    return max(settings.APPLY_LINK_MAX_AGE_SECONDS // (24 * 60 * 60), 1)


@shared_task(**RETRY_OPTIONS)
def send_matching_mails(frequency: str) -> int:
    """Mail each subscriber the new posts that fit their interests.

    *frequency* is "daily" or "weekly". A user gets at most one mail per
    day or ISO week, and none when no new post fits.
    """
    if frequency not in MATCHING_PERIODS:
        raise ValueError(f"Unknown matching mail frequency {frequency!r}.")
    now = timezone.now()
    period = _period_label(frequency, now)
    logger.info("Matching mails %s for %s started", frequency, period)

    sent = checked = 0
    for user in matching_mail_recipients(frequency).iterator(chunk_size=500):
        checked += 1
        sent += _send_matching_mail(user, frequency, period, now)

    logger.info(
        "Matching mails %s for %s finished: %d users checked, %d mails sent",
        frequency,
        period,
        checked,
        sent,
    )
    return sent


def _send_matching_mail(
    user: User, frequency: str, period: str, now: dt.datetime
) -> int:
    since = matching_period_start(user, frequency, now)
    offers = offers_for_resident(user, published_since=since, published_until=now)
    if not offers:
        return 0
    items = [
        {
            "post": offer.post,
            "post_url": site_url("volunteering:post_detail", offer.post.pk),
            "sessions": [
                {"session": session, "apply_url": _apply_url(user, session)}
                for session in offer.sessions
            ],
        }
        for offer in offers
    ]
    was_sent = _send(
        key=f"volunteering.matching.{frequency}:{user.pk}:{period}",
        recipient=user,
        template="matching",
        context={
            "user": user,
            "items": items,
            "apply_link_days": _apply_link_days(),
        },
    )
    # Also when the mail for this period had already gone out: the posts
    # up to now are covered, so the next mail starts from here.
    User.objects.filter(pk=user.pk).update(matching_mail_last_sent_at=now)
    return int(was_sent)


# Scheduled publishing


@shared_task
def publish_scheduled_posts() -> int:
    """Publish scheduled posts whose publishing time has come."""
    from volunteering.services.posts import posts_publish_due

    logger.info("Publishing scheduled posts started")
    published = posts_publish_due()
    count = published if isinstance(published, int) else len(published)
    logger.info("Publishing scheduled posts finished: %d published", count)
    return count


# Next session of each post, for the search


@shared_task
def refresh_next_session_starts() -> int:
    """Roll every post's stored next session start forward as sessions start."""
    logger.info("Refreshing next session starts started")
    changed = next_session.refresh_next_session_starts()
    logger.info("Refreshing next session starts finished: %d posts changed", changed)
    return changed


# Session calls


@shared_task(**RETRY_OPTIONS)
def send_session_call(session_id: int) -> int:
    """Invite residents whose interests fit a session's post to apply to it.

    Only upcoming sessions of published posts with free places are called.
    Each resident gets one call per session.
    """
    logger.info("Session call for session %s started", session_id)
    session = (
        VolunteerSession.objects.select_related(
            "post__group", "post__municipality", "post__activity_field"
        )
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        logger.warning("Session %s not found; call skipped", session_id)
        return 0
    post = session.post
    if (
        session.has_started
        or session.free_places == 0
        or not post.is_open_for_applications
        or not post.group.is_public
    ):
        logger.info("Session %s is not open for applications; call skipped", session_id)
        return 0

    context = {
        "post": post,
        "group": post.group,
        "session": session,
        "post_url": site_url("volunteering:post_detail", post.pk),
    }
    sent = 0
    for user in residents_for_session_call(session).iterator(chunk_size=500):
        sent += _send(
            key=f"volunteering.session.call:{session.pk}:{user.pk}",
            recipient=user,
            template="session_call",
            context={
                **context,
                "user": user,
                "apply_url": _apply_url(user, session),
                "apply_link_days": _apply_link_days(),
            },
        )
    if session.call_sent_at is None:
        # Called directly, not through session_send_call, which sets it.
        session.call_sent_at = timezone.now()
        session.save(update_fields=["call_sent_at"])
    logger.info("Session call for session %s finished: %d mails sent", session_id, sent)
    return sent


# High-school certification


@shared_task(**RETRY_OPTIONS)
def send_hours_milestone_mail(user_id: int) -> int:
    """Tell a high-school student they reached the certification hours.

    Sends nothing unless the user is a high-school student whose confirmed
    hours reach settings.HIGH_SCHOOL_CERTIFICATION_HOURS, and sends it at
    most once per user.
    """
    logger.info("Hours milestone check for user %s started", user_id)
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.is_high_school_student:
        logger.info("User %s is not an active high-school student; skipped", user_id)
        return 0
    hours = confirmed_hours(user)
    threshold = settings.HIGH_SCHOOL_CERTIFICATION_HOURS
    if hours < threshold:
        logger.info("User %s has not reached the milestone; skipped", user_id)
        return 0

    sent = _send(
        key=f"volunteering.hours.milestone:{user.pk}",
        recipient=user,
        template="hours_milestone",
        context={
            "user": user,
            "hours": hours,
            "threshold": threshold,
            "hours_pdf_url": site_url("volunteering:hours_pdf"),
        },
    )
    logger.info("Hours milestone check for user %s finished: %d sent", user_id, sent)
    return int(sent)


# Changes to an activity


def _change_recipients() -> Any:
    """Return the active applications of active users, to mail about a change."""
    return (
        Application.objects.active()
        .filter(applicant__is_active=True)
        .select_related("post__group", "post__municipality", "session", "applicant")
        .order_by("pk")
    )


def _mail_change(
    applications: Any,
    *,
    event: str,
    version: str,
    template: str,
    context: dict[str, Any],
) -> int:
    """Mail each applicant of *applications* once per *event* and *version*.

    *version* names the changed values, so each new change gets its own key.
    """
    sent = 0
    for application in applications:
        sent += _send(
            key=f"volunteering.{event}:{application.pk}:{version}",
            recipient=application.applicant,
            template=template,
            context={**_application_context(application), **context},
        )
    return sent


@shared_task(**RETRY_OPTIONS)
def send_session_change_mails(
    session_id: int, old_starts_at: str, old_ends_at: str
) -> int:
    """Tell the volunteers of a session that its times changed.

    Confirmed, pending and waitlisted volunteers each get one mail. Its
    key contains the session's times when the task runs, so a retry sends
    nothing twice, and each later change of the times sends its own mail.
    *old_starts_at* and *old_ends_at* are ISO 8601 datetimes.
    """
    logger.info("Session change mails for session %s started", session_id)
    session = VolunteerSession.objects.filter(pk=session_id).first()
    if session is None:
        logger.warning("Session %s not found; change mails skipped", session_id)
        return 0
    old_start = dt.datetime.fromisoformat(old_starts_at)
    old_end = dt.datetime.fromisoformat(old_ends_at)
    if same_minutes((session.starts_at, session.ends_at), (old_start, old_end)):
        logger.info("Session %s has its old times again; mails skipped", session_id)
        return 0
    if session.has_started:
        logger.info("Session %s has started; change mails skipped", session_id)
        return 0

    sent = _mail_change(
        _change_recipients().filter(session=session),
        event="session.changed",
        version=f"{session.starts_at.isoformat()}/{session.ends_at.isoformat()}",
        template="session_changed",
        context={"old_starts_at": old_start, "old_ends_at": old_end},
    )
    logger.info(
        "Session change mails for session %s finished: %d sent", session_id, sent
    )
    return sent


@shared_task(**RETRY_OPTIONS)
def send_place_change_mails(post_id: int, old_place: str, old_is_online: bool) -> int:
    """Tell the volunteers of a post's coming activities that its place changed.

    Mails volunteers with an active application to a session that has not
    started, or to a year-round day from today on (Japan date). The key of
    each mail contains a digest of the place when the task runs, so a retry
    sends nothing twice, and each later change sends its own mail.
    """
    logger.info("Place change mails for post %s started", post_id)
    post = VolunteerPost.objects.filter(pk=post_id).first()
    if post is None:
        logger.warning("Post %s not found; place change mails skipped", post_id)
        return 0
    if (post.place, post.is_online) == (old_place, old_is_online):
        logger.info("Post %s has its old place again; mails skipped", post_id)
        return 0

    place = f"{post.is_online}:{post.place}"
    digest = hashlib.sha256(place.encode()).hexdigest()[:16]
    today = timezone.localdate(timezone.now(), JAPAN)
    upcoming = Q(session__starts_at__gt=timezone.now()) | Q(
        session__isnull=True, activity_date__gte=today
    )
    sent = _mail_change(
        _change_recipients().filter(upcoming, post=post),
        event="post.place_changed",
        version=digest,
        template="place_changed",
        context={"old_place": old_place, "old_is_online": old_is_online},
    )
    logger.info("Place change mails for post %s finished: %d sent", post_id, sent)
    return sent
