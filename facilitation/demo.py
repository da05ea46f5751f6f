"""Demo rows of the collaboration app, loaded after volunteering.demo made the groups.

Facilitators, training, partners, cases, meetings, examples and
recognitions are written through the app's services, so the demo obeys
the pages' rules: training before appointment, the five principles
before agreement, consent before publishing. The services stamp rows
with the current time, and the loader then moves them back to their
place in a made-up history of the last year, so that agendas and stage
histories show dated changes.

Rows have natural keys (e-mail addresses, partner names, case and series
titles, and a recognition's kind, year and recipient). A second run finds
them and creates nothing.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from civic_portal.accounts.models import PRIVACY_NOTICE_VERSION, User
from civic_portal.fiscal import JAPAN, fiscal_year_of
from facilitation.demo_content import (
    CASES,
    PARTNERS,
    RECOGNITIONS,
    CasePlan,
    PartnerPlan,
    RecognitionPlan,
)
from facilitation.models import (
    CaseNote,
    CaseStage,
    CaseStageChange,
    CollaborationCase,
    CollaborationExample,
    Facilitator,
    Meeting,
    MeetingSeries,
    Partner,
    Principle,
    Recognition,
    TrainingCourse,
    Weekday,
)
from facilitation.services import cases as case_services
from facilitation.services import examples as example_services
from facilitation.services import facilitators as facilitator_services
from facilitation.services import meetings as meeting_services
from facilitation.services import partners as partner_services
from facilitation.services import recognitions as recognition_services
from groups.models import ActivityField, CivicGroup, Municipality, SupportCentre
from probono.demo import mails_discarded
from volunteering.demo import (
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    DemoAccount,
    LoadCounts,
    Report,
)

logger = logging.getLogger(__name__)

S = CaseStage

DEMO_ACCOUNTS = (
    DemoAccount(
        "chief",
        f"chief@{DEMO_DOMAIN}",
        "chief facilitator: every case, the meeting series, training, recognitions",
    ),
    DemoAccount(
        "regional",
        f"facilitator@{DEMO_DOMAIN}",
        "regional facilitator at the Yamaguchi City centre: its cases and meetings",
    ),
    DemoAccount(
        "partner_staff",
        f"partner-staff@{DEMO_DOMAIN}",
        "staff member of a partner company: consent to a draft example",
    ),
)
LOGIN_KEYS = frozenset(account.key for account in DEMO_ACCOUNTS)
# Full name and reading of each account, demo and bulk.
NAMES = {
    "chief": ("秋穂 みどり", "あいお みどり"),
    "regional": ("周防 けんた", "すおう けんた"),
    "partner_staff": ("小郡 あかね", "おごおり あかね"),
    "shimonoseki": ("長府 たかし", "ちょうふ たかし"),
    "hofu": ("三田尻 なお", "みたじり なお"),
}
# Regional facilitators without a log-in: key → their appointments as
# (scope, municipality code, years before this fiscal year that it
# starts, years that it lasts or None when open-ended).
OTHER_REGIONALS = {
    "shimonoseki": (("municipal", "35201", 2, None),),
    # Moved from Shunan to Hofu: the Shunan appointment ended last March.
    "hofu": (("municipal", "35215", 3, 2), ("municipal", "35206", 1, None)),
}
COURSE_TITLE = "協働ファシリテーター養成講座"
COURSE_SESSIONS = (
    (6, 10, "協働の基礎と5原則"),
    (7, 8, "対話の進め方とファシリテーション演習"),
    (8, 5, "事例研究と修了レポート"),
)
# The stage moves from consultation that take a new case to each stage.
STAGE_PATHS: dict[str, tuple[str, ...]] = {
    S.CONSULTATION: (),
    S.MATCHING: (S.MATCHING,),
    S.AGREEMENT: (S.MATCHING, S.AGREEMENT),
    S.IN_PROGRESS: (S.MATCHING, S.AGREEMENT, S.IN_PROGRESS),
    S.COMPLETED: (S.MATCHING, S.AGREEMENT, S.IN_PROGRESS, S.COMPLETED),
    S.DISCONTINUED: (S.MATCHING, S.DISCONTINUED),
}
SERIES_TITLE = "協働ファシリテーター情報共有会議"
SERIES_LOCATION = "やまぐち県民活動支援センター 研修室"


def _japan(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=JAPAN)


class FacilitationDemoLoader:
    """Load the collaboration app's demo rows. Call `run()` once per instance."""

    def __init__(self, *, report: Report, counts: LoadCounts) -> None:
        self.report = report
        self.counts = counts
        self.now = timezone.now()
        self.today = timezone.localdate(self.now, timezone=JAPAN)
        self.fiscal_year = fiscal_year_of(self.today)
        self.prefectural = SupportCentre.objects.get(
            scope=SupportCentre.Scope.PREFECTURE
        )

    def run(self) -> None:
        groups = list(CivicGroup.objects.public().order_by("pk")[:12])
        if len(groups) < 10:
            raise RuntimeError("Demo groups missing: load the volunteering demo first.")
        staff_group = CivicGroup.objects.managed_by(
            User.objects.get(email=f"staff@{DEMO_DOMAIN}")
        ).first()
        if staff_group is not None:
            groups = [staff_group, *(g for g in groups if g != staff_group)]
        with mails_discarded(), transaction.atomic():
            people = self.load_people()
            self.load_training(people)
            facilitators = self.load_facilitators(people)
            partners = self.load_partners(people["partner_staff"])
            self.load_cases(facilitators, groups, partners)
            self.load_meetings(facilitators)
            self.load_recognitions(people["chief"], groups, partners)

    def centre(self, scope: str, code: str) -> SupportCentre:
        if scope == "prefecture":
            return self.prefectural
        return SupportCentre.objects.get(
            scope=SupportCentre.Scope.MUNICIPAL, municipality__code=code
        )

    # --- people, training and appointments --------------------------------

    def load_people(self) -> dict[str, User]:
        """Create the demo accounts and the other facilitators, or fetch them."""
        demo_password = make_password(DEMO_PASSWORD)
        # Only the documented demo accounts can log in.
        no_password = make_password(None)
        emails = {account.key: account.email for account in DEMO_ACCOUNTS}
        emails.update(
            {key: f"facilitator-{key}@{DEMO_DOMAIN}" for key in OTHER_REGIONALS}
        )
        people = {}
        created = 0
        for key, email in emails.items():
            user = User.objects.filter(email=email).first()
            if user is None:
                full_name, kana = NAMES[key]
                user = User.objects.create(
                    email=email,
                    email_confirmed=True,
                    full_name=full_name,
                    name_kana=kana,
                    password=demo_password if key in LOGIN_KEYS else no_password,
                    privacy_consent_at=self.now,
                    privacy_notice_version=PRIVACY_NOTICE_VERSION,
                )
                created += 1
            people[key] = user
        self.counts.add("collaboration demo accounts", created)
        self.report(f"Collaboration demo people: {created} created")
        return people

    def load_training(self, people: dict[str, User]) -> None:
        """Run the training course that the regional facilitators completed."""
        year = self.fiscal_year - 3
        chief = people["chief"]
        course, created = TrainingCourse.objects.get_or_create(
            title=COURSE_TITLE,
            fiscal_year=year,
            defaults={
                "description": "地域の支援センターで協働を進める人のための全3回の講座。"
            },
        )
        if not created:
            return

        for month, day, title in COURSE_SESSIONS:
            facilitator_services.add_session(
                course=course, held_on=dt.date(year, month, day), title=title, by=chief
            )
        trainees = [people[key] for key in ("regional", *OTHER_REGIONALS)]
        for person in trainees:
            facilitator_services.enrol(course=course, person=person, by=chief)
        facilitator_services.record_attendance(
            course=course,
            attended={
                (session.pk, person.pk)
                for session in course.sessions.all()
                for person in trainees
            },
            by=chief,
        )

        last_day = dt.date(year, *COURSE_SESSIONS[-1][:2])
        for person in trainees:
            facilitator_services.record_completion(
                course=course, person=person, completed_on=last_day, by=chief
            )
        self.counts.add("training courses", 1)

    def load_facilitators(self, people: dict[str, User]) -> dict[str, Facilitator]:
        """Register the chief and regional facilitators with their appointments."""
        chief = people["chief"]
        plans = {
            "chief": (("prefecture", "", 3, None),),
            "regional": (("municipal", "35203", 2, None),),
            **OTHER_REGIONALS,
        }
        facilitators = {}
        created = 0
        for key, appointments in plans.items():
            user = people[key]
            facilitator = Facilitator.objects.filter(user=user).first()
            if facilitator is None:
                kind = (
                    Facilitator.Kind.CHIEF
                    if key == "chief"
                    else Facilitator.Kind.REGIONAL
                )
                facilitator = facilitator_services.register_facilitator(
                    user=user, kind=kind, by=chief
                )
                created += 1
                for scope, code, years_ago, years in appointments:
                    starts_on = dt.date(self.fiscal_year - years_ago, 4, 1)
                    appointment = facilitator_services.appoint(
                        facilitator=facilitator,
                        centre=self.centre(scope, code),
                        starts_on=starts_on,
                        by=chief,
                    )
                    if years is not None:
                        facilitator_services.end_appointment(
                            appointment=appointment,
                            ends_on=dt.date(starts_on.year + years, 3, 31),
                            by=chief,
                        )
            facilitators[key] = facilitator
        self.counts.add("facilitators", created)
        self.report(f"Facilitators: {created} created")
        return facilitators

    # --- partners ----------------------------------------------------------

    def load_partners(self, partner_staff: User) -> dict[str, Partner]:
        """Create one partner of every kind, the first company with the demo contact."""
        municipalities = {m.code: m for m in Municipality.objects.all()}
        fields = {f.number: f for f in ActivityField.objects.all()}
        partners = {}
        created = 0
        for plan in PARTNERS:
            partner = Partner.objects.filter(name=plan.name).first()
            if partner is None:
                partner = self._save_partner(
                    plan, partner_staff, municipalities, fields
                )
                created += 1
            partners[plan.key] = partner
        self.counts.add("partners", created)
        self.report(f"Partners: {created} created")
        return partners

    def _save_partner(
        self,
        plan: PartnerPlan,
        partner_staff: User,
        municipalities: dict[str, Municipality],
        fields: dict[int, ActivityField],
    ) -> Partner:
        is_demo_company = plan.key == "company"
        contact_name = partner_staff.full_name if is_demo_company else plan.contact_name
        contact_email = (
            partner_staff.email
            if is_demo_company
            else f"{plan.key}@partner.{DEMO_DOMAIN}"
        )
        return partner_services.save_partner(
            partner=Partner(),
            fields={
                "name": plan.name,
                "kind": plan.kind,
                "contact_name": contact_name,
                "contact_email": contact_email,
                "contact_phone": "083-900-0000",
                "municipality": municipalities.get(plan.municipality_code or ""),
                "website": "",
                "offers_volunteer_leave": plan.offers_volunteer_leave,
                "takes_part_in_probono": plan.takes_part_in_probono,
                "note": plan.note,
                "is_active": True,
            },
            activity_fields=[fields[n] for n in plan.field_numbers if n in fields],
            user=partner_staff,
        )

    # --- cases and examples ------------------------------------------------

    def load_cases(
        self,
        facilitators: dict[str, Facilitator],
        groups: list[CivicGroup],
        partners: dict[str, Partner],
    ) -> None:
        existing = set(
            CollaborationCase.objects.filter(
                title__in=[plan.title for plan in CASES]
            ).values_list("title", flat=True)
        )
        plans = [plan for plan in CASES if plan.title not in existing]
        for plan in plans:
            self._walk_case(plan, facilitators, groups, partners)
        self.counts.add("collaboration cases", len(plans))
        self.report(f"Collaboration cases: {len(plans)} created")

    def _walk_case(
        self,
        plan: CasePlan,
        facilitators: dict[str, Facilitator],
        groups: list[CivicGroup],
        partners: dict[str, Partner],
    ) -> None:
        """Open one case, take it to its stage and date each step in the past."""
        facilitator = facilitators[plan.facilitator]
        user = facilitator.user
        centre = case_services.opening_centres(user).first()
        assert centre is not None  # Every demo facilitator has an appointment.
        case = case_services.open_case(
            user=user,
            centre=centre,
            title=plan.title,
            shared_goal=plan.goal,
            next_steps=plan.next_steps,
        )
        opened = self.now - dt.timedelta(days=plan.opened_days_ago)
        CollaborationCase.objects.filter(pk=case.pk).update(created_at=opened)
        case.refresh_from_db()
        CaseStageChange.objects.filter(case=case).update(created_at=opened)

        for days_ago, body in plan.notes:
            held_on = self.today - dt.timedelta(days=days_ago)
            note = case_services.add_note(case, user, held_on=held_on, body=body)
            CaseNote.objects.filter(pk=note.pk).update(created_at=_japan(held_on, 18))

        parties = []
        for party_plan in plan.parties:
            group = (
                groups[party_plan.group_index]
                if party_plan.group_index is not None
                else None
            )
            partner = (
                partners[party_plan.partner_key] if party_plan.partner_key else None
            )
            parties.append(
                case_services.add_party(
                    case,
                    user,
                    group=group,
                    partner=partner,
                    role=party_plan.role,
                    contribution=party_plan.contribution,
                )
            )

        self._move_to_stage(case, plan, user, parties, opened)
        for key in plan.invite:
            case_services.invite_facilitator(case, user, facilitator=facilitators[key])
        if plan.example:
            self._write_example(case, plan, user, parties)

    def _move_to_stage(
        self,
        case: CollaborationCase,
        plan: CasePlan,
        user: User,
        parties: list,
        opened: dt.datetime,
    ) -> None:
        path = STAGE_PATHS[plan.stage]
        if S.AGREEMENT in path:
            for party in parties:
                case_services.record_principle_answers(
                    party, user, {p.value: (True, "") for p in Principle}
                )
        # Spread the steps evenly between the opening and a week ago.
        span = (self.now - dt.timedelta(days=7)) - opened
        for index, stage in enumerate(path, start=1):
            note = plan.discontinued_reason if stage == S.DISCONTINUED else ""
            change = case_services.transition(case, stage, user, note)
            moment = opened + span * index / (len(path) + 1)
            CaseStageChange.objects.filter(pk=change.pk).update(created_at=moment)
            CollaborationCase.objects.filter(pk=case.pk).update(
                stage_changed_at=moment, updated_at=moment
            )
        if plan.stage in (S.COMPLETED, S.IN_PROGRESS):
            for party, party_plan in zip(parties, plan.parties, strict=True):
                if party_plan.outcome:
                    case_services.update_party(
                        party,
                        user,
                        role=party.role,
                        contribution=party.contribution,
                        outcome=party_plan.outcome,
                    )

    def _write_example(
        self, case: CollaborationCase, plan: CasePlan, user: User, parties: list
    ) -> None:
        """Draft the example, then publish it or leave some consents to the parties."""
        texts = {
            party.pk: (party_plan.did, party_plan.gained)
            for party, party_plan in zip(parties, plan.parties, strict=True)
        }
        example = example_services.draft_example(
            case,
            user,
            title=plan.example_title,
            summary=plan.example_summary,
            texts=texts,
        )
        consenting = {
            party.pk
            for party, party_plan in zip(parties, plan.parties, strict=True)
            if plan.example == "published" or party_plan.consents
        }
        rows = example.parties.select_related("party__group", "example__case")
        for row in rows:
            if row.party_id in consenting:
                example_services.give_consent(row, user)
        if plan.example == "published":
            example_services.publish(example, user)
            CollaborationExample.objects.filter(pk=example.pk).update(
                published_at=self.now - dt.timedelta(days=20)
            )
        self.counts.add("collaboration examples", 1)

    # --- meetings ----------------------------------------------------------

    def load_meetings(self, facilitators: dict[str, Facilitator]) -> None:
        """Schedule the monthly meeting series with agendas, minutes and items."""
        if MeetingSeries.objects.filter(title=SERIES_TITLE).exists():
            return
        chief = facilitators["chief"].user
        first = (self.today.replace(day=1) - dt.timedelta(days=100)).replace(day=1)
        last = (self.today + dt.timedelta(days=100)).replace(day=1) - dt.timedelta(
            days=1
        )
        plan = meeting_services.SeriesPlan(
            title=SERIES_TITLE,
            location=SERIES_LOCATION,
            frequency=MeetingSeries.Frequency.MONTHLY,
            weekday=Weekday.TUESDAY,
            week_of_month=MeetingSeries.WeekOfMonth.SECOND,
            start_time=dt.time(14),
            end_time=dt.time(16),
            starts_on=first,
            ends_on=last,
        )
        attendees = [f for key, f in facilitators.items() if key != "chief"]
        series = meeting_services.schedule_series(chief, plan, attendees)

        meetings = list(series.meetings.order_by("starts_at"))
        past = [m for m in meetings if m.ends_at < self.now]
        upcoming = [m for m in meetings if m.ends_at >= self.now]
        regional = facilitators["regional"].user
        others = [
            f.user
            for key, f in facilitators.items()
            if key not in {"chief", "regional"}
        ]

        for number, meeting in enumerate(past, start=1):
            meeting.agenda = meeting_services.draft_agenda(
                meeting, now=meeting.starts_at - dt.timedelta(days=1)
            )
            meeting.agenda_drafted_at = meeting.starts_at - dt.timedelta(days=1)
            meeting.minutes = (
                f"第{number}回。各センターの案件の進み具合を共有した。\n"
                "子ども食堂の食材寄付の協働を、事例として公開する方向で合意した。"
            )
            meeting.save(update_fields=["agenda", "agenda_drafted_at", "minutes"])
            # The items of the last two past meetings are still open, and at
            # least the older ones are overdue, whatever the day of the load.
            still_open = number >= len(past) - 1
            self._add_items(meeting, chief, regional, others, still_open)

        if upcoming:
            meeting_services.redraft_agenda(upcoming[0], chief)
        Meeting.objects.filter(series=series).update(updated_at=self.now)
        self.counts.add("meetings", len(meetings))
        self.report(f"Information-sharing meetings: {len(meetings)} scheduled")

    def _add_items(
        self,
        meeting: Meeting,
        chief: User,
        regional: User,
        others: list[User],
        still_open: bool,
    ) -> None:
        """Add two action items to *meeting*, marked done unless *still_open*."""
        day = timezone.localdate(meeting.starts_at, timezone=JAPAN)
        items = [
            (
                regional,
                "担当センターの案件一覧を更新して共有する",
                day + dt.timedelta(days=7),
            ),
            (
                others[0],
                "食材寄付の協働の事例原稿を確認する",
                day + dt.timedelta(days=21),
            ),
        ]
        for owner, title, due_on in items:
            item = meeting_services.add_action_item(
                meeting, chief, title=title, owner=owner, due_on=due_on
            )
            if not still_open:
                meeting_services.set_item_done(item, owner, True)

    # --- recognitions ------------------------------------------------------

    def load_recognitions(
        self, chief: User, groups: list[CivicGroup], partners: dict[str, Partner]
    ) -> None:
        created = 0
        for plan in RECOGNITIONS:
            recognition = self._recognition(plan, groups, partners)
            if recognition is None:
                continue
            recognition_services.save_recognition(
                recognition,
                fields={
                    "kind": plan.kind,
                    "fiscal_year": recognition.fiscal_year,
                    "title": plan.title,
                    "citation": plan.citation,
                    "group": recognition.group,
                    "partner": recognition.partner,
                    "designated_on": recognition.designated_on,
                },
                by=chief,
            )
            if plan.withdrawn_reason:
                recognition_services.withdraw_recognition(
                    recognition,
                    on=min(
                        self.today, recognition.designated_on + dt.timedelta(days=200)
                    ),
                    reason=plan.withdrawn_reason,
                    by=chief,
                )
            created += 1
        self.counts.add("recognitions", created)
        self.report(f"Recognitions: {created} created")

    def _recognition(
        self,
        plan: RecognitionPlan,
        groups: list[CivicGroup],
        partners: dict[str, Partner],
    ) -> Recognition | None:
        """Return a new unsaved recognition, or None when it exists or is not due."""
        year = self.fiscal_year - plan.years_ago
        month, day = plan.month_day
        designated_on = dt.date(year if month >= 4 else year + 1, month, day)
        if designated_on > self.today:
            return None
        group = groups[plan.group_index] if plan.group_index is not None else None
        partner = partners[plan.partner_key] if plan.partner_key else None
        exists = Recognition.objects.filter(
            kind=plan.kind, fiscal_year=year, group=group, partner=partner
        ).exists()
        if exists:
            return None
        return Recognition(
            kind=plan.kind,
            fiscal_year=year,
            group=group,
            partner=partner,
            designated_on=designated_on,
        )


def load_facilitation_demo(*, report: Report, counts: LoadCounts) -> None:
    """Load the collaboration app's demo rows, adding the new rows to *counts*."""
    logger.info("Collaboration demo data load started")
    FacilitationDemoLoader(report=report, counts=counts).run()
    logger.info("Collaboration demo data load finished")
