"""Store, freeze and compare the computed indicator values of a fiscal year.

The nightly task stores the current values in IndicatorSnapshot. Freezing
a year computes its values once more, stores them with who froze them and
when, and from then on no service writes to that year's snapshots. A
recompute of a frozen year is only shown beside the frozen values.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_portal.accounts.models import User
from civic_portal.fiscal import fiscal_year_bounds, fiscal_year_label, fiscal_year_of
from indicators.definitions import INDICATOR_KEYS, Indicator, all_indicators
from indicators.models import IndicatorSnapshot
from indicators.services.compute import compute_all

logger = logging.getLogger(__name__)


def current_fiscal_year(now: dt.datetime | None = None) -> int:
    """Return the fiscal year in progress, in Japan time."""
    return fiscal_year_of(now or timezone.now())


def has_ended(fiscal_year: int, now: dt.datetime | None = None) -> bool:
    """Tell whether *fiscal_year* ended (1 April 00:00 Japan time has passed)."""
    _start, end = fiscal_year_bounds(fiscal_year)
    return (now or timezone.now()) >= end


def snapshots_of(fiscal_year: int) -> dict[str, IndicatorSnapshot]:
    """Return the stored snapshots of *fiscal_year* by indicator key."""
    rows = IndicatorSnapshot.objects.filter(fiscal_year=fiscal_year).select_related(
        "frozen_by"
    )
    return {row.indicator: row for row in rows}


def is_frozen(fiscal_year: int) -> bool:
    return IndicatorSnapshot.objects.filter(
        fiscal_year=fiscal_year, frozen_at__isnull=False
    ).exists()


@transaction.atomic
def store_snapshots(fiscal_year: int) -> int:
    """Compute *fiscal_year* and store the values of every unfrozen indicator.

    Returns the number of snapshots written. Frozen snapshots are skipped.
    """
    values = compute_all(fiscal_year)
    now = timezone.now()
    existing = {
        row.indicator: row
        for row in IndicatorSnapshot.objects.select_for_update().filter(
            fiscal_year=fiscal_year
        )
    }
    written = 0
    for key in INDICATOR_KEYS:
        snapshot = existing.get(key)
        if snapshot is None:
            IndicatorSnapshot.objects.create(
                indicator=key,
                fiscal_year=fiscal_year,
                value=values[key],
                computed_at=now,
            )
        elif snapshot.is_frozen:
            continue
        else:
            snapshot.value = values[key]
            snapshot.computed_at = now
            snapshot.save(update_fields=["value", "computed_at"])
        written += 1
    logger.info("Stored %d indicator snapshots of fiscal %s", written, fiscal_year)
    return written


@transaction.atomic
def freeze_year(fiscal_year: int, frozen_by: User) -> list[IndicatorSnapshot]:
    """Compute *fiscal_year* once more and freeze its six values.

    Raises ValidationError when the year has not ended yet or is frozen
    already. The snapshot rows are locked first, so two staff members who
    freeze at once get one freeze and one error.
    """
    label = fiscal_year_label(fiscal_year)
    if not has_ended(fiscal_year):
        raise ValidationError(
            _(
                "%(year)s has not ended yet. A year can be frozen from 1 April, "
                "once its figures are complete."
            )
            % {"year": label}
        )
    for key in INDICATOR_KEYS:
        IndicatorSnapshot.objects.get_or_create(
            indicator=key,
            fiscal_year=fiscal_year,
            defaults={"computed_at": timezone.now()},
        )
    snapshots = list(
        IndicatorSnapshot.objects.select_for_update()
        .filter(fiscal_year=fiscal_year)
        .order_by("indicator")
    )
    if any(snapshot.is_frozen for snapshot in snapshots):
        raise ValidationError(
            _("%(year)s is frozen already, so its figures cannot change.")
            % {"year": label}
        )
    values = compute_all(fiscal_year)
    now = timezone.now()
    for snapshot in snapshots:
        snapshot.value = values[snapshot.indicator]
        snapshot.computed_at = now
        snapshot.frozen_at = now
        snapshot.frozen_by = frozen_by
        snapshot.save(update_fields=["value", "computed_at", "frozen_at", "frozen_by"])
    logger.info("Fiscal %s frozen by user %s", fiscal_year, frozen_by.pk)
    return snapshots


@dataclass(frozen=True)
class Comparison:
    """A stored value of one indicator beside a fresh recompute of it."""

    indicator: Indicator
    snapshot: IndicatorSnapshot | None
    recomputed: Decimal | None

    @property
    def stored(self) -> Decimal | None:
        return None if self.snapshot is None else self.snapshot.value

    @property
    def difference(self) -> Decimal | None:
        """The recomputed value minus the stored one, None if either is missing."""
        if self.stored is None or self.recomputed is None:
            return None
        return self.recomputed - self.stored

    @property
    def differs(self) -> bool:
        return self.stored != self.recomputed


def compare_year(fiscal_year: int) -> list[Comparison]:
    """Recompute *fiscal_year* and set each stored value beside the fresh one.

    Nothing is written: a frozen year keeps its figures whatever the
    recompute gives.
    """
    snapshots = snapshots_of(fiscal_year)
    values = compute_all(fiscal_year)
    return [
        Comparison(
            indicator=indicator,
            snapshot=snapshots.get(key),
            recomputed=values[key],
        )
        for key, indicator in all_indicators().items()
    ]
