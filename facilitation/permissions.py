"""Permission rules of the collaboration app.

Facilitators are members of the Django group "facilitator" with an active
Facilitator record. The chief facilitator works at the prefectural centre;
a regional facilitator works for the centres they are appointed to on the
day in question. Centre staff and prefectural staff come from the group
registry's rules. Administrators (superusers) read every case and meeting
but take no facilitator's step. A partner's staff member acts for the
partner on collaboration examples by signing in with the partner's contact
e-mail address, confirmed.
"""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from civic_portal.types import AnyUser
from groups.models import SupportCentre
from groups.permissions import is_centre_staff, is_prefectural_staff

from .models import Facilitator, FacilitatorAppointment, Partner

FACILITATOR_GROUP = "facilitator"


def facilitator_of(user: AnyUser) -> Facilitator | None:
    """Return the active Facilitator record of *user*, or None without the role."""
    if not user.is_authenticated:
        return None
    # One query checks both the role and the record, because callers such
    # as visible_cases ask more than once per request.
    return (
        Facilitator.objects.active()
        .filter(user_id=user.pk, user__groups__name=FACILITATOR_GROUP)
        .first()
    )


def is_facilitator(user: AnyUser) -> bool:
    """Tell whether *user* has the facilitator role and an active record."""
    return facilitator_of(user) is not None


def is_chief_facilitator(user: AnyUser) -> bool:
    """Tell whether *user* is the active chief facilitator."""
    facilitator = facilitator_of(user)
    return facilitator is not None and facilitator.is_chief


def is_administrator(user: AnyUser) -> bool:
    """Tell whether *user* is a superuser, who reads the whole workspace."""
    return user.is_authenticated and bool(getattr(user, "is_superuser", False))


def can_read_every_case(user: AnyUser) -> bool:
    """Tell whether *user* reads every case, meeting and meeting series.

    The chief facilitator and administrators do.
    """
    return is_administrator(user) or is_chief_facilitator(user)


def can_use_case_workspace(user: AnyUser) -> bool:
    """Tell whether *user* may open the case list.

    Facilitators, centre staff and administrators may. What each of them
    reads there is decided per case.
    """
    return is_administrator(user) or is_facilitator(user) or is_centre_staff(user)


def centres_of(user: AnyUser, on: dt.date | None = None) -> QuerySet[SupportCentre]:
    """Return the centres *user* is appointed to as a facilitator on *on*.

    *on* defaults to today in the portal's time zone (Japan time).
    """
    if not is_facilitator(user):
        return SupportCentre.objects.none()
    day = on if on is not None else timezone.localdate()
    return FacilitatorAppointment.objects.centres_of(user, day)


def partners_represented_by(user: AnyUser) -> QuerySet[Partner]:
    """Return the active partners whose contact e-mail address is *user*'s.

    Only a confirmed address counts, so signing up with a partner's
    address without access to that mailbox gives no rights. Facilitators
    and centre staff set the contact address in the partner directory.
    """
    if not user.is_authenticated or not getattr(user, "email_confirmed", False):
        return Partner.objects.none()
    email = getattr(user, "email", "")
    if not email:
        return Partner.objects.none()
    return Partner.objects.active().filter(contact_email__iexact=email)


def can_use_partner_directory(user: AnyUser) -> bool:
    """Tell whether *user* may see, add and edit partners with their contacts."""
    return can_use_case_workspace(user)


def can_manage_facilitators(user: AnyUser) -> bool:
    """Tell whether *user* may run training and appoint facilitators.

    The chief facilitator and prefectural staff (Django staff users and the
    staff of the prefectural centre) may.
    """
    return is_chief_facilitator(user) or is_prefectural_staff(user)


def can_manage_recognitions(user: AnyUser) -> bool:
    """Tell whether *user* may record, edit and withdraw recognitions.

    The chief facilitator and prefectural staff may, as for facilitators.
    """
    return can_manage_facilitators(user)
