"""Spreadsheet exports neutralise formulas.

Every CSV and Excel file the portal writes goes through
civic_portal.exports (export_response, csv_bytes, xlsx_bytes or
neutralize_cell). The scan below keeps it that way, and the table tests
each export view with a value that a spreadsheet would run as a formula.
Each app's own tests check the same on the fields of its exports.
"""

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.factories import CivicGroupFactory, UserFactory, centre_staff
from tests.probono.factories_case_studies import concierge_user

ROOT = Path(__file__).resolve().parent.parent.parent
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Code that writes spreadsheet cells without civic_portal.exports.
DIRECT_WRITERS = re.compile(r"csv\.(?:writer|DictWriter)\(|\bWorkbook\(")
# The white paper builds a styled workbook itself and neutralises each
# text cell with civic_portal.exports.neutralize_cell.
DIRECT_WRITERS_ALLOWED = {
    "civic_portal/exports.py",
    "indicators/services/white_paper.py",
}
SKIPPED_FOLDERS = {".venv", "tests", "benchmarks", "migrations", "node_modules"}
FORMULA_NAME = '=HYPERLINK("http://evil.example","open")'


def project_sources():
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if not SKIPPED_FOLDERS.intersection(relative.parts):
            yield relative.as_posix(), path


def test_no_export_bypasses_helper():
    direct = [
        name
        for name, path in project_sources()
        if DIRECT_WRITERS.search(path.read_text(encoding="utf-8"))
    ]

    assert sorted(direct) == sorted(DIRECT_WRITERS_ALLOWED)


def test_white_paper_neutralises_cells():
    source = (ROOT / "indicators/services/white_paper.py").read_text(encoding="utf-8")

    assert "neutralize_cell(" in source


def spreadsheet_cells(response) -> list[str]:
    content = b"".join(getattr(response, "streaming_content", [response.content]))
    if response["Content-Type"].startswith("text/csv"):
        rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
        return [cell for row in rows for cell in row]
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return [
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]


def assert_no_formula(cells: list[str]) -> None:
    formulas = [cell for cell in cells if cell.startswith(FORMULA_STARTS)]

    assert formulas == []


def prefectural_staff():
    return centre_staff(UserFactory(email="pref@example.jp"), scope="prefecture")


EXPORTS = [
    # (URL, query, user factory or None for anonymous)
    ("/groups/export.csv", {}, None),
    ("/groups/export.xlsx", {}, None),
    ("/centre/groups/export.csv", {}, prefectural_staff),
    ("/centre/groups/export.xlsx", {}, prefectural_staff),
    ("/probono/statistics/", {"format": "csv"}, concierge_user),
    ("/probono/statistics/", {"format": "xlsx"}, concierge_user),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "query", "make_user"),
    EXPORTS,
    ids=[f"{url}?{query}" for url, query, _ in EXPORTS],
)
def test_export_neutralises_formula(client, url, query, make_user):
    CivicGroupFactory(
        name=FORMULA_NAME,
        representative="@SUM(A1)",
        address="-1+1",
        description="+81 と書いた説明",
    )
    if make_user is not None:
        client.force_login(make_user())

    response = client.get(url, query)

    assert response.status_code == 200
    cells = spreadsheet_cells(response)
    assert_no_formula(cells)
    if url.startswith(("/groups/", "/centre/")):
        assert "'" + FORMULA_NAME in cells
