import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from groups.models import CivicGroup
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CSV = (
    "団体名,法人格,市町村,電話番号\n"
    "周南こども会,任意団体,周南市,０８３４－２２－１１１１\n"
    "存在しない市の会,任意団体,架空市,\n"
)
IMPORT_URL = "admin:groups_civicgroup_import"


@pytest.fixture
def admin_client(client):
    superuser = UserFactory(email="admin@example.jp", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    return client


def upload(encoding="cp932"):
    return SimpleUploadedFile("groups.csv", CSV.encode(encoding), "text/csv")


def test_changelist_links_to_import(admin_client):
    response = admin_client.get(reverse("admin:groups_civicgroup_changelist"))

    assert reverse(IMPORT_URL) in response.content.decode()


def test_dry_run_then_import(admin_client):
    url = reverse(IMPORT_URL)

    dry_run = admin_client.post(url, {"file": upload(), "encoding": "auto"})

    report = dry_run.context["report"]
    assert report.dry_run is True
    assert report.created == 1
    assert [error.line for error in report.errors] == [3]
    assert "架空市" in dry_run.content.decode()
    assert CivicGroup.objects.count() == 0

    imported = admin_client.post(url, {"confirm": "1"})

    assert imported.context["report"].dry_run is False
    assert imported.context["report"].created == 1
    group = CivicGroup.objects.get()
    assert group.public_phone == "0834-22-1111"


def test_confirm_without_dry_run_rejected(admin_client):
    response = admin_client.post(reverse(IMPORT_URL), {"confirm": "1"})

    assert response.status_code == 302
    assert CivicGroup.objects.count() == 0


def test_unreadable_file_shows_error(admin_client):
    response = admin_client.post(
        reverse(IMPORT_URL), {"file": upload(), "encoding": "utf-8"}
    )

    assert "not valid utf-8" in str(response.context["form"].errors["file"])
    assert "report" not in response.context


def test_non_staff_cannot_open_import(client, resident):
    client.force_login(resident)

    response = client.get(reverse(IMPORT_URL))

    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_staff_without_add_permission_forbidden(client):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse(IMPORT_URL))

    assert response.status_code == 403
