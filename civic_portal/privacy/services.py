"""Deletion of a user's account and personal data, as the register declares.

The user row itself stays, anonymised and unable to log in, because
applications and attendance refer to it: the indicators keep counting
those rows, which no longer carry anything that identifies the person.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from rest_framework.authtoken.models import Token

from civic_portal.accounts.models import DELETED_EMAIL_DOMAIN, User
from civic_portal.fiscal import JAPAN
from civic_portal.privacy.register import REGISTER, Erasure, PersonalDataFile
from groups.models import CivicGroup, GroupMembership, NewsletterSubscription
from probono.models import ProbonoWorker
from probono.services.workers import delete_worker
from volunteering.models import Application
from volunteering.services.applications import application_cancel_by_volunteer
from volunteering.services.errors import ApplicationError

logger = logging.getLogger(__name__)


def _anonymise_account(user: User) -> None:
    # A unique address that cannot receive mail (.invalid is reserved by
    # RFC 2606), so the row keeps its unique e-mail constraint.
    user.email = f"deleted-{user.pk}@{DELETED_EMAIL_DOMAIN}"
    user.email_confirmed = False
    user.set_unusable_password()
    user.is_active = False
    user.last_login = None
    # Only these fields: the in-memory user still has the values that
    # Erasure.BLANK has just emptied in the database.
    user.save(
        update_fields=[
            "email",
            "email_confirmed",
            "password",
            "is_active",
            "last_login",
        ]
    )
    user.rotate_calendar_token()
    Token.objects.filter(user=user).delete()


def _cancel_upcoming_applications(user: User) -> None:
    """Cancel the user's active applications to activities not started yet.

    The cancel service frees the places and moves the waitlist up as for
    any cancellation by the volunteer. Its mail to the volunteer is not
    sent, because send_mail_once skips deleted accounts and the mail task
    runs after the commit. Past applications stay for the indicators.
    """
    now = timezone.now()
    today = timezone.localtime(now, JAPAN).date()
    upcoming = (
        Application.objects.active()
        .filter(applicant=user)
        .filter(
            Q(session__starts_at__gt=now)
            | Q(session__isnull=True, activity_date__gt=today)
        )
        .order_by("pk")
    )
    for application_id in upcoming.values_list("pk", flat=True):
        try:
            application_cancel_by_volunteer(
                application_id=application_id, applicant=user
            )
        except ApplicationError as error:
            # The activity started between the query and the cancellation.
            logger.warning(
                "Application %s of deleted user %s not cancelled: %s",
                application_id,
                user.pk,
                error,
            )


def _delete_probono_registration(user: User) -> None:
    worker = ProbonoWorker.objects.filter(user=user).first()
    if worker is not None and worker.status != ProbonoWorker.Status.DELETED:
        delete_worker(worker)


# The erasers of declarations with Erasure.DELEGATED, by model label.
DELEGATED_ERASERS: dict[str, Callable[[User], None]] = {
    "accounts.User": _anonymise_account,
    "probono.ProbonoWorker": _delete_probono_registration,
}


def _subject_rows(entry: PersonalDataFile, user: User) -> models.QuerySet:
    model = entry.model_class
    if entry.subject == "pk":
        return model._default_manager.filter(pk=user.pk)
    return model._default_manager.filter(**{entry.subject: user})


def _blank(entry: PersonalDataFile, user: User) -> None:
    model = entry.model_class
    values: dict[str, object] = {}
    for name in entry.blank_fields:
        field = model._meta.get_field(name)
        if field.many_to_many:
            for instance in _subject_rows(entry, user):
                getattr(instance, name).clear()
        elif field.null:
            values[name] = None
        else:
            values[name] = ""
    if values:
        _subject_rows(entry, user).update(**values)


def groups_left_without_staff(user: User) -> models.QuerySet[CivicGroup]:
    """Return the groups of which *user* is the only staff member."""
    others = GroupMembership.objects.filter(group=models.OuterRef("pk")).exclude(
        user=user
    )
    return CivicGroup.objects.filter(memberships__user=user).exclude(
        models.Exists(others)
    )


def _blank_group_contacts(user: User) -> None:
    """Blank a group's contact person where that person is *user*.

    Groups name their contact person in text fields, not by account, so
    the person is found by the e-mail address (and the representative by
    the full name) of a group the user is staff of.
    """
    groups = CivicGroup.objects.filter(memberships__user=user)
    contacts = groups.filter(contact_email__iexact=user.email)
    contacts.update(contact_name="", contact_email="", contact_phone="")
    groups.filter(public_email__iexact=user.email).update(public_email="")
    if user.full_name:
        groups.filter(representative=user.full_name).update(representative="")
    for group_id in groups_left_without_staff(user).values_list("pk", flat=True):
        logger.warning("Group %s has no staff after user %s left", group_id, user.pk)


@transaction.atomic
def delete_account(user: User) -> None:
    """Delete or blank the user's personal data as each declaration's erasure says.

    The user can no longer log in, and mail stops because the account is
    inactive and its address is replaced. Applications to activities that
    have not started are cancelled, freeing their places. Declarations
    with Erasure.KEEP, such as campaign photos, are left as they are.
    """
    # NOTE: django-axes records name the person only by the e-mail address
    # typed at log-in, with no user link, so they are not touched here.
    # A subscription made before signing up has no user link, only the
    # address, and the newsletter would keep going to it.
    NewsletterSubscription.objects.filter(email__iexact=user.email).delete()
    _cancel_upcoming_applications(user)
    _blank_group_contacts(user)
    delegated = []
    for entry in REGISTER:
        if not entry.subject:
            continue
        if entry.erasure is Erasure.DELETE:
            _subject_rows(entry, user).delete()
        elif entry.erasure is Erasure.BLANK:
            _blank(entry, user)
        elif entry.erasure is Erasure.DELEGATED:
            delegated.append(DELEGATED_ERASERS[entry.model])
    for eraser in delegated:
        eraser(user)
    logger.info("User %s deleted their account and personal data", user.pk)
