"""The project workspace of a support request.

Participants of a project are the staff of the request's group, its team
members (workers with an accepted proposal on it) and the request's
concierge. Any concierge may also read and post, because concierges stand
in for each other. Each write here checks the actor's role and the
request's state and raises ValidationError: code "role_not_allowed" when
the actor's role may not make the change (views return 403), "wrong_state"
when the request is not in a state that allows it, and a field dict for
bad input.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from civic_portal.accounts.models import User
from civic_portal.fiscal import JAPAN
from civic_portal.types import AnyUser
from groups.models import CivicGroup
from probono.models import (
    Evaluation,
    Milestone,
    ProbonoWorker,
    ProgressNote,
    ProjectMessage,
    Proposal,
    RequestState,
    Skill,
    SupportRequest,
    WorkLog,
)
from probono.permissions import is_concierge

logger = logging.getLogger(__name__)

S = RequestState

# Messages may be posted until the request is closed or cancelled.
MESSAGE_CLOSED_STATES = frozenset({S.CLOSED, S.CANCELLED})
# Milestones, progress notes and hours belong to the work itself, from
# kickoff until the evaluation is recorded.
WORK_STATES = frozenset({S.KICKOFF, S.IN_PROGRESS, S.DELIVERED, S.EVALUATED})
# Progress checks are mailed only while the work is under way.
PROGRESS_CHECK_STATES = frozenset({S.KICKOFF, S.IN_PROGRESS})
PROGRESS_CHECK_DAYS = 3
# States from "team formed" on, where a request has become a project.
PROJECT_STATES = frozenset(
    {S.TEAM_FORMED, S.KICKOFF, S.IN_PROGRESS, S.DELIVERED, S.EVALUATED, S.CLOSED}
)
ACTIVE_PROJECT_STATES = PROJECT_STATES - {S.CLOSED}

MAX_TEXT_LENGTH = 5000
MAX_COMMENT_LENGTH = 2000
# One entry covers at most about a month of full-time work. An entry for
# one day covers at most the hours of that day.
MAX_HOURS_PER_ENTRY = Decimal(200)
MAX_HOURS_PER_DAY = Decimal(24)
HOURS_STEP = Decimal("0.1")


@dataclasses.dataclass(frozen=True)
class ProjectAccess:
    """The roles one user holds on one project."""

    user_id: int | None
    is_concierge: bool
    is_group_staff: bool
    # The user's worker registration when they are a team member.
    worker: ProbonoWorker | None

    @property
    def is_team_member(self) -> bool:
        return self.worker is not None

    @property
    def can_take_part(self) -> bool:
        return self.is_concierge or self.is_group_staff or self.is_team_member

    @property
    def can_manage_milestones(self) -> bool:
        return self.is_concierge or self.is_group_staff

    @property
    def sees_member_contacts(self) -> bool:
        """Whether the user may see team members' consented contact details."""
        return self.is_concierge or self.is_group_staff


@dataclasses.dataclass(frozen=True)
class MemberContact:
    """A team member as a viewer of the workspace may see them."""

    worker_id: int
    name: str
    profession: str
    email: str
    phone: str


@dataclasses.dataclass(frozen=True)
class PersonContact:
    name: str
    email: str
    phone: str


@dataclasses.dataclass(frozen=True)
class TeamContacts:
    """The team and the contacts shown to one viewer."""

    members: list[MemberContact]
    group_contact: PersonContact | None
    concierge: PersonContact | None


@dataclasses.dataclass(frozen=True)
class HoursTotal:
    label: str
    hours: Decimal
    estimated_value: int


@dataclasses.dataclass(frozen=True)
class HoursSummary:
    """Hours given to a project, in total, by worker and by skill area."""

    total_hours: Decimal
    estimated_value: int
    by_worker: list[HoursTotal]
    by_skill: list[HoursTotal]


def _not_allowed(message: str) -> ValidationError:
    return ValidationError(message, code="role_not_allowed")


def _wrong_state(message: str, request: SupportRequest) -> ValidationError:
    return ValidationError(
        message % {"state": S(request.state).label}, code="wrong_state"
    )


def japan_today() -> dt.date:
    return timezone.localdate(timezone=JAPAN)


def display_name(user: User | None) -> str:
    """Return the name shown for *user* to other participants, never an e-mail."""
    if user is None:
        return _("Former participant")
    return user.full_name.strip() or _("Unnamed participant")


def worker_name(worker: ProbonoWorker) -> str:
    if worker.user is None:
        return _("Deleted worker")
    return display_name(worker.user)


def team_members(request: SupportRequest) -> QuerySet[ProbonoWorker]:
    """Return the workers with an accepted proposal on *request*.

    Deleted registrations are left out: they have no user, so they can
    neither take part nor evaluate.
    """
    return (
        ProbonoWorker.objects.filter(
            proposals__request=request, proposals__status=Proposal.Status.ACCEPTED
        )
        .exclude(status=ProbonoWorker.Status.DELETED)
        .exclude(user__isnull=True)
        .select_related("user")
        .order_by("pk")
    )


def team_member_of(user: AnyUser, request: SupportRequest) -> ProbonoWorker | None:
    """Return *user*'s worker registration if they are on *request*'s team."""
    if not user.is_authenticated:
        return None
    return team_members(request).filter(user_id=user.pk).first()


def access_of(user: AnyUser, request: SupportRequest) -> ProjectAccess:
    """Return the roles *user* holds on the project of *request*."""
    if not user.is_authenticated:
        return ProjectAccess(
            user_id=None, is_concierge=False, is_group_staff=False, worker=None
        )
    return ProjectAccess(
        user_id=user.pk,
        is_concierge=is_concierge(user),
        is_group_staff=request.group.is_staff_member(user),
        worker=team_member_of(user, request),
    )


def can_take_part(user: AnyUser, request: SupportRequest) -> bool:
    """Tell whether *user* may read the project of *request* and post to it."""
    return access_of(user, request).can_take_part


def participants(request: SupportRequest) -> list[User]:
    """Return the active users who take part in *request*'s project.

    These are the group's staff, the team members and the request's
    concierge, each once, in that order. Other concierges may read and
    post but are not mailed.
    """
    staff = User.objects.filter(
        group_memberships__group_id=request.group_id, is_active=True
    ).order_by("pk")
    workers = User.objects.filter(
        pk__in=team_members(request).values("user_id"), is_active=True
    ).order_by("pk")
    users: list[User] = [*staff, *workers]
    if request.concierge_id is not None:
        concierge = User.objects.filter(pk=request.concierge_id, is_active=True)
        users.extend(concierge)
    unique: dict[int, User] = {}
    for user in users:
        unique.setdefault(user.pk, user)
    return list(unique.values())


def _in_states(states: Iterable[str]) -> Q:
    states = list(states)
    return Q(state__in=states) | Q(state=S.ON_HOLD, resume_state__in=states)


def projects_of(user: AnyUser) -> QuerySet[SupportRequest]:
    """Return the projects listed on *user*'s "my projects" page.

    A worker gets the requests they are a team member of, in any state.
    Group staff get their groups' requests from "team formed" on, and a
    concierge every active project. Held requests count by the state they
    were held in.
    """
    if not user.is_authenticated:
        return SupportRequest.objects.none()
    accepted = Proposal.objects.accepted().filter(worker__user_id=user.pk)
    condition = Q(pk__in=accepted.values("request_id"))
    condition |= Q(group__in=CivicGroup.objects.managed_by(user)) & _in_states(
        PROJECT_STATES
    )
    if is_concierge(user):
        condition |= _in_states(ACTIVE_PROJECT_STATES)
    return SupportRequest.objects.filter(condition)


def project_list_rows(user: AnyUser) -> QuerySet[SupportRequest]:
    """Return *user*'s projects, latest change first, with the next due date.

    Each row gets `next_due_on`, the due date of its earliest undone
    milestone, or None.
    """
    next_due = (
        Milestone.objects.filter(request=OuterRef("pk"), done_on__isnull=True)
        .order_by("due_on")
        .values("due_on")[:1]
    )
    return (
        projects_of(user)
        .annotate(next_due_on=Subquery(next_due))
        .order_by("-state_changed_at", "-pk")
    )


def _clean_text(value: str, field: str, max_length: int, missing_message: str) -> str:
    text = value.strip()
    if not text:
        raise ValidationError({field: missing_message}, code="required")
    if len(text) > max_length:
        raise ValidationError(
            {
                field: _("Shorten the text to %(max)s characters (it has %(count)s).")
                % {"max": max_length, "count": len(text)}
            },
            code="max_length",
        )
    return text


def post_message(request: SupportRequest, author: User, body: str) -> ProjectMessage:
    """Add a message to the project's thread and mail the other participants."""
    access = access_of(author, request)
    if not access.can_take_part:
        raise _not_allowed(_("Only the participants of a project can post to it."))
    if request.state in MESSAGE_CLOSED_STATES:
        raise _wrong_state(
            _("Messages can no longer be posted: the request is “%(state)s”."),
            request,
        )
    text = _clean_text(body, "body", MAX_TEXT_LENGTH, _("Write a message."))
    message = ProjectMessage.objects.create(request=request, author=author, body=text)
    transaction.on_commit(lambda: _mail_message(message.pk))
    logger.info("Message %s posted to request %s", message.pk, request.pk)
    return message


def _mail_message(message_id: int) -> None:
    from probono.tasks.projects import send_project_message

    send_project_message.delay(message_id)


def _check_work_state(request: SupportRequest, message: str) -> None:
    if request.state not in WORK_STATES:
        raise _wrong_state(message, request)


def add_milestone(
    request: SupportRequest, actor: User, title: str, due_on: dt.date
) -> Milestone:
    """Add a milestone; a progress check is mailed as its due date nears."""
    if not access_of(actor, request).can_manage_milestones:
        raise _not_allowed(
            _("Only the concierge or the group's staff can add milestones.")
        )
    _check_work_state(
        request,
        _(
            "Milestones can be added from kickoff until the evaluation. "
            "The request is “%(state)s”."
        ),
    )
    text = _clean_text(title, "title", 200, _("Name the milestone."))
    if due_on < japan_today():
        raise ValidationError(
            {"due_on": _("The due date cannot be in the past.")}, code="past"
        )
    milestone = Milestone.objects.create(
        request=request, title=text, due_on=due_on, created_by=actor
    )
    logger.info("Milestone %s added to request %s", milestone.pk, request.pk)
    return milestone


def mark_done(
    milestone: Milestone, actor: User, done_on: dt.date | None = None
) -> Milestone:
    """Record that *milestone* was reached on *done_on* (today by default)."""
    request = milestone.request
    if not access_of(actor, request).can_manage_milestones:
        raise _not_allowed(
            _("Only the concierge or the group's staff can mark milestones done.")
        )

    _check_work_state(
        request,
        _(
            "Milestones can be marked done from kickoff until the evaluation. "
            "The request is “%(state)s”."
        ),
    )
    today = japan_today()
    done_on = done_on or today
    if done_on > today:
        raise ValidationError(
            {"done_on": _("The date done cannot be in the future.")}, code="future"
        )

    # The filter on done_on makes two clicks at once record one date.
    updated = Milestone.objects.filter(pk=milestone.pk, done_on__isnull=True).update(
        done_on=done_on
    )
    if not updated:
        milestone.refresh_from_db()
        raise ValidationError(
            _("This milestone was already marked done on %(date)s.")
            % {"date": date_format(milestone.done_on or done_on, "DATE_FORMAT")},
            code="already_done",
        )

    milestone.done_on = done_on
    logger.info("Milestone %s of request %s done", milestone.pk, request.pk)
    return milestone


def add_progress_note(request: SupportRequest, author: User, body: str) -> ProgressNote:
    if not access_of(author, request).can_take_part:
        raise _not_allowed(
            _("Only the participants of a project can add progress notes.")
        )
    _check_work_state(
        request,
        _(
            "Progress notes can be added from kickoff until the evaluation. "
            "The request is “%(state)s”."
        ),
    )
    text = _clean_text(body, "body", MAX_TEXT_LENGTH, _("Write the progress note."))
    note = ProgressNote.objects.create(request=request, author=author, body=text)
    logger.info("Progress note %s added to request %s", note.pk, request.pk)
    return note


def skills_for_hours(worker: ProbonoWorker, request: SupportRequest) -> QuerySet[Skill]:
    """Return the skill areas *worker* may log hours in: theirs or the request's."""
    return Skill.objects.filter(
        Q(pk__in=worker.worker_skills.values("skill_id"))
        | Q(pk__in=request.skills.values("pk"))
    ).order_by("position", "pk")


def _clean_hours(hours: Decimal | int | str, worked_on: dt.date | None) -> Decimal:
    try:
        value = Decimal(str(hours))
    except InvalidOperation:
        raise ValidationError(
            {"hours": _("Enter the hours as a number, for example 1.5.")},
            code="invalid",
        ) from None
    if not value.is_finite() or value <= 0:
        raise ValidationError(
            {"hours": _("Enter a number of hours greater than 0.")}, code="min_value"
        )
    if value != value.quantize(HOURS_STEP):
        raise ValidationError(
            {"hours": _("Enter the hours in steps of 0.1, for example 1.5.")},
            code="step",
        )
    limit = MAX_HOURS_PER_DAY if worked_on else MAX_HOURS_PER_ENTRY
    if value > limit:
        raise ValidationError(
            {"hours": _("Enter at most %(max)s hours in one entry.") % {"max": limit}},
            code="max_value",
        )
    return value


def log_hours(
    request: SupportRequest,
    actor: User,
    skill: Skill,
    hours: Decimal | int | str,
    worked_on: dt.date | None = None,
) -> WorkLog:
    """Record hours that *actor*, a team member, gave to the project.

    A worker logs only their own hours, in one of their skill areas or
    one the request needs. With *worked_on* the entry covers one day.
    """
    worker = access_of(actor, request).worker
    if worker is None:
        raise _not_allowed(_("Only team members can log hours, each their own."))
    _check_work_state(
        request,
        _(
            "Hours can be logged from kickoff until the evaluation. "
            "The request is “%(state)s”."
        ),
    )
    value = _clean_hours(hours, worked_on)
    if not skills_for_hours(worker, request).filter(pk=skill.pk).exists():
        raise ValidationError(
            {"skill": _("Choose one of your skill areas or one the request needs.")},
            code="invalid_skill",
        )
    if worked_on and worked_on > japan_today():
        raise ValidationError(
            {"worked_on": _("The day worked cannot be in the future.")},
            code="future",
        )
    work_log = WorkLog.objects.create(
        request=request, worker=worker, skill=skill, hours=value, worked_on=worked_on
    )
    logger.info(
        "Work log %s: %s hours on request %s by worker %s",
        work_log.pk,
        value,
        request.pk,
        worker.pk,
    )
    return work_log


def summarise_hours(work_logs: Iterable[WorkLog]) -> HoursSummary:
    """Total *work_logs* (with worker__user and skill loaded) with their value.

    The estimated value is hours times the skill area's hourly value in
    yen, rounded down to whole yen.
    """
    by_worker: dict[int, tuple[str, Decimal, Decimal]] = {}
    by_skill: dict[int, tuple[str, Decimal, Decimal]] = {}
    total_hours = Decimal(0)
    total_value = Decimal(0)
    for work_log in work_logs:
        value = work_log.hours * work_log.skill.hourly_value
        total_hours += work_log.hours
        total_value += value
        _add_to(
            by_worker,
            work_log.worker_id,
            worker_name(work_log.worker),
            work_log.hours,
            value,
        )
        _add_to(by_skill, work_log.skill_id, str(work_log.skill), work_log.hours, value)
    return HoursSummary(
        total_hours=total_hours,
        estimated_value=int(total_value),
        by_worker=_totals(by_worker),
        by_skill=_totals(by_skill),
    )


def _add_to(
    table: dict[int, tuple[str, Decimal, Decimal]],
    key: int,
    label: str,
    hours: Decimal,
    value: Decimal,
) -> None:
    _label, old_hours, old_value = table.get(key, (label, Decimal(0), Decimal(0)))
    table[key] = (label, old_hours + hours, old_value + value)


def _totals(table: dict[int, tuple[str, Decimal, Decimal]]) -> list[HoursTotal]:
    return [
        HoursTotal(label=label, hours=hours, estimated_value=int(value))
        for label, hours, value in table.values()
    ]


def open_evaluation_parties(
    access: ProjectAccess,
    request: SupportRequest,
    evaluations: Iterable[Evaluation],
) -> list[str]:
    """Return the parties the user may still evaluate *request* for.

    Group staff evaluate once for the group and each team member once for
    themselves, while the request is "delivered".
    """
    if request.state != S.DELIVERED:
        return []
    given = list(evaluations)
    parties = []
    if access.is_group_staff and not any(
        e.party == Evaluation.Party.GROUP for e in given
    ):
        parties.append(Evaluation.Party.GROUP.value)
    if access.worker is not None and not any(
        e.party == Evaluation.Party.WORKER and e.worker_id == access.worker.pk
        for e in given
    ):
        parties.append(Evaluation.Party.WORKER.value)
    return parties


def evaluate(
    request: SupportRequest,
    actor: User,
    party: str,
    rating: int,
    comment: str = "",
) -> Evaluation:
    """Record the evaluation of *party* (group or worker) on a delivered request.

    Raises ValidationError when the party has already evaluated, also
    when two evaluations arrive at once: the request's row is locked and
    the database's unique constraints stand behind the check.
    """
    access = access_of(actor, request)
    worker = None
    if party == Evaluation.Party.GROUP:
        if not access.is_group_staff:
            raise _not_allowed(_("Only the group's staff can evaluate for the group."))
    elif party == Evaluation.Party.WORKER:
        worker = access.worker
        if worker is None:
            raise _not_allowed(_("Only team members can evaluate as a worker."))
    else:
        raise ValidationError(
            {"party": _("Choose who gives the evaluation: the group or a worker.")},
            code="invalid",
        )
    if request.state != S.DELIVERED:
        raise _wrong_state(
            _(
                "Evaluations are given after delivery and before the evaluation "
                "is recorded. The request is “%(state)s”."
            ),
            request,
        )
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError(
            {"rating": _("Give a rating from 1 to 5.")}, code="invalid_rating"
        )
    if len(comment.strip()) > MAX_COMMENT_LENGTH:
        raise ValidationError(
            {
                "comment": _(
                    "Shorten the text to %(max)s characters (it has %(count)s)."
                )
                % {"max": MAX_COMMENT_LENGTH, "count": len(comment.strip())}
            },
            code="max_length",
        )
    already = (
        _("The group has already evaluated this project.")
        if worker is None
        else _("You have already evaluated this project.")
    )
    try:
        with transaction.atomic():
            SupportRequest.objects.select_for_update().filter(pk=request.pk).first()
            existing = Evaluation.objects.filter(request=request, party=party)
            if worker is not None:
                existing = existing.filter(worker=worker)
            if existing.exists():
                raise ValidationError(already, code="already_evaluated")
            evaluation = Evaluation.objects.create(
                request=request,
                party=party,
                worker=worker,
                author=actor,
                rating=rating,
                comment=comment.strip(),
            )
    except IntegrityError:
        raise ValidationError(already, code="already_evaluated") from None
    logger.info(
        "Evaluation %s (%s) given on request %s", evaluation.pk, party, request.pk
    )
    return evaluation


def missing_evaluations(request: SupportRequest) -> list[str]:
    """Return who has not yet evaluated *request*: the group, then team members."""
    given = Evaluation.objects.filter(request=request)
    missing = []
    if not given.filter(party=Evaluation.Party.GROUP).exists():
        missing.append(_("the group"))
    evaluated_workers = set(
        given.filter(party=Evaluation.Party.WORKER).values_list("worker_id", flat=True)
    )
    for worker in team_members(request):
        if worker.pk not in evaluated_workers:
            missing.append(worker_name(worker))
    return missing


def check_evaluations_complete(request: SupportRequest) -> None:
    """Precondition of "evaluated": the group and every team member evaluated."""
    missing = missing_evaluations(request)
    if missing:
        raise ValidationError(
            _(
                "The request cannot be marked evaluated yet. "
                "Evaluations are missing from: %(missing)s."
            )
            % {"missing": ", ".join(missing)},
            code="evaluations_missing",
        )


def team_contacts(
    access: ProjectAccess,
    request: SupportRequest,
    members: Iterable[ProbonoWorker],
) -> TeamContacts:
    """Return the team and contacts that the viewer with *access* may see.

    Group staff and concierges see each member's name and profession, and
    their e-mail and phone only if the worker consented to share them. A
    team member sees the other members' names only, and the group's
    contact person and the concierge. *request* needs its concierge loaded.
    """
    concierge = request.concierge
    concierge_contact = (
        PersonContact(name=display_name(concierge), email=concierge.email, phone="")
        if concierge is not None
        else None
    )
    group_contact = PersonContact(
        name=request.contact_name,
        email=request.contact_email,
        phone=request.contact_phone,
    )
    rows = []
    for worker in members:
        assert worker.user is not None
        shared = access.sees_member_contacts and worker.contact_consent_at is not None
        rows.append(
            MemberContact(
                worker_id=worker.pk,
                name=worker_name(worker),
                profession=worker.profession if access.sees_member_contacts else "",
                email=worker.user.email if shared else "",
                phone=worker.user.phone if shared else "",
            )
        )
    if access.sees_member_contacts:
        # Access to workers' contact details is logged, by ids only.
        logger.info(
            "Team contacts of request %s shown to user %s", request.pk, access.user_id
        )
    elif not access.is_team_member:
        return TeamContacts(members=[], group_contact=None, concierge=None)
    return TeamContacts(
        members=rows, group_contact=group_contact, concierge=concierge_contact
    )


def due_for_progress_check(today: dt.date) -> QuerySet[Milestone]:
    """Return the undone milestones due within the check window, not yet checked."""
    return Milestone.objects.filter(
        done_on__isnull=True,
        check_sent_at__isnull=True,
        due_on__gte=today,
        due_on__lte=today + dt.timedelta(days=PROGRESS_CHECK_DAYS),
        request__state__in=PROGRESS_CHECK_STATES,
    ).select_related("request__group", "request__concierge")
