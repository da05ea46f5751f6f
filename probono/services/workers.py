"""Registration of pro bono workers: register, edit, pause, resume, delete.

The rules of a registration live here, so the pages and the API check
them alike and raise ValidationError with a message for the person.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_portal.accounts.models import User
from groups.models import ActivityField
from probono.models import ProbonoWorker, Skill, WorkerSkill, WorkMode

logger = logging.getLogger(__name__)

# The fields a worker sets directly. Skills, fields of interest and the
# consent to share contact details are passed as separate arguments.
WORKER_FIELDS = (
    "profession",
    "employer",
    "skills_note",
    "hours_per_month",
    "available_weekdays",
    "available_evenings",
    "available_weekends",
    "work_mode",
    "lives_in_prefecture",
    "municipality",
    "home_region",
    "max_projects",
)

REMOTE_MODES = (WorkMode.REMOTE, WorkMode.EITHER)


@dataclass(frozen=True)
class SkillEntry:
    """One skill area of a registration, with its level (1 to 3) and years."""

    skill: Skill
    level: int
    years: int


def current_registration(user: User) -> ProbonoWorker | None:
    """Return the user's registration, paused ones included, or None."""
    return ProbonoWorker.objects.filter(user=user).first()


def check_registration(fields: Mapping[str, Any], skills: list[SkillEntry]) -> None:
    """Raise ValidationError, by field, for a registration that breaks a rule."""
    errors: dict[str, list[str]] = {}
    if not skills:
        errors.setdefault("__all__", []).append(
            _("Add at least one skill area with its level and years of experience.")
        )
    skill_ids = [entry.skill.pk for entry in skills]
    if len(skill_ids) != len(set(skill_ids)):
        errors.setdefault("__all__", []).append(
            _("Each skill area can be listed only once.")
        )
    if fields.get("lives_in_prefecture", True):
        if not fields.get("municipality"):
            errors.setdefault("municipality", []).append(
                _("Choose the municipality you live in.")
            )
    else:
        if not (fields.get("home_region") or "").strip():
            errors.setdefault("home_region", []).append(
                _("Enter the prefecture or country you live in.")
            )
        if fields.get("work_mode") not in REMOTE_MODES:
            errors.setdefault("work_mode", []).append(
                _(
                    "People who live outside Yamaguchi take part remotely. "
                    'Choose "Remote" or "Either remote or on site".'
                )
            )
    if errors:
        raise ValidationError(errors)


def _save_fields(
    worker: ProbonoWorker,
    fields: Mapping[str, Any],
    skills: list[SkillEntry],
    activity_fields: Iterable[ActivityField],
) -> None:
    for name in WORKER_FIELDS:
        if name in fields:
            setattr(worker, name, fields[name])
    if worker.lives_in_prefecture:
        worker.home_region = ""
    else:
        worker.municipality = None
    worker.save()
    worker.activity_fields.set(activity_fields)
    worker.worker_skills.all().delete()
    WorkerSkill.objects.bulk_create(
        WorkerSkill(
            worker=worker, skill=entry.skill, level=entry.level, years=entry.years
        )
        for entry in skills
    )


@transaction.atomic
def register_worker(
    *,
    user: User,
    fields: Mapping[str, Any],
    skills: list[SkillEntry],
    activity_fields: Iterable[ActivityField],
    contact_consent: bool,
) -> ProbonoWorker:
    """Create the user's registration in the worker bank."""
    if not contact_consent:
        raise ValidationError(
            {
                "contact_consent": _(
                    "Agree to share your contact details with the group you "
                    "are matched with, or you cannot register."
                )
            }
        )
    check_registration(fields, skills)
    worker = ProbonoWorker(user=user, contact_consent_at=timezone.now())
    try:
        with transaction.atomic():
            _save_fields(worker, fields, skills, activity_fields)
    except IntegrityError:
        # The user column is unique, so the insert fails for a second registration.
        logger.info("Duplicate pro bono registration by user %s rejected", user.pk)
        raise ValidationError(
            _("You are already registered as a pro bono worker.")
        ) from None
    logger.info("Pro bono worker %s registered by user %s", worker.pk, user.pk)
    return worker


@transaction.atomic
def update_worker(
    *,
    worker: ProbonoWorker,
    fields: Mapping[str, Any],
    skills: list[SkillEntry] | None,
    activity_fields: Iterable[ActivityField] | None,
) -> ProbonoWorker:
    """Change a registration.

    Passing None for skills or activity_fields keeps the current ones.
    """
    if worker.status == ProbonoWorker.Status.DELETED:
        raise ValidationError(_("This registration was deleted."))
    if skills is None:
        skills = [
            SkillEntry(row.skill, row.level, row.years)
            for row in worker.worker_skills.select_related("skill")
        ]
    if activity_fields is None:
        activity_fields = list(worker.activity_fields.all())
    merged = {name: fields.get(name, getattr(worker, name)) for name in WORKER_FIELDS}
    check_registration(merged, skills)
    _save_fields(worker, merged, skills, activity_fields)
    logger.info("Pro bono worker %s updated", worker.pk)
    return worker


def pause_worker(worker: ProbonoWorker) -> None:
    """Take the worker out of the candidates until they resume."""
    if worker.status != ProbonoWorker.Status.ACTIVE:
        raise ValidationError(_("Only an active registration can be paused."))
    worker.status = ProbonoWorker.Status.PAUSED
    worker.paused_at = timezone.now()
    worker.save(update_fields=["status", "paused_at", "updated_at"])
    logger.info("Pro bono worker %s paused", worker.pk)


def resume_worker(worker: ProbonoWorker) -> None:
    """Make a paused worker a candidate again."""
    if worker.status != ProbonoWorker.Status.PAUSED:
        raise ValidationError(_("Only a paused registration can be resumed."))
    worker.status = ProbonoWorker.Status.ACTIVE
    worker.paused_at = None
    worker.save(update_fields=["status", "paused_at", "updated_at"])
    logger.info("Pro bono worker %s resumed", worker.pk)


@transaction.atomic
def delete_worker(worker: ProbonoWorker) -> None:
    """Remove the personal data of a registration and keep an anonymous row.

    The row stays, with its registration date, skill areas, residence
    inside or outside the prefecture and work mode, and no link to the
    user, so the counts of registrants by date, skill and residence stay
    right. The user account is not touched.
    """
    if worker.status == ProbonoWorker.Status.DELETED:
        raise ValidationError(_("This registration was already deleted."))
    worker.user = None
    worker.profession = ""
    worker.employer = ""
    worker.skills_note = ""
    worker.municipality = None
    worker.home_region = ""
    worker.hours_per_month = 0
    worker.available_weekdays = False
    worker.available_evenings = False
    worker.available_weekends = False
    worker.contact_consent_at = None
    worker.paused_at = None
    worker.status = ProbonoWorker.Status.DELETED
    worker.deleted_at = timezone.now()
    worker.save()
    worker.activity_fields.clear()
    worker.worker_skills.update(years=0)
    logger.info("Pro bono worker %s deleted", worker.pk)
