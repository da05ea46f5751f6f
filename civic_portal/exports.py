"""Spreadsheet exports (CSV and Excel) that are safe to open in Excel.

CSV files are UTF-8 with a byte order mark, because Excel in Japan reads a
CSV without one as Shift_JIS. Every text cell that a spreadsheet would read
as a formula is neutralised (CSV injection), in CSV and in .xlsx alike.
Aware datetimes are written in Japan time without an offset, since Excel
has no time zones.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from civic_portal.fiscal import JAPAN

# A spreadsheet starts a formula at "=", "+", "-" or "@". A leading tab or
# carriage return can hide such a character from a quick look.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_FORMATS = ("csv", "xlsx")

Cell = str | int | float | bool | dt.date | dt.datetime | None


def neutralize_cell(value: Cell) -> Cell:
    """Prefix a text cell with an apostrophe when it would start a formula.

    Numbers, dates and booleans are returned unchanged: they are written
    as values, never read as formulas.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _japan_time(value: Cell) -> Cell:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(JAPAN).replace(tzinfo=None)
    return value


def _csv_text(value: Cell) -> str:
    value = _japan_time(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        # The words Excel reads back as booleans.
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """Write *header* and *rows* as UTF-8 CSV with a byte order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in _with_header(header, rows):
        writer.writerow([_csv_text(neutralize_cell(cell)) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_value(value: Cell) -> Cell:
    value = _japan_time(neutralize_cell(value))
    if isinstance(value, str):
        # openpyxl refuses control characters that XML 1.0 cannot contain.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def xlsx_bytes(
    header: Sequence[str], rows: Iterable[Sequence[Cell]], *, sheet_title: str
) -> bytes:
    """Write *header* and *rows* as an Excel workbook with one sheet."""
    workbook = Workbook(write_only=True)
    # Excel limits a sheet name to 31 characters.
    sheet: Any = workbook.create_sheet(title=sheet_title[:31])
    for row in _with_header(header, rows):
        sheet.append([_xlsx_value(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_header(
    header: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> Iterable[Sequence[Cell]]:
    yield [str(label) for label in header]
    yield from rows


def export_response(
    file_format: str,
    *,
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
) -> HttpResponse:
    """Return an attachment of *rows* in *file_format* ("csv" or "xlsx").

    *filename* has no extension; it is added for the format.
    """
    if file_format == "csv":
        content = csv_bytes(header, rows)
        content_type = CSV_CONTENT_TYPE
    elif file_format == "xlsx":
        content = xlsx_bytes(header, rows, sheet_title=filename)
        content_type = XLSX_CONTENT_TYPE
    else:
        raise ValueError(f"Unknown export format {file_format!r}; use csv or xlsx.")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response
