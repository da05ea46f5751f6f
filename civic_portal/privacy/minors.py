"""Who may see the personal data of a resident under 18.

A minor's name, contact details and birth date are shown only to the
minor, to centre staff (staff of any support centre), and to staff of a
group that accepted the minor. A group accepted the minor when the minor
has a confirmed application to one of its volunteer posts. Everyone else (staff
of a group the minor only applied to, other groups, concierges,
facilitators, prefectural staff, partners and the public) sees a neutral
placeholder. Counts and totals are not personal data and stay as they are.

A person whose birth date is unknown is treated as an adult here, because
sign-up asks for the birth date of every resident and staff accounts
created by an administrator often have none. Sharing data outside the
portal is stricter: partner_links.consent treats an unknown age as a minor.

Every page, mail and export that shows another person's data decides
through this module; docs/minors-data.md lists them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from civic_portal.accounts import ages
from civic_portal.accounts.models import User
from civic_portal.types import AnyUser
from partner_links.consent import adult_birth_date_cutoff

APPLICANT_PLACEHOLDER = _("Applicant under 18")
PARTICIPANT_PLACEHOLDER = _("Participant under 18")
AGE_BAND_UNDER_18 = _("Under 18")
# Shown in place of a deleted account's placeholder address, which
# identifies no person and cannot receive mail.
DELETED_ACCOUNT_LABEL = _("Deleted account")


def is_minor(person: User, day: dt.date | None = None) -> bool:
    """Tell whether *person* is under AGE_OF_MAJORITY on *day* (default: today)."""
    if person.birth_date is None:
        return False
    day = day or ages.today_in_japan()
    return ages.age_on(person.birth_date, day) < ages.AGE_OF_MAJORITY


def minor_q(user_path: str, day: dt.date | None = None) -> Q:
    """Return a filter that keeps rows whose user at *user_path* is a minor."""
    cutoff = adult_birth_date_cutoff(day or ages.today_in_japan())
    return Q(**{f"{user_path}__birth_date__gt": cutoff})


def hidden_name(person: User, placeholder: str | Promise) -> str:
    """Return the text shown in place of *person*'s name when it is hidden."""
    if person.is_deleted:
        return str(DELETED_ACCOUNT_LABEL)
    return str(placeholder)


def may_share_outside(person: User, day: dt.date | None = None) -> bool:
    """Tell whether *person*'s data may be published or exported, as far as age allows.

    A minor's data may leave the portal only while a parent's or guardian's
    agreement is recorded, so withdrawing the agreement stops it.
    """
    return not is_minor(person, day) or person.guardian_consent_at is not None


def shareable_outside_q(user_path: str, day: dt.date | None = None) -> Q:
    """Return the filter form of may_share_outside for the user at *user_path*."""
    return ~minor_q(user_path, day) | Q(
        **{f"{user_path}__guardian_consent_at__isnull": False}
    )


def _accepted_by_staff_of(minor_ids: set[int], staff_user_id: int) -> set[int]:
    """Return the minors among *minor_ids* that a group of *staff_user_id* accepted."""
    from volunteering.models import Application

    if not minor_ids:
        return set()
    return set(
        Application.objects.filter(
            applicant_id__in=minor_ids,
            status=Application.Status.CONFIRMED,
            post__group__memberships__user_id=staff_user_id,
        ).values_list("applicant_id", flat=True)
    )


def accepted_by_group(person: User, group_id: int) -> bool:
    """Tell whether the group *group_id* has a confirmed application of *person*."""
    from volunteering.models import Application

    return Application.objects.filter(
        applicant_id=person.pk,
        status=Application.Status.CONFIRMED,
        post__group_id=group_id,
    ).exists()


class MinorsPolicy:
    """The decisions of can_see_personal_data for one viewer, made in bulk.

    A list page calls prefetch() with the people on the page. That runs at
    most two queries (is the viewer centre staff, and which of the minors
    did the viewer's groups accept), whatever the number of rows. A person
    not prefetched costs one query when first asked about.
    """

    def __init__(self, viewer: AnyUser, day: dt.date | None = None) -> None:
        self.viewer = viewer
        self.day = day or ages.today_in_japan()
        self._is_centre_staff: bool | None = None
        self._visible_minor_ids: set[int] = set()
        self._decided_minor_ids: set[int] = set()

    @property
    def is_centre_staff(self) -> bool:
        from groups.permissions import is_centre_staff

        if self._is_centre_staff is None:
            self._is_centre_staff = is_centre_staff(self.viewer)
        return self._is_centre_staff

    def prefetch(self, people: Iterable[User | None]) -> MinorsPolicy:
        """Decide for every minor in *people* at once; return self."""
        minor_ids = {
            person.pk
            for person in people
            if person is not None and is_minor(person, self.day)
        }
        minor_ids -= self._decided_minor_ids
        minor_ids.discard(self.viewer.pk)
        if not minor_ids or not self.viewer.is_authenticated:
            return self
        if self.is_centre_staff:
            self._visible_minor_ids |= minor_ids
        else:
            self._visible_minor_ids |= _accepted_by_staff_of(minor_ids, self.viewer.pk)
        self._decided_minor_ids |= minor_ids
        return self

    def can_see(self, person: User) -> bool:
        """Tell whether the viewer may see *person*'s name, contact and birth date.

        A deleted account has no name or contact left to see, so this
        returns False for every viewer.
        """
        if person.is_deleted:
            return False
        if not is_minor(person, self.day):
            return True
        if self.viewer.is_authenticated and self.viewer.pk == person.pk:
            return True
        if person.pk not in self._decided_minor_ids:
            self.prefetch([person])
        return person.pk in self._visible_minor_ids

    def name(
        self, person: User, placeholder: str | Promise = APPLICANT_PLACEHOLDER
    ) -> str:
        """Return *person*'s name as the viewer may see it, or *placeholder*."""
        if not self.can_see(person):
            return hidden_name(person, placeholder)
        return str(person)

    def email(self, person: User) -> str:
        """Return *person*'s e-mail address, or "" when the viewer may not see it."""
        return person.email if self.can_see(person) else ""


def can_see_personal_data(viewer: AnyUser, person: User) -> bool:
    """Tell whether *viewer* may see *person*'s name, contact details and birth date."""
    return MinorsPolicy(viewer).can_see(person)


def group_can_see_personal_data(group_id: int, person: User) -> bool:
    """Tell whether every staff member of group *group_id* may see *person*'s data.

    Used where a group rather than one person reads the data, such as a
    mail to all staff of a group and to its post's contact address.
    """
    if person.is_deleted:
        return False
    return not is_minor(person) or accepted_by_group(person, group_id)


def public_text_by(
    person: User, text: str, placeholder: str | Promise = PARTICIPANT_PLACEHOLDER
) -> str:
    """Return *text* that *person* typed for a public page, or *placeholder*.

    Free text such as a photo credit may hold the author's name, so a
    minor's text is replaced on public pages and in exhibition files.
    """
    return str(placeholder) if is_minor(person) else text
