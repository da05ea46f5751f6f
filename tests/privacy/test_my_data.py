import io
import json
import zipfile

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import LineLink
from tests.factories import ApplicationFactory, ProbonoWorkerFactory, UserFactory

PAGES = ("privacy:my_data", "privacy:my_data_json", "privacy:my_data_csv")
FORMULA = '=HYPERLINK("http://127.0.0.1/")'


@pytest.fixture
def resident_data(resident, session, other_resident):
    ApplicationFactory(session=session, applicant=resident, message=FORMULA)
    ApplicationFactory(
        session=session, applicant=other_resident, message="other person's note"
    )
    LineLink.objects.create(user=resident, line_user_id="U" + "a" * 32)
    ProbonoWorkerFactory(user=resident, employer="山口デザイン株式会社")
    return resident


def _sections(response):
    return {
        (section["model"], section["kind"]): section
        for section in json.loads(response.content)["sections"]
    }


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", PAGES)
def test_responses_are_not_stored(signed_in, name):
    response = signed_in.get(reverse(name))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("name", PAGES)
def test_post_is_rejected(signed_in, name):
    response = signed_in.post(reverse(name))
    assert response.status_code == 405


def test_page_shows_own_data_only(signed_in, resident_data):
    response = signed_in.get(reverse("privacy:my_data"))
    body = response.content.decode()
    assert resident_data.email in body
    assert "U" + "a" * 32 in body
    assert "山口デザイン株式会社" in body
    assert "other person&#x27;s note" not in body
    assert "other@example.jp" not in body
    assert resident_data.password not in body


def test_json_contains_own_rows(signed_in, resident_data):
    response = signed_in.get(reverse("privacy:my_data_json"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    sections = _sections(response)
    account = sections[("accounts.User", "account")]
    assert account["rows"] == [
        {
            "email": resident_data.email,
            "email_confirmed": True,
            "last_login": account["rows"][0]["last_login"],
            "date_joined": account["rows"][0]["date_joined"],
        }
    ]
    applications = sections[("volunteering.Application", "applications")]
    assert [row["message"] for row in applications["rows"]] == [FORMULA]
    line = sections[("notifications.LineLink", "line")]
    assert line["rows"][0]["line_user_id"] == "U" + "a" * 32
    worker = sections[("probono.ProbonoWorker", "probono_worker")]
    assert worker["rows"][0]["employer"] == "山口デザイン株式会社"
    skills = sections[("probono.WorkerSkill", "probono_worker")]
    assert len(skills["rows"]) == 1
    assert sections[("groups.GroupMembership", "staff_roles")]["rows"] == []


def test_json_never_contains_password(signed_in, resident_data):
    response = signed_in.get(reverse("privacy:my_data_json"))
    assert resident_data.password not in response.content.decode()
    assert "other person's note" not in response.content.decode()


def test_zip_has_neutralised_csv(signed_in, resident_data):
    response = signed_in.get(reverse("privacy:my_data_csv"))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    application_csv = next(
        name for name in names if "volunteering.Application-" in name
    )
    content = archive.read(application_csv)
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "\r\n=HYPERLINK" not in text
    assert "," + FORMULA not in text
    assert len(names) == len(_sections(signed_in.get(reverse("privacy:my_data_json"))))


def test_queries_do_not_grow_with_rows(signed_in, resident):
    ApplicationFactory(applicant=resident)
    with CaptureQueriesContext(connection) as few:
        signed_in.get(reverse("privacy:my_data_json"))
    for _ in range(4):
        ApplicationFactory(applicant=resident)
    ProbonoWorkerFactory(user=resident, skill_keys=["it_web", "accounting"])
    with CaptureQueriesContext(connection) as many:
        response = signed_in.get(reverse("privacy:my_data_json"))
    sections = _sections(response)
    assert len(sections[("volunteering.Application", "applications")]["rows"]) == 5
    assert len(many.captured_queries) == len(few.captured_queries)


def test_page_queries_are_bounded(
    signed_in, resident_data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40):
        response = signed_in.get(reverse("privacy:my_data"))
    assert response.status_code == 200


def test_downloads_are_rate_limited(settings, signed_in):
    settings.RATE_LIMIT_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export": "2/3600"}
    cache.clear()
    statuses = [
        signed_in.get(reverse("privacy:my_data_json")).status_code,
        signed_in.get(reverse("privacy:my_data_csv")).status_code,
        signed_in.get(reverse("privacy:my_data_json")).status_code,
    ]
    page = signed_in.get(reverse("privacy:my_data"))
    cache.clear()
    assert statuses == [200, 200, 429]
    assert page.status_code == 200


def test_other_user_sees_only_their_own(client, resident_data):
    stranger = UserFactory(email="stranger@example.jp")
    client.force_login(stranger)
    response = client.get(reverse("privacy:my_data_json"))
    text = response.content.decode()
    assert "stranger@example.jp" in text
    assert resident_data.email not in text
    assert "U" + "a" * 32 not in text


@pytest.mark.parametrize("name", ["accounts:profile", "accounts:dashboard"])
def test_account_pages_link_to_data(signed_in, name):
    response = signed_in.get(reverse(name))
    assert reverse("privacy:my_data") in response.content.decode()
