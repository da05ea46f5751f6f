"""Demo rows of the pro bono bank, loaded after volunteering.demo made the groups.

Every row is written through the bank's services (registration, filing,
the workflow, proposals, the project workspace and case studies), so the
demo obeys the same rules as the pages: capacity, preconditions, consent.
The services stamp their rows with the current time. The loader then moves
each new row to its place in a made-up history over the last two fiscal
years, as volunteering.demo does for its history, so that the statistics
and the board show dated figures.

Each request has a natural key (group and title) and each worker one
(the user's e-mail address). A second run finds them and creates nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from civic_portal.accounts.models import PRIVACY_NOTICE_VERSION, User
from civic_portal.fiscal import JAPAN, fiscal_year_bounds, fiscal_year_of
from groups.models import ActivityField, CivicGroup, Municipality
from probono.demo_content import (
    EMPLOYERS,
    GIVEN_NAMES,
    HOME_REGIONS,
    PROFESSIONS,
    REQUEST_TEMPLATES,
    SURNAMES,
)
from probono.demo_requests import REPLY_DAYS, RequestPlan, RequestWalk
from probono.models import (
    Evaluation,
    Interest,
    Milestone,
    ProbonoWorker,
    ProgressNote,
    ProjectMessage,
    Proposal,
    RequestEvent,
    RequestState,
    Skill,
    SupportRequest,
    WorkLog,
    WorkMode,
)
from probono.permissions import CONCIERGE_GROUP
from probono.services.workers import (
    SkillEntry,
    delete_worker,
    pause_worker,
    register_worker,
)
from volunteering.demo import (
    DEMO_ACCOUNTS as VOLUNTEERING_ACCOUNTS,
)
from volunteering.demo import (
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    STAFF_ACCOUNT_KEYS,
    LoadCounts,
    Report,
)

logger = logging.getLogger(__name__)

S = RequestState

MUNICIPALITY_CODES = ("35203", "35201", "35202", "35215", "35206", "35207", "35216")
# Share of workers who live outside Yamaguchi. All of them work remotely.
OUTSIDE_SHARE = 0.3
# Share of workers who paused their registration after the requests ran.
PAUSED_SHARE = 0.1
# The bank opened in fiscal 2022, and the demo registrations start that June.
FIRST_REGISTRATION = dt.datetime(2022, 6, 1, 9, tzinfo=JAPAN)

# Rows that the services date with the current time and the loader dates back.
StampedRow = (
    Interest
    | Proposal
    | ProjectMessage
    | Milestone
    | ProgressNote
    | WorkLog
    | Evaluation
)


# The requests of the small set, with every state. The first plans go to
# the demo staff accounts' groups (see GROUP_OF_PLAN).
SMALL_PLANS = (
    RequestPlan(S.CLOSED, case_study=True),
    RequestPlan(S.CLOSED, case_study=True),
    RequestPlan(S.DELIVERED),
    RequestPlan(S.IN_PROGRESS),
    RequestPlan(S.SEARCHING),
    RequestPlan(S.RECEIVED),
    RequestPlan(S.PROPOSED),
    RequestPlan(S.CLOSED),
    RequestPlan(S.EVALUATED),
    RequestPlan(S.KICKOFF),
    RequestPlan(S.TEAM_FORMED),
    RequestPlan(S.HEARING),
    RequestPlan(S.ON_HOLD, left_from=S.SEARCHING),
    RequestPlan(S.ON_HOLD, left_from=S.IN_PROGRESS),
    RequestPlan(S.CANCELLED, left_from=S.HEARING, cancelled_by_staff=True),
    RequestPlan(S.CANCELLED, left_from=S.IN_PROGRESS),
)
# Index of the demo staff account ("staff", "staff2") whose group files
# each of the first plans.
GROUP_OF_PLAN = (0, 1, 0, 1, 0, 1)


@dataclass(frozen=True)
class ProbonoDemoSize:
    workers: int
    # How many times the small set's requests are repeated.
    request_rounds: int


# Keyed by the size names of volunteering.demo.SIZES.
SIZES = {
    "small": ProbonoDemoSize(workers=30, request_rounds=1),
    "prefecture": ProbonoDemoSize(workers=200, request_rounds=8),
}


@dataclass(frozen=True)
class ProbonoDemoAccount:
    key: str
    email: str
    role: str


DEMO_ACCOUNTS = (
    ProbonoDemoAccount(
        "concierge", f"concierge@{DEMO_DOMAIN}", "pro bono concierge: every request"
    ),
    ProbonoDemoAccount(
        "worker",
        f"worker@{DEMO_DOMAIN}",
        "pro bono worker: a proposal to answer, a published case study",
    ),
)


@contextmanager
def mails_discarded() -> Iterator[None]:
    """Discard the mails that the services send about the made-up history.

    NOTE: this covers the embedded default, where Celery runs each task
    in-process when the loader's transaction commits. With a broker the
    tasks run in a worker with its own e-mail settings, so the mails are
    sent there, to the unroutable demo.example.jp addresses.
    """
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"
    ):
        yield


class ProbonoDemoLoader:
    """Load the pro bono bank's demo rows. Call `run()` once per instance."""

    def __init__(
        self, *, size: ProbonoDemoSize, seed: int, report: Report, counts: LoadCounts
    ) -> None:
        self.size = size
        self.seed = seed
        self.report = report
        self.counts = counts
        # Rows the services write from now on carry a time at or after
        # `started`, and every made-up time lies before it, so the rows a
        # step has just written are the ones still to be moved in time.
        self.started = timezone.now()
        self.latest = self.started - dt.timedelta(hours=1)
        self.today = timezone.localtime(self.started, JAPAN).date()
        previous_year = fiscal_year_of(self.started) - 1
        self.window_start = fiscal_year_bounds(previous_year)[0]
        self.skills = {skill.key: skill for skill in Skill.objects.all()}
        # The replies of second proposals take turns, so each appears.
        self.second_replies = itertools.cycle(("lapsed", "declined", "accepted"))

    # --- entry point -----------------------------------------------------

    def run(self) -> None:
        if not self.skills:
            raise RuntimeError("Skill areas missing: run `manage.py migrate` first.")
        with mails_discarded(), transaction.atomic():
            accounts = self.load_accounts()
            workers = self.load_workers(accounts["worker"])
            self.load_requests(accounts, workers)
            self.finish_workers(workers, accounts["worker"])

    def clamp(self, moment: dt.datetime) -> dt.datetime:
        """Return *moment*, or the latest made-up time if it is later."""
        return min(moment, self.latest)

    # --- people ----------------------------------------------------------

    def load_accounts(self) -> dict[str, User]:
        """Create the concierge and worker demo accounts, or fetch them."""
        names = {
            "concierge": ("萩原 ひかり", "はぎわら ひかり"),
            "worker": ("長門 航", "ながと わたる"),
        }
        concierge_group = Group.objects.get(name=CONCIERGE_GROUP)
        password = make_password(DEMO_PASSWORD)
        accounts = {}
        created = 0
        for account in DEMO_ACCOUNTS:
            user = User.objects.filter(email=account.email).first()
            if user is None:
                full_name, kana = names[account.key]
                user = User.objects.create(
                    email=account.email,
                    email_confirmed=True,
                    full_name=full_name,
                    name_kana=kana,
                    password=password,
                    privacy_consent_at=self.started,
                    privacy_notice_version=PRIVACY_NOTICE_VERSION,
                )
                created += 1
            if account.key == "concierge":
                user.groups.add(concierge_group)
            accounts[account.key] = user
        self.counts.add("pro bono demo accounts", created)
        self.report(f"Pro bono demo accounts: {created} created")
        return accounts

    def load_workers(self, demo_worker_user: User) -> list[ProbonoWorker]:
        """Register the bank's workers, the demo worker account first."""
        emails = [demo_worker_user.email] + [
            f"probono{index:05d}@{DEMO_DOMAIN}" for index in range(self.size.workers)
        ]
        existing = {
            worker.user.email: worker
            for worker in ProbonoWorker.objects.filter(
                user__email__in=emails
            ).select_related("user")
            if worker.user is not None
        }
        # A worker who deleted the registration keeps the account, and a
        # second run must not register it again.
        users = set(
            User.objects.filter(email__in=emails).values_list("email", flat=True)
        )
        municipalities = {
            m.code: m for m in Municipality.objects.filter(code__in=MUNICIPALITY_CODES)
        }
        activity_fields = list(ActivityField.objects.order_by("number"))
        workers = []
        created = 0
        for index, email in enumerate(emails):
            worker = existing.get(email)
            if worker is None and index > 0 and email in users:
                continue
            if worker is None:
                rng = random.Random(f"{self.seed}:probono:{email}")  # noqa: S311
                user = demo_worker_user if index == 0 else self._worker_user(rng, email)
                worker = self._register(rng, user, municipalities, activity_fields)
                if index == 0:
                    self._prepare_demo_worker(worker)
                created += 1
            workers.append(worker)
        self.counts.add("pro bono workers", created)
        self.report(
            f"Pro bono workers: {created} created, {len(workers) - created} existing"
        )
        return workers

    def _prepare_demo_worker(self, worker: ProbonoWorker) -> None:
        """Let the demo worker take two projects and be a candidate from the start."""
        registered_at = FIRST_REGISTRATION + dt.timedelta(days=10)
        ProbonoWorker.objects.filter(pk=worker.pk).update(
            max_projects=2,
            registered_at=registered_at,
            contact_consent_at=registered_at,
        )
        worker.max_projects = 2
        worker.registered_at = registered_at

    def _worker_user(self, rng: random.Random, email: str) -> User:
        full_name = f"{rng.choice(SURNAMES)} {rng.choice(GIVEN_NAMES)}"
        return User.objects.create(
            email=email,
            email_confirmed=True,
            full_name=full_name,
            phone=f"090-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
            # No usable password: only the demo accounts can log in.
            password=make_password(None),
            privacy_consent_at=self.started,
            privacy_notice_version=PRIVACY_NOTICE_VERSION,
        )

    def _register(
        self,
        rng: random.Random,
        user: User,
        municipalities: dict[str, Municipality],
        activity_fields: list[ActivityField],
    ) -> ProbonoWorker:
        skill_keys = rng.sample(sorted(self.skills), rng.randint(1, 3))
        outside = rng.random() < OUTSIDE_SHARE
        fields = {
            "profession": PROFESSIONS[skill_keys[0]],
            "employer": rng.choice(EMPLOYERS),
            "skills_note": "",
            "hours_per_month": rng.choice((5, 10, 10, 20, 30)),
            "available_weekdays": rng.random() < 0.4,
            "available_evenings": rng.random() < 0.7,
            "available_weekends": rng.random() < 0.6,
            "work_mode": WorkMode.REMOTE
            if outside
            else rng.choice((WorkMode.REMOTE, WorkMode.ON_SITE, WorkMode.EITHER)),
            "lives_in_prefecture": not outside,
            "municipality": None
            if outside
            else municipalities[rng.choice(MUNICIPALITY_CODES)],
            "home_region": rng.choice(HOME_REGIONS) if outside else "",
            "max_projects": rng.choice((1, 1, 2, 3)),
        }
        skills = [
            SkillEntry(self.skills[key], rng.randint(1, 3), rng.randint(1, 20))
            for key in skill_keys
        ]
        worker = register_worker(
            user=user,
            fields=fields,
            skills=skills,
            activity_fields=rng.sample(activity_fields, 2),
            contact_consent=True,
        )
        # Most registered before the two years of requests, the rest since.
        span = (self.latest - FIRST_REGISTRATION).total_seconds()
        registered_at = FIRST_REGISTRATION + dt.timedelta(
            seconds=span * rng.random() ** 2
        )
        ProbonoWorker.objects.filter(pk=worker.pk).update(
            registered_at=registered_at, contact_consent_at=registered_at
        )
        User.objects.filter(pk=user.pk).update(date_joined=registered_at)
        worker.registered_at = registered_at
        return worker

    def finish_workers(self, workers: list[ProbonoWorker], demo_worker: User) -> None:
        """Pause some idle workers and delete one, after the requests ran."""
        if ProbonoWorker.objects.filter(
            pk__in=[w.pk for w in workers], status__in=["paused", "deleted"]
        ).exists():
            return
        rng = random.Random(f"{self.seed}:probono:finish")  # noqa: S311
        idle = [
            worker
            for worker in workers
            if worker.user_id != demo_worker.pk
            and not worker.proposals.exists()
            and worker.registered_at < self.latest - dt.timedelta(days=60)
        ]
        rng.shuffle(idle)
        paused_number = max(1, round(len(workers) * PAUSED_SHARE))
        to_pause = idle[:paused_number]
        to_delete = idle[paused_number : paused_number + 1]
        for worker in to_pause:
            pause_worker(worker)
            paused_at = self.latest - dt.timedelta(days=rng.randint(5, 200))
            ProbonoWorker.objects.filter(pk=worker.pk).update(paused_at=paused_at)
        for worker in to_delete:
            delete_worker(worker)
            deleted_at = self.latest - dt.timedelta(days=rng.randint(5, 100))
            ProbonoWorker.objects.filter(pk=worker.pk).update(deleted_at=deleted_at)
        self.counts.add("paused pro bono workers", len(to_pause))
        self.counts.add("deleted pro bono workers", len(to_delete))
        self.report(
            f"Pro bono workers: {len(to_pause)} paused, {len(to_delete)} deleted"
        )

    # --- requests --------------------------------------------------------

    def _request_groups(
        self,
    ) -> tuple[list[tuple[CivicGroup, User]], list[CivicGroup]]:
        """Return the demo staff accounts with their groups, and the other groups."""
        staff_emails = [
            account.email
            for account in VOLUNTEERING_ACCOUNTS
            if account.key in STAFF_ACCOUNT_KEYS
        ]
        staff_groups = []
        for email in staff_emails:
            user = User.objects.filter(email=email).first()
            group = (
                CivicGroup.objects.public()
                .filter(memberships__user=user)
                .order_by("pk")
                .first()
            )
            if user is not None and group is not None:
                staff_groups.append((group, user))
        others = list(
            CivicGroup.objects.public()
            .filter(memberships__user__email__endswith=f"@{DEMO_DOMAIN}")
            .exclude(pk__in=[group.pk for group, _user in staff_groups])
            .distinct()
            .order_by("pk")
        )
        return staff_groups, others

    def load_requests(
        self, accounts: dict[str, User], workers: list[ProbonoWorker]
    ) -> None:
        staff_groups, others = self._request_groups()
        if not others:
            raise RuntimeError("No demo groups found: load the group demo data first.")
        rng = random.Random(f"{self.seed}:probono:requests")  # noqa: S311
        plans = [
            (round_number, index, plan)
            for round_number in range(self.size.request_rounds)
            for index, plan in enumerate(SMALL_PLANS)
        ]
        jobs = []
        titles: dict[int, int] = {}
        for round_number, index, plan in plans:
            group = rng.choice(others)
            staff = None
            if round_number == 0 and index < len(GROUP_OF_PLAN):
                staff_index = GROUP_OF_PLAN[index]
                if staff_index < len(staff_groups):
                    group, staff = staff_groups[staff_index]
            template = REQUEST_TEMPLATES[
                (index + round_number) % len(REQUEST_TEMPLATES)
            ]
            number = titles.get(group.pk, 0) + 1
            titles[group.pk] = number
            title = (
                template.title if number == 1 else f"{template.title}（その{number}）"
            )
            jobs.append((group, staff, template, title, plan, rng.randrange(2**32)))
        existing = set(
            SupportRequest.objects.filter(
                group__in={group for group, *_rest in jobs}
            ).values_list("group_id", "title")
        )
        new_jobs = [job for job in jobs if (job[0].pk, job[3]) not in existing]
        self.report(
            f"Pro bono requests: {len(new_jobs)} to create, "
            f"{len(jobs) - len(new_jobs)} existing"
        )
        # The demo worker is in the team of the first case study and has a
        # pending proposal on the first request left in "proposed".
        demo_worker = workers[0]
        first_case = next(
            (i for i, job in enumerate(new_jobs) if job[4].case_study), None
        )
        first_proposed = next(
            (i for i, job in enumerate(new_jobs) if job[4].state == S.PROPOSED), None
        )
        for done, (index, job) in enumerate(enumerate(new_jobs), start=1):
            group, staff, template, title, plan, seed = job
            walk = RequestWalk(
                loader=self,
                rng=random.Random(seed),  # noqa: S311
                group=group,
                staff=staff,
                concierge=accounts["concierge"],
                plan=plan,
                preferred_worker=demo_worker
                if index in (first_case, first_proposed)
                else None,
            )
            walk.run(template, title)
            if done % 20 == 0 or done == len(new_jobs):
                self.report(f"  pro bono requests {done}/{len(new_jobs)}")

    # --- moving new rows into the made-up history ------------------------

    def stamp(
        self,
        request: SupportRequest,
        moment: dt.datetime,
        *models: type[StampedRow],
    ) -> None:
        """Date the rows of *request* written since the load began at *moment*.

        The request's history steps and state are always dated. *models*
        names the other kinds of row that the step wrote.
        """
        fresh = {"request": request, "created_at__gte": self.started}
        if Proposal in models:
            Proposal.objects.filter(**fresh).update(
                reply_by=moment + dt.timedelta(days=REPLY_DAYS)
            )
            Proposal.objects.filter(
                request=request, replied_at__gte=self.started
            ).update(replied_at=moment)
        for model in (RequestEvent, *models):
            model.objects.filter(**fresh).update(created_at=moment)
        SupportRequest.objects.filter(
            pk=request.pk, state_changed_at__gte=self.started
        ).update(state_changed_at=moment, updated_at=moment)


def load_probono_demo(
    *, size: str, seed: int, report: Report, counts: LoadCounts
) -> None:
    """Load the pro bono bank's demo rows for *size* ("small" or "prefecture").

    Adds the numbers of new rows to *counts*.
    """
    logger.info("Pro bono demo data load started: size %s, seed %s", size, seed)
    ProbonoDemoLoader(size=SIZES[size], seed=seed, report=report, counts=counts).run()
    logger.info("Pro bono demo data load finished")
