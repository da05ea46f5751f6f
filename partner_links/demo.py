"""Demo rows of the partner links, loaded after the volunteering demo.

One health-points programme of a made-up partner, with a partner account,
five enrolled residents who have confirmed hours since their consent, and
the demo student's school link to a demo teacher account. Rows are written
through the services, so they obey the consent rules. The consent times
are then moved back, so that the last months of made-up hours fall inside
the consent window. A second run finds every row and creates nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from rest_framework.authtoken.models import Token

from civic_portal.accounts.api_authentication import new_token_key
from civic_portal.accounts.models import PRIVACY_NOTICE_VERSION, User
from facilitation.models import Partner
from partner_links.models import PointsProgramme, ProgrammeEnrolment, SchoolLink
from partner_links.services import programmes as programme_services
from partner_links.services import schools as school_services
from probono.demo import mails_discarded
from volunteering.demo import (
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    DemoAccount,
    LoadCounts,
    Report,
)

logger = logging.getLogger(__name__)

DEMO_ACCOUNTS = (
    DemoAccount(
        "partner",
        f"partner@{DEMO_DOMAIN}",
        "partner account of the demo health-points programme (CSV and API)",
    ),
    DemoAccount(
        "teacher",
        f"teacher@{DEMO_DOMAIN}",
        "high-school teacher who sees the demo student's hours",
    ),
)
ACCOUNT_NAMES = {
    "partner": ("周南 健", "しゅうなん けん"),
    "teacher": ("防府 恵子", "ほうふ けいこ"),
}
PARTNER_NAME = "やまぐち健康づくり推進協議会"
PROGRAMME_NAME = "やまぐち健康マイレージ"
# Bulk residents enrolled besides resident@demo.example.jp: those with the
# most confirmed activities since the consent day.
ENROLLED_RESIDENTS = 4
# The enrolments' consent is dated this many days before the load.
CONSENT_DAYS_AGO = 180
STUDENT_EMAIL = f"student@{DEMO_DOMAIN}"
RESIDENT_EMAIL = f"resident@{DEMO_DOMAIN}"


def load_partner_links_demo(*, seed: int, report: Report, counts: LoadCounts) -> None:
    """Load the programme, its enrolments and the school link; add to *counts*."""
    logger.info("Partner links demo data load started: seed %s", seed)
    with mails_discarded(), transaction.atomic():
        accounts = _load_accounts(counts)
        programme = _load_programme(accounts["partner"], counts)
        # The key is not reported: the partner replaces the token on its
        # page, which shows the new key once.
        partner = accounts["partner"]
        _, token_created = Token.objects.get_or_create(
            user=partner, defaults={"key": new_token_key(partner.pk)}
        )
        counts.add("partner API tokens", int(token_created))
        rng = random.Random(seed)  # noqa: S311 - made-up membership ids
        created = _load_enrolments(programme, rng)
        counts.add("health-points enrolments", created)
        report(f"Health-points enrolments: {created} created")
        linked = _load_school_link(accounts["teacher"])
        counts.add("school links", linked)
        report(f"School links: {linked} created")
    logger.info("Partner links demo data load finished")


def _load_accounts(counts: LoadCounts) -> dict[str, User]:
    password = make_password(DEMO_PASSWORD)
    accounts = {}
    created = 0
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            full_name, kana = ACCOUNT_NAMES[account.key]
            user = User.objects.create(
                email=account.email,
                email_confirmed=True,
                full_name=full_name,
                name_kana=kana,
                birth_date=dt.date(1978, 10, 1),
                occupation=User.Occupation.EMPLOYED,
                password=password,
                privacy_consent_at=timezone.now(),
                privacy_notice_version=PRIVACY_NOTICE_VERSION,
            )
            created += 1
        accounts[account.key] = user
    counts.add("partner link demo accounts", created)
    return accounts


def _load_programme(partner_account: User, counts: LoadCounts) -> PointsProgramme:
    partner, _ = Partner.objects.get_or_create(
        name=PARTNER_NAME,
        defaults={
            "kind": Partner.Kind.OTHER,
            "contact_name": "周南 健",
            "contact_email": f"health@{DEMO_DOMAIN}",
            "note": "県民の健康づくりのため、健康マイレージ事業を運営しています。",
        },
    )
    programme, created = PointsProgramme.objects.get_or_create(
        name=PROGRAMME_NAME,
        defaults={
            "partner": partner,
            "description": (
                "ボランティア活動や健康づくりの取組でポイントがたまり、"
                "協力店で特典と交換できます。"
            ),
            "membership_id_pattern": r"YM-[0-9]{6}",
            "membership_id_example": "YM-012345",
        },
    )
    programme.partner_accounts.add(partner_account)
    counts.add("health-points programmes", int(created))
    return programme


def _load_enrolments(programme: PointsProgramme, rng: random.Random) -> int:
    consented_at = timezone.now() - dt.timedelta(days=CONSENT_DAYS_AGO)
    active_since = timezone.localdate(consented_at)
    recent = Q(
        volunteer_applications__status="confirmed",
        volunteer_applications__attendance__status="confirmed",
        volunteer_applications__activity_date__gte=active_since,
    ) | Q(
        volunteer_applications__status="confirmed",
        volunteer_applications__attendance__status="confirmed",
        volunteer_applications__session__starts_at__gte=consented_at,
    )
    bulk = list(
        User.objects.filter(
            email__startswith="resident", email__endswith=f"@{DEMO_DOMAIN}"
        )
        .exclude(email=RESIDENT_EMAIL)
        .exclude(occupation=User.Occupation.HIGH_SCHOOL_STUDENT)
        .annotate(recent=Count("volunteer_applications", filter=recent))
        .filter(recent__gt=0)
        .order_by("-recent", "pk")[:ENROLLED_RESIDENTS]
    )
    residents = list(User.objects.filter(email=RESIDENT_EMAIL)) + bulk
    already = set(
        ProgrammeEnrolment.objects.filter(programme=programme).values_list(
            "resident_id", flat=True
        )
    )
    # Distinct numbers, because two consenting residents of a programme
    # may not share a membership id.
    numbers = rng.sample(range(10**6), len(residents))
    created = 0
    for resident, number in zip(residents, numbers, strict=True):
        if resident.pk in already:
            continue
        enrolment = programme_services.enrol(
            resident=resident,
            programme=programme,
            membership_id=f"YM-{number:06d}",
        )
        ProgrammeEnrolment.objects.filter(pk=enrolment.pk).update(
            consented_at=consented_at
        )
        created += 1
    return created


def _load_school_link(teacher: User) -> int:
    student = User.objects.filter(email=STUDENT_EMAIL).first()
    if student is None or SchoolLink.objects.filter(student=student).exists():
        return 0
    school_services.link_school(
        student=student,
        school_name="山口県立山口中央高等学校",
        teacher_name=teacher.full_name,
        teacher_email=teacher.email,
    )
    return 1
