"""Uploads are checked by their content, not by their name or type.

Each upload path gets a text file (and a PDF) renamed to what the form
expects, with a matching Content-Type, and must reject it.
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.services.photos import clean_photo_file
from groups.models import CivicGroup
from tests.factories import UserFactory, VolunteerPostFactory
from volunteering.models import PostPhoto, PostReport

pytestmark = pytest.mark.django_db

TEXT = b"This is a plain text file, not a picture.\n"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
NOT_AN_IMAGE = "The file is not a JPEG, PNG, GIF or WebP image."


def renamed(content: bytes, name: str, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type)


@pytest.fixture
def post(group):
    return VolunteerPostFactory(group=group)


@pytest.fixture
def staff_client(client, group_staff):
    client.force_login(group_staff)
    return client


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (TEXT, "photo.jpg", "image/jpeg"),
        (TEXT, "photo.png", "image/png"),
        (PDF, "photo.webp", "image/webp"),
    ],
)
def test_post_photo_rejects_renamed_file(
    staff_client, post, content, name, content_type
):
    response = staff_client.post(
        reverse("volunteering:staff_photo_add", args=[post.pk]),
        {"image": renamed(content, name, content_type), "alt_text": "竹林"},
    )

    assert response.status_code == 200
    assert NOT_AN_IMAGE in response.content.decode()
    assert not PostPhoto.objects.exists()


def test_report_photo_rejects_renamed_file(staff_client, post):
    data = {
        "title": "活動報告",
        "body": "竹を100本切りました。",
        "session": "",
        "photos-TOTAL_FORMS": "1",
        "photos-INITIAL_FORMS": "0",
        "photos-MAX_NUM_FORMS": "6",
        "photos-0-image": renamed(TEXT, "report.jpg", "image/jpeg"),
        "photos-0-alt_text": "竹林",
    }

    response = staff_client.post(
        reverse("volunteering:staff_report_create", args=[post.pk]), data
    )

    assert response.status_code == 200
    assert NOT_AN_IMAGE in response.content.decode()
    assert not PostReport.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [(TEXT, "photo.jpg", "image/jpeg"), (PDF, "photo.png", "image/png")],
)
def test_campaign_photo_rejects_renamed_file(content, name, content_type):
    with pytest.raises(ValidationError) as caught:
        clean_photo_file(renamed(content, name, content_type))

    assert "image" in caught.value.message_dict


def test_group_import_rejects_renamed_pdf(client):
    client.force_login(
        UserFactory(email="admin@example.jp", is_staff=True, is_superuser=True)
    )

    response = client.post(
        reverse("admin:groups_civicgroup_import"),
        {"file": renamed(PDF, "groups.csv", "text/csv"), "encoding": "auto"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert "report" not in response.context
    assert CivicGroup.objects.count() == 0
