"""Case studies of closed requests, and each party's consent to publish them.

The concierge drafts a case study once a request is closed. The parties
are the request's group and each team member (a worker with an accepted
proposal). Each party records its own consent: one of the group's staff
for the group, each worker for themselves. A case study is published only
while every party has a live consent, and withdrawing a consent takes a
published case study down. Changing the text after consents were given
removes them, because a party consents to the text it read.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_portal.text import normalize_search_text
from civic_portal.types import AnyUser
from groups.models import CivicGroup
from probono.models import (
    CaseStudy,
    CaseStudyConsent,
    ProbonoWorker,
    Proposal,
    RequestState,
    Skill,
    SupportRequest,
    WorkLog,
)
from probono.permissions import is_concierge
from probono.services.projects import team_member_of, team_members, worker_name

logger = logging.getLogger(__name__)

# Fields whose change makes earlier consents void.
CONTENT_FIELDS = ("title", "challenge", "work_done", "result")


@dataclass(frozen=True)
class PartyConsent:
    """One party of a case study and its consent row, if it has one.

    *worker* is None for the group, like CaseStudyConsent.worker.
    """

    worker: ProbonoWorker | None
    consent: CaseStudyConsent | None

    @property
    def is_group(self) -> bool:
        return self.worker is None

    @property
    def is_live(self) -> bool:
        """Tell whether the consent is in force: given, not withdrawn, and, for
        a worker who deleted their registration, given before the deletion."""
        if self.consent is None or self.consent.withdrawn_at is not None:
            return False
        deleted_at = self.worker.deleted_at if self.worker else None
        return deleted_at is None or self.consent.given_at <= deleted_at

    @property
    def left_without_consent(self) -> bool:
        """Tell whether the worker deleted their registration without a live
        consent, which can then no longer be given."""
        return (
            self.worker is not None
            and self.worker.status == ProbonoWorker.Status.DELETED
            and not self.is_live
        )

    @property
    def is_withdrawn(self) -> bool:
        return self.consent is not None and self.consent.withdrawn_at is not None


def visible_to(user: AnyUser) -> QuerySet[CaseStudy]:
    """Return the case studies *user* may read: drafts for a concierge only."""
    if is_concierge(user):
        return CaseStudy.objects.all()
    return CaseStudy.objects.published()


def party_case_studies(user: AnyUser) -> QuerySet[CaseStudy]:
    """Return the case studies *user* may consent to, published or not."""
    if not user.is_authenticated:
        return CaseStudy.objects.none()
    staff_groups = CivicGroup.objects.managed_by(user)
    accepted = Proposal.objects.filter(
        status=Proposal.Status.ACCEPTED, worker__user_id=user.pk
    )
    return CaseStudy.objects.filter(
        Q(request__group__in=staff_groups) | Q(request__in=accepted.values("request"))
    ).distinct()


def own_worker(user: AnyUser, case_study: CaseStudy) -> ProbonoWorker | None:
    """Return *user*'s registration if it is a team member of *case_study*."""
    return team_member_of(user, case_study.request)


def parties_of(user: AnyUser, case_study: CaseStudy) -> list[PartyConsent]:
    """Return the parties *user* may consent for: the group, their own worker."""
    parties: list[PartyConsent] = []
    consents = {c.worker_id: c for c in case_study.consents.all()}
    if case_study.request.group.is_staff_member(user):
        parties.append(PartyConsent(worker=None, consent=consents.get(None)))
    worker = own_worker(user, case_study)
    if worker is not None:
        parties.append(PartyConsent(worker=worker, consent=consents.get(worker.pk)))
    return parties


def consent_status(case_study: CaseStudy) -> list[PartyConsent]:
    """Return every party of *case_study*, the group first, with its consent.

    The parties are the group and every worker with an accepted proposal,
    deleted registrations included: a worker who left the bank still did
    the work, and their earlier refusal or withdrawal must keep holding.
    """
    consents = {c.worker_id: c for c in case_study.consents.all()}
    parties = [PartyConsent(worker=None, consent=consents.get(None))]
    parties.extend(
        PartyConsent(worker=worker, consent=consents.get(worker.pk))
        for worker in _accepted_workers(case_study.request)
    )
    return parties


def _accepted_workers(request: SupportRequest) -> QuerySet[ProbonoWorker]:
    return (
        ProbonoWorker.objects.filter(
            proposals__request=request, proposals__status=Proposal.Status.ACCEPTED
        )
        .select_related("user")
        .order_by("pk")
    )


def party_name(party: PartyConsent, group: CivicGroup) -> str:
    """Return the name of *party*: the group's, or the worker's display name."""
    if party.worker is None:
        return group.name
    return worker_name(party.worker)


def missing_parties(case_study: CaseStudy) -> list[PartyConsent]:
    """Return the parties without a live consent."""
    return [party for party in consent_status(case_study) if not party.is_live]


def initial_fields(request: SupportRequest) -> dict[str, Any]:
    """Return a draft's starting text and skills, taken from *request*.

    The skills are those the request named and those workers logged hours in.
    """
    logged = WorkLog.objects.filter(request=request).values("skill")
    skills = Skill.objects.filter(Q(requests=request) | Q(pk__in=logged)).distinct()
    return {
        "title": request.title,
        "challenge": request.description,
        "work_done": request.outcome,
        "result": "",
        "skills": list(skills),
    }


def _check_concierge(actor: AnyUser) -> None:
    if not is_concierge(actor):
        raise PermissionDenied(_("Only a concierge writes and publishes case studies."))


def _stamp(moment: dt.datetime) -> str:
    # Microseconds since the epoch: a part of a mail key that names one event.
    return str(int(moment.timestamp() * 1_000_000))


def draft_case_study(
    request: SupportRequest,
    actor: AnyUser,
    *,
    skills: Iterable[Skill],
    **fields: str,
) -> CaseStudy:
    """Write the draft case study of a closed *request* and ask for consent.

    Raises PermissionDenied unless *actor* is a concierge, and
    ValidationError when the request is not closed or has a case study,
    or when the text names a team member.
    """
    _check_concierge(actor)
    check_no_worker_names(request, _content(fields))
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if locked.state != RequestState.CLOSED:
            raise ValidationError(
                _("A case study can be written only for a closed request."),
                code="request_not_closed",
            )
        if CaseStudy.objects.filter(request=locked).exists():
            raise ValidationError(
                _("This request already has a case study."), code="case_study_exists"
            )
        case_study = CaseStudy.objects.create(
            request=locked, created_by_id=actor.pk, **_content(fields)
        )
        case_study.skills.set(list(skills))
        revision = _stamp(case_study.updated_at)
        transaction.on_commit(lambda: _ask_for_consent(case_study.pk, revision))
    logger.info(
        "Case study %s drafted for request %s by user %s",
        case_study.pk,
        request.pk,
        actor.pk,
    )
    return case_study


def _content(fields: dict[str, str]) -> dict[str, str]:
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown case study fields: {sorted(unknown)}")
    return {name: fields[name].strip() for name in CONTENT_FIELDS}


def _worker_name_forms(request: SupportRequest) -> set[str]:
    """Return each team member's full name, normalised, with and without spaces."""
    forms: set[str] = set()
    for worker in team_members(request):
        name = normalize_search_text(worker.user.full_name if worker.user else "")
        if name:
            forms.update({name, name.replace(" ", "")})
    return forms


def check_no_worker_names(request: SupportRequest, content: dict[str, str]) -> None:
    """Raise ValidationError on each field of *content* that names a team member.

    Text and names are compared NFKC-normalised, katakana folded to
    hiragana and case-folded, so full-width and half-width forms match.
    """
    name_forms = _worker_name_forms(request)
    errors = {}
    for field, text in content.items():
        normalised = normalize_search_text(text)
        if any(name in normalised for name in name_forms):
            errors[field] = ValidationError(
                _(
                    "The public text must not name workers. Remove the "
                    "worker's name from this field."
                ),
                code="worker_named",
            )
    if errors:
        raise ValidationError(errors)


def update_case_study(
    case_study: CaseStudy,
    actor: AnyUser,
    *,
    skills: Iterable[Skill],
    **fields: str,
) -> bool:
    """Change the text and skills of *case_study* as the concierge.

    When the text or skills change, every consent is removed, a published
    case study is taken down and the parties are asked again. Returns True
    when the content changed. Raises ValidationError when the text names
    a team member.
    """
    _check_concierge(actor)
    content = _content(fields)
    check_no_worker_names(case_study.request, content)
    new_skill_ids = {skill.pk for skill in skills}
    with transaction.atomic():
        locked = CaseStudy.objects.select_for_update().get(pk=case_study.pk)
        old_skill_ids = set(locked.skills.values_list("pk", flat=True))
        changed = new_skill_ids != old_skill_ids or any(
            getattr(locked, name) != value for name, value in content.items()
        )
        if not changed:
            return False
        for name, value in content.items():
            setattr(locked, name, value)
        was_published = locked.published_at is not None
        locked.published_at = None
        locked.save()
        locked.skills.set(new_skill_ids)
        removed, _details = locked.consents.all().delete()
        revision = _stamp(locked.updated_at)
        transaction.on_commit(lambda: _ask_for_consent(locked.pk, revision))
    for name in (*CONTENT_FIELDS, "published_at", "updated_at"):
        setattr(case_study, name, getattr(locked, name))
    logger.info(
        "Case study %s changed by user %s: %s consents removed%s",
        case_study.pk,
        actor.pk,
        removed,
        ", taken down" if was_published else "",
    )
    return True


def _check_party(
    case_study: CaseStudy, user: AnyUser, worker: ProbonoWorker | None
) -> None:
    if worker is None:
        if not case_study.request.group.is_staff_member(user):
            raise PermissionDenied(
                _("Only the group's staff can consent for the group.")
            )
        return
    if worker.user_id is None or worker.user_id != user.pk:
        raise PermissionDenied(_("Workers can consent only for themselves."))
    if not team_members(case_study.request).filter(pk=worker.pk).exists():
        raise PermissionDenied(
            _("Only the workers of this project can consent to its case study.")
        )


def give_consent(
    case_study: CaseStudy, user: AnyUser, worker: ProbonoWorker | None = None
) -> CaseStudyConsent:
    """Record *user*'s consent for the group (no *worker*) or for *worker*.

    Raises PermissionDenied when *user* may not act for that party, and
    ValidationError when the party has already consented. A withdrawn
    consent is given again on its own row.
    """
    _check_party(case_study, user, worker)
    with transaction.atomic():
        locked = CaseStudy.objects.select_for_update().get(pk=case_study.pk)
        consent = locked.consents.filter(worker=worker).first()
        if consent is not None and consent.withdrawn_at is None:
            raise ValidationError(
                _("This consent was already given."), code="already_given"
            )
        if consent is None:
            consent = CaseStudyConsent.objects.create(
                case_study=locked, worker=worker, given_by_id=user.pk
            )
        else:
            consent.given_at = timezone.now()
            consent.given_by_id = user.pk
            consent.withdrawn_at = None
            consent.save(update_fields=["given_at", "given_by", "withdrawn_at"])
        if not missing_parties(locked):
            key = _stamp(consent.given_at)
            transaction.on_commit(lambda: _tell_consents_complete(locked.pk, key))
    logger.info(
        "Consent to case study %s given for %s by user %s",
        case_study.pk,
        f"worker {worker.pk}" if worker else "the group",
        user.pk,
    )
    return consent


def withdraw_consent(
    case_study: CaseStudy, user: AnyUser, worker: ProbonoWorker | None = None
) -> CaseStudyConsent:
    """Withdraw the consent of the group (no *worker*) or of *worker*.

    A published case study is taken down at once. Raises PermissionDenied
    when *user* may not act for that party, and ValidationError when the
    party has no live consent.
    """
    _check_party(case_study, user, worker)
    with transaction.atomic():
        locked = CaseStudy.objects.select_for_update().get(pk=case_study.pk)
        consent = locked.consents.filter(worker=worker).first()
        if consent is None or consent.withdrawn_at is not None:
            raise ValidationError(
                _("There is no consent to withdraw."), code="no_live_consent"
            )
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        was_published = locked.published_at is not None
        if was_published:
            locked.published_at = None
            locked.save(update_fields=["published_at", "updated_at"])
    case_study.published_at = None
    party = f"worker {worker.pk}" if worker else "the group"
    logger.info(
        "Consent to case study %s withdrawn for %s by user %s",
        case_study.pk,
        party,
        user.pk,
    )
    if was_published:
        logger.warning(
            "Case study %s taken down: consent withdrawn for %s", case_study.pk, party
        )
    return consent


def publish(case_study: CaseStudy, actor: AnyUser) -> dt.datetime:
    """Publish *case_study* as a concierge and return the publication time.

    Raises ValidationError naming the parties whose consent is missing or
    withdrawn, or when the case study is already published.
    """
    _check_concierge(actor)
    with transaction.atomic():
        locked = (
            CaseStudy.objects.select_for_update()
            .select_related("request__group")
            .get(pk=case_study.pk)
        )
        if locked.published_at is not None:
            raise ValidationError(
                _("This case study is already published."), code="already_published"
            )
        missing = missing_parties(locked)
        if any(party.left_without_consent for party in missing):
            raise ValidationError(
                _(
                    "The case study cannot be published: a worker of the team "
                    "left the bank without consenting to it."
                ),
                code="worker_left_without_consent",
            )
        if missing:
            names = ", ".join(
                party_name(party, locked.request.group) for party in missing
            )
            raise ValidationError(
                _(
                    "The case study cannot be published without the consent "
                    "of: %(names)s."
                )
                % {"names": names},
                code="consent_missing",
            )
        locked.published_at = timezone.now()
        locked.save(update_fields=["published_at", "updated_at"])
    case_study.published_at = locked.published_at
    logger.info("Case study %s published by user %s", case_study.pk, actor.pk)
    return locked.published_at


def _ask_for_consent(case_study_id: int, revision: str) -> None:
    from probono.tasks.case_studies import ask_for_case_study_consent

    ask_for_case_study_consent.delay(case_study_id, revision)


def _tell_consents_complete(case_study_id: int, key: str) -> None:
    from probono.tasks.case_studies import tell_consents_complete

    tell_consents_complete.delay(case_study_id, key)
