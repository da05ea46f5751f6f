"""Demo events, grant notices and newsletter rows, loaded after the demo groups.

Choices come from a random generator seeded with the run's seed and the
row's id. Groups that already have events, notices and subscriptions
that already exist, and issues of months that already have one are kept,
so a second run creates nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Callable

from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from civic_portal.fiscal import JAPAN
from groups.models import (
    ActivityField,
    CivicGroup,
    Event,
    GrantNotice,
    NewsletterIssue,
    NewsletterSubscription,
)
from groups.services.events import japan_end_of_day
from groups.services.newsletter import compile_issue_text, first_of_month
from volunteering.demo import DEMO_ACCOUNTS

logger = logging.getLogger(__name__)

Report = Callable[[str], None]

BATCH_SIZE = 1000
# Share of public groups that announce events, and the most events each.
EVENT_GROUP_SHARE = 0.3
MAX_EVENTS_PER_GROUP = 3
READER_COUNT = 30

EVENT_TITLES = (
    ("里山まつり", "竹細工と山菜料理の体験ができるお祭りです。"),
    ("子ども食堂ボランティア説明会", "活動の流れと参加方法を説明します。"),
    ("防災ワークショップ", "非常食づくりと避難所運営を体験します。"),
    ("NPO会計講座", "初めての会計担当者向けの入門講座です。"),
    ("海岸清掃", "みんなで海岸のごみを拾います。軍手を貸し出します。"),
    ("オンライン交流会", "県内の団体がオンラインで活動を紹介し合います。"),
)
GRANTS = (
    ("地域づくり活動助成", "やまぐち地域振興財団", "上限50万円", 500_000, (3, 19)),
    ("子どもの居場所づくり支援", "こども未来基金", "上限30万円", 300_000, (13,)),
    ("環境保全活動補助金", "山口県", "対象経費の2分の1、上限20万円", 200_000, (7,)),
    ("市民活動スタート助成", "山口県", "一律10万円", 100_000, ()),
    ("災害ボランティア活動支援", "ふるさと防災基金", "上限100万円", 1_000_000, (8,)),
    ("デジタル化応援助成", "IT地域貢献財団", "上限15万円", 150_000, (18, 19)),
)
# Deadline of each notice, in days from the day the demo is loaded; the
# negative ones show closed notices.
GRANT_DEADLINE_DAYS = (21, 45, 8, 90, -10, -40)


def _rng(seed: int, part: str, pk: int) -> random.Random:
    return random.Random(f"{seed}:{part}:{pk}")  # noqa: S311 (demo data, no secrets)


def _new_event(group: CivicGroup, rng: random.Random, today: dt.date) -> Event:
    title, description = rng.choice(EVENT_TITLES)
    day = today + dt.timedelta(days=rng.randint(-20, 90))
    starts_at = dt.datetime.combine(day, dt.time(rng.choice((10, 13, 18))), JAPAN)
    is_online = title.startswith("オンライン")
    # 山口市 becomes 山口市民会館, 周防大島町 becomes 周防大島町民会館.
    place = "" if is_online else f"{group.municipality.name}民会館"
    event = Event(
        group=group,
        title=title,
        description=description,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=rng.choice((1, 2, 3))),
        municipality=group.municipality,
        place=place,
        is_online=is_online,
        fee=rng.choice((0, 0, 0, 300, 500, 1000)),
        how_to_apply=rng.choice(
            ("申し込み不要です。", "前日までに電話でお申し込みください。")
        ),
        status=Event.Status.PUBLISHED,
    )
    # bulk_create skips Event.save, which fills the search column.
    event.search_text = event.build_search_text()
    return event


def _spread_created_at(events: list[Event], seed: int) -> None:
    """Date each event some weeks before it starts, so monthly issues list them."""
    now = timezone.now()
    dates = {}
    for event in events:
        weeks_before = _rng(seed, "announced", event.pk).randint(1, 8)
        dates[event.pk] = min(event.starts_at - dt.timedelta(weeks=weeks_before), now)
    Event.objects.filter(pk__in=dates).update(
        created_at=Case(*(When(pk=pk, then=Value(date)) for pk, date in dates.items()))
    )


def load_events(*, seed: int, report: Report) -> int:
    """Give a share of the public groups upcoming and past events; return how many."""
    today = timezone.localdate(timezone.now(), JAPAN)
    groups = list(
        CivicGroup.objects.public()
        .filter(events__isnull=True)
        .select_related("municipality")
        .order_by("pk")
    )
    fields = list(ActivityField.objects.all())
    created = 0
    for start in range(0, len(groups), BATCH_SIZE):
        events: list[Event] = []
        for group in groups[start : start + BATCH_SIZE]:
            rng = _rng(seed, "events", group.pk)
            if rng.random() >= EVENT_GROUP_SHARE:
                continue
            for _ in range(rng.randint(1, MAX_EVENTS_PER_GROUP)):
                events.append(_new_event(group, rng, today))
        with transaction.atomic():
            Event.objects.bulk_create(events)
            _spread_created_at(events, seed)
            links = [
                Event.activity_fields.through(
                    event_id=event.pk,
                    activityfield_id=_rng(seed, "fields", event.pk).choice(fields).pk,
                )
                for event in events
            ]
            Event.activity_fields.through.objects.bulk_create(links)
        created += len(events)
        checked = min(start + BATCH_SIZE, len(groups))
        report(f"  events: {created} created, {checked} of {len(groups)} groups done")
    return created


def load_grants(*, seed: int, report: Report) -> int:
    """Create the demo grant notices that do not exist yet; return how many."""
    today = timezone.localdate(timezone.now(), JAPAN)
    created = 0
    for (title, funder, amount, max_amount, numbers), days in zip(
        GRANTS, GRANT_DEADLINE_DAYS, strict=True
    ):
        grant, is_new = GrantNotice.objects.get_or_create(
            title=title,
            defaults={
                "funder": funder,
                "amount": amount,
                "max_amount": max_amount,
                "deadline": japan_end_of_day(today + dt.timedelta(days=days)),
                "description": f"{funder}による{title}の募集です。",
                "url": "https://example.jp/grants/",
                "is_published": True,
            },
        )
        if is_new:
            grant.eligible_fields.set(ActivityField.objects.filter(number__in=numbers))
            # Announced six weeks before the deadline, or today at the latest.
            announced = min(grant.deadline - dt.timedelta(weeks=6), timezone.now())
            GrantNotice.objects.filter(pk=grant.pk).update(created_at=announced)
            created += 1
    report(f"  grant notices: {created} created")
    return created


def load_subscriptions(*, seed: int, report: Report) -> int:
    """Subscribe the demo accounts and some readers; return how many are new."""
    addresses = [account.email for account in DEMO_ACCOUNTS]
    addresses += [f"reader{number}@example.jp" for number in range(READER_COUNT)]
    created = 0
    for number, address in enumerate(addresses):
        language = "en" if _rng(seed, "reader", number).random() < 0.1 else "ja"
        _subscription, is_new = NewsletterSubscription.objects.get_or_create(
            # Demo readers count as having opened their confirmation link.
            email=address,
            defaults={"language": language, "confirmed_at": timezone.now()},
        )
        created += is_new
    report(f"  newsletter subscriptions: {created} created")
    return created


def load_issues(*, report: Report) -> int:
    """Draft the issues of the last two months; the older one shows as sent."""
    this_month = first_of_month(timezone.localdate(timezone.now(), JAPAN))
    last_month = first_of_month(this_month - dt.timedelta(days=1))
    month_before = first_of_month(last_month - dt.timedelta(days=1))
    created = 0
    for month, is_sent in ((month_before, True), (last_month, False)):
        if NewsletterIssue.objects.filter(month=month).exists():
            continue
        subject, body = compile_issue_text(month)
        issue = NewsletterIssue(month=month, subject=subject, body=body)
        if is_sent:
            # NOTE: marked as sent without mailing anyone, so the public
            # archive has an issue to show.
            issue.status = NewsletterIssue.Status.SENT
            issue.sent_at = dt.datetime.combine(this_month, dt.time(9), JAPAN)
        issue.save()
        created += 1
    report(f"  newsletter issues: {created} created")
    return created


def load_events_demo(*, seed: int, report: Report) -> dict[str, int]:
    """Load the events, grant notices and newsletter rows; return counts by part."""
    report("Loading demo events, grant notices and newsletter rows")
    counts = {
        "events": load_events(seed=seed, report=report),
        "grant notices": load_grants(seed=seed, report=report),
        "newsletter subscriptions": load_subscriptions(seed=seed, report=report),
    }
    # The issues list the events and notices, so they come last.
    counts["newsletter issues"] = load_issues(report=report)
    return counts
