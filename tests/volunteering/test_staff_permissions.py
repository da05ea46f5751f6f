"""Staff of another group, and residents, get 404 on every staff page."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from tests.factories import (
    ApplicationFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)
from volunteering.models import Attendance, PostPhoto, PostReport
from volunteering.permissions import applicant_for_staff


def png_file(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def objects(post, session):
    past = VolunteerSessionFactory(
        post=post,
        starts_at=timezone.now() - dt.timedelta(days=1),
        ends_at=timezone.now() - dt.timedelta(hours=21),
    )
    application = ApplicationFactory(session=past)
    attendance = Attendance.objects.create(
        application=application, status="submitted", hours=Decimal("3")
    )
    year_round = VolunteerPostFactory(group=post.group, kind="year_round")
    ApplicationFactory(
        session=None,
        post=year_round,
        activity_date=timezone.localdate() - dt.timedelta(days=1),
    )
    photo = PostPhoto.objects.create(post=post, image=png_file(), alt_text="竹林")
    report = PostReport.objects.create(post=post, title="報告", body="本文")
    return {
        "post": post.pk,
        "year_round_post": year_round.pk,
        "session": session.pk,
        "past_session": past.pk,
        "application": application.pk,
        "attendance": attendance.pk,
        "photo": photo.pk,
        "report": report.pk,
    }


# A day page loads for any date, so a fixed one serves the table, which is
# built at import time.
ACTIVITY_DAY = "2026-01-15"

# (URL name, key of the object in `objects`, extra URL arguments, method)
STAFF_URLS = [
    ("staff_post_detail", "post", [], "get"),
    ("staff_post_edit", "post", [], "get"),
    ("staff_post_edit", "post", [], "post"),
    ("staff_post_status", "post", [], "post"),
    ("staff_post_history", "post", [], "get"),
    ("staff_photo_add", "post", [], "post"),
    ("staff_photo_delete", "photo", [], "post"),
    ("staff_session_create", "post", [], "get"),
    ("staff_session_series", "post", [], "get"),
    ("staff_session_edit", "session", [], "get"),
    ("staff_session_edit", "session", [], "post"),
    ("staff_session_delete", "session", [], "post"),
    ("staff_session_call", "session", [], "post"),
    ("post_applications", "post", [], "get"),
    ("staff_session_applications", "past_session", [], "get"),
    ("staff_application_decide", "application", ["accept"], "post"),
    ("staff_application_decide", "application", ["decline"], "post"),
    ("staff_application_decide", "application", ["cancel"], "post"),
    ("staff_session_attendance", "past_session", [], "get"),
    ("staff_session_attendance", "past_session", [], "post"),
    ("staff_attendance_confirm_planned", "past_session", [], "post"),
    ("staff_attendance_approve", "attendance", [], "post"),
    ("staff_attendance_days", "year_round_post", [], "get"),
    ("staff_day_attendance", "year_round_post", [ACTIVITY_DAY], "get"),
    ("staff_day_attendance", "year_round_post", [ACTIVITY_DAY], "post"),
    ("staff_day_attendance_confirm", "year_round_post", [ACTIVITY_DAY], "post"),
    ("staff_report_create", "post", [], "get"),
    ("staff_report_delete", "report", [], "post"),
]


def _url(objects, name, key, extra):
    return reverse(f"volunteering:{name}", args=[objects[key], *extra])


@pytest.mark.parametrize(("name", "key", "extra", "method"), STAFF_URLS)
def test_other_group_staff_gets_404(
    client, objects, other_group_staff, name, key, extra, method
):
    client.force_login(other_group_staff)
    response = getattr(client, method)(
        _url(objects, name, key, extra), {"reason": "x", "action": "close"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "key", "extra", "method"), STAFF_URLS)
def test_resident_gets_404(client, objects, resident, name, key, extra, method):
    client.force_login(resident)
    response = getattr(client, method)(_url(objects, name, key, extra))
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "key", "extra", "method"), STAFF_URLS)
def test_anonymous_redirected_to_login(
    client, settings, objects, name, key, extra, method
):
    settings.LOGIN_URL = "/accounts/login/"
    url = _url(objects, name, key, extra)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_outsider_changes_nothing(client, objects, other_group_staff):
    client.force_login(other_group_staff)
    for name, key, extra, method in STAFF_URLS:
        if method == "post":
            client.post(_url(objects, name, key, extra), {"reason": "x"})
    assert PostPhoto.objects.filter(pk=objects["photo"]).exists()
    assert PostReport.objects.filter(pk=objects["report"]).exists()
    attendance = Attendance.objects.get(pk=objects["attendance"])
    assert attendance.status == "submitted"


def test_applicant_contact_hidden_from_outsider(
    client, objects, other_group_staff, group_staff
):
    client.force_login(other_group_staff)
    response = client.get(
        reverse("volunteering:post_applications", args=[objects["post"]])
    )
    assert response.status_code == 404
    assert b"@example.jp" not in response.content

    client.force_login(group_staff)
    response = client.get(
        reverse("volunteering:post_applications", args=[objects["post"]])
    )
    assert response.status_code == 200
    assert b"resident" in response.content


GET_URLS = sorted(
    {(name, key, tuple(extra)) for name, key, extra, m in STAFF_URLS if m == "get"}
)


@pytest.mark.parametrize(("name", "key", "extra"), GET_URLS)
def test_group_staff_gets_page(client, objects, group_staff, name, key, extra):
    client.force_login(group_staff)
    response = client.get(_url(objects, name, key, extra))
    assert response.status_code == 200


@pytest.mark.parametrize("status", ["draft", "scheduled", "published", "closed"])
def test_post_detail_renders_each_status(client, post, group_staff, status):
    post.status = status
    post.publish_at = timezone.now() + dt.timedelta(days=1)
    post.save()
    client.force_login(group_staff)
    response = client.get(reverse("volunteering:staff_post_detail", args=[post.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "status",
    [
        "pending",
        "waitlisted",
        "declined",
        "cancelled_by_volunteer",
        "cancelled_by_staff",
    ],
)
def test_applicant_for_staff_hides_contact(session, status):
    applicant = UserFactory(full_name="周南 一郎", phone="083-000-0000")
    application = ApplicationFactory(
        session=session, applicant=applicant, status=status
    )
    visible = applicant_for_staff(application)
    assert visible.name == "周南 一郎"
    assert visible.email is None
    assert visible.phone is None
    assert not visible.shows_contact


def test_applicant_for_staff_confirmed_contact(session):
    applicant = UserFactory(full_name="周南 一郎", phone="083-000-0000")
    application = ApplicationFactory(session=session, applicant=applicant)
    visible = applicant_for_staff(application)
    assert visible.name == "周南 一郎"
    assert visible.email == applicant.email
    assert visible.phone == "083-000-0000"
    assert visible.shows_contact


def test_applicant_for_staff_unnamed(session):
    applicant = UserFactory(email="unnamed@example.jp", full_name="")
    pending = ApplicationFactory(session=session, applicant=applicant, status="pending")
    with translation.override("en"):
        assert applicant_for_staff(pending).name == "(no name given)"
    pending.status = "confirmed"
    assert applicant_for_staff(pending).name == "unnamed@example.jp"
