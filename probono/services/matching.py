"""Rank pro bono workers for a support request by a match score of 0 to 100.

The score is the sum of five parts, each worth at most its weight in
WEIGHTS, and each part comes with a short reason for the concierge:

- skills: the share of the request's skills the worker has, each skill
  credited by level and years of experience;
- availability: hours per month and the number of time slots (weekdays,
  evenings, weekends) the worker offers;
- remote or on site: whether the worker's way of working fits the
  request's, where on-site work needs a worker living in Yamaguchi;
- fields of interest: activity fields the worker shares with the group;
- current load: the share of the worker's capacity that is still free.

Only active workers with capacity left are candidates, and workers who
already have a live proposal for the request are left out. Among workers
with the same score, those who expressed interest in the request come first.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from probono.models import (
    Interest,
    ProbonoWorker,
    Skill,
    SupportRequest,
    WorkerSkill,
    WorkMode,
)
from probono.services import proposals


@dataclass(frozen=True)
class Weights:
    """Maximum points of each part of the match score; they add up to 100."""

    skills: int = 40
    availability: int = 15
    work_mode: int = 15
    fields: int = 15
    load: int = 15

    @property
    def total(self) -> int:
        return sum(dataclasses.astuple(self))


WEIGHTS = Weights()

# Credit of one covered skill by level (1 basic, 2 practical, 3 expert),
# multiplied by an experience factor that grows from MIN_EXPERIENCE_FACTOR
# at 0 years to 1 at YEARS_FOR_FULL_CREDIT years.
LEVEL_CREDIT = {1: 0.5, 2: 0.8, 3: 1.0}
YEARS_FOR_FULL_CREDIT = 10
MIN_EXPERIENCE_FACTOR = 0.7
# Availability: this share of the points comes from hours per month (full
# at HOURS_FOR_FULL_POINTS), the rest from the time slots offered.
HOURS_SHARE = 0.7
HOURS_FOR_FULL_POINTS = 20
# Work mode: an on-site request and a worker who would come on site but
# lives outside Yamaguchi.
ON_SITE_FROM_OUTSIDE_CREDIT = 0.5
# Fields of interest: sharing this many of the group's fields (or all of
# them, when it lists fewer) gives full points.
FIELDS_FOR_FULL_POINTS = 2

PART_LABELS = {
    "skills": gettext_lazy("Skills"),
    "availability": gettext_lazy("Availability"),
    "work_mode": gettext_lazy("Remote or on site"),
    "fields": gettext_lazy("Fields of interest"),
    "load": gettext_lazy("Current load"),
}


@dataclass(frozen=True)
class ScorePart:
    """One part of a match score, with the reason shown to the concierge."""

    key: str
    points: int
    max_points: int
    reason: str

    @property
    def label(self) -> str:
        return str(PART_LABELS[self.key])


@dataclass(frozen=True)
class Score:
    """A match score as the sum of its parts."""

    parts: tuple[ScorePart, ...]

    @property
    def total(self) -> int:
        return sum(part.points for part in self.parts)

    def as_json(self) -> dict[str, dict[str, Any]]:
        """Return the parts in the form stored in Proposal.score_parts.

        NOTE: each reason is stored as text in the language that was active
        when the proposal was made, so other readers see it in that language.
        """
        return {
            part.key: {
                "points": part.points,
                "max": part.max_points,
                "reason": part.reason,
            }
            for part in self.parts
        }


def parts_from_json(data: dict[str, Any]) -> list[ScorePart]:
    """Rebuild the parts stored in Proposal.score_parts, in the standard order."""
    return [
        ScorePart(key, int(row["points"]), int(row["max"]), str(row["reason"]))
        for key in PART_LABELS
        if isinstance(row := data.get(key), dict)
    ]


@dataclass(frozen=True)
class RequestFacts:
    """The request data that the score uses, read once per ranking."""

    skills: tuple[Skill, ...]
    work_mode: str
    group_field_ids: frozenset[int]
    group_field_names: dict[int, str]

    @classmethod
    def of(cls, request: SupportRequest) -> RequestFacts:
        group_fields = list(request.group.activity_fields.all())
        return cls(
            skills=tuple(request.skills.all()),
            work_mode=request.work_mode,
            group_field_ids=frozenset(field.pk for field in group_fields),
            group_field_names={field.pk: str(field) for field in group_fields},
        )


@dataclass(frozen=True)
class Candidate:
    """A worker ranked for a request."""

    worker: ProbonoWorker
    score: Score
    load: int
    interested: bool
    interest_note: str = ""


def _points(weight: int, share: float) -> int:
    return round(weight * max(0.0, min(1.0, share)))


def _skill_credit(worker_skill: WorkerSkill) -> float:
    years = min(worker_skill.years, YEARS_FOR_FULL_CREDIT)
    experience = MIN_EXPERIENCE_FACTOR + (1 - MIN_EXPERIENCE_FACTOR) * (
        years / YEARS_FOR_FULL_CREDIT
    )
    return LEVEL_CREDIT.get(worker_skill.level, 0.0) * experience


def score_skills(
    facts: RequestFacts, worker_skills: Iterable[WorkerSkill]
) -> ScorePart:
    weight = WEIGHTS.skills
    if not facts.skills:
        return ScorePart("skills", 0, weight, _("The request lists no skills."))
    by_skill = {row.skill_id: row for row in worker_skills}
    covered = [by_skill[skill.pk] for skill in facts.skills if skill.pk in by_skill]
    credit = sum(_skill_credit(row) for row in covered)
    points = _points(weight, credit / len(facts.skills))
    if not covered:
        reason = _("Has none of the %(count)s skills needed.") % {
            "count": len(facts.skills)
        }
        return ScorePart("skills", points, weight, reason)
    details = ", ".join(
        _("%(skill)s (%(level)s, %(years)s years)")
        % {"skill": row.skill, "level": row.get_level_display(), "years": row.years}
        for row in covered
    )
    reason = _("Has %(covered)s of %(count)s skills needed: %(details)s.") % {
        "covered": len(covered),
        "count": len(facts.skills),
        "details": details,
    }
    return ScorePart("skills", points, weight, reason)


def score_availability(worker: ProbonoWorker) -> ScorePart:
    weight = WEIGHTS.availability
    slots = [
        str(label)
        for offered, label in (
            (worker.available_weekdays, _("weekdays")),
            (worker.available_evenings, _("evenings")),
            (worker.available_weekends, _("weekends")),
        )
        if offered
    ]
    hours_share = min(worker.hours_per_month, HOURS_FOR_FULL_POINTS) / (
        HOURS_FOR_FULL_POINTS
    )
    share = HOURS_SHARE * hours_share + (1 - HOURS_SHARE) * len(slots) / 3
    reason = _("%(hours)s hours a month; %(slots)s.") % {
        "hours": worker.hours_per_month,
        "slots": ", ".join(slots) if slots else _("no time slots given"),
    }
    return ScorePart("availability", _points(weight, share), weight, reason)


def score_work_mode(facts: RequestFacts, worker: ProbonoWorker) -> ScorePart:
    weight = WEIGHTS.work_mode
    comes_on_site = worker.work_mode in (WorkMode.ON_SITE, WorkMode.EITHER)
    works_remotely = worker.work_mode in (WorkMode.REMOTE, WorkMode.EITHER)
    if facts.work_mode == WorkMode.EITHER:
        share, reason = 1.0, _("The request can be done remotely or on site.")
    elif facts.work_mode == WorkMode.REMOTE:
        if works_remotely:
            share, reason = 1.0, _("Works remotely, as the request needs.")
        else:
            share, reason = 0.0, _("Works only on site; the request is remote.")
    elif not comes_on_site:
        share, reason = 0.0, _("Works only remotely; the request is on site.")
    elif worker.lives_in_prefecture:
        share, reason = 1.0, _("Works on site and lives in Yamaguchi.")
    else:
        share = ON_SITE_FROM_OUTSIDE_CREDIT
        reason = _("Would work on site but lives outside Yamaguchi.")
    return ScorePart("work_mode", _points(weight, share), weight, reason)


def score_fields(facts: RequestFacts, worker_field_ids: Iterable[int]) -> ScorePart:
    weight = WEIGHTS.fields
    target = min(FIELDS_FOR_FULL_POINTS, len(facts.group_field_ids))
    if target == 0:
        return ScorePart("fields", 0, weight, _("The group lists no activity fields."))
    shared = sorted(facts.group_field_ids.intersection(worker_field_ids))
    if not shared:
        return ScorePart(
            "fields", 0, weight, _("Shares none of the group's activity fields.")
        )
    reason = _("Shares %(count)s of the group's fields: %(fields)s.") % {
        "count": len(shared),
        "fields": ", ".join(facts.group_field_names[pk] for pk in shared),
    }
    return ScorePart("fields", _points(weight, len(shared) / target), weight, reason)


def score_load(worker: ProbonoWorker, load: int) -> ScorePart:
    weight = WEIGHTS.load
    capacity = worker.max_projects
    share = (capacity - load) / capacity if capacity > 0 else 0.0
    reason = _("%(load)s of %(max)s projects at a time taken.") % {
        "load": load,
        "max": capacity,
    }
    return ScorePart("load", _points(weight, share), weight, reason)


def _score(
    facts: RequestFacts,
    worker: ProbonoWorker,
    worker_skills: Iterable[WorkerSkill],
    worker_field_ids: Iterable[int],
    load: int,
) -> Score:
    return Score(
        (
            score_skills(facts, worker_skills),
            score_availability(worker),
            score_work_mode(facts, worker),
            score_fields(facts, worker_field_ids),
            score_load(worker, load),
        )
    )


def score_worker(request: SupportRequest, worker: ProbonoWorker) -> Score:
    """Score one worker for *request* (five queries, for a single proposal)."""
    return _score(
        RequestFacts.of(request),
        worker,
        worker.worker_skills.select_related("skill"),
        worker.activity_fields.values_list("pk", flat=True),
        proposals.load_of(worker),
    )


def candidate_workers(request: SupportRequest) -> QuerySet[ProbonoWorker]:
    """Return active workers with capacity left and no live proposal for *request*."""
    already_proposed = request.proposals.filter(
        status__in=proposals.LOAD_STATUSES
    ).values("worker_id")
    return (
        proposals.with_capacity(
            ProbonoWorker.objects.active().filter(user__isnull=False)
        )
        .exclude(pk__in=already_proposed)
        .select_related("user", "municipality")
        .prefetch_related(
            Prefetch(
                "worker_skills", queryset=WorkerSkill.objects.select_related("skill")
            ),
            "activity_fields",
        )
    )


def rank_candidates(request: SupportRequest) -> list[Candidate]:
    """Return the candidates for *request*, best first.

    Runs a fixed number of queries whatever the number of workers: the
    request's skills and group fields, the workers with their load, their
    skills and fields, and the interests.

    NOTE: every candidate is loaded and scored in Python, so memory and
    time grow with the number of active workers who have capacity left.
    """
    facts = RequestFacts.of(request)
    interests = dict(
        Interest.objects.filter(request=request).values_list("worker_id", "note")
    )
    candidates = []
    for worker in candidate_workers(request):
        load: int = worker.load  # type: ignore[attr-defined]
        score = _score(
            facts,
            worker,
            worker.worker_skills.all(),
            [field.pk for field in worker.activity_fields.all()],
            load,
        )
        candidates.append(
            Candidate(
                worker=worker,
                score=score,
                load=load,
                interested=worker.pk in interests,
                interest_note=interests.get(worker.pk, ""),
            )
        )
    candidates.sort(
        key=lambda c: (-c.score.total, not c.interested, c.load, c.worker.pk)
    )
    return candidates
