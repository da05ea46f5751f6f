"""Recording of staff access to other people's personal data.

Views, API endpoints and exports call record_access() once per response
that shows or exports other people's personal data, with the ids of the
people shown and the register's names of the fields shown.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models import Exists, OuterRef
from django.http import HttpRequest

from civic_portal.audit.models import FIELD_SEPARATOR, PersonalDataAccess
from civic_portal.privacy.register import declared_fields

logger = logging.getLogger(__name__)

Action = PersonalDataAccess.Action

# Field names of the register, as record_access() expects them.
USER_NAME = "accounts.User.full_name"
USER_EMAIL = "accounts.User.email"
USER_PHONE = "accounts.User.phone"
USER_BIRTH_DATE = "accounts.User.birth_date"
USER_CONTACT = (USER_NAME, USER_EMAIL, USER_PHONE)


def name_fields(user: AbstractBaseUser) -> tuple[str, ...]:
    """Return the fields a page shows with `full_name|default:email` for *user*."""
    return (USER_NAME,) if getattr(user, "full_name", "") else (USER_EMAIL,)


def shown_fields(values: Mapping[str, object]) -> tuple[str, ...]:
    """Return the field names in *values* whose value a page shows (not None or "")."""
    return tuple(name for name, value in values.items() if value not in (None, ""))


Subject = int | AbstractBaseUser
Subjects = Mapping[int, Iterable[str]] | Iterable[Subject | None]


# Object-level memberships that make someone staff without a Django group,
# by the related name of their model's user field.
MEMBERSHIP_ROLES = {
    "group_staff": ("groups", "GroupMembership"),
    "centre_staff": ("groups", "SupportCentreStaff"),
}


def actor_roles(user: AbstractBaseUser | AnonymousUser) -> str:
    """Return the account flags, role groups and staff memberships of *user*.

    One query reads the role groups and whether the user is staff of any
    civic group or support centre, comma-separated as "staff,concierge,
    group_staff".
    """
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return ""
    roles = []
    if getattr(user, "is_superuser", False):
        roles.append("superuser")
    if getattr(user, "is_staff", False):
        roles.append("staff")
    memberships = {
        role: Exists(
            apps.get_model(app_label, model_name).objects.filter(user=OuterRef("pk"))
        )
        for role, (app_label, model_name) in MEMBERSHIP_ROLES.items()
    }
    rows = list(
        get_user_model()
        ._default_manager.filter(pk=user.pk)
        .annotate(**memberships)
        .values_list("groups__name", *memberships)
    )
    roles.extend(sorted({row[0] for row in rows if row[0]}))
    if rows:
        roles.extend(
            role for index, role in enumerate(memberships, 1) if rows[0][index]
        )
    return FIELD_SEPARATOR.join(roles)


def _validated_fields(fields: Iterable[str]) -> str:
    names = sorted(set(fields))
    declared = declared_fields()
    for name in names:
        model_label, _, field_name = name.rpartition(".")
        if field_name not in declared.get(model_label, set()):
            raise ValueError(
                f"{name!r} is not a field of the personal-data register; "
                "use '<app>.<Model>.<field>' as civic_portal/privacy/register.py "
                "declares it."
            )
    return FIELD_SEPARATOR.join(names)


def _subject_id(subject: Subject) -> int:
    return subject if isinstance(subject, int) else int(subject.pk)


def _fields_by_subject(
    subjects: Subjects, fields: Iterable[str]
) -> dict[int, Iterable[str]]:
    if isinstance(subjects, Mapping):
        return {_subject_id(subject): names for subject, names in subjects.items()}
    common = tuple(fields)
    return {_subject_id(subject): common for subject in subjects if subject is not None}


def _object_ref(obj: models.Model | str | None) -> str:
    if obj is None:
        return ""
    if isinstance(obj, models.Model):
        return f"{obj._meta.label}:{obj.pk}"
    return obj


def record_access(
    request_or_actor: HttpRequest | AbstractBaseUser,
    subjects: Subjects,
    fields: Iterable[str] = (),
    *,
    action: str = Action.VIEWED,
    source: str = "",
    obj: models.Model | str | None = None,
) -> list[PersonalDataAccess]:
    """Record that the actor saw or exported *fields* of each of *subjects*.

    *subjects* are users or user ids that all had *fields* shown, or a
    mapping from user id to the fields shown for that person. A subject who
    is the actor is left out: people viewing their own data are not logged.
    *source* defaults to the URL name of the request; *obj* is the page's
    object (a model instance or a reference string). Writes all rows with
    one bulk INSERT, which SQLite splits into batches of its parameter
    limit.
    """
    actor: AbstractBaseUser | AnonymousUser
    if isinstance(request_or_actor, HttpRequest):
        actor = request_or_actor.user
        match = request_or_actor.resolver_match
        source = source or (match.view_name if match else request_or_actor.path)
    else:
        actor = request_or_actor
    if not actor.is_authenticated:
        raise ValueError("Only a signed-in user's access to personal data is logged.")
    if not source:
        raise ValueError("record_access() needs a source when given no request.")
    actor_id = int(actor.pk)
    by_subject = {
        subject_id: _validated_fields(names)
        for subject_id, names in _fields_by_subject(subjects, fields).items()
        if subject_id != actor_id
    }
    by_subject = {
        subject_id: names for subject_id, names in by_subject.items() if names
    }
    if not by_subject:
        return []
    roles = actor_roles(actor)
    object_ref = _object_ref(obj)
    rows = [
        PersonalDataAccess(
            actor_id=actor_id,
            actor_roles=roles,
            subject_id=subject_id,
            action=action,
            fields=names,
            view_name=source,
            object_ref=object_ref,
        )
        for subject_id, names in by_subject.items()
    ]
    return PersonalDataAccess.objects.bulk_create(rows)
