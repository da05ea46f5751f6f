"""The CSV download for partner accounts and prefectural staff."""

import csv
import io

import pytest
from django.urls import reverse

from partner_links.models import ExportLog
from tests.factories import UserFactory, centre_staff
from tests.partner_links.factories import (
    EnrolmentFactory,
    PointsProgrammeFactory,
    days_ago,
    participation,
)

pytestmark = pytest.mark.django_db


def export_url(programme, since=None, until=None):
    url = reverse("partner_links:export", args=[programme.pk])
    if since is None:
        return url
    return f"{url}?since={since:%Y-%m-%d}&until={until:%Y-%m-%d}"


def read_csv(response) -> list[list[str]]:
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_partner_downloads_csv(client, programme, partner_user):
    enrolment = EnrolmentFactory(programme=programme, membership_id="00001234")
    attendance = participation(enrolment.resident, days_ago(3), hours="1.50")
    client.force_login(partner_user)

    response = client.get(export_url(programme, days_ago(10), days_ago(1)))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == [
        "record_id",
        "membership_id",
        "activity_date",
        "activity_title",
        "hours",
    ]
    assert rows[1] == [
        str(attendance.pk),
        "00001234",
        days_ago(3).isoformat(),
        attendance.application.post.title,
        "1.5",
    ]
    assert len(rows) == 2


def test_csv_neutralises_formulas(client, programme, partner_user):
    formula_programme = PointsProgrammeFactory(membership_id_pattern=r".+")
    formula_programme.partner_accounts.add(partner_user)
    enrolment = EnrolmentFactory(programme=formula_programme, membership_id="=1+1")
    attendance = participation(enrolment.resident, days_ago(3))
    post = attendance.application.post
    post.title = '=HYPERLINK("http://example.com","x")'
    post.save()
    client.force_login(partner_user)

    rows = read_csv(client.get(export_url(formula_programme, days_ago(5), days_ago(1))))

    assert rows[1][1] == "'=1+1"
    assert rows[1][3] == '\'=HYPERLINK("http://example.com","x")'


def test_export_logged(client, programme, partner_user):
    enrolment = EnrolmentFactory(programme=programme)
    participation(enrolment.resident, days_ago(3))
    participation(enrolment.resident, days_ago(2))
    client.force_login(partner_user)

    client.get(export_url(programme, days_ago(10), days_ago(1)))

    entry = ExportLog.objects.get()
    assert entry.programme == programme
    assert entry.exported_by == partner_user
    assert entry.channel == "csv"
    assert (entry.since, entry.until) == (days_ago(10), days_ago(1))
    assert entry.row_count == 2


def test_withdrawn_resident_left_out_of_csv(client, programme, partner_user):
    enrolment = EnrolmentFactory(programme=programme)
    participation(enrolment.resident, days_ago(3))
    client.force_login(partner_user)
    url = export_url(programme, days_ago(10), days_ago(1))
    assert len(read_csv(client.get(url))) == 2

    client.force_login(enrolment.resident)
    client.post(reverse("partner_links:enrolment_withdraw", args=[enrolment.pk]))
    client.force_login(partner_user)

    assert len(read_csv(client.get(url))) == 1


def test_prefectural_staff_download(client, programme):
    staff = centre_staff(UserFactory())
    client.force_login(staff)

    response = client.get(export_url(programme, days_ago(10), days_ago(1)))

    assert response.status_code == 200


def test_other_programme_partner_forbidden(client, programme, partner_user):
    other = PointsProgrammeFactory()
    client.force_login(partner_user)

    form = client.get(export_url(other))
    download = client.get(export_url(other, days_ago(10), days_ago(1)))

    assert form.status_code == 403
    assert download.status_code == 403
    assert not ExportLog.objects.exists()


@pytest.mark.parametrize("scope", ["municipal", None])
def test_resident_and_municipal_staff_forbidden(client, programme, scope):
    user = UserFactory()
    if scope:
        centre_staff(user, scope=scope)
    client.force_login(user)

    assert client.get(export_url(programme)).status_code == 403
    assert client.get(reverse("partner_links:partner_home")).status_code == 403


def test_reversed_range_rejected(client, programme, partner_user):
    client.force_login(partner_user)

    response = client.get(export_url(programme, days_ago(1), days_ago(10)))

    assert response.status_code == 400
    assert "after the last day" in response.content.decode()
    assert not ExportLog.objects.exists()


def test_csv_file_name_pads_early_year(client, programme, partner_user):
    client.force_login(partner_user)
    url = reverse("partner_links:export", args=[programme.pk])

    response = client.get(url, {"since": "0001-01-01", "until": "2026-03-31"})

    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert f"health-points-{programme.pk}-00010101-20260331.csv" in disposition


def test_invalid_date_rejected(client, programme, partner_user):
    client.force_login(partner_user)
    url = reverse("partner_links:export", args=[programme.pk])

    response = client.get(url, {"since": "2026-13-01", "until": "yesterday"})

    assert response.status_code == 400


def test_export_form_documents_columns(client, programme, partner_user):
    client.force_login(partner_user)

    content = client.get(export_url(programme)).content.decode()

    for column in ("record_id", "membership_id", "activity_date", "activity_title"):
        assert column in content


def test_csv_query_count(
    client, programme, partner_user, django_assert_max_num_queries
):
    for _ in range(5):
        enrolment = EnrolmentFactory(programme=programme)
        participation(enrolment.resident, days_ago(3))
        participation(enrolment.resident, days_ago(2))
    client.force_login(partner_user)
    url = export_url(programme, days_ago(10), days_ago(1))

    with django_assert_max_num_queries(10):
        response = client.get(url)

    assert len(read_csv(response)) == 11


def test_partner_home_lists_own_programmes(client, programme, partner_user):
    other = PointsProgrammeFactory(name="別の制度")
    client.force_login(partner_user)

    content = client.get(reverse("partner_links:partner_home")).content.decode()

    assert programme.name in content
    assert other.name not in content


def test_partner_makes_and_replaces_api_token(client, partner_user):
    from rest_framework.authtoken.models import Token

    client.force_login(partner_user)
    url = reverse("partner_links:partner_home")

    first = client.post(url)
    first_key = Token.objects.get(user=partner_user).key
    second = client.post(url)
    second_key = Token.objects.get(user=partner_user).key

    assert first_key in first.content.decode()
    assert second_key in second.content.decode()
    assert first_key != second_key
    assert first_key not in client.get(url).content.decode()


def test_staff_cannot_make_api_token(client, programme):
    client.force_login(centre_staff(UserFactory()))

    response = client.post(reverse("partner_links:partner_home"))

    assert response.status_code == 403


def test_partner_home_query_count(client, partner_user, django_assert_max_num_queries):
    for _ in range(6):
        PointsProgrammeFactory().partner_accounts.add(partner_user)
    client.force_login(partner_user)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("partner_links:partner_home"))

    assert response.content.decode().count("/export/") == 7
