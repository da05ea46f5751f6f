"""Collaboration cases: who sees them, opening, parties, stages and notes.

Who may do what:

- Read: the chief facilitator and administrators (superusers) read every
  case. A regional facilitator
  reads the cases of the centres they are appointed to today and the cases
  they were invited to. Centre staff read the cases of their centres.
- Manage (edit, add parties, record answers, move stages, invite): the
  chief facilitator and the regional facilitators appointed today to the
  case's centre, which includes the case's own facilitator while appointed.
- Notes: managers and invited facilitators.

Every other user gets nothing: the views answer 404 for a case they may
not read and 403 for a step they may not take.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_portal.fiscal import JAPAN
from civic_portal.types import AnyUser
from facilitation.models import (
    CaseInvitation,
    CaseNote,
    CaseParty,
    CaseStage,
    CaseStageChange,
    CollaborationCase,
    Facilitator,
    FacilitatorAppointment,
    Partner,
    Principle,
    PrincipleAnswer,
)
from facilitation.permissions import (
    can_read_every_case,
    centres_of,
    facilitator_of,
)
from groups.models import CivicGroup, SupportCentre

logger = logging.getLogger(__name__)

S = CaseStage

FINAL_STAGES = frozenset({S.COMPLETED, S.DISCONTINUED})
OPEN_STAGES = frozenset(S) - FINAL_STAGES

# Every allowed (from stage, to stage) pair. A case may step back from
# matching to consultation and from agreement to matching when a party
# drops out, and is discontinued from any open stage with a reason.
TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        (S.CONSULTATION, S.MATCHING),
        (S.CONSULTATION, S.DISCONTINUED),
        (S.MATCHING, S.CONSULTATION),
        (S.MATCHING, S.AGREEMENT),
        (S.MATCHING, S.DISCONTINUED),
        (S.AGREEMENT, S.MATCHING),
        (S.AGREEMENT, S.IN_PROGRESS),
        (S.AGREEMENT, S.DISCONTINUED),
        (S.IN_PROGRESS, S.COMPLETED),
        (S.IN_PROGRESS, S.DISCONTINUED),
    }
)

# A collaboration needs at least this many parties to reach agreement.
MIN_PARTIES_FOR_AGREEMENT = 2


def _invited_case_ids(facilitator: Facilitator) -> QuerySet[CaseInvitation, int]:
    return CaseInvitation.objects.filter(facilitator=facilitator).values_list(
        "case_id", flat=True
    )


def visible_cases(user: AnyUser) -> QuerySet[CollaborationCase]:
    """Return the cases *user* may read (see the module docstring)."""
    if not user.is_authenticated:
        return CollaborationCase.objects.none()
    if can_read_every_case(user):
        return CollaborationCase.objects.all()
    facilitator = facilitator_of(user)
    condition = Q(centre__in=SupportCentre.objects.staffed_by(user))
    if facilitator is not None:
        condition |= Q(centre__in=centres_of(user))
        condition |= Q(pk__in=_invited_case_ids(facilitator))
    return CollaborationCase.objects.filter(condition)


def can_manage(user: AnyUser, case: CollaborationCase) -> bool:
    """Tell whether *user* may edit *case*, add parties and move its stage."""
    facilitator = facilitator_of(user)
    if facilitator is None:
        return False
    if facilitator.is_chief:
        return True
    return centres_of(user).filter(pk=case.centre_id).exists()


def can_add_notes(user: AnyUser, case: CollaborationCase) -> bool:
    """Tell whether *user* may add meeting notes: managers and invitees."""
    if can_manage(user, case):
        return True
    facilitator = facilitator_of(user)
    return (
        facilitator is not None
        and CaseInvitation.objects.filter(case=case, facilitator=facilitator).exists()
    )


def _require_manager(user: AnyUser, case: CollaborationCase) -> None:
    if not can_manage(user, case):
        raise ValidationError(
            _(
                "Only the chief facilitator and the facilitators of the case's "
                "centre may change this case."
            ),
            code="not_case_manager",
        )


def _require_open(case: CollaborationCase) -> None:
    if not case.is_open:
        raise ValidationError(
            _("The case is “%(stage)s”, so it can no longer be changed.")
            % {"stage": S(case.stage).label},
            code="case_closed",
        )


def opening_centres(user: AnyUser) -> QuerySet[SupportCentre]:
    """Return the centres *user* may open a case for: their current ones."""
    return centres_of(user).order_by("scope", "municipality__code", "name")


def open_case(
    *,
    user: AnyUser,
    centre: SupportCentre,
    title: str,
    shared_goal: str,
    next_steps: str = "",
) -> CollaborationCase:
    """Open a case at *centre* in the consultation stage and record the step.

    Raises ValidationError unless *user* is a facilitator appointed to
    *centre* today.
    """
    facilitator = facilitator_of(user)
    if facilitator is None:
        raise ValidationError(
            _("Only a facilitator can open a collaboration case."),
            code="not_facilitator",
        )
    if not opening_centres(user).filter(pk=centre.pk).exists():
        raise ValidationError(
            {
                "centre": _(
                    "You are not appointed to %(centre)s today. Choose one of "
                    "your current centres."
                )
                % {"centre": centre}
            },
            code="not_appointed",
        )
    with transaction.atomic():
        case = CollaborationCase.objects.create(
            centre=centre,
            facilitator=facilitator,
            title=title.strip(),
            shared_goal=shared_goal.strip(),
            next_steps=next_steps.strip(),
            stage=S.CONSULTATION,
            created_by_id=user.pk,
        )
        CaseStageChange.objects.create(
            case=case, from_stage="", to_stage=S.CONSULTATION, actor_id=user.pk
        )
    logger.info("Case %s opened at centre %s by user %s", case.pk, centre.pk, user.pk)
    return case


def update_case(
    case: CollaborationCase,
    user: AnyUser,
    *,
    title: str,
    shared_goal: str,
    next_steps: str,
) -> None:
    """Change the case's title, shared goal and next steps."""
    _require_manager(user, case)
    case.title = title.strip()
    case.shared_goal = shared_goal.strip()
    case.next_steps = next_steps.strip()
    case.save(update_fields=["title", "shared_goal", "next_steps", "updated_at"])
    logger.info("Case %s edited by user %s", case.pk, user.pk)


def add_party(
    case: CollaborationCase,
    user: AnyUser,
    *,
    group: CivicGroup | None = None,
    partner: Partner | None = None,
    role: str,
    contribution: str,
) -> CaseParty:
    """Add a civic group or a partner (exactly one) to an open case."""
    _require_manager(user, case)
    _require_open(case)
    if (group is None) == (partner is None):
        raise ValidationError(
            _("Choose either a civic group or a partner."),
            code="group_or_partner",
        )
    if group is not None and not group.is_public:
        raise ValidationError(
            {"group": _("Only a registered, active civic group can take part.")},
            code="group_not_public",
        )
    if partner is not None and not partner.is_active:
        raise ValidationError(
            {"partner": _("The partner is inactive. Choose an active partner.")},
            code="partner_inactive",
        )
    try:
        with transaction.atomic():
            party = CaseParty.objects.create(
                case=case,
                group=group,
                partner=partner,
                role=role.strip(),
                contribution=contribution.strip(),
            )
    except IntegrityError as error:
        raise ValidationError(
            _("%(name)s already takes part in this case.") % {"name": group or partner},
            code="duplicate_party",
        ) from error
    logger.info("Party %s added to case %s by user %s", party.pk, case.pk, user.pk)
    return party


def update_party(
    party: CaseParty,
    user: AnyUser,
    *,
    role: str,
    contribution: str,
    outcome: str,
) -> None:
    """Change a party's role, contribution and outcome."""
    _require_manager(user, party.case)
    party.role = role.strip()
    party.contribution = contribution.strip()
    party.outcome = outcome.strip()
    party.save(update_fields=["role", "contribution", "outcome"])
    logger.info(
        "Party %s of case %s edited by user %s", party.pk, party.case_id, user.pk
    )


def record_principle_answers(
    party: CaseParty,
    user: AnyUser,
    answers: Mapping[str, tuple[bool, str]],
) -> None:
    """Store the party's answer (agrees, comment) to each of the five principles.

    *answers* must name every principle. Raises ValidationError when one
    is missing or the case is closed.
    """
    case = party.case
    _require_manager(user, case)
    _require_open(case)
    missing = [p.label for p in Principle if p.value not in answers]
    if missing:
        raise ValidationError(
            _("Answer every principle. Missing: %(principles)s.")
            % {"principles": ", ".join(str(label) for label in missing)},
            code="answers_missing",
        )
    with transaction.atomic():
        for principle in Principle:
            agrees, comment = answers[principle.value]
            PrincipleAnswer.objects.update_or_create(
                party=party,
                principle=principle.value,
                defaults={
                    "agrees": agrees,
                    "comment": comment.strip(),
                    "recorded_by_id": user.pk,
                },
            )
    logger.info(
        "Principle answers of party %s (case %s) recorded by user %s",
        party.pk,
        case.pk,
        user.pk,
    )


def check_agreement_ready(case: CollaborationCase) -> None:
    """Raise ValidationError unless every party agreed to all five principles.

    The case needs at least MIN_PARTIES_FOR_AGREEMENT parties, and each of
    them needs an answer to every principle, each one agreeing.
    """
    parties = list(
        case.parties.select_related("group", "partner").prefetch_related(
            "principle_answers"
        )
    )
    if len(parties) < MIN_PARTIES_FOR_AGREEMENT:
        raise ValidationError(
            _(
                "A case needs at least %(count)d parties before agreement. "
                "Add the parties first."
            )
            % {"count": MIN_PARTIES_FOR_AGREEMENT},
            code="too_few_parties",
        )
    unanswered = []
    disagreeing = []
    for party in parties:
        answers = {a.principle: a for a in party.principle_answers.all()}
        if any(p.value not in answers for p in Principle):
            unanswered.append(party.name)
        elif not all(a.agrees for a in answers.values()):
            disagreeing.append(party.name)
    errors = []
    if unanswered:
        errors.append(
            ValidationError(
                _(
                    "Record the answers to the five principles of collaboration "
                    "for: %(parties)s."
                )
                % {"parties": ", ".join(unanswered)},
                code="answers_missing",
            )
        )
    if disagreeing:
        errors.append(
            ValidationError(
                _(
                    "These parties do not yet agree to every principle of "
                    "collaboration: %(parties)s."
                )
                % {"parties": ", ".join(disagreeing)},
                code="principle_not_agreed",
            )
        )
    if errors:
        raise ValidationError(errors)


def allowed_targets(case: CollaborationCase, user: AnyUser) -> list[str]:
    """Return the stages *user* may move *case* to now, in stage order."""
    if not can_manage(user, case):
        return []
    return [stage for stage in S.values if (case.stage, stage) in TRANSITIONS]


def transition(
    case: CollaborationCase, to_stage: str, actor: AnyUser, note: str = ""
) -> CaseStageChange:
    """Move *case* to *to_stage* as *actor* and record the step.

    Locks the case's row, so two facilitators acting at once see each
    other's change. Raises ValidationError when the pair is not in
    TRANSITIONS, when *actor* may not manage the case, when agreement is
    not ready (check_agreement_ready) or when discontinuing has no reason.
    """
    if to_stage not in S.values:
        raise ValidationError(
            _("Unknown stage: %(stage)s.") % {"stage": to_stage}, code="unknown_stage"
        )
    note = note.strip()
    with transaction.atomic():
        locked = CollaborationCase.objects.select_for_update().get(pk=case.pk)
        from_stage = locked.stage
        _require_manager(actor, locked)
        if (from_stage, to_stage) not in TRANSITIONS:
            raise ValidationError(
                _("A case cannot move from “%(from)s” to “%(to)s”.")
                % {"from": S(from_stage).label, "to": S(to_stage).label},
                code="transition_not_allowed",
            )
        if to_stage == S.AGREEMENT:
            check_agreement_ready(locked)
        if to_stage == S.DISCONTINUED and not note:
            raise ValidationError(
                {"note": _("Give a reason for discontinuing the case.")},
                code="reason_missing",
            )
        if to_stage == S.DISCONTINUED:
            locked.discontinued_reason = note
        locked.stage = to_stage
        locked.stage_changed_at = timezone.now()
        locked.save(
            update_fields=[
                "stage",
                "stage_changed_at",
                "discontinued_reason",
                "updated_at",
            ]
        )
        change = CaseStageChange.objects.create(
            case=locked,
            from_stage=from_stage,
            to_stage=to_stage,
            actor_id=actor.pk,
            note=note,
        )
    for field in ("stage", "stage_changed_at", "discontinued_reason", "updated_at"):
        setattr(case, field, getattr(locked, field))
    logger.info(
        "Case %s moved %s → %s by user %s", case.pk, from_stage, to_stage, actor.pk
    )
    return change


def note_date_bounds(case: CollaborationCase) -> tuple[dt.date, dt.date]:
    """Return the first and last allowed meeting dates of a note on *case*.

    They are the day the case was opened and today, both in Japan time.
    """
    opened_on = timezone.localdate(case.created_at, timezone=JAPAN)
    return opened_on, timezone.localdate(timezone=JAPAN)


def check_note_date(case: CollaborationCase, held_on: dt.date) -> None:
    """Raise ValidationError unless *held_on* is within note_date_bounds."""
    opened_on, today = note_date_bounds(case)
    if held_on > today:
        message = _(
            "The meeting date %(date)s is in the future. Enter today "
            "(%(today)s) or an earlier day."
        ) % {"date": held_on.isoformat(), "today": today.isoformat()}
        raise ValidationError(
            {"held_on": ValidationError(message, code="note_in_future")}
        )
    if held_on < opened_on:
        message = _(
            "The meeting date %(date)s is before the case was opened on "
            "%(opened)s. Enter %(opened)s or a later day."
        ) % {"date": held_on.isoformat(), "opened": opened_on.isoformat()}
        raise ValidationError(
            {"held_on": ValidationError(message, code="note_before_opening")}
        )


def add_note(
    case: CollaborationCase, user: AnyUser, *, held_on: dt.date, body: str
) -> CaseNote:
    """Add dated meeting notes to *case* once check_note_date accepts the date."""
    if not can_add_notes(user, case):
        raise ValidationError(
            _("Only the case's facilitators and invited facilitators add notes."),
            code="not_case_facilitator",
        )
    check_note_date(case, held_on)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write the notes.")}, code="empty_note")
    note = CaseNote.objects.create(
        case=case, held_on=held_on, body=body, author_id=user.pk
    )
    logger.info("Note %s added to case %s by user %s", note.pk, case.pk, user.pk)
    return note


def invitable_facilitators(case: CollaborationCase) -> QuerySet[Facilitator]:
    """Return the active regional facilitators of other centres not yet invited.

    A facilitator appointed today to the case's centre already sees the
    case, so only those appointed elsewhere today are listed.
    """
    today = timezone.localdate()
    current = FacilitatorAppointment.objects.current_on(today)
    return (
        Facilitator.objects.active()
        .filter(kind=Facilitator.Kind.REGIONAL)
        .filter(pk__in=current.values("facilitator_id"))
        .exclude(pk__in=current.filter(centre=case.centre).values("facilitator_id"))
        .exclude(pk__in=case.invitations.values("facilitator_id"))
        .select_related("user")
        .order_by("user__full_name", "pk")
    )


def invite_facilitator(
    case: CollaborationCase,
    user: AnyUser,
    *,
    facilitator: Facilitator,
    requested_by_party: CaseParty | None = None,
) -> CaseInvitation:
    """Let a regional facilitator of another centre see *case*.

    The invitation is recorded by a manager of the case, on the case
    facilitator's account or at the request of *requested_by_party*.
    """
    _require_manager(user, case)
    if requested_by_party is not None and requested_by_party.case_id != case.pk:
        raise ValidationError(
            {"requested_by_party": _("Choose a party of this case.")},
            code="party_of_other_case",
        )
    if not invitable_facilitators(case).filter(pk=facilitator.pk).exists():
        raise ValidationError(
            {
                "facilitator": _(
                    "%(person)s cannot be invited: invite an active regional "
                    "facilitator of another centre who is not invited yet."
                )
                % {"person": facilitator.user}
            },
            code="not_invitable",
        )
    invitation = CaseInvitation.objects.create(
        case=case,
        facilitator=facilitator,
        requested_by_party=requested_by_party,
        invited_by_id=user.pk,
    )
    logger.info(
        "Facilitator %s invited to case %s by user %s",
        facilitator.pk,
        case.pk,
        user.pk,
    )
    return invitation
