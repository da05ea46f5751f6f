"""Demo annual reports and consultations, loaded after the demo groups exist.

Choices come from a random generator seeded with the run's seed and the
row's id, and existing rows are kept, so a second run creates nothing.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from civic_portal.accounts.models import User
from groups.models import (
    AGE_BANDS,
    INCOME_SOURCES,
    AnnualGroupReport,
    CivicGroup,
    Consultation,
    DigitalTool,
    SupportCentre,
)
from groups.services.reports import current_fiscal_year
from probono.models import Skill
from volunteering.demo import DEMO_ACCOUNTS

logger = logging.getLogger(__name__)

Report = Callable[[str], None]

BATCH_SIZE = 1000
# Reports for this many fiscal years, the current one included.
REPORT_YEARS = 3
FILING_SHARE = 0.7
# Typical head counts of a band: most groups are small and older.
BAND_WEIGHTS = {
    "under_20": 0.4,
    "20s": 0.5,
    "30s": 0.7,
    "40s": 1.0,
    "50s": 1.3,
    "60s": 1.8,
    "70_plus": 1.6,
}
ACTIVITIES = (
    "地域の清掃活動と花壇の手入れ",
    "子ども食堂の運営と学習支援",
    "高齢者の見守りと買い物支援",
    "里山の保全と竹林の間伐",
    "災害時の避難所運営の訓練",
    "外国人住民への日本語教室",
)
CONSULTATION_QUESTIONS = (
    ("founding", "NPO法人を設立したいのですが、手続きの流れを教えてください。"),
    ("funding", "使える助成金を探しています。締め切りの近いものはありますか。"),
    ("volunteers", "若い世代のボランティアを集める方法を知りたいです。"),
    ("digital", "オンライン会議を始めたいのですが、機材の貸し出しはありますか。"),
    ("management", "会計の担当者が辞めてしまい、帳簿の付け方に困っています。"),
    ("collaboration", "地元の企業と一緒にイベントを開きたいです。"),
    ("other", "会議室の予約方法を教えてください。"),
)
ANSWER = "窓口で資料をお渡しし、詳しくご説明しました。"


def _rng(seed: int, *parts: object) -> random.Random:
    return random.Random(":".join(str(part) for part in (seed, *parts)))  # noqa: S311


def _demo_report(group: CivicGroup, year: int, rng: random.Random) -> AnnualGroupReport:
    size = rng.randint(3, 25)
    report = AnnualGroupReport(
        group=group,
        fiscal_year=year,
        volunteers_taken_in=rng.randint(0, 30),
        main_activities=rng.choice(ACTIVITIES),
        digital_tools=rng.sample(DigitalTool.values, rng.randint(0, 3)),
        wants_probono=group.wants_probono,
        self_evaluation=rng.choice(AnnualGroupReport.SelfEvaluation.values),
    )
    for band, _label in AGE_BANDS:
        weight = BAND_WEIGHTS[band]
        setattr(report, f"members_{band}", round(rng.random() * weight * size / 3))
        setattr(report, f"participants_{band}", round(rng.random() * weight * size / 2))
    if report.participants_total == 0:
        report.participants_60s = 1
    for source, _label in INCOME_SOURCES:
        setattr(report, f"income_{source}", rng.choice([0, 0, 1, 2, 5]) * 50_000)
    return report


def load_annual_reports(*, seed: int, report: Report) -> int:
    """File demo reports for most public groups in recent fiscal years.

    Returns the number of reports created.
    """
    current = current_fiscal_year()
    years = range(current - REPORT_YEARS + 1, current + 1)
    filed = set(
        AnnualGroupReport.objects.filter(fiscal_year__in=years).values_list(
            "group_id", "fiscal_year"
        )
    )
    groups = list(
        CivicGroup.objects.public()
        .filter(registered_on__lt=timezone.localdate())
        .order_by("pk")
    )
    new_reports: list[AnnualGroupReport] = []
    for group in groups:
        for year in years:
            rng = _rng(seed, "report", group.pk, year)
            if (group.pk, year) in filed or rng.random() >= FILING_SHARE:
                continue
            new_reports.append(_demo_report(group, year, rng))
    skills = list(Skill.objects.all())
    with transaction.atomic():
        created = AnnualGroupReport.objects.bulk_create(
            new_reports, batch_size=BATCH_SIZE
        )
        links = [
            AnnualGroupReport.probono_skills.through(
                annualgroupreport_id=row.pk, skill_id=skill.pk
            )
            for row in created
            if row.wants_probono and skills
            for skill in _rng(seed, "skills", row.pk).sample(skills, 2)
        ]
        AnnualGroupReport.probono_skills.through.objects.bulk_create(
            links, batch_size=BATCH_SIZE
        )
    report(f"  annual reports: {len(created)} created for fiscal {list(years)}")
    return len(created)


def load_consultations(*, seed: int, report: Report) -> int:
    """Record a few consultations at each open centre; return how many were new."""
    resident = User.objects.filter(email=DEMO_ACCOUNTS[0].email).first()
    created = 0
    centres = SupportCentre.objects.filter(closed_on__isnull=True).order_by("pk")
    for centre in centres:
        rng = _rng(seed, "consultations", centre.pk)
        for topic, question in rng.sample(CONSULTATION_QUESTIONS, 3):
            asked_online = resident is not None and rng.random() < 0.4
            answered = rng.random() < 0.7
            _consultation, was_created = Consultation.objects.get_or_create(
                centre=centre,
                question=question,
                defaults={
                    "topic": topic,
                    "asker": resident if asked_online else None,
                    "asker_name": "" if asked_online else "山口 花子",
                    "channel": "portal"
                    if asked_online
                    else rng.choice(["phone", "desk", "email"]),
                    "answer": ANSWER if answered else "",
                    "status": "answered" if answered else "open",
                    "answered_at": timezone.now() if answered else None,
                },
            )
            created += was_created
    report(f"  consultations: {created} created")
    return created


def load_report_demo(*, seed: int, report: Report) -> dict[str, int]:
    """Load demo annual reports and consultations; return counts by part."""
    return {
        "annual reports": load_annual_reports(seed=seed, report=report),
        "consultations": load_consultations(seed=seed, report=report),
    }
