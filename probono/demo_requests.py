"""One demo support request, taken from filing to its planned state.

RequestWalk calls the bank's services step by step, as a concierge, the
group's staff and the workers would on the pages, and then has the loader
date the new rows back to the step's made-up time.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from civic_portal.accounts.models import User
from civic_portal.fiscal import JAPAN
from groups.models import CivicGroup
from probono.demo_content import (
    CANCEL_REASONS,
    CASE_STUDY_RESULTS,
    EVALUATION_COMMENTS,
    HEARING_NOTE,
    HOLD_NOTE,
    MESSAGES,
    MILESTONE_TITLES,
    PROGRESS_NOTES,
    RequestTemplate,
)
from probono.models import (
    CaseStudy,
    CaseStudyConsent,
    Evaluation,
    Interest,
    Milestone,
    ProbonoWorker,
    ProgressNote,
    ProjectMessage,
    Proposal,
    RequestState,
    SupportRequest,
    WorkLog,
)
from probono.services import case_studies, matching, projects, proposals, workflow
from probono.services.requests import file_request

if TYPE_CHECKING:
    from probono.demo import ProbonoDemoLoader

S = RequestState

# States in the order a request passes them on its way to "closed", which
# is the order RequestState lists them in.
FORWARD_PATH = tuple(state for state in S if state not in (S.ON_HOLD, S.CANCELLED))
# Days a request spends in each state before its next step: (least, most).
DAYS_IN_STATE: dict[str, tuple[int, int]] = {
    S.RECEIVED: (1, 4),
    S.HEARING: (3, 12),
    S.SEARCHING: (4, 16),
    S.PROPOSED: (3, 10),
    S.TEAM_FORMED: (3, 10),
    S.KICKOFF: (5, 14),
    S.IN_PROGRESS: (30, 90),
    S.DELIVERED: (5, 14),
    S.EVALUATED: (3, 10),
}
REPLY_DAYS = proposals.DEFAULT_REPLY_DAYS


@dataclass(frozen=True)
class RequestPlan:
    """The planned end of one demo request: its state and the state it left."""

    state: str
    # The state held in or cancelled from; empty for the forward path.
    left_from: str = ""
    case_study: bool = False
    # Cancelled by the group's staff rather than the concierge.
    cancelled_by_staff: bool = False


class RequestWalk:
    """Take one request from filing to its planned state through the services."""

    def __init__(
        self,
        *,
        loader: ProbonoDemoLoader,
        rng: random.Random,
        group: CivicGroup,
        staff: User | None,
        concierge: User,
        plan: RequestPlan,
        preferred_worker: ProbonoWorker | None,
    ) -> None:
        self.loader = loader
        self.rng = rng
        self.group = group
        self.staff = (
            staff or group.memberships.select_related("user").order_by("pk")[0].user
        )
        self.concierge = concierge
        self.plan = plan
        self.preferred_worker = preferred_worker
        self.moments = self._timeline()
        self.ranked: list[matching.Candidate] | None = None

    def _path(self) -> list[str]:
        """Return the forward states the request passes, its filing first."""
        last = self.plan.left_from or self.plan.state
        return list(FORWARD_PATH[: FORWARD_PATH.index(last) + 1])

    def _timeline(self) -> Iterator[dt.datetime]:
        """Yield the time of each step: filing, each forward step, then the rest."""
        path = self._path()
        gaps = [
            dt.timedelta(days=self.rng.randint(*DAYS_IN_STATE[state]))
            for state in path[:-1]
        ]
        # Hold or cancel, and for a case study: draft, consents, publication.
        extra = 1 if self.plan.left_from else 0
        extra += 3 if self.plan.case_study else 0
        gaps += [dt.timedelta(days=self.rng.randint(2, 8)) for _ in range(extra)]
        total = sum(gaps, dt.timedelta())
        loader = self.loader
        latest_start = loader.latest - total
        if self.plan.state in (S.CLOSED, S.EVALUATED, S.CANCELLED):
            earliest = loader.window_start
        else:
            # Open requests moved recently, so few of them look overdue.
            earliest = latest_start - dt.timedelta(days=10)
        if self.plan.state == S.PROPOSED:
            # The proposals still wait for a reply within their deadline.
            earliest = latest_start - dt.timedelta(days=3)
        earliest = min(max(earliest, loader.window_start), latest_start)
        span = (latest_start - earliest).total_seconds()
        moment = earliest + dt.timedelta(seconds=span * self.rng.random())
        yield moment
        for gap in gaps:
            moment += gap
            yield moment

    def _next(self) -> dt.datetime:
        return next(self.moments)

    def run(self, template: RequestTemplate, title: str) -> None:
        filed_at = self._next()
        skills = [self.loader.skills[key] for key in template.skill_keys]
        period_start = timezone.localtime(filed_at, JAPAN).date() + dt.timedelta(
            days=30
        )
        self.request = file_request(
            user=self.staff,
            group=self.group,
            skills=skills,
            title=title,
            challenge=template.challenge,
            description=template.description,
            outcome=template.outcome,
            period_start=period_start,
            period_end=period_start + dt.timedelta(days=120),
            work_mode=template.work_mode,
            contact_name=self.staff.full_name or "事務局",
            contact_email=self.staff.email,
        )
        SupportRequest.objects.filter(pk=self.request.pk).update(created_at=filed_at)
        self.loader.stamp(self.request, filed_at)
        for state in self._path()[1:]:
            self._enter(state, self._next())
        if self.plan.left_from:
            self._leave(self._next())
        if self.plan.case_study:
            self._publish_case_study()
        self.loader.counts.add(f"pro bono requests {self.plan.state}", 1)

    def _move(self, state: str, moment: dt.datetime, note: str = "") -> None:
        workflow.transition(self.request, state, self.concierge, note=note)
        self.loader.stamp(self.request, moment)

    def _enter(self, state: str, moment: dt.datetime) -> None:
        """Make the step into *state* at *moment*, with the work that comes with it."""
        request = self.request
        if state == S.HEARING:
            self._move(state, moment)
            workflow.record_hearing(request, self.concierge, HEARING_NOTE)
        elif state == S.SEARCHING:
            self._move(state, moment)
            self._express_interest(moment)
        elif state == S.PROPOSED:
            self._propose(moment)
        elif state == S.TEAM_FORMED:
            self._move(state, moment)
            self._post_messages(moment)
        elif state == S.KICKOFF:
            self._move(state, moment)
            self._add_milestones(moment)
        elif state == S.IN_PROGRESS:
            self._move(state, moment)
            self._work(moment)
        elif state == S.DELIVERED:
            self._move(state, moment)
            self._finish_milestones(moment)
            self._evaluate(moment, everyone=self.plan.state != S.DELIVERED)
        else:
            self._move(state, moment)

    def _leave(self, moment: dt.datetime) -> None:
        """Put the request on hold or cancel it, as planned."""
        if self.plan.state == S.ON_HOLD:
            self._move(S.ON_HOLD, moment, note=HOLD_NOTE)
            return
        if self.plan.cancelled_by_staff:
            workflow.transition(
                self.request, S.CANCELLED, self.staff, note=CANCEL_REASONS["staff"]
            )
            self.loader.stamp(self.request, moment)
            return
        self._move(S.CANCELLED, moment, note=CANCEL_REASONS["concierge"])

    # --- candidates and proposals ----------------------------------------

    def _candidates(self, moment: dt.datetime) -> list[ProbonoWorker]:
        """Return the ranked candidates who had registered by *moment*.

        The ranking is computed once per request, because nothing else in
        the bank changes between the search and the proposals of one walk.
        """
        if self.ranked is None:
            self.ranked = matching.rank_candidates(self.request)
        ranked = [
            candidate.worker
            for candidate in self.ranked
            if candidate.worker.registered_at < moment
        ]
        preferred = [w for w in ranked if w == self.preferred_worker]
        return preferred + [w for w in ranked if w not in preferred]

    def _express_interest(self, moment: dt.datetime) -> None:
        candidates = self._candidates(moment)
        number = self.rng.choice((0, 1, 1, 2))
        for worker in candidates[:number]:
            assert worker.user is not None
            proposals.express_interest(
                self.request, worker.user, note="経験を活かせそうなので関心があります。"
            )
        at = self.loader.clamp(moment + dt.timedelta(days=1))
        self.loader.stamp(self.request, at, Interest)

    def _propose(self, moment: dt.datetime) -> None:
        """Propose workers, and let one accept in time unless the request stays.

        Others decline or let the deadline pass, so every proposal status
        appears in the demo. On a request left in "proposed" the first
        proposal waits for its reply.
        """
        candidates = self._candidates(moment)
        if not candidates:
            raise RuntimeError(
                f"No pro bono worker free for demo request {self.request.pk}."
            )
        staying = self.plan.state == S.PROPOSED
        outcomes = ["pending" if staying else "accepted"]
        if len(candidates) > 1:
            outcomes.append(next(self.loader.second_replies))
        if staying and len(candidates) > 2:
            outcomes.append("declined")
        for worker, outcome in zip(candidates, outcomes, strict=False):
            proposal = proposals.propose(
                self.request,
                worker,
                self.concierge,
                message="ご経験がこの依頼に合うと考え、ご提案します。",
            )
            # The reply comes before the proposal is dated back, while its
            # reply deadline is still ahead.
            self._reply(proposal, worker, outcome)
            self.loader.stamp(self.request, moment, Proposal)
            if outcome in ("accepted", "declined"):
                replied_at = moment + dt.timedelta(hours=self.rng.randint(3, 60))
                Proposal.objects.filter(pk=proposal.pk).update(
                    replied_at=self.loader.clamp(replied_at)
                )

    def _reply(self, proposal: Proposal, worker: ProbonoWorker, outcome: str) -> None:
        assert worker.user is not None
        if outcome == "accepted":
            proposals.accept(proposal, worker.user, note="喜んでお引き受けします。")
        elif outcome == "declined":
            proposals.decline(proposal, worker.user, reason="本業が繁忙期のため。")
        elif outcome == "lapsed":
            # Move the deadline behind the load's start so that the lapse
            # service, as run by Celery beat, lapses this proposal.
            Proposal.objects.filter(pk=proposal.pk).update(
                reply_by=self.loader.started - dt.timedelta(seconds=1)
            )
            proposals.lapse_expired(now=self.loader.started)

    # --- the project -----------------------------------------------------

    def _team(self) -> list[ProbonoWorker]:
        return list(projects.team_members(self.request))

    def _post_messages(self, moment: dt.datetime) -> None:
        team = self._team()
        authors = {"staff": self.staff, "concierge": self.concierge}
        for offset, (role, body) in enumerate(MESSAGES):
            author = team[0].user if role == "worker" else authors[role]
            assert author is not None
            projects.post_message(self.request, author, body)
            at = moment + dt.timedelta(hours=4 * offset)
            self.loader.stamp(self.request, self.loader.clamp(at), ProjectMessage)

    def _add_milestones(self, moment: dt.datetime) -> None:
        """Add the milestones agreed at kickoff, then date them from *moment*."""
        kickoff_day = timezone.localtime(moment, JAPAN).date()
        today = self.loader.today
        for number, title in enumerate(MILESTONE_TITLES, start=1):
            # The service accepts only due dates from today on, so the
            # milestone is dated back once it exists.
            milestone = projects.add_milestone(
                self.request, self.concierge, title, today
            )
            due_on = kickoff_day + dt.timedelta(days=30 * number)
            Milestone.objects.filter(pk=milestone.pk).update(due_on=due_on)
        self.loader.stamp(self.request, moment, Milestone)

    def _work(self, moment: dt.datetime) -> None:
        """Add progress notes and hours over the first weeks of the work."""
        team = self._team()
        for week, body in enumerate(PROGRESS_NOTES):
            at = self.loader.clamp(moment + dt.timedelta(days=7 * week + 1))
            projects.add_progress_note(self.request, self.concierge, body)
            self.loader.stamp(self.request, at, ProgressNote)
        for worker in team:
            assert worker.user is not None
            skill_choices = list(projects.skills_for_hours(worker, self.request))
            for week in range(self.rng.randint(2, 3)):
                at = self.loader.clamp(moment + dt.timedelta(days=7 * week + 2))
                projects.log_hours(
                    self.request,
                    worker.user,
                    self.rng.choice(skill_choices),
                    self.rng.choice((2, 3, 4, 6, 8)),
                    worked_on=timezone.localtime(at, JAPAN).date(),
                )
                self.loader.stamp(self.request, at, WorkLog)

    def _finish_milestones(self, delivered_at: dt.datetime) -> None:
        """Mark every milestone done by the delivery, on its due date or earlier."""
        delivered_on = timezone.localtime(delivered_at, JAPAN).date()
        for milestone in self.request.milestones.filter(done_on__isnull=True):
            done_on = min(milestone.due_on, delivered_on)
            projects.mark_done(milestone, self.concierge, done_on)

    def _evaluate(self, moment: dt.datetime, *, everyone: bool) -> None:
        """Let the workers evaluate, and the group too when *everyone*."""
        at = self.loader.clamp(moment + dt.timedelta(days=2))
        for worker in self._team():
            assert worker.user is not None
            projects.evaluate(
                self.request,
                worker.user,
                Evaluation.Party.WORKER,
                self.rng.choice((4, 5)),
                EVALUATION_COMMENTS["worker"],
            )
        if everyone:
            projects.evaluate(
                self.request,
                self.staff,
                Evaluation.Party.GROUP,
                self.rng.choice((4, 5, 5)),
                EVALUATION_COMMENTS["group"],
            )
        self.loader.stamp(self.request, at, Evaluation)

    # --- the case study --------------------------------------------------

    def _publish_case_study(self) -> None:
        """Draft the case study, record every party's consent and publish it."""
        request = self.request
        drafted_at = self._next()
        case_study = case_studies.draft_case_study(
            request,
            self.concierge,
            skills=list(request.skills.all()),
            title=f"{self.group.name}：{request.title}",
            challenge=request.description,
            work_done=request.outcome,
            result=CASE_STUDY_RESULTS,
        )
        consented_at = self._next()
        case_studies.give_consent(case_study, self.staff)
        for worker in case_studies.team_members(request):
            assert worker.user is not None
            case_studies.give_consent(case_study, worker.user, worker)
        published_at = self._next()
        case_studies.publish(case_study, self.concierge)
        CaseStudy.objects.filter(pk=case_study.pk).update(
            created_at=drafted_at, updated_at=drafted_at, published_at=published_at
        )
        CaseStudyConsent.objects.filter(case_study=case_study).update(
            given_at=consented_at
        )
        self.loader.counts.add("published case studies", 1)
