"""Reads of the recognitions: awards and model business sites by fiscal year.

Recognitions entered in the portal and the historical totals from before
it are returned apart, because the totals count the same kinds of
recognition over years that overlap the portal's records.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from civic_portal.fiscal import fiscal_year_label
from facilitation.models import HistoricalRecognitionTotal, Recognition, RecognitionKind


@dataclass(frozen=True)
class YearSummary:
    """The number of recognitions of each kind entered for one fiscal year."""

    year: int
    label: str
    awards: int
    model_business_sites: int


def year_summaries() -> list[YearSummary]:
    """Return one summary per fiscal year with portal records, newest first."""
    rows = (
        Recognition.objects.values("fiscal_year")
        .annotate(
            awards=Count("pk", filter=Q(kind=RecognitionKind.AWARD)),
            sites=Count("pk", filter=Q(kind=RecognitionKind.MODEL_BUSINESS_SITE)),
        )
        .order_by("-fiscal_year")
    )
    return [
        YearSummary(
            year=row["fiscal_year"],
            label=fiscal_year_label(row["fiscal_year"]),
            awards=row["awards"],
            model_business_sites=row["sites"],
        )
        for row in rows
    ]


def recognitions_of_year(year: int) -> dict[str, list[Recognition]]:
    """Return the portal's recognitions of fiscal *year*, by kind, in date order."""
    by_kind: dict[str, list[Recognition]] = {kind: [] for kind in RecognitionKind}
    queryset = (
        Recognition.objects.in_fiscal_year(year)
        .with_recipient()
        .order_by("designated_on", "pk")
    )
    for recognition in queryset:
        by_kind[recognition.kind].append(recognition)
    return by_kind


def historical_totals() -> QuerySet[HistoricalRecognitionTotal]:
    return HistoricalRecognitionTotal.objects.order_by("kind", "first_fiscal_year")
