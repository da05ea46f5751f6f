import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from groups.models import CivicGroup, Municipality, SupportCentre
from tests.factories import (
    CivicGroupFactory,
    GroupMembershipFactory,
    UserFactory,
    centre_staff,
)

pytestmark = pytest.mark.django_db

PRIVATE_CONTACT = {
    "contact_name": "秘密 連絡子",
    "contact_email": "private-contact@example.jp",
    "contact_phone": "083-999-0000",
}


def public_url(file_format: str) -> str:
    return reverse("groups:directory_export", args=[file_format])


def staff_url(file_format: str) -> str:
    return reverse("groups:centre_directory_export", args=[file_format])


def read_csv(response) -> list[list[str]]:
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def column(rows, label: str) -> list:
    index = list(rows[0]).index(label)
    return [row[index] for row in rows[1:]]


# Public export


def test_public_csv_lists_public_groups(client):
    CivicGroupFactory(name="公開の会")
    CivicGroupFactory(name="審査中", review_status=CivicGroup.ReviewStatus.PENDING)

    response = client.get(public_url("csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert column(read_csv(response), "Name") == ["公開の会"]


def test_public_xlsx_lists_public_groups(client):
    CivicGroupFactory(name="公開の会", member_count=12)

    response = client.get(public_url("xlsx"))

    rows = read_xlsx(response)
    assert column(rows, "Name") == ["公開の会"]
    assert column(rows, "Number of members") == [12]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_public_export_never_contains_private_contact(client, file_format):
    CivicGroupFactory(**PRIVATE_CONTACT)

    response = client.get(public_url(file_format))

    if file_format == "csv":
        cells = [cell for row in read_csv(response) for cell in row]
    else:
        cells = [cell for row in read_xlsx(response) for cell in row]
    for value in PRIVATE_CONTACT.values():
        assert value not in cells
    assert "Contact person" not in cells


def test_public_export_for_centre_staff_is_public_too(client):
    CivicGroupFactory(**PRIVATE_CONTACT)
    client.force_login(centre_staff(UserFactory()))

    rows = read_csv(client.get(public_url("csv")))

    assert "private-contact@example.jp" not in [cell for row in rows for cell in row]


def test_public_export_applies_filters(client):
    CivicGroupFactory(name="支援希望", wants_probono=True)
    CivicGroupFactory(name="希望なし")

    response = client.get(public_url("csv"), {"probono": "on"})

    assert column(read_csv(response), "Name") == ["支援希望"]


def test_public_export_rejects_invalid_filter(client):
    response = client.get(public_url("csv"), {"municipality": "nowhere"})

    assert response.status_code == 400


def test_export_unknown_format_404(client):
    response = client.get("/groups/export.pdf")

    assert response.status_code == 404


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_neutralises_formulas(client, file_format):
    CivicGroupFactory(
        name='=HYPERLINK("http://evil.example")',
        description="+1 だけの説明",
        representative="@代表",
        address="-3 丁目",
    )

    response = client.get(public_url(file_format))

    rows = read_csv(response) if file_format == "csv" else read_xlsx(response)
    assert column(rows, "Name") == ['\'=HYPERLINK("http://evil.example")']
    assert column(rows, "Description") == ["'+1 だけの説明"]
    assert column(rows, "Representative") == ["'@代表"]
    assert column(rows, "Address") == ["'-3 丁目"]


def test_export_headers_follow_language(japanese_client):
    CivicGroupFactory()

    rows = read_csv(japanese_client.get(public_url("csv")))

    assert "状況" in rows[0]  # "Status" in the Japanese catalog


@pytest.mark.parametrize("count", [1, 30])
def test_public_export_queries_bounded(client, django_assert_max_num_queries, count):
    for _ in range(count):
        CivicGroupFactory()

    with django_assert_max_num_queries(4):
        response = client.get(public_url("xlsx"))

    assert len(read_xlsx(response)) == count + 1


# Export with every field, for centre staff


def test_staff_export_includes_private_contact(client):
    CivicGroupFactory(name="公開の会", **PRIVATE_CONTACT)
    client.force_login(centre_staff(UserFactory()))

    rows = read_csv(client.get(staff_url("csv")))

    assert column(rows, "Contact e-mail address") == ["private-contact@example.jp"]
    assert column(rows, "Contact person") == ["秘密 連絡子"]


def test_staff_export_xlsx(client):
    CivicGroupFactory(**PRIVATE_CONTACT)
    client.force_login(centre_staff(UserFactory()))

    rows = read_xlsx(client.get(staff_url("xlsx")))

    assert column(rows, "Contact phone") == ["083-999-0000"]


def test_staff_export_of_municipal_centre(client):
    centre = SupportCentre.objects.filter(scope="municipal").order_by("pk").first()
    other = Municipality.objects.exclude(pk=centre.municipality_id).first()
    CivicGroupFactory(name="管内", municipality=centre.municipality)
    CivicGroupFactory(name="管外", municipality=other)
    client.force_login(centre_staff(UserFactory(), scope="municipal"))

    rows = read_csv(client.get(staff_url("csv")))

    assert column(rows, "Name") == ["管内"]


@pytest.mark.parametrize("viewer", ["resident", "group_staff"])
def test_staff_export_forbidden(client, viewer):
    group = CivicGroupFactory(**PRIVATE_CONTACT)
    user = UserFactory()
    if viewer == "group_staff":
        user = GroupMembershipFactory(group=group).user
    client.force_login(user)

    response = client.get(staff_url("csv"))

    assert response.status_code == 403
    assert b"private-contact@example.jp" not in response.content


def test_staff_export_needs_login(client):
    response = client.get(staff_url("csv"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("count", [1, 30])
def test_staff_export_queries_bounded(client, django_assert_max_num_queries, count):
    for _ in range(count):
        CivicGroupFactory()
    client.force_login(centre_staff(UserFactory()))

    with django_assert_max_num_queries(8):
        response = client.get(staff_url("csv"))

    assert len(read_csv(response)) == count + 1
