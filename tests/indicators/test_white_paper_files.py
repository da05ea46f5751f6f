"""The white paper as HTML, PDF and Excel workbook."""

import io
import os
import re
import shutil
import subprocess
import sys
import zlib

import pytest
from django.conf import settings
from django.utils import translation
from openpyxl import load_workbook

from indicators.definitions import INDICATOR_KEYS
from indicators.services import white_paper
from tests.indicators.test_white_paper_service import (
    YEAR,
    make_other_parts,
    make_volunteering,
)

pytestmark = pytest.mark.django_db

# A4 in CSS pixels (96 per inch): 210 mm x 297 mm.
A4_WIDTH_PX = 210 / 25.4 * 96
A4_HEIGHT_PX = 297 / 25.4 * 96
# A4 in PDF points (72 per inch).
A4_MEDIA_BOX = (595.28, 841.89)

PDFTOTEXT = shutil.which("pdftotext")

STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
TEXT_ARRAY = re.compile(rb"\[(.*?)\]\s*TJ", re.S)
HEX_STRING = re.compile(rb"<([0-9a-fA-F]+)>")


def _streams(pdf: bytes) -> list[bytes]:
    streams = []
    for raw in STREAM.findall(pdf):
        try:
            streams.append(zlib.decompress(raw))
        except zlib.error:
            continue
    return streams


def pdf_text(pdf: bytes) -> str:
    """Extract the text of a WeasyPrint PDF, one line per text-showing operator.

    WeasyPrint writes each font's glyph codes with a ToUnicode map
    (bfchar entries of two-byte codes). The Noto CJK fonts number glyphs
    the same way in every weight, so the maps of all fonts are merged,
    and a code that maps to two characters fails the test.
    """
    streams = _streams(pdf)
    to_unicode: dict[bytes, str] = {}
    for stream in streams:
        if b"beginbfchar" not in stream:
            continue
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
            for code, text in BFCHAR.findall(block):
                character = bytes.fromhex(text.decode()).decode("utf-16-be")
                assert to_unicode.setdefault(code.lower(), character) == character
    lines = []
    for stream in streams:
        for array in TEXT_ARRAY.findall(stream):
            codes = b"".join(HEX_STRING.findall(array)).lower()
            glyphs = [codes[index : index + 4] for index in range(0, len(codes), 4)]
            lines.append("".join(to_unicode.get(glyph, "?") for glyph in glyphs))
    return "\n".join(lines)


@pytest.fixture
def paper():
    make_volunteering()
    make_other_parts()
    return white_paper.gather(YEAR)


def test_html_has_print_layout(paper):
    html = white_paper.render_html(paper)

    assert "FY2024 (Reiwa 6)" in html
    assert "size: A4" in html
    assert "break-before: page" in html
    assert "display: table-header-group" in html
    assert "<nav" not in html
    assert 'id="pillar-3"' in html


def test_pdf_contains_japanese_text():
    make_volunteering()
    with translation.override("ja"):
        html = white_paper.render_html(white_paper.gather(YEAR))
    pdf = white_paper.render_pdf(html)
    text = pdf_text(pdf)

    assert pdf.startswith(b"%PDF-")
    assert "2024（令和6）年度" in text
    assert "県民活動団体数" in text
    assert "山口市" in text
    assert "下関市" in text
    assert "?" not in text


def test_pdf_pages_are_a4(paper):
    pdf = white_paper.render_pdf(white_paper.render_html(paper))
    # Page dictionaries may sit in compressed object streams.
    objects = b"\n".join([pdf, *_streams(pdf)])
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", objects)

    assert boxes
    for width, height in boxes:
        assert float(width) == pytest.approx(A4_MEDIA_BOX[0], abs=0.5)
        assert float(height) == pytest.approx(A4_MEDIA_BOX[1], abs=0.5)


def test_pdf_tables_fit_page_width(paper):
    document = white_paper.render_document(white_paper.render_html(paper))

    assert len(document.pages) >= 4
    for page in document.pages:
        assert page.width == pytest.approx(A4_WIDTH_PX, abs=1)
        assert page.height == pytest.approx(A4_HEIGHT_PX, abs=1)
        for box in page._page_box.descendants():
            if getattr(box, "width", None) is None:
                continue
            right_edge = box.position_x + box.margin_width()
            assert right_edge <= page.width + 0.5, repr(box)


def test_workbook_has_sheet_per_table(paper):
    workbook = load_workbook(io.BytesIO(white_paper.render_workbook(paper)))

    assert len(workbook.sheetnames) == len(paper.tables)
    assert len(set(workbook.sheetnames)) == len(workbook.sheetnames)
    for name in workbook.sheetnames:
        assert len(name) <= 31


def test_workbook_has_each_indicators_table_by_year(paper):
    workbook = load_workbook(io.BytesIO(white_paper.render_workbook(paper)))
    series_tables = [table for table in paper.tables if table.key.startswith("series-")]

    assert len(series_tables) == len(paper.indicators) == 6
    for table in series_tables:
        assert table.columns[0] == "Fiscal year"
        assert table.rows[-1][0] == "FY2024 (Reiwa 6)"
    titles = [workbook[name]["B1"].value for name in workbook.sheetnames]
    assert all(table.title in titles for table in series_tables)


def test_workbook_writes_numbers(paper):
    workbook = load_workbook(io.BytesIO(white_paper.render_workbook(paper)))
    sheet = workbook["Volunteering by municipality"]
    header = [cell.value for cell in sheet[3]]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=4, values_only=True)}

    assert header == ["Municipality", "Posts published", "Applications", "Matches"]
    assert all(cell.font.bold for cell in sheet[3])
    assert rows["Total"] == (2, 4, 5)
    assert isinstance(rows["Total"][2], int)
    assert sheet.column_dimensions["A"].width >= 8
    assert sheet.freeze_panes == "A4"


def test_workbook_keeps_decimal_values(paper):
    workbook = load_workbook(io.BytesIO(white_paper.render_workbook(paper)))
    sheet = workbook[workbook.sheetnames[0]]
    values = [row for row in sheet.iter_rows(min_row=4, max_row=9, values_only=True)]
    share = values[1]

    assert len(values) == 6
    assert share[3] == pytest.approx(16.5)
    assert isinstance(share[3], float)


def test_workbook_neutralises_formulas():
    table = white_paper.Table(
        key="test", title="Test", columns=["A"], rows=[["=1+1"], ["@SUM(A1)"]]
    )
    paper = white_paper.WhitePaper(
        fiscal_year=YEAR,
        label="2024（令和6）年度",
        is_frozen=False,
        generated_at=None,
        indicators=[],
        indicator_table=table,
    )
    workbook = load_workbook(io.BytesIO(white_paper.render_workbook(paper)))
    sheet = workbook["Test"]

    assert sheet["A4"].value == "'=1+1"
    assert sheet["A5"].value == "'@SUM(A1)"


def test_pdf_loads_no_urls(tmp_path, caplog):
    stylesheet = tmp_path / "leak.css"
    stylesheet.write_text('body::before { content: "LEAKED"; }')
    html = (
        f'<html><head><link rel="stylesheet" href="file://{stylesheet}"></head>'
        "<body><p>本文</p></body></html>"
    )

    pdf = white_paper.render_pdf(html)

    assert pdf.startswith(b"%PDF-")
    assert "本文" in pdf_text(pdf)
    assert "LEAKED" not in pdf_text(pdf)
    assert "disallowed protocol" in caplog.text


def test_pdf_keeps_truncated_image_check():
    # A new process, so that this render is the one that imports WeasyPrint.
    script = (
        "import django; django.setup()\n"
        "from PIL import ImageFile\n"
        "from indicators.services import white_paper\n"
        "white_paper.render_pdf('<p>本文</p>')\n"
        "print(ImageFile.LOAD_TRUNCATED_IMAGES)\n"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "civic_portal.settings.test"}

    result = subprocess.run(  # noqa: S603 (a fixed script run by this Python)
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
        env=environment,
        timeout=120,
    )

    assert result.stdout.strip().splitlines()[-1] == "False"


def test_html_has_charts_per_indicator(paper):
    html = white_paper.render_html(paper)

    assert html.count("<svg ") == 2 * len(INDICATOR_KEYS)
    for key in INDICATOR_KEYS:
        assert f'id="progress-{key}"' in html, key
        assert f'id="series-{key}"' in html, key
        assert f'id="series-{key}-table"' in html, key
    assert 'font-family="&quot;Noto Sans CJK JP&quot;' in html


def test_html_series_covers_paper_years(paper):
    html = white_paper.render_html(paper)

    table = html[html.index('id="series-civic_groups-table"') :]
    table = table[: table.index("</table>")]
    assert "FY2018 (Heisei 30)" in table
    assert f"FY{YEAR} (Reiwa 6)" in table
    assert f"FY{YEAR + 1} " not in table


def poppler_text(pdf: bytes, folder) -> str:
    """Return the text of *pdf* as poppler's pdftotext lays it out.

    The SVG charts write one glyph per text operator, which pdf_text()
    would put on lines of their own, and pdftotext joins them again.
    """
    path = folder / "white-paper.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [PDFTOTEXT, "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout


@pytest.mark.skipif(PDFTOTEXT is None, reason="needs poppler-utils (pdftotext)")
def test_pdf_contains_chart_labels_in_japanese(tmp_path):
    make_volunteering()
    with translation.override("ja"):
        html = white_paper.render_html(white_paper.gather(YEAR))
    text = poppler_text(white_paper.render_pdf(html), tmp_path)

    # The labels of the series chart of the civic groups.
    assert "目標値 2,590" in text
    assert "基準値 2,445" in text
    assert "(団体)" in text
    # The label of every progress chart's target line.
    assert text.count("目標値（100%）") == len(INDICATOR_KEYS)
