"""The rows behind each indicator's number, and its breakdown by municipality.

Every function here starts from the queryset that the indicator's count
uses in indicators.services.compute, so the rows listed and the number
shown come from one definition. The rows carry only what staff need to
check a figure: no e-mail addresses, and no names of residents or pro bono
workers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Model, Prefetch, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from civic_portal.exports import Cell
from civic_portal.fiscal import JAPAN
from groups.models import CivicGroup, Municipality
from indicators.services.compute import (
    all_participants,
    counted_civic_groups,
    covering_certifications,
    matched_applications,
    open_municipal_centres,
    registrants_by_year_end,
    reports_with_age_breakdown,
    young_participants,
    young_share_reached,
)
from probono.models import ProbonoWorker
from volunteering.models import Application

# Rows per export chunk: queryset.iterator() fetches this many at a time,
# so an export does not keep every model instance of a year in memory.
EXPORT_CHUNK_SIZE = 500


@dataclass(frozen=True)
class Column:
    """A column of the drill-down table and of its export."""

    label: Promise
    value: Callable[[Any], Cell]


@dataclass(frozen=True)
class RowSource:
    """The rows behind one indicator: their queryset and the columns shown.

    `rows(fiscal_year)` returns an ordered queryset with its related rows
    joined or prefetched, so listing a page runs a fixed number of queries.
    """

    key: str
    rows: Callable[[int], QuerySet[Any]]
    columns: tuple[Column, ...]
    row_label: Promise


def _japan_date(moment: dt.datetime | None) -> dt.date | None:
    if moment is None:
        return None
    return timezone.localtime(moment, JAPAN).date()


def _yes_no(value: bool) -> str:
    return str(_("Yes")) if value else str(_("No"))


# Civic groups ---------------------------------------------------------------


def civic_group_rows(fiscal_year: int) -> QuerySet[CivicGroup]:
    return (
        counted_civic_groups(fiscal_year)
        .select_related("municipality")
        .order_by("municipality__code", "name_kana", "name", "pk")
    )


CIVIC_GROUP_COLUMNS = (
    Column(_("Group ID"), lambda group: group.pk),
    Column(_("Name"), lambda group: group.name),
    Column(_("Legal form"), lambda group: group.get_legal_form_display()),
    Column(_("Municipality"), lambda group: group.municipality.localized_name),
    Column(_("Registered on"), lambda group: group.registered_on),
    Column(_("Status today"), lambda group: group.get_status_display()),
)


# Under-40 share --------------------------------------------------------------


def young_share_rows(fiscal_year: int) -> QuerySet[Any]:
    """Return the share's reports with their counts and whether each reaches 30%."""
    return (
        reports_with_age_breakdown(fiscal_year)
        .select_related("group__municipality")
        .annotate(
            young_count=young_participants(),
            participant_count=all_participants(),
            reaches_share=young_share_reached(),
        )
        .order_by("group__municipality__code", "group__name_kana", "pk")
    )


def _report_share(report: Any) -> Decimal:
    """Return a report's under-40 share in percent, for display."""
    share = Decimal(100 * report.young_count) / Decimal(report.participant_count)
    return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


YOUNG_SHARE_COLUMNS = (
    Column(_("Report ID"), lambda report: report.pk),
    Column(_("Group"), lambda report: report.group.name),
    Column(_("Municipality"), lambda report: report.group.municipality.localized_name),
    Column(_("Participants under 40"), lambda report: report.young_count),
    Column(_("All participants"), lambda report: report.participant_count),
    Column(_("Share under 40 (%)"), lambda report: float(_report_share(report))),
    Column(_("Reaches 30%"), lambda report: _yes_no(bool(report.reaches_share))),
)


# Municipalities with a centre -----------------------------------------------


def municipality_with_centre_rows(fiscal_year: int) -> QuerySet[Municipality]:
    """Return the municipalities counted, each with its open centres prefetched."""
    centres = open_municipal_centres(fiscal_year)
    return (
        Municipality.objects.filter(pk__in=centres.values("municipality"))
        .prefetch_related(
            Prefetch(
                "support_centres",
                queryset=centres.order_by("opened_on", "pk"),
                to_attr="open_centres",
            )
        )
        .order_by("code")
    )


def _centre_names(municipality: Any) -> str:
    return " / ".join(centre.localized_name for centre in municipality.open_centres)


def _centre_openings(municipality: Any) -> str:
    return " / ".join(
        f"{centre.opened_on:%Y-%m}" for centre in municipality.open_centres
    )


CENTRE_COLUMNS = (
    Column(_("Local-government code"), lambda municipality: municipality.code),
    Column(_("Municipality"), lambda municipality: municipality.localized_name),
    Column(_("Open municipal centres"), _centre_names),
    Column(_("Opening month"), _centre_openings),
)


# Certified NPOs --------------------------------------------------------------


def certified_group_rows(fiscal_year: int) -> QuerySet[CivicGroup]:
    """Return the groups counted, each with its covering certifications prefetched."""
    certifications = covering_certifications(fiscal_year)
    return (
        CivicGroup.objects.filter(pk__in=certifications.values("group"))
        .select_related("municipality")
        .prefetch_related(
            Prefetch(
                "certifications",
                queryset=certifications.order_by("certified_on", "pk"),
                to_attr="covering_certifications",
            )
        )
        .order_by("municipality__code", "name_kana", "name", "pk")
    )


def _one_or_joined(values: list[Any]) -> Cell:
    """Return a single value as it is, several as one text joined by " / ".

    A group has one covering certification unless the data has an error,
    so the cell is normally a date that Excel can sort.
    """
    if len(values) == 1:
        return values[0]
    return " / ".join(str(value) for value in values)


def _certification_kinds(group: Any) -> Cell:
    return _one_or_joined(
        [row.get_kind_display() for row in group.covering_certifications]
    )


def _certified_on(group: Any) -> Cell:
    return _one_or_joined([row.certified_on for row in group.covering_certifications])


def _expires_on(group: Any) -> Cell:
    return _one_or_joined([row.expires_on for row in group.covering_certifications])


CERTIFIED_COLUMNS = (
    Column(_("Group ID"), lambda group: group.pk),
    Column(_("Name"), lambda group: group.name),
    Column(_("Municipality"), lambda group: group.municipality.localized_name),
    Column(_("Certification"), _certification_kinds),
    Column(_("Certified on"), _certified_on),
    Column(_("Expires on"), _expires_on),
)


# Pro bono registrants -------------------------------------------------------


def registrant_rows(fiscal_year: int) -> QuerySet[ProbonoWorker]:
    return (
        registrants_by_year_end(fiscal_year)
        .select_related("municipality")
        .order_by("registered_at", "pk")
    )


def _residence(worker: Any) -> str:
    if not worker.lives_in_prefecture:
        return str(_("Outside the prefecture"))
    if worker.municipality is None:
        return str(_("In the prefecture, municipality not given"))
    return worker.municipality.localized_name


REGISTRANT_COLUMNS = (
    Column(_("Worker ID"), lambda worker: worker.pk),
    Column(_("Registered on"), lambda worker: _japan_date(worker.registered_at)),
    Column(_("Status today"), lambda worker: worker.get_status_display()),
    Column(_("Municipality of residence"), _residence),
)


# Volunteer matches -----------------------------------------------------------


def match_rows(fiscal_year: int) -> QuerySet[Application]:
    """Return the matched applications with post, group, municipality and session.

    The applicant is not joined, so the rows show no resident's name.
    """
    return (
        matched_applications(fiscal_year)
        .select_related("post__group", "post__municipality", "session")
        .order_by("confirmed_at", "pk")
    )


def _activity_date(application: Any) -> dt.date | None:
    if application.session is not None:
        return _japan_date(application.session.starts_at)
    return application.activity_date


MATCH_COLUMNS = (
    Column(_("Application ID"), lambda application: application.pk),
    Column(_("Volunteer post"), lambda application: application.post.title),
    Column(_("Group"), lambda application: application.post.group.name),
    Column(_("Activity date"), _activity_date),
    Column(
        _("Municipality"),
        lambda application: application.post.municipality.localized_name,
    ),
    Column(_("People"), lambda application: application.party_size),
    Column(
        _("Confirmed on"), lambda application: _japan_date(application.confirmed_at)
    ),
    Column(_("Status today"), lambda application: application.get_status_display()),
)


ROW_SOURCES: dict[str, RowSource] = {
    "civic_groups": RowSource(
        "civic_groups", civic_group_rows, CIVIC_GROUP_COLUMNS, _("groups")
    ),
    "young_majority_share": RowSource(
        "young_majority_share",
        young_share_rows,
        YOUNG_SHARE_COLUMNS,
        _("annual reports"),
    ),
    "municipalities_with_centre": RowSource(
        "municipalities_with_centre",
        municipality_with_centre_rows,
        CENTRE_COLUMNS,
        _("municipalities"),
    ),
    "certified_npos": RowSource(
        "certified_npos", certified_group_rows, CERTIFIED_COLUMNS, _("corporations")
    ),
    "probono_registrants": RowSource(
        "probono_registrants", registrant_rows, REGISTRANT_COLUMNS, _("registrants")
    ),
    "volunteer_matches": RowSource(
        "volunteer_matches", match_rows, MATCH_COLUMNS, _("matched applications")
    ),
}


def row_cells(source: RowSource, row: Model) -> list[Cell]:
    """Return the cells of one row in the order of the source's columns."""
    return [column.value(row) for column in source.columns]


def export_rows(source: RowSource, fiscal_year: int) -> Iterator[list[Cell]]:
    """Yield the cells of every row, fetching EXPORT_CHUNK_SIZE rows at a time."""
    for row in source.rows(fiscal_year).iterator(chunk_size=EXPORT_CHUNK_SIZE):
        yield row_cells(source, row)


@dataclass(frozen=True)
class RowsTotal:
    """Totals of the rows behind an indicator, to set beside its value.

    `rows` is the number of rows listed. `value` is the indicator's figure
    that the rows give, which is the number of rows or, for the matches,
    the people of the matched applications. The under-40 share has no such
    figure, so its `value` is None and `reaching` counts the reports that
    reach 30%.
    """

    rows: int
    value: Decimal | None
    reaching: int | None = None


def rows_total(key: str, fiscal_year: int) -> RowsTotal:
    """Add up the rows behind indicator *key* in *fiscal_year* in one query."""
    rows = ROW_SOURCES[key].rows(fiscal_year).order_by()
    if key == "volunteer_matches":
        totals = rows.aggregate(rows=Count("pk"), people=Sum("party_size"))
        return RowsTotal(totals["rows"], Decimal(totals["people"] or 0))
    if key == "young_majority_share":
        totals = rows.aggregate(
            rows=Count("pk"), reaching=Count("pk", filter=young_share_reached())
        )
        return RowsTotal(totals["rows"], None, totals["reaching"])
    count = rows.count()
    return RowsTotal(count, Decimal(count))


# Breakdown by municipality ---------------------------------------------------

# The indicators whose count splits by municipality: the group's, the
# centre's, the registrant's home and the volunteer post's municipality.
# The under-40 share is a ratio and is not split.
BREAKDOWN_KEYS: tuple[str, ...] = (
    "civic_groups",
    "municipalities_with_centre",
    "certified_npos",
    "probono_registrants",
    "volunteer_matches",
)

# Buckets of registrants who have no municipality in the prefecture.
NOT_GIVEN = "not_given"
OUTSIDE = "outside"

Bucket = int | str


def _counts(
    rows: QuerySet[Any], field: str, total: Count | Sum
) -> dict[Bucket, Decimal]:
    grouped = rows.order_by().values(field).annotate(total=total)
    return {row[field]: Decimal(row["total"] or 0) for row in grouped}


def _groups_by_municipality(fiscal_year: int) -> dict[Bucket, Decimal]:
    return _counts(counted_civic_groups(fiscal_year), "municipality", Count("pk"))


def _centres_by_municipality(fiscal_year: int) -> dict[Bucket, Decimal]:
    """Count 1 for each municipality with a centre, as the indicator counts it."""
    centres = _counts(open_municipal_centres(fiscal_year), "municipality", Count("pk"))
    return {municipality: Decimal(1) for municipality in centres}


def _certified_by_municipality(fiscal_year: int) -> dict[Bucket, Decimal]:
    return _counts(
        covering_certifications(fiscal_year),
        "group__municipality",
        Count("group", distinct=True),
    )


def _registrants_by_municipality(fiscal_year: int) -> dict[Bucket, Decimal]:
    """Count registrants by home municipality, with the two buckets for the rest."""
    grouped = (
        registrants_by_year_end(fiscal_year)
        .order_by()
        .values("lives_in_prefecture", "municipality")
        .annotate(total=Count("pk"))
    )
    counts: dict[Bucket, Decimal] = {}
    for row in grouped:
        if not row["lives_in_prefecture"]:
            bucket: Bucket = OUTSIDE
        elif row["municipality"] is None:
            bucket = NOT_GIVEN
        else:
            bucket = row["municipality"]
        counts[bucket] = counts.get(bucket, Decimal(0)) + row["total"]
    return counts


def _matches_by_municipality(fiscal_year: int) -> dict[Bucket, Decimal]:
    return _counts(
        matched_applications(fiscal_year), "post__municipality", Sum("party_size")
    )


BREAKDOWNS: dict[str, Callable[[int], dict[Bucket, Decimal]]] = {
    "civic_groups": _groups_by_municipality,
    "municipalities_with_centre": _centres_by_municipality,
    "certified_npos": _certified_by_municipality,
    "probono_registrants": _registrants_by_municipality,
    "volunteer_matches": _matches_by_municipality,
}


@dataclass(frozen=True)
class BreakdownRow:
    """One municipality, or a bucket for registrants without one, by indicator.

    `values[key]` is None for an indicator that the row does not apply to.
    """

    label: str
    municipality: Municipality | None
    values: dict[str, Decimal | None]


@dataclass(frozen=True)
class MunicipalityBreakdown:
    """The counts of BREAKDOWN_KEYS in each municipality, with their totals."""

    fiscal_year: int
    rows: list[BreakdownRow]
    totals: dict[str, Decimal]


def municipality_breakdown(fiscal_year: int) -> MunicipalityBreakdown:
    """Split the counts of *fiscal_year* by municipality, one query per indicator.

    Every municipality of the prefecture has a row, zeros included. The
    registrants add two rows: people in the prefecture who gave no
    municipality (deleted registrations among them) and people outside it.
    Each column adds up to the indicator's computed value.
    """
    counts = {key: BREAKDOWNS[key](fiscal_year) for key in BREAKDOWN_KEYS}
    rows = [
        BreakdownRow(
            label=municipality.localized_name,
            municipality=municipality,
            values={
                key: counts[key].get(municipality.pk, Decimal(0))
                for key in BREAKDOWN_KEYS
            },
        )
        for municipality in Municipality.objects.order_by("code")
    ]
    extra_labels = {
        NOT_GIVEN: _("Registrants in the prefecture, municipality not given"),
        OUTSIDE: _("Registrants outside the prefecture"),
    }
    for bucket, label in extra_labels.items():
        values: dict[str, Decimal | None] = dict.fromkeys(BREAKDOWN_KEYS)
        values["probono_registrants"] = counts["probono_registrants"].get(
            bucket, Decimal(0)
        )
        rows.append(BreakdownRow(label=str(label), municipality=None, values=values))
    totals = {key: sum(counts[key].values(), Decimal(0)) for key in BREAKDOWN_KEYS}
    return MunicipalityBreakdown(fiscal_year=fiscal_year, rows=rows, totals=totals)
