"""Tests for the resident's hours page, hours reports and the PDF record."""

import datetime as dt
import shutil
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from civic_portal.accounts.models import User
from tests.factories import ApplicationFactory, UserFactory, VolunteerSessionFactory
from volunteering.models import Attendance

pytestmark = pytest.mark.django_db

LOGIN_PATH = "/accounts/login/"
MY_HOURS = "/volunteer/my/hours/"
HOURS_PDF = "/volunteer/my/hours.pdf"

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="needs poppler-utils (pdftotext, pdffonts)",
)


@pytest.fixture(autouse=True)
def english_and_login_url(client, settings):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    settings.LOGIN_URL = LOGIN_PATH


def past_session(days_ago: int = 2, **fields):
    starts = timezone.now() - dt.timedelta(days=days_ago)
    return VolunteerSessionFactory(
        starts_at=starts, ends_at=starts + dt.timedelta(hours=3), **fields
    )


def finished_application(user, **session_fields):
    return ApplicationFactory(applicant=user, session=past_session(**session_fields))


def confirm_hours(application, hours: str) -> Attendance:
    return Attendance.objects.create(
        application=application,
        status=Attendance.Status.CONFIRMED,
        hours=Decimal(hours),
        confirmed_at=timezone.now(),
    )


def submit(client, application, **data):
    fields = {f"hours-{application.pk}-{key}": value for key, value in data.items()}
    return client.post(
        reverse("volunteering:submit_hours", args=[application.pk]), fields
    )


@pytest.fixture
def student(db):
    return UserFactory(
        email="student@example.jp",
        full_name="山口 花子",
        occupation=User.Occupation.HIGH_SCHOOL_STUDENT,
        birth_date=dt.date(2009, 4, 1),
    )


def test_shows_history_and_total(client, resident):
    confirm_hours(finished_application(resident, post__title="海岸清掃"), "2.5")
    confirm_hours(finished_application(resident, post__title="竹林整備"), "3")
    client.force_login(resident)
    response = client.get(MY_HOURS)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["total"] == "5.5"
    assert "Total confirmed hours: 5.5" in html
    assert "海岸清掃" in html
    assert "竹林整備" in html
    assert "High-school volunteer certification" not in html


def test_no_show_and_cancelled_do_not_count(client, resident):
    no_show = finished_application(resident)
    Attendance.objects.create(application=no_show, status="no_show", hours=0)
    cancelled = finished_application(resident)
    confirm_hours(cancelled, "4")
    cancelled.status = "cancelled_by_staff"
    cancelled.save()
    client.force_login(resident)
    response = client.get(MY_HOURS)
    assert response.context["total"] == "0"
    assert list(response.context["history"]) == []


def test_student_sees_progress(client, student):
    confirm_hours(finished_application(student), "12.5")
    client.force_login(student)
    html = client.get(MY_HOURS).content.decode()
    assert "High-school volunteer certification" in html
    assert "12.5 of 100 hours" in html
    assert 'max="100" value="12.5"' in html
    assert "87.5 hours to go." in html
    assert "the prefectural board of education certifies" in html
    assert HOURS_PDF in html


def test_student_past_target(client, student, settings):
    settings.HIGH_SCHOOL_CERTIFICATION_HOURS = 10
    confirm_hours(finished_application(student), "12")
    client.force_login(student)
    html = client.get(MY_HOURS).content.decode()
    assert 'max="10" value="10"' in html
    assert "You have reached the hours needed." in html


def test_submit_own_hours(client, resident):
    application = finished_application(resident)
    client.force_login(resident)
    assert application in client.get(MY_HOURS).context["to_report"][0]
    response = submit(client, application, hours="2.5", note="片付けまで")
    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["Your hours were sent. The group will approve them."]
    attendance = Attendance.objects.get(application=application)
    assert attendance.status == Attendance.Status.SUBMITTED
    assert attendance.hours == Decimal("2.5")
    assert attendance.note == "片付けまで"
    page = client.get(MY_HOURS)
    assert page.context["to_report"] == []
    assert list(page.context["awaiting"]) == [attendance]
    assert page.context["total"] == "0"


@pytest.mark.parametrize(
    ("hours", "error"),
    [
        ("abc", "Enter a number."),
        ("0", "Ensure this value is greater than or equal to 0.25."),
        ("25", "Ensure this value is less than or equal to 24."),
        ("", "This field is required."),
    ],
)
def test_invalid_hours_keep_input(client, resident, hours, error):
    application = finished_application(resident)
    client.force_login(resident)
    response = submit(client, application, hours=hours, note="メモ")
    html = response.content.decode()
    assert response.status_code == 400
    assert error in html
    assert 'value="メモ"' in html
    summary = html.split('role="alert">')[1].split("</div>")[0]
    assert f'<a href="#id_hours-{application.pk}-hours">' in summary
    assert error in summary
    assert not Attendance.objects.exists()


def test_future_activity_is_rejected(client, resident):
    application = ApplicationFactory(applicant=resident)
    client.force_login(resident)
    response = submit(client, application, hours="2")
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["Hours can be reported after the activity."]
    assert not Attendance.objects.exists()


def test_recorded_attendance_is_rejected(client, resident):
    application = finished_application(resident)
    confirm_hours(application, "3")
    client.force_login(resident)
    response = submit(client, application, hours="5")
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["The group has already recorded your attendance."]
    assert Attendance.objects.get().hours == Decimal("3")


def test_other_resident_cannot_submit(client, resident, other_resident):
    application = finished_application(resident)
    client.force_login(other_resident)
    assert submit(client, application, hours="2").status_code == 404
    assert not Attendance.objects.exists()


def test_other_residents_hours_not_shown(client, resident, other_resident):
    confirm_hours(finished_application(resident, post__title="私の活動"), "3")
    client.force_login(other_resident)
    response = client.get(MY_HOURS)
    assert "私の活動" not in response.content.decode()
    assert response.context["total"] == "0"


def test_anonymous_goes_to_login(client):
    assert client.get(MY_HOURS).url == f"{LOGIN_PATH}?next={MY_HOURS}"
    assert client.get(HOURS_PDF).url == f"{LOGIN_PATH}?next={HOURS_PDF}"


def test_pdf_of_confirmed_hours(client, student):
    confirm_hours(finished_application(student, post__title="海岸清掃"), "2.5")
    client.force_login(student)
    response = client.get(HOURS_PDF)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="volunteer-hours-'
    )
    assert response.content.startswith(b"%PDF-")


@needs_poppler
def test_pdf_embeds_japanese_font(client, student):
    confirm_hours(finished_application(student, post__title="海岸清掃"), "2.5")
    client.force_login(student)

    response = client.get(HOURS_PDF)

    # pdffonts prints two header lines, then one line per font ending in
    # the columns emb, sub, uni, object number and generation.
    fonts = poppler("pdffonts", response.content).splitlines()[2:]
    assert fonts, "the PDF uses no font"
    for line in fonts:
        assert line.split()[-5] == "yes", f"font not embedded: {line}"
    assert any("Noto-Sans-CJK-JP" in line for line in fonts), fonts
    assert b"HeiseiKakuGo" not in response.content


@needs_poppler
def test_pdf_is_always_own(client, student, other_resident):
    confirm_hours(finished_application(student), "20")
    client.force_login(other_resident)
    response = client.get(HOURS_PDF, {"user": student.pk})
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "山口 花子" not in text
    assert "Total confirmed hours: 0" in text


@needs_poppler
def test_pdf_contents(student):
    from volunteering import selectors
    from volunteering.hours_record import build_hours_record

    application = finished_application(student, post__title="海岸清掃")
    confirm_hours(application, "2.5")
    pdf = build_hours_record(
        user=student,
        rows=list(selectors.hours_history(student)),
        total=selectors.confirmed_hours_total(student),
        issued_on=dt.date(2026, 12, 4),
    )
    text = pdf_text(pdf)
    day = timezone.localtime(application.session.starts_at).strftime("%Y-%m-%d")
    assert "山口 花子" in text
    assert "海岸清掃" in text
    assert application.post.group.name in text
    assert day in text
    assert "2.5" in text
    assert "Date issued: 2026-12-04" in text
    assert "The portal records hours only." in text


@needs_poppler
def test_pdf_escapes_markup_in_text(client):
    student = UserFactory(
        full_name="<b>山口</para>",
        occupation=User.Occupation.HIGH_SCHOOL_STUDENT,
    )
    application = finished_application(
        student,
        post__title='<img src="/etc/hostname"/>清掃 & 片付け',
        post__group__name="里山<の>会",
    )
    confirm_hours(application, "3")
    client.force_login(student)
    response = client.get(HOURS_PDF)
    assert response.status_code == 200
    # A table cell may wrap, so compare without spaces.
    text = pdf_text(response.content).replace(" ", "")
    assert "<b>山口</para>" in text
    assert '<imgsrc="/etc/hostname"/>清掃&片付け' in text
    assert "里山<の>会" in text


def poppler(tool: str, pdf: bytes, *args: str) -> str:
    """Run a poppler-utils command on a file of *pdf*, then *args*; return stdout."""
    executable = shutil.which(tool)
    assert executable is not None, f"{tool} not found; install poppler-utils"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "record.pdf"
        path.write_bytes(pdf)
        result = subprocess.run(  # noqa: S603 - arguments from the test
            [executable, str(path), *args],
            capture_output=True,
            text=True,
            check=True,
        )
    return result.stdout


def pdf_text(pdf: bytes) -> str:
    """Return the text of *pdf* as pdftotext extracts it, spaces collapsed."""
    return " ".join(poppler("pdftotext", pdf, "-").split())


MY_HOURS_QUERY_BOUND = 7  # session, user, total, three lists, staff nav link


@pytest.mark.parametrize("count", [1, 12])
def test_my_hours_queries_bounded(
    client, student, django_assert_max_num_queries, count
):
    for _number in range(count):
        confirm_hours(finished_application(student), "1")
        submitted = finished_application(student)
        Attendance.objects.create(
            application=submitted, status="submitted", hours=Decimal("2")
        )
        finished_application(student)
    client.force_login(student)
    with django_assert_max_num_queries(MY_HOURS_QUERY_BOUND):
        response = client.get(MY_HOURS)
    assert response.status_code == 200
    assert len(response.context["history"]) == count
    assert len(response.context["awaiting"]) == count
    assert len(response.context["to_report"]) == count
