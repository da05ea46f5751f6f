"""Demo rows of the group registry, loaded after volunteering.demo made the groups.

Each part draws from a random generator seeded with the run's seed and the
row's id, so a second run makes the same choices and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from groups.demo_events import load_events_demo
from groups.demo_registration import APPLICATIONS, load_registration_demo
from groups.demo_reports import load_report_demo
from groups.models import CivicGroup
from volunteering.demo import SIZES

logger = logging.getLogger(__name__)

Report = Callable[[str], None]

BATCH_SIZE = 1000

# Share of demo groups that confirmed their information in the last year;
# the others show the "unconfirmed" notice once approved 18 months ago.
CONFIRMED_SHARE = 0.85
PROBONO_SHARE = 0.15
# Share of groups whose optional profile items are filled, so the
# directory shows every disclosure level.
FILLED_PROFILE_SHARE = 0.7

REPRESENTATIVES = ("山本 和子", "中村 健一", "藤井 美穂", "田中 誠", "松田 由美")


def promised_counts(size: str) -> dict[str, int]:
    """Return the groups and posts that `load_demo_data --size SIZE` leaves.

    These are the totals after a load into a database without groups: the
    registry's groups plus the registration applications awaiting review.
    """
    demo_size = SIZES[size]
    return {
        "groups": demo_size.groups + len(APPLICATIONS),
        "posts": demo_size.groups * demo_size.posts_per_group,
    }


def _row_random(seed: int, pk: int) -> random.Random:
    return random.Random(f"{seed}:{pk}")  # noqa: S311 (demo data, no secrets)


def _fill_directory_profile(
    group: CivicGroup, rng: random.Random, now: dt.datetime
) -> bool:
    """Fill the freshness and optional profile items of one group; tell if changed."""
    changed = False
    confirmed = rng.random() < CONFIRMED_SHARE
    days_ago = rng.randint(0, 330)
    if group.info_confirmed_at is None and confirmed:
        group.info_confirmed_at = now - dt.timedelta(days=days_ago)
        changed = True
    if rng.random() < PROBONO_SHARE and not group.wants_probono:
        group.wants_probono = True
        changed = True
    if rng.random() < FILLED_PROFILE_SHARE and not group.representative:
        group.representative = rng.choice(REPRESENTATIVES)
        group.member_count = rng.randint(5, 120)
        registered_on = group.registered_on or now.date()
        group.founded_on = registered_on - dt.timedelta(days=rng.randint(180, 3650))
        group.public_email = f"info{group.pk}@example.jp"
        group.address = f"{group.municipality.name}中央{rng.randint(1, 9)}丁目"
        changed = True
    return changed


def load_directory_profiles(*, seed: int, report: Report) -> int:
    """Give public demo groups confirmation dates and fuller profiles.

    Returns the number of groups changed.
    """
    now = timezone.now()
    fields = [
        "info_confirmed_at",
        "wants_probono",
        "representative",
        "member_count",
        "founded_on",
        "public_email",
        "address",
    ]
    groups = list(
        CivicGroup.objects.public()
        .select_related("municipality")
        .order_by("pk")
        .only("pk", "municipality__name", "registered_on", *fields)
    )
    changed = [
        group
        for group in groups
        if _fill_directory_profile(group, _row_random(seed, group.pk), now)
    ]
    for start in range(0, len(changed), BATCH_SIZE):
        CivicGroup.objects.bulk_update(changed[start : start + BATCH_SIZE], fields)
        saved = min(start + BATCH_SIZE, len(changed))
        report(f"Directory profiles: {saved} of {len(changed)} saved")
    unchanged = len(groups) - len(changed)
    report(f"Directory profiles: {len(changed)} changed, {unchanged} unchanged")
    return len(changed)


@transaction.atomic
def load_group_demo(*, seed: int, report: Report) -> dict[str, int]:
    """Load every part of the registry's demo rows; return counts by part."""
    logger.info("Group demo data load started: seed %s", seed)
    counts = {"directory profiles": load_directory_profiles(seed=seed, report=report)}
    # Reports copy each group's pro bono wish, so they load after the profiles.
    counts.update(load_report_demo(seed=seed, report=report))
    counts.update(load_events_demo(seed=seed, report=report))
    counts.update(load_registration_demo(report=report))
    logger.info("Group demo data load finished: %s", counts)
    return counts
