"""Applying to volunteer posts and deciding on applications."""

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from civic_portal.accounts.models import User
from civic_portal.fiscal import JAPAN
from volunteering.models import Application, VolunteerPost, VolunteerSession

from . import capacity
from .errors import ApplicationError
from .notifications import notify_application

logger = logging.getLogger(__name__)

Status = Application.Status

# How far ahead a resident may apply for a day of a year-round post. A
# year-round post has no end date, so the limit keeps applications to
# dates that the group can still plan for.
MAX_DAY_APPLICATION_LEAD = dt.timedelta(days=365)


def check_eligibility(
    *, post: VolunteerPost, applicant: User, party_size: int, activity_day: dt.date
) -> None:
    """Raise ApplicationError if *applicant* may not apply to *post*.

    Pages, the API and apply links all apply through this check. A post
    takes applications only while the public can see it, so a published
    post of a group that is not approved, or is dissolved, takes none,
    not even from the group's staff who open its preview.
    """
    if not VolunteerPost.objects.published().filter(pk=post.pk).exists():
        raise ApplicationError(_("This post is not open for applications."))
    if not post.is_open_for_applications:
        if post.status == VolunteerPost.Status.PUBLISHED:
            raise ApplicationError(_("The application deadline has passed."))
        raise ApplicationError(_("This post is not open for applications."))
    if party_size < 1:
        raise ApplicationError(_("The number of people must be at least 1."))
    if party_size > 1 and not post.accepts_teams:
        raise ApplicationError(_("This post takes individual applications only."))
    if party_size == 1 and not post.accepts_individuals:
        raise ApplicationError(_("This post takes applications from teams only."))
    if applicant.is_high_school_student and not post.welcomes_high_school:
        raise ApplicationError(
            _("This post does not take applications from high-school students.")
        )
    if post.minimum_age:
        age = applicant.age_on(activity_day)
        if age is None:
            raise ApplicationError(
                _(
                    "This post has a minimum age of %(age)d. Add your birth date "
                    "to your profile, then apply again."
                )
                % {"age": post.minimum_age}
            )
        if age < post.minimum_age:
            raise ApplicationError(
                _(
                    "Applicants must be at least %(age)d years old on the day "
                    "of the activity."
                )
                % {"age": post.minimum_age}
            )


def _initial_status(post: VolunteerPost, free: int | None, party_size: int) -> str:
    if free is not None and free == 0:
        return Status.WAITLISTED
    if free is not None and party_size > free:
        raise ApplicationError(
            _(
                "Only %(free)d places are left. Apply for %(free)d people or "
                "fewer, or for another session."
            )
            % {"free": free}
        )
    return Status.CONFIRMED if post.auto_accept else Status.PENDING


def _create(application: Application) -> Application:
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as error:
        raise ApplicationError(
            _("You have already applied. See your applications on your page.")
        ) from error
    return application


@transaction.atomic
def application_create_for_session(
    *,
    applicant: User,
    session_id: int,
    party_size: int = 1,
    team_name: str = "",
    message: str = "",
) -> Application:
    """Apply *applicant* to a dated session.

    A full session puts the application on the waitlist. A team larger
    than the free places, but not facing a full session, is rejected.
    """
    session = capacity.lock_session(session_id)
    post = VolunteerPost.objects.select_related("group").get(pk=session.post_id)
    if session.starts_at <= timezone.now():
        raise ApplicationError(_("This session has already started or ended."))
    activity_day = timezone.localtime(session.starts_at, JAPAN).date()
    check_eligibility(
        post=post, applicant=applicant, party_size=party_size, activity_day=activity_day
    )
    if party_size > session.capacity:
        raise ApplicationError(
            _("The team is larger than the session's capacity of %(capacity)d.")
            % {"capacity": session.capacity}
        )
    if (
        Application.objects.active()
        .filter(applicant=applicant, session=session)
        .exists()
    ):
        raise ApplicationError(_("You have already applied to this session."))

    status = _initial_status(post, session.free_places, party_size)
    application = _create(
        Application(
            post=post,
            session=session,
            applicant=applicant,
            party_size=party_size,
            team_name=team_name,
            message=message,
            status=status,
            confirmed_at=timezone.now() if status == Status.CONFIRMED else None,
        )
    )
    if application.holds_places:
        capacity.adjust_places(session, party_size)

    logger.info(
        "Application %s to session %s created as %s",
        application.pk,
        session.pk,
        status,
    )
    notify_application(application, "received")
    return application


@transaction.atomic
def application_create_for_day(
    *,
    applicant: User,
    post_id: int,
    activity_date: dt.date,
    party_size: int = 1,
    team_name: str = "",
    message: str = "",
) -> Application:
    """Apply *applicant* to a year-round post for one day."""
    post = capacity.lock_post(post_id)
    if not post.is_year_round:
        raise ApplicationError(_("Choose one of the post's sessions."))
    today = timezone.localtime(timezone.now(), JAPAN).date()
    if activity_date < today:
        raise ApplicationError(_("The activity date must be today or later."))
    latest = today + MAX_DAY_APPLICATION_LEAD
    if activity_date > latest:
        raise ApplicationError(
            _(
                "The activity date is more than a year ahead. Choose a date "
                "on or before %(date)s."
            )
            % {"date": date_format(latest, "SHORT_DATE_FORMAT")}
        )
    check_eligibility(
        post=post,
        applicant=applicant,
        party_size=party_size,
        activity_day=activity_date,
    )
    if post.monthly_capacity is not None and party_size > post.monthly_capacity:
        raise ApplicationError(
            _("The team is larger than the monthly capacity of %(capacity)d.")
            % {"capacity": post.monthly_capacity}
        )
    duplicate = Application.objects.active().filter(
        applicant=applicant, post=post, activity_date=activity_date
    )
    if duplicate.exists():
        raise ApplicationError(_("You have already applied for this day."))

    free = capacity.free_places_for(post, None, activity_date)
    status = _initial_status(post, free, party_size)
    application = _create(
        Application(
            post=post,
            activity_date=activity_date,
            applicant=applicant,
            party_size=party_size,
            team_name=team_name,
            message=message,
            status=status,
            confirmed_at=timezone.now() if status == Status.CONFIRMED else None,
        )
    )
    logger.info(
        "Application %s to year-round post %s created as %s",
        application.pk,
        post.pk,
        status,
    )
    notify_application(application, "received")
    return application


def _lock_target(application: Application) -> VolunteerSession | None:
    """Lock the capacity row behind *application* and return the session."""
    if application.session_id is not None:
        return capacity.lock_session(application.session_id)
    capacity.lock_post(application.post_id)
    return None


def _reload_locked(application_id: int) -> tuple[Application, VolunteerSession | None]:
    application = Application.objects.select_related("post").get(pk=application_id)
    session = _lock_target(application)
    application.refresh_from_db()
    return application, session


def promote_waitlist(
    post: VolunteerPost, session: VolunteerSession | None, day: dt.date | None
) -> list[Application]:
    """Move waitlisted applications up into freed places, oldest first.

    Call inside a transaction that holds the capacity lock. An application
    whose party does not fit is passed over for a smaller one behind it,
    so no place stays empty while someone on the waitlist could take it.
    Nobody moves up once the activity has started, because a place freed
    then cannot be used.
    """
    if session is not None and session.has_started:
        return []
    if session is None and day is not None:
        today = timezone.localtime(timezone.now(), JAPAN).date()
        if day < today:
            return []
    free = capacity.free_places_for(post, session, day)
    waitlist = Application.objects.filter(status=Status.WAITLISTED, post=post)
    if session is not None:
        waitlist = waitlist.filter(session=session)
    else:
        waitlist = waitlist.filter(
            session__isnull=True,
            activity_date__year=day.year if day else None,
            activity_date__month=day.month if day else None,
        )

    promoted = []
    for application in waitlist.order_by("created_at", "id"):
        if free is not None and application.party_size > free:
            continue
        application.status = Status.CONFIRMED if post.auto_accept else Status.PENDING
        if application.status == Status.CONFIRMED:
            application.confirmed_at = timezone.now()
        application.save(update_fields=["status", "confirmed_at"])
        capacity.adjust_places(session, application.party_size)
        if free is not None:
            free -= application.party_size
        promoted.append(application)
        logger.info("Application %s moved up from the waitlist", application.pk)
        notify_application(application, "moved_up")
    return promoted


def _release(application: Application, session: VolunteerSession | None) -> None:
    """Give back the places of an application that stops holding them."""
    capacity.adjust_places(session, -application.party_size)
    promote_waitlist(application.post, session, application.activity_date)


@transaction.atomic
def application_accept(*, application_id: int, decided_by: User) -> Application:
    """Confirm a pending application; its places are already held."""
    application, _session = _reload_locked(application_id)
    if application.status != Status.PENDING:
        raise ApplicationError(
            _("Only applications awaiting confirmation can be accepted.")
        )
    application.status = Status.CONFIRMED
    application.decided_at = application.confirmed_at = timezone.now()
    application.save(update_fields=["status", "decided_at", "confirmed_at"])
    logger.info("Application %s accepted by user %s", application.pk, decided_by.pk)
    notify_application(application, "confirmed")
    return application


@transaction.atomic
def application_decline(
    *, application_id: int, decided_by: User, reason: str = ""
) -> Application:
    """Decline a pending or waitlisted application and free its places."""
    application, session = _reload_locked(application_id)
    if application.status not in (Status.PENDING, Status.WAITLISTED):
        raise ApplicationError(
            _(
                "Only applications awaiting confirmation or on the waitlist "
                "can be declined."
            )
        )
    held = application.holds_places
    application.status = Status.DECLINED
    application.cancel_reason = reason
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "cancel_reason", "decided_at"])
    if held:
        _release(application, session)
    logger.info("Application %s declined by user %s", application.pk, decided_by.pk)
    notify_application(application, "declined")
    return application


def _activity_start(
    application: Application, session: VolunteerSession | None
) -> dt.datetime:
    if session is not None:
        return session.starts_at
    assert application.activity_date is not None
    return dt.datetime.combine(application.activity_date, dt.time.min, tzinfo=JAPAN)


@transaction.atomic
def application_cancel_by_volunteer(
    *, application_id: int, applicant: User
) -> Application:
    """Cancel the volunteer's own application before the activity starts."""
    application, session = _reload_locked(application_id)
    if application.applicant_id != applicant.pk:
        raise ApplicationError(_("You can cancel only your own applications."))
    if not application.is_active:
        raise ApplicationError(_("This application is no longer active."))
    if _activity_start(application, session) <= timezone.now():
        raise ApplicationError(
            _("The activity has started; contact the group to cancel.")
        )
    held = application.holds_places
    application.status = Status.CANCELLED_BY_VOLUNTEER
    application.cancelled_at = timezone.now()
    application.save(update_fields=["status", "cancelled_at"])
    if held:
        _release(application, session)
    logger.info("Application %s cancelled by its volunteer", application.pk)
    notify_application(application, "cancelled_by_volunteer")
    return application


@transaction.atomic
def application_cancel_by_staff(
    *, application_id: int, cancelled_by: User, reason: str
) -> Application:
    """Cancel an active application on behalf of the group, with a reason."""
    if not reason.strip():
        raise ApplicationError(_("Give the volunteer a reason for cancelling."))
    application, session = _reload_locked(application_id)
    if not application.is_active:
        raise ApplicationError(_("This application is no longer active."))
    held = application.holds_places
    application.status = Status.CANCELLED_BY_STAFF
    application.cancel_reason = reason.strip()
    application.cancelled_at = timezone.now()
    application.save(update_fields=["status", "cancel_reason", "cancelled_at"])
    if held:
        _release(application, session)
    logger.info("Application %s cancelled by user %s", application.pk, cancelled_by.pk)
    notify_application(application, "cancelled_by_staff")
    return application
