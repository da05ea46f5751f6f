import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from civic_portal.exports import (
    csv_bytes,
    export_response,
    neutralize_cell,
    xlsx_bytes,
)
from civic_portal.fiscal import JAPAN

DANGEROUS = ["=1+2", "+81 83", "-3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_neutralize_formula_prefixes(value):
    assert neutralize_cell(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    ["山口", "083-123-4567", "a=b", "", None, -5, 3.5, True, dt.date(2024, 4, 1)],
)
def test_neutralize_leaves_safe_values(value):
    assert neutralize_cell(value) == value


def _read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_starts_with_bom():
    content = csv_bytes(["名前"], [["山口"]])
    assert content.startswith(b"\xef\xbb\xbf")
    assert _read_csv(content) == [["名前"], ["山口"]]


def test_csv_neutralizes_every_cell():
    content = csv_bytes(["=header"], [DANGEROUS])
    rows = _read_csv(content)
    assert rows[0] == ["'=header"]
    assert rows[1] == ["'" + value for value in DANGEROUS]


def test_csv_writes_values_plainly():
    moment = dt.datetime(2024, 3, 31, 15, 30, tzinfo=dt.UTC)
    content = csv_bytes(["a"], [[None, True, False, 7, dt.date(2024, 4, 1), moment]])
    assert _read_csv(content)[1] == [
        "",
        "TRUE",
        "FALSE",
        "7",
        "2024-04-01",
        "2024-04-01 00:30",
    ]


def test_xlsx_neutralizes_and_keeps_types():
    moment = dt.datetime(2024, 3, 31, 15, 30, tzinfo=dt.UTC)
    content = xlsx_bytes(
        ["名前", "式"],
        [["山口\x07", '=HYPERLINK("http://evil")', 12, moment]],
        sheet_title="groups",
    )
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("名前", "式")
    assert rows[1][0] == "山口"
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'
    assert rows[1][2] == 12
    assert rows[1][3] == moment.astimezone(JAPAN).replace(tzinfo=None)
    assert sheet.cell(row=2, column=2).data_type == "s"


def test_export_response_headers():
    response = export_response("csv", filename="groups", header=["a"], rows=[])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="groups.csv"'


def test_export_response_rejects_unknown_format():
    with pytest.raises(ValueError, match="pdf"):
        export_response("pdf", filename="groups", header=["a"], rows=[])
