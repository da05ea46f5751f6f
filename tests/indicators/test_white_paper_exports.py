"""White paper generation, its pages, downloads, permissions and API."""

import json
import re
from unittest import mock

import pytest
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation

from indicators import views_white_paper
from indicators.models import WhitePaperExport
from indicators.services import white_paper
from indicators.tasks import build_white_paper
from tests.factories import UserFactory, centre_staff

pytestmark = pytest.mark.django_db

YEAR = 2024
EXPORTS_TEMPLATE = (
    settings.BASE_DIR / "templates" / "indicators" / "white_paper" / "exports.html"
)
Status = WhitePaperExport.Status


@pytest.fixture
def prefectural_user():
    return centre_staff(UserFactory(email="pref@example.jp"), scope="prefecture")


@pytest.fixture
def municipal_user():
    return centre_staff(UserFactory(email="city@example.jp"), scope="municipal")


@pytest.fixture
def done_export(prefectural_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = white_paper.request_export(YEAR, prefectural_user)
    export.refresh_from_db()
    return export


def test_export_reaches_done(done_export):
    assert done_export.status == Status.DONE
    assert done_export.progress == 100
    assert done_export.step == WhitePaperExport.Step.FINISHED
    assert done_export.started_at is not None
    assert done_export.finished_at is not None
    assert done_export.error_message == ""
    assert done_export.pdf_file.read(5) == b"%PDF-"
    assert done_export.workbook_file.name.endswith(".xlsx")
    assert done_export.html_file.name.endswith(".html")


def test_export_records_each_step(prefectural_user):
    export = WhitePaperExport.objects.create(
        fiscal_year=YEAR, requested_by=prefectural_user
    )
    seen = []
    advance = white_paper._advance

    def record(export, progress, step, **fields):
        seen.append((progress, step))
        advance(export, progress, step, **fields)

    with mock.patch.object(white_paper, "_advance", side_effect=record):
        build_white_paper(export.pk)

    assert [step for _progress, step in seen] == [
        "gathering",
        "html",
        "pdf",
        "workbook",
        "finished",
    ]
    progress = [value for value, _step in seen]
    assert progress == sorted(progress)
    assert progress[-1] == 100


def test_export_failure_recorded(prefectural_user):
    export = WhitePaperExport.objects.create(
        fiscal_year=YEAR, requested_by=prefectural_user
    )

    with mock.patch.object(
        white_paper, "render_pdf", side_effect=OSError("no font found")
    ):
        result = build_white_paper(export.pk)
    export.refresh_from_db()

    assert result == Status.FAILED
    assert export.status == Status.FAILED
    assert export.step == WhitePaperExport.Step.PDF
    assert export.error_message == "OSError: no font found"
    assert export.finished_at is not None
    assert not export.pdf_file


def test_done_export_not_rebuilt(done_export):
    with mock.patch.object(white_paper, "gather") as gather:
        assert build_white_paper(done_export.pk) == Status.DONE

    gather.assert_not_called()


def test_document_page_has_main_landmark(client, prefectural_user):
    client.force_login(prefectural_user)

    response = client.get(reverse("indicators:white_paper", args=[2019]))

    html = response.content.decode()
    body = html[html.index("<body>") + len("<body>") : html.index("</body>")]
    assert html.count("<main>") == 1
    assert body.strip().startswith("<main>")
    assert body.strip().endswith("</main>")


def test_document_page_for_staff(client, prefectural_user):
    client.force_login(prefectural_user)

    response = client.get(reverse("indicators:white_paper", args=[2019]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "FY2019 (Reiwa 1)" in html
    assert 'id="pillar-1"' in html


def test_document_unknown_year_404(client, prefectural_user):
    client.force_login(prefectural_user)

    response = client.get(reverse("indicators:white_paper", args=[1990]))

    assert response.status_code == 404


@pytest.mark.parametrize(
    "name,args",
    [
        ("indicators:white_paper", [YEAR]),
        ("indicators:white_paper_exports", [YEAR]),
    ],
)
def test_pages_reject_other_users(client, municipal_user, name, args):
    url = reverse(name, args=args)

    anonymous = client.get(url)
    client.force_login(municipal_user)
    other = client.get(url)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    assert other.status_code == 403


def test_downloads_reject_other_users(client, municipal_user, done_export):
    urls = [
        reverse("indicators:white_paper_status", args=[done_export.pk]),
        reverse("indicators:white_paper_download", args=[done_export.pk, "pdf"]),
    ]
    for url in urls:
        anonymous = client.get(url)
        assert anonymous.status_code == 302
    client.force_login(municipal_user)
    for url in urls:
        assert client.get(url).status_code == 403


def test_post_starts_export(
    client, prefectural_user, django_capture_on_commit_callbacks
):
    client.force_login(prefectural_user)
    url = reverse("indicators:white_paper_exports", args=[YEAR])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    page = client.get(url)

    assert response.status_code == 302
    export = WhitePaperExport.objects.get()
    assert export.status == Status.DONE
    assert export.requested_by == prefectural_user
    html = page.content.decode()
    assert reverse("indicators:white_paper_download", args=[export.pk, "pdf"]) in html
    assert 'http-equiv="refresh"' not in html


def test_running_export_polls(client, prefectural_user):
    export = WhitePaperExport.objects.create(
        fiscal_year=YEAR, requested_by=prefectural_user, progress=35, step="pdf"
    )
    WhitePaperExport.objects.filter(pk=export.pk).update(status=Status.RUNNING)
    client.force_login(prefectural_user)

    page = client.get(reverse("indicators:white_paper_exports", args=[YEAR]))
    status = client.get(reverse("indicators:white_paper_status", args=[export.pk]))

    html = page.content.decode()
    assert 'http-equiv="refresh"' in html
    assert reverse("indicators:white_paper_status", args=[export.pk]) in html
    payload = json.loads(status.content)
    assert payload["status"] == "running"
    assert payload["progress"] == 35
    assert payload["finished"] is False
    assert payload["downloads"] == {}
    assert payload["status_text"] == "Writing the PDF…"
    assert "Writing the PDF…" in html
    assert static("js/white_paper_exports.js") in html


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)


@pytest.mark.parametrize("status", [Status.QUEUED, Status.RUNNING, Status.DONE])
def test_exports_page_has_no_inline_script(client, prefectural_user, status):
    WhitePaperExport.objects.create(
        fiscal_year=YEAR, requested_by=prefectural_user, status=status
    )
    client.force_login(prefectural_user)

    html = client.get(reverse("indicators:white_paper_exports", args=[YEAR]))

    text = html.content.decode()
    assert not INLINE_SCRIPT.search(text)
    assert " onclick=" not in text
    assert "javascript:" not in text


def test_exports_script_not_loaded_when_finished(client, done_export):
    client.force_login(done_export.requested_by)

    html = client.get(reverse("indicators:white_paper_exports", args=[YEAR]))

    assert static("js/white_paper_exports.js") not in html.content.decode()


def test_exports_script_reads_status_payload():
    script = (
        settings.BASE_DIR / "static" / "js" / "white_paper_exports.js"
    ).read_text()
    payload = views_white_paper.status_payload(
        WhitePaperExport.objects.create(
            fiscal_year=YEAR, status=Status.DONE, step="finished"
        )
    )

    for name in re.findall(r"data\.(\w+)", script):
        assert name in payload, name
    for name in re.findall(r'field\("(\w+)"\)', script):
        assert f'data-field="{name}"' in EXPORTS_TEMPLATE.read_text(), name


STATUS_TEXTS = [
    (Status.QUEUED, "waiting", "Waiting for a worker to start the export."),
    (Status.RUNNING, "gathering", "Gathering the figures…"),
    (
        Status.DONE,
        "finished",
        "Done. The PDF, the Excel workbook and the HTML are ready.",
    ),
    (Status.FAILED, "pdf", "The export failed while writing the PDF."),
    (Status.FAILED, "workbook", "The export failed while writing the Excel workbook."),
]


@pytest.mark.parametrize(("status", "step", "text"), STATUS_TEXTS)
def test_status_text_is_one_sentence(status, step, text):
    export = WhitePaperExport(fiscal_year=YEAR, status=status, step=step)

    assert export.status_text == text


def test_status_text_in_japanese():
    export = WhitePaperExport(fiscal_year=YEAR, status=Status.RUNNING, step="pdf")

    with translation.override("ja"):
        assert export.status_text == "PDFを作成しています…"


def test_failed_export_offers_retry(client, prefectural_user):
    WhitePaperExport.objects.create(
        fiscal_year=YEAR,
        requested_by=prefectural_user,
        status=Status.FAILED,
        error_message="OSError: no font found",
    )
    client.force_login(prefectural_user)

    page = client.get(reverse("indicators:white_paper_exports", args=[YEAR]))

    html = page.content.decode()
    assert "OSError: no font found" in html
    assert "Try again" in html


def test_download_serves_files(client, prefectural_user, done_export):
    client.force_login(prefectural_user)

    pdf = client.get(
        reverse("indicators:white_paper_download", args=[done_export.pk, "pdf"])
    )
    workbook = client.get(
        reverse("indicators:white_paper_download", args=[done_export.pk, "xlsx"])
    )
    unknown = client.get(
        reverse("indicators:white_paper_download", args=[done_export.pk, "exe"])
    )

    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    assert workbook.status_code == 200
    assert 'filename="white-paper-2024.xlsx"' in workbook["Content-Disposition"]
    assert unknown.status_code == 404


def test_api_tables_for_staff(client, prefectural_user):
    client.force_login(prefectural_user)

    response = client.get(f"/api/indicators/white-paper/{YEAR}/")

    assert response.status_code == 200
    data = response.json()
    assert data["fiscal_year_label"] == "FY2024 (Reiwa 6)"
    assert len(data["indicator_table"]["rows"]) == 6
    assert [section["pillar"] for section in data["sections"]] == [1, 2, 3]
    keys = [table["key"] for section in data["sections"] for table in section["tables"]]
    assert "volunteering_by_municipality" in keys
    baseline = data["indicator_table"]["rows"][0][3]
    assert baseline == 2445


def test_api_rejects_other_users(client, municipal_user):
    url = f"/api/indicators/white-paper/{YEAR}/"

    anonymous = client.get(url)
    client.force_login(municipal_user)
    other = client.get(url)

    assert anonymous.status_code in (401, 403)
    assert other.status_code == 403


def test_document_page_links_stylesheet(client, prefectural_user):
    client.force_login(prefectural_user)

    response = client.get(reverse("indicators:white_paper", args=[YEAR]))

    html = response.content.decode()
    assert static("css/white_paper.css") in html
    assert "<style" not in html
    assert ' style="' not in html


def test_stored_html_carries_stylesheet(done_export):
    html = done_export.html_file.read().decode()

    assert "<style>" in html
    assert "size: A4" in html
    assert static("css/white_paper.css") not in html


def test_html_download_is_attachment(client, done_export):
    client.force_login(done_export.requested_by)

    response = client.get(
        reverse("indicators:white_paper_download", args=[done_export.pk, "html"])
    )

    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="white-paper-2024.html"' in response["Content-Disposition"]
