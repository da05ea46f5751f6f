"""Gather the figures of the white paper (県民活動白書) of one fiscal year.

The white paper opens with the six indicators (baseline, target, the
year's value, progress, on-track) and then has one section per policy
pillar. Each section lists its indicators and tables of figures drawn
from the other apps by database aggregates over the fiscal year in Japan
time. The HTML page, the PDF, the Excel workbook and the API all render
the WhitePaper that gather() returns, so they show the same numbers.

gather() runs a fixed number of queries, whatever the size of the data.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from PIL import ImageFile

from civic_portal.accounts.models import User
from civic_portal.exports import neutralize_cell
from civic_portal.fiscal import fiscal_year_bounds, fiscal_year_end, fiscal_year_label
from facilitation.models import (
    CaseStage,
    CaseStageChange,
    CollaborationCase,
    CollaborationExample,
    Recognition,
    RecognitionKind,
)
from groups.models import ActivityField, Event, GrantNotice, Municipality
from indicators.charts import progress_chart, series_chart
from indicators.definitions import PILLAR_LABELS
from indicators.formatting import COMPUTED, FROZEN, RECORDED, VALUE_BASIS_LABELS
from indicators.models import WhitePaperExport
from indicators.services.compute import matched_applications
from indicators.services.summary import (
    IndicatorYear,
    series_by_indicator,
    year_summary,
)
from probono.models import RequestState
from probono.services.statistics import (
    case_studies_published,
    requests_by_state,
)
from volunteering.models import Application, VolunteerPost

logger = logging.getLogger(__name__)

# A table cell: text, or a number that the workbook writes as a number.
Cell = str | int | Decimal | None


@dataclass(frozen=True)
class Table:
    """One table of the white paper, and one sheet of its workbook.

    `key` names the table in the API and, shortened, the workbook sheet.
    `number_columns` are the indexes of the columns that hold numbers.
    """

    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    number_columns: frozenset[int] = frozenset()
    note: str = ""


@dataclass(frozen=True)
class PillarSection:
    """The section of one policy pillar: its indicators and its tables."""

    pillar: int
    title: str
    indicators: list[IndicatorYear]
    tables: list[Table]


@dataclass(frozen=True)
class WhitePaper:
    """Every figure of the white paper of one fiscal year."""

    fiscal_year: int
    label: str
    is_frozen: bool
    generated_at: dt.datetime
    indicators: list[IndicatorYear]
    indicator_table: Table
    sections: list[PillarSection] = field(default_factory=list)
    # Each indicator's values from the first series year to this one, by key.
    series: dict[str, list[IndicatorYear]] = field(default_factory=dict)

    @property
    def tables(self) -> list[Table]:
        """Return every table in the order of the document.

        Each indicator's table by fiscal year, drawn under its charts in
        the document, follows the six-indicator table.
        """
        tables = [self.indicator_table]
        tables.extend(
            series_table(row, self.series.get(row.indicator.key) or [row])
            for row in self.indicators
        )
        for section in self.sections:
            tables.extend(section.tables)
        return tables


def basis_label(row: IndicatorYear) -> str:
    """Return where the year's value of *row* comes from, for its label."""
    if row.computed_value is not None:
        return str(VALUE_BASIS_LABELS[FROZEN if row.is_frozen else COMPUTED])
    if row.recorded_value is not None:
        return str(VALUE_BASIS_LABELS[RECORDED])
    return _("No data")


def actual_value(row: IndicatorYear) -> Decimal | None:
    """Return the year's value: computed (or frozen), else the recorded one."""
    if row.computed_value is not None:
        return row.computed_value
    return row.recorded_value


def on_track_label(row: IndicatorYear) -> str:
    """Return "On track", "Behind" or "Not assessed" for *row*."""
    if row.progress.on_track is None:
        return _("Not assessed")
    return _("On track") if row.progress.on_track else _("Behind")


def series_table(row: IndicatorYear, series: list[IndicatorYear]) -> Table:
    """Build one indicator's table by fiscal year, as its charts draw it."""
    indicator = row.indicator
    return Table(
        key=f"series-{indicator.key}",
        title=_("%(name)s by fiscal year (%(unit)s)")
        % {"name": indicator.name, "unit": indicator.unit_label},
        columns=[
            _("Fiscal year"),
            _("Value"),
            _("Value basis"),
            pgettext("indicator value basis", "Recorded value"),
        ],
        rows=[
            [
                fiscal_year_label(year.fiscal_year),
                year.computed_value,
                "—"
                if year.computed_value is None
                else str(VALUE_BASIS_LABELS[FROZEN if year.is_frozen else COMPUTED]),
                year.recorded_value,
            ]
            for year in series
        ],
        number_columns=frozenset({1, 3}),
    )


def indicator_table(rows: list[IndicatorYear]) -> Table:
    """Build the table of the six indicators of one year."""
    columns = [
        _("Indicator"),
        _("Pillar"),
        _("Unit"),
        _("Baseline"),
        _("Baseline period"),
        _("Target"),
        _("Target period"),
        _("Value"),
        _("Value basis"),
        _("Plan-period sum"),
        _("Progress (%)"),
        _("Change from baseline"),
        _("On track"),
    ]
    table_rows: list[list[Cell]] = []
    for row in rows:
        indicator = row.indicator
        table_rows.append(
            [
                indicator.name,
                indicator.policy_pillar,
                str(indicator.unit_label),
                indicator.baseline_value,
                indicator.baseline_period_label,
                indicator.target_value,
                indicator.target_period_label,
                actual_value(row),
                basis_label(row),
                row.plan_period_sum,
                row.progress.percent,
                row.progress.change_from_baseline,
                on_track_label(row),
            ]
        )
    return Table(
        key="indicators",
        title=_("The six indicators"),
        columns=columns,
        rows=table_rows,
        number_columns=frozenset({1, 3, 5, 7, 9, 10, 11}),
        note=_(
            "Progress and on-track use the computed or frozen value only. A "
            "recorded value comes from outside the portal and is shown for "
            "comparison."
        ),
    )


def _in_year(prefix: str, start: dt.datetime, end: dt.datetime) -> Q:
    return Q(**{f"{prefix}__gte": start, f"{prefix}__lt": end})


def _counts_by(queryset: QuerySet, key: str, total: str) -> dict[int, int]:
    """Group *queryset* by the foreign key *key* and return {pk: aggregate}."""
    aggregate = Count("pk") if total == "count" else Sum(total)
    rows = queryset.values(key).annotate(figure=aggregate).order_by()
    return {row[key]: row["figure"] or 0 for row in rows}


def _volunteering_rows(
    labels: Iterable[tuple[int, str]],
    posts: dict[int, int],
    applications: dict[int, int],
    matches: dict[int, int],
) -> list[list[Cell]]:
    """Build one row per label with any figure, then a row of totals."""
    rows: list[list[Cell]] = []
    for pk, label in labels:
        figures = [posts.get(pk, 0), applications.get(pk, 0), matches.get(pk, 0)]
        if any(figures):
            rows.append([label, *figures])
    rows.append(
        [
            _("Total"),
            sum(posts.values()),
            sum(applications.values()),
            sum(matches.values()),
        ]
    )
    return rows


def volunteering_tables(fiscal_year: int) -> list[Table]:
    """Count volunteer posts, applications and matches by municipality and field.

    A post counts in the year it was published, an application in the
    year it was made, and a match as the indicator counts it: people
    confirmed in the year and not cancelled by the year end.
    """
    start, end = fiscal_year_bounds(fiscal_year)
    posts = VolunteerPost.objects.filter(_in_year("published_at", start, end))
    applications = Application.objects.filter(_in_year("created_at", start, end))
    matches = matched_applications(fiscal_year)
    columns_after_label = [_("Posts published"), _("Applications"), _("Matches")]
    note = _(
        "Matches count people: a team application counts once per person confirmed."
    )
    municipalities = [
        (row.pk, row.localized_name) for row in Municipality.objects.order_by("code")
    ]
    fields = [
        (row.pk, row.localized_name) for row in ActivityField.objects.order_by("number")
    ]
    by_municipality = _volunteering_rows(
        municipalities,
        _counts_by(posts, "municipality", "count"),
        _counts_by(applications, "post__municipality", "count"),
        _counts_by(matches, "post__municipality", "party_size"),
    )
    by_field = _volunteering_rows(
        fields,
        _counts_by(posts, "activity_field", "count"),
        _counts_by(applications, "post__activity_field", "count"),
        _counts_by(matches, "post__activity_field", "party_size"),
    )
    return [
        Table(
            key="volunteering_by_municipality",
            title=_("Volunteering by municipality"),
            columns=[_("Municipality"), *columns_after_label],
            rows=by_municipality,
            number_columns=frozenset({1, 2, 3}),
            note=note,
        ),
        Table(
            key="volunteering_by_field",
            title=_("Volunteering by field of activity"),
            columns=[_("Field of activity"), *columns_after_label],
            rows=by_field,
            number_columns=frozenset({1, 2, 3}),
            note=note,
        ),
    ]


def events_table(fiscal_year: int) -> Table:
    """Count the published events that start in the year, by municipality."""
    start, end = fiscal_year_bounds(fiscal_year)
    events = Event.objects.filter(
        _in_year("starts_at", start, end), status=Event.Status.PUBLISHED
    )
    counts = _counts_by(events, "municipality", "count")
    rows: list[list[Cell]] = [
        [row.localized_name, counts[row.pk]]
        for row in Municipality.objects.order_by("code")
        if counts.get(row.pk)
    ]
    rows.append([_("Total"), sum(counts.values())])
    return Table(
        key="events_by_municipality",
        title=_("Events of civic groups by municipality"),
        columns=[_("Municipality"), _("Events")],
        rows=rows,
        number_columns=frozenset({1}),
        note=_("Published events that start in the fiscal year."),
    )


def grants_table(fiscal_year: int) -> Table:
    """Count the grant notices whose application deadline falls in the year."""
    start, end = fiscal_year_bounds(fiscal_year)
    counts = GrantNotice.objects.filter(_in_year("deadline", start, end)).aggregate(
        published=Count("pk", filter=Q(is_published=True)),
        with_amount=Count("pk", filter=Q(is_published=True, max_amount__isnull=False)),
        max_amount_sum=Sum("max_amount", filter=Q(is_published=True)),
    )
    return Table(
        key="grant_notices",
        title=_("Grant notices"),
        columns=[_("Figure"), _("Value")],
        rows=[
            [_("Published notices with a deadline in the year"), counts["published"]],
            [_("Of these, notices that state a maximum amount"), counts["with_amount"]],
            [
                _("Sum of the stated maximum amounts (yen)"),
                counts["max_amount_sum"] or 0,
            ],
        ],
        number_columns=frozenset({1}),
    )


def probono_tables(fiscal_year: int) -> list[Table]:
    """Tabulate pro bono requests by state at the year end, and case studies."""
    start, end = fiscal_year_bounds(fiscal_year)
    moment = min(timezone.now(), fiscal_year_end(fiscal_year))
    by_state = requests_by_state(moment)
    in_year, total = case_studies_published(start, min(timezone.now(), end))
    labels = dict(RequestState.choices)
    state_rows: list[list[Cell]] = [
        [str(labels[state]), count] for state, count in by_state.items()
    ]
    state_rows.append([_("Total"), sum(by_state.values())])
    return [
        Table(
            key="probono_requests_by_state",
            title=_("Pro bono support requests by state"),
            columns=[_("State"), _("Requests")],
            rows=state_rows,
            number_columns=frozenset({1}),
            note=_("Each request in the state it was in at the end of the year."),
        ),
        Table(
            key="probono_case_studies",
            title=_("Pro bono case studies"),
            columns=[_("Figure"), _("Case studies")],
            rows=[
                [_("Published in the year"), in_year],
                [_("Published by the end of the year"), total],
            ],
            number_columns=frozenset({1}),
            note=_("A case study that was taken down counts in neither figure."),
        ),
    ]


def collaboration_tables(fiscal_year: int) -> list[Table]:
    """Tabulate collaboration cases, published examples and recognitions."""
    start, end = fiscal_year_bounds(fiscal_year)
    opened = CollaborationCase.objects.filter(_in_year("created_at", start, end))
    reached = (
        CaseStageChange.objects.filter(_in_year("created_at", start, end))
        .values("to_stage")
        .annotate(cases=Count("case", distinct=True))
        .order_by()
    )
    reached_by_stage = {row["to_stage"]: row["cases"] for row in reached}
    case_rows: list[list[Cell]] = [[_("Cases opened in the year"), opened.count()]]
    for stage, label in CaseStage.choices:
        case_rows.append(
            [
                _("Cases that reached the stage %(stage)s in the year")
                % {"stage": label},
                reached_by_stage.get(stage, 0),
            ]
        )
    examples = CollaborationExample.objects.published().aggregate(
        in_year=Count("pk", filter=_in_year("published_at", start, end)),
        total=Count("pk", filter=Q(published_at__lt=end)),
    )
    recognitions = _counts_by_kind(Recognition.objects.filter(fiscal_year=fiscal_year))
    return [
        Table(
            key="collaboration_cases",
            title=_("Collaboration cases"),
            columns=[_("Figure"), _("Cases")],
            rows=case_rows,
            number_columns=frozenset({1}),
        ),
        Table(
            key="collaboration_examples",
            title=_("Published collaboration examples"),
            columns=[_("Figure"), _("Examples")],
            rows=[
                [_("Published in the year"), examples["in_year"]],
                [_("Published by the end of the year"), examples["total"]],
            ],
            number_columns=frozenset({1}),
            note=_(
                "An example whose consent was withdrawn is no longer published "
                "and counts in neither figure."
            ),
        ),
        Table(
            key="recognitions",
            title=_("Recognitions"),
            columns=[_("Kind"), _("Recognitions")],
            rows=[
                [str(label), recognitions.get(kind, 0)]
                for kind, label in RecognitionKind.choices
            ],
            number_columns=frozenset({1}),
            note=_("Awards and designations of the fiscal year."),
        ),
    ]


def _counts_by_kind(queryset: QuerySet[Recognition]) -> dict[str, int]:
    rows = queryset.values("kind").annotate(figure=Count("pk")).order_by()
    return {row["kind"]: row["figure"] for row in rows}


def pillar_tables(fiscal_year: int) -> dict[int, list[Table]]:
    """Return the tables of each policy pillar's section.

    Pillar 1 (understanding and participation) has the groups' events,
    pillar 2 (stronger groups) the grant notices and the pro bono bank,
    pillar 3 (collaboration) the matching site and the facilitators' work.
    """
    return {
        1: [events_table(fiscal_year)],
        2: [grants_table(fiscal_year), *probono_tables(fiscal_year)],
        3: [*volunteering_tables(fiscal_year), *collaboration_tables(fiscal_year)],
    }


def gather(fiscal_year: int) -> WhitePaper:
    """Gather every figure of the white paper of *fiscal_year*."""
    logger.info("Gathering the white paper figures of fiscal %s", fiscal_year)
    rows = year_summary(fiscal_year)
    tables = pillar_tables(fiscal_year)
    sections = [
        PillarSection(
            pillar=pillar,
            title=str(label),
            indicators=[row for row in rows if row.indicator.policy_pillar == pillar],
            tables=tables.get(pillar, []),
        )
        for pillar, label in PILLAR_LABELS.items()
    ]
    return WhitePaper(
        fiscal_year=fiscal_year,
        label=fiscal_year_label(fiscal_year),
        is_frozen=any(row.is_frozen for row in rows),
        generated_at=timezone.now(),
        indicators=rows,
        indicator_table=indicator_table(rows),
        sections=sections,
        series=series_by_indicator([row.indicator.key for row in rows], fiscal_year),
    )


def cell_as_json(value: Cell) -> str | int | float | None:
    """Return *value* for JSON: a Decimal as an int when whole, else a float."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        return float(value)
    return value


# Rendering: the same WhitePaper as an HTML document, a PDF and a workbook.

DOCUMENT_TEMPLATE = "indicators/white_paper/document.html"
# The document's stylesheet, a static file: print layout and phone layout.
DOCUMENT_CSS = "css/white_paper.css"
# Excel allows at most 31 characters in a sheet name, and none of these.
SHEET_NAME_LENGTH = 31
SHEET_NAME_FORBIDDEN = str.maketrans({character: " " for character in "[]:*?/\\"})
# Column widths in Excel's units (about one half-width character each).
MIN_COLUMN_WIDTH = 8
MAX_COLUMN_WIDTH = 60


@dataclass(frozen=True)
class IndicatorFigure:
    """An indicator's charts in the white paper, with the figures they draw."""

    row: IndicatorYear
    progress_svg: SafeString
    series_svg: SafeString
    series: list[IndicatorYear]


def indicator_figures(paper: WhitePaper) -> dict[str, IndicatorFigure]:
    """Draw each indicator's progress chart and yearly series chart, by key.

    An indicator whose series *paper* lacks gets a series of the paper's
    year alone.
    """
    figures = {}
    for row in paper.indicators:
        key = row.indicator.key
        series = paper.series.get(key) or [row]
        figures[key] = IndicatorFigure(
            row=row,
            progress_svg=progress_chart([row], f"progress-{key}", paper.label),
            series_svg=series_chart(row.indicator, series, f"series-{key}").svg,
            series=series,
        )
    return figures


def document_css() -> SafeString:
    """Return the white paper's stylesheet, to write into a standalone document."""
    path = finders.find(DOCUMENT_CSS)
    if not isinstance(path, str):
        raise ImproperlyConfigured(
            f"The white paper stylesheet {DOCUMENT_CSS} was not found in the "
            "static files. Check STATICFILES_DIRS."
        )
    css = Path(path).read_text(encoding="utf-8")
    # The stylesheet is the portal's own file. A <style> element ends only
    # at "</style", which the check below rejects, so the text is safe to
    # insert as it is.
    if "</style" in css.lower():
        raise ImproperlyConfigured(f"{DOCUMENT_CSS} must not contain </style.")
    return mark_safe(css)  # noqa: S308


def render_html(
    paper: WhitePaper, exports_url: str = "", standalone: bool = True
) -> str:
    """Render *paper* as a print-ready HTML document with its charts.

    A standalone document (the PDF's source and the stored HTML file)
    carries its stylesheet inline, because WeasyPrint loads no URLs and the
    file is read offline. The portal's page links the static stylesheet
    instead, because its Content Security Policy allows no inline styles.
    """
    figures = indicator_figures(paper)
    sections = [
        (section, [figures[row.indicator.key] for row in section.indicators])
        for section in paper.sections
    ]
    context = {
        "paper": paper,
        "sections": sections,
        "exports_url": exports_url,
        "inline_css": document_css() if standalone else None,
        "stylesheet": DOCUMENT_CSS,
    }
    return render_to_string(DOCUMENT_TEMPLATE, context)


def render_document(html: str) -> Any:
    """Lay out *html* on A4 pages with WeasyPrint and return its Document.

    The Japanese text needs a CJK font that fontconfig can find, such as
    Debian's fonts-noto-cjk. Without one WeasyPrint draws empty boxes.
    """
    html_class, fetcher_class = _weasyprint()
    # The document carries its CSS inline and needs no other resource, so
    # a URL in it can only come from data. No protocol is allowed, so the
    # worker never reads a local file or calls a server for it, and
    # WeasyPrint logs a warning and leaves the resource out.
    fetcher = fetcher_class(allowed_protocols=(), allow_redirects=False)
    return html_class(string=html, url_fetcher=fetcher).render()


def render_pdf(html: str) -> bytes:
    """Lay out *html* with render_document() and return the PDF."""
    pdf = render_document(html).write_pdf()
    if pdf is None:
        raise RuntimeError("WeasyPrint returned no PDF.")
    return bytes(pdf)


def _weasyprint() -> tuple[Any, Any]:
    """Import WeasyPrint's HTML and URLFetcher, keeping Pillow's image checks.

    WeasyPrint is imported here, not at the top, because it loads Pango
    when imported, so the rest of the portal still runs without Pango.
    WeasyPrint 70 sets PIL.ImageFile.LOAD_TRUNCATED_IMAGES for the whole
    process when imported, which would make the upload validators accept
    truncated images. The document has no images, so the flag is put back.
    """
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    ImageFile.LOAD_TRUNCATED_IMAGES = previous
    return HTML, URLFetcher


def _display_width(text: str) -> int:
    """Return the width of *text* in half-width characters."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _sheet_name(title: str, taken: set[str]) -> str:
    base = title.translate(SHEET_NAME_FORBIDDEN).strip()[:SHEET_NAME_LENGTH]
    name = base
    number = 2
    while name in taken:
        suffix = f" ({number})"
        name = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix
        number += 1
    taken.add(name)
    return name


def _workbook_cell(value: Cell) -> Any:
    if isinstance(value, str):
        return neutralize_cell(value)
    return value


def render_workbook(paper: WhitePaper) -> bytes:
    """Write every table of *paper* to its own sheet of one Excel workbook.

    Numbers are written as numbers, the header row is bold and frozen, and
    each column is as wide as its longest text, within limits.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    for table in paper.tables:
        sheet = workbook.create_sheet(_sheet_name(table.title, taken))
        sheet.append([paper.label, table.title])
        sheet.append([])
        sheet.append(list(table.columns))
        header_row = sheet.max_row
        for cell in sheet[header_row]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            sheet.append([_workbook_cell(value) for value in row])
        if table.note:
            sheet.append([])
            sheet.append([table.note])
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
        for index, column in enumerate(table.columns):
            texts = [str(column)] + [
                str(row[index]) for row in table.rows if row[index] is not None
            ]
            width = max(_display_width(text) for text in texts) + 2
            letter = get_column_letter(index + 1)
            sheet.column_dimensions[letter].width = min(
                max(width, MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Generation: a WhitePaperExport built step by step by a Celery task.

Step = WhitePaperExport.Step
Status = WhitePaperExport.Status


def request_export(fiscal_year: int, user: User) -> WhitePaperExport:
    """Record a request for the white paper of *fiscal_year* and queue its task.

    The task is queued when the transaction commits, so a worker always
    finds the row. Under the embedded default it runs inline right then.
    """
    from indicators.tasks import build_white_paper

    export = WhitePaperExport.objects.create(fiscal_year=fiscal_year, requested_by=user)
    logger.info(
        "White paper export %s of fiscal %s requested by user %s",
        export.pk,
        fiscal_year,
        user.pk,
    )
    transaction.on_commit(lambda: build_white_paper.delay(export.pk))
    return export


def _advance(export: WhitePaperExport, progress: int, step: str, **fields: Any) -> None:
    """Store the progress of *export* at once, so the status page can show it."""
    export.progress = progress
    export.step = step
    for name, value in fields.items():
        setattr(export, name, value)
    changed = ["progress", "step", *fields]
    WhitePaperExport.objects.filter(pk=export.pk).update(
        **{name: getattr(export, name) for name in changed}
    )


def _file_name(export: WhitePaperExport, extension: str) -> str:
    return f"white-paper-{export.fiscal_year}-{export.pk}.{extension}"


def build_export(export_id: int) -> WhitePaperExport:
    """Gather the figures and write the HTML, PDF and workbook of one export.

    Records the progress after each step. A failure is recorded on the
    export with its error and logged, and not raised, so that the page can
    offer a retry. An export that is done already is left as it is, so a
    redelivered task does no work twice.
    """
    export = WhitePaperExport.objects.get(pk=export_id)
    if export.status == Status.DONE:
        logger.info(
            "White paper export %s is done already, so it is skipped", export_id
        )
        return export
    logger.info(
        "White paper export %s of fiscal %s started", export.pk, export.fiscal_year
    )
    _advance(
        export,
        5,
        Step.GATHERING,
        status=Status.RUNNING,
        started_at=timezone.now(),
        error_message="",
    )
    try:
        with translation.override(settings.LANGUAGE_CODE):
            paper = gather(export.fiscal_year)
            _advance(export, 25, Step.HTML)
            html = render_html(paper)
            export.html_file.save(
                _file_name(export, "html"), ContentFile(html.encode()), save=False
            )
            _advance(export, 35, Step.PDF, html_file=export.html_file.name)
            pdf = render_pdf(html)
            export.pdf_file.save(
                _file_name(export, "pdf"), ContentFile(pdf), save=False
            )
            _advance(export, 80, Step.WORKBOOK, pdf_file=export.pdf_file.name)
            workbook = render_workbook(paper)
            export.workbook_file.save(
                _file_name(export, "xlsx"), ContentFile(workbook), save=False
            )
    except Exception as error:
        logger.exception(
            "White paper export %s of fiscal %s failed at step %s",
            export.pk,
            export.fiscal_year,
            export.step,
        )
        _advance(
            export,
            export.progress,
            export.step,
            status=Status.FAILED,
            error_message=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        return export
    _advance(
        export,
        100,
        Step.FINISHED,
        status=Status.DONE,
        workbook_file=export.workbook_file.name,
        finished_at=timezone.now(),
    )
    logger.info(
        "White paper export %s of fiscal %s done", export.pk, export.fiscal_year
    )
    return export
