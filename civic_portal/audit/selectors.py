"""The incident report: whose personal data was accessed in a time window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min

from civic_portal.accounts.models import User
from civic_portal.audit.models import (
    FIELD_SEPARATOR,
    PersonalDataAccess,
    PersonalDataAccessQuerySet,
)
from civic_portal.exports import Cell

# civic_portal.privacy.services gives a deleted account an address in
# this reserved domain; the report shows no address for it.
DELETED_ACCOUNT_DOMAIN = "@deleted.invalid"

REPORT_HEADER = (
    "subject_id",
    "current_email",
    "fields",
    "first_access",
    "last_access",
    "accesses",
    "actor_ids",
)


@dataclass
class AffectedPerson:
    """One person whose personal data was accessed in the report's window."""

    subject_id: int
    current_email: str
    first_access: dt.datetime
    last_access: dt.datetime
    accesses: int
    fields: list[str] = field(default_factory=list)
    actor_ids: list[int] = field(default_factory=list)

    def as_row(self) -> list[Cell]:
        return [
            self.subject_id,
            self.current_email,
            " ".join(self.fields),
            self.first_access,
            self.last_access,
            self.accesses,
            " ".join(str(actor_id) for actor_id in self.actor_ids),
        ]

    def as_dict(self) -> dict[str, object]:
        return {
            "subject_id": self.subject_id,
            "current_email": self.current_email,
            "fields": self.fields,
            "first_access": self.first_access.isoformat(),
            "last_access": self.last_access.isoformat(),
            "accesses": self.accesses,
            "actor_ids": self.actor_ids,
        }


def accesses_in_window(
    since: dt.datetime,
    until: dt.datetime,
    *,
    actor_id: int | None = None,
    field_name: str | None = None,
) -> PersonalDataAccessQuerySet:
    """Return the log rows with since <= accessed_at < until, filtered."""
    rows = PersonalDataAccess.objects.filter(
        accessed_at__gte=since, accessed_at__lt=until
    )
    if actor_id is not None:
        rows = rows.filter(actor_id=actor_id)
    if field_name:
        rows = rows.with_field(field_name)
    return rows


def _current_emails(subject_ids: list[int]) -> dict[int, str]:
    emails = {}
    for pk, email in User.objects.filter(pk__in=subject_ids).values_list("pk", "email"):
        emails[pk] = "" if email.endswith(DELETED_ACCOUNT_DOMAIN) else email
    return emails


def affected_people(
    since: dt.datetime,
    until: dt.datetime,
    *,
    actor_id: int | None = None,
    field_name: str | None = None,
) -> list[AffectedPerson]:
    """List each person whose data was accessed in the window, by subject id.

    Runs three queries whatever the number of rows: the totals per
    subject, the distinct (subject, fields, actor) triples and the
    subjects' current e-mail addresses. A deleted account's address is
    shown as empty.
    """
    rows = accesses_in_window(since, until, actor_id=actor_id, field_name=field_name)
    totals = (
        rows.order_by()
        .values("subject_id")
        .annotate(first=Min("accessed_at"), last=Max("accessed_at"), count=Count("pk"))
        .order_by("subject_id")
    )
    people = {
        total["subject_id"]: AffectedPerson(
            subject_id=total["subject_id"],
            current_email="",
            first_access=total["first"],
            last_access=total["last"],
            accesses=total["count"],
        )
        for total in totals
    }
    if not people:
        return []
    fields: dict[int, set[str]] = {pk: set() for pk in people}
    actors: dict[int, set[int]] = {pk: set() for pk in people}
    triples = rows.order_by().values_list("subject_id", "fields", "actor_id").distinct()
    for subject_id, names, actor in triples:
        fields[subject_id].update(names.split(FIELD_SEPARATOR))
        actors[subject_id].add(actor)
    emails = _current_emails(list(people))
    for pk, person in people.items():
        person.fields = sorted(fields[pk])
        person.actor_ids = sorted(actors[pk])
        person.current_email = emails.get(pk, "")
    return list(people.values())


def report_rows(people: list[AffectedPerson]) -> Iterator[list[Cell]]:
    for person in people:
        yield person.as_row()
