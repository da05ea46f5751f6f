import re
import shutil
import subprocess

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from groups.models import Event
from tests.factories import (
    ApplicationFactory,
    CivicGroupFactory,
    EventFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
    centre_staff,
)
from volunteering.models import VolunteerPost

pytestmark = pytest.mark.django_db

SITE = "https://portal.example.jp"

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="needs poppler-utils (pdftotext, pdftoppm)",
)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def poppler(tool: str, *args: str) -> str:
    """Run a poppler-utils command and return what it printed."""
    executable = shutil.which(tool)
    assert executable is not None, f"{tool} not found; install poppler-utils"
    result = subprocess.run(  # noqa: S603 - arguments from the test
        [executable, *args], capture_output=True, text=True, check=True
    )
    return result.stdout


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "flyer.pdf"
    path.write_bytes(pdf)
    return poppler("pdftotext", "-layout", str(path), "-")


def pdf_info(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "flyer.pdf"
    path.write_bytes(pdf)
    return poppler("pdfinfo", str(path))


def pdf_page_image(pdf: bytes, tmp_path) -> Image.Image:
    """Rasterise the first page of *pdf* at 150 dpi, as a camera might see it."""
    path = tmp_path / "flyer.pdf"
    path.write_bytes(pdf)
    prefix = tmp_path / "page"
    poppler(
        "pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(path), str(prefix)
    )
    (page,) = tmp_path.glob("page*.png")
    return Image.open(page)


def decoded_qr_codes(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


@needs_poppler
def test_post_flyer_pdf(client, group_staff, post, tmp_path):
    VolunteerSessionFactory(post=post)
    client.force_login(group_staff)

    response = client.get(reverse("outreach:post_flyer_pdf", args=[post.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "竹林の間伐ボランティア" in text
    assert post.group.name in text
    info = pdf_info(response.content, tmp_path)
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    assert "(A4)" in info, info


@needs_poppler
def test_post_flyer_qr_decodes(client, group_staff, post, tmp_path):
    client.force_login(group_staff)

    response = client.get(reverse("outreach:post_flyer_pdf", args=[post.pk]))

    image = pdf_page_image(response.content, tmp_path)
    assert decoded_qr_codes(image) == [f"{SITE}/volunteer/posts/{post.pk}/"]


@needs_poppler
def test_event_flyer_qr_decodes(client, tmp_path):
    event = EventFactory(title="里山の秋まつり")
    staff = UserFactory()
    event.group.memberships.create(user=staff, role="admin")
    client.force_login(staff)

    response = client.get(reverse("outreach:event_flyer_pdf", args=[event.pk]))

    assert response.status_code == 200
    assert "里山の秋まつり" in pdf_text(response.content, tmp_path)
    image = pdf_page_image(response.content, tmp_path)
    assert decoded_qr_codes(image) == [f"{SITE}/events/{event.pk}/"]


def test_flyer_html_view(client, group_staff, post):
    client.force_login(group_staff)

    response = client.get(reverse("outreach:post_flyer", args=[post.pk]))
    content = response.content.decode()

    assert response.status_code == 200
    assert "竹林の間伐ボランティア" in content
    assert "<svg" in content
    assert f"{SITE}/volunteer/posts/{post.pk}/" in content
    assert reverse("outreach:post_flyer_pdf", args=[post.pk]) in content
    assert "style=" not in content
    assert "<script>" not in content


def test_flyer_stylesheet_served(client):
    response = client.get(reverse("outreach:flyer_css"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert b"size: A4" in response.content


def test_flyer_needs_login(client, post):
    response = client.get(reverse("outreach:post_flyer", args=[post.pk]))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_public_post_flyer_forbidden_to_resident(client, resident, post):
    client.force_login(resident)

    for name in ("outreach:post_flyer", "outreach:post_flyer_pdf"):
        response = client.get(reverse(name, args=[post.pk]))
        assert response.status_code == 403, name


def test_public_post_flyer_allowed_to_centre(client, resident, post):
    client.force_login(centre_staff(resident))

    response = client.get(reverse("outreach:post_flyer", args=[post.pk]))

    assert response.status_code == 200


def test_draft_post_flyer_hidden_from_centre(client, resident, post):
    post.status = VolunteerPost.Status.DRAFT
    post.save()
    client.force_login(centre_staff(resident))

    for name in ("outreach:post_flyer", "outreach:post_flyer_pdf"):
        response = client.get(reverse(name, args=[post.pk]))
        assert response.status_code == 404, name


@pytest.mark.parametrize(
    "status",
    [
        VolunteerPost.Status.DRAFT,
        VolunteerPost.Status.SCHEDULED,
        VolunteerPost.Status.CLOSED,
    ],
)
def test_unpublished_post_flyer_rejected(client, group_staff, post, status):
    post.status = status
    post.save()
    client.force_login(group_staff)

    for name in ("outreach:post_flyer", "outreach:post_flyer_pdf"):
        response = client.get(reverse(name, args=[post.pk]))
        content = response.content.decode()
        assert response.status_code == 403, name
        assert response["Content-Type"].startswith("text/html"), name
        assert "Flyers exist only for public posts and events" in content, name
        assert post.get_status_display() in content, name
        assert reverse("volunteering:post_detail", args=[post.pk]) in content, name


def test_post_flyer_rejection_japanese(japanese_client, group_staff, post):
    post.status = VolunteerPost.Status.DRAFT
    post.save()
    japanese_client.force_login(group_staff)

    response = japanese_client.get(reverse("outreach:post_flyer", args=[post.pk]))

    assert response.status_code == 403
    assert "下書き" in response.content.decode()


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (Event.Status.DRAFT, "This event is not public"),
        (Event.Status.CANCELLED, "This event is cancelled."),
    ],
)
def test_unpublished_event_flyer_rejected(client, status, reason):
    event = EventFactory(status=status)
    staff = UserFactory()
    event.group.memberships.create(user=staff, role="admin")
    client.force_login(staff)

    for name in ("outreach:event_flyer", "outreach:event_flyer_pdf"):
        response = client.get(reverse(name, args=[event.pk]))
        content = response.content.decode()
        assert response.status_code == 403, name
        assert reason in content, name
        assert "Flyers exist only for public posts and events" in content, name
        assert reverse("groups:event_detail", args=[event.pk]) in content, name


def test_draft_post_flyer_hidden_from_other_group(client, other_group_staff, post):
    post.status = VolunteerPost.Status.DRAFT
    post.save()
    client.force_login(other_group_staff)

    response = client.get(reverse("outreach:post_flyer_pdf", args=[post.pk]))

    assert response.status_code == 404


def test_closed_post_flyer_forbidden_to_applicant(client, post):
    application = ApplicationFactory(session=VolunteerSessionFactory(post=post))
    post.status = VolunteerPost.Status.CLOSED
    post.save()
    client.force_login(application.applicant)

    response = client.get(reverse("outreach:post_flyer", args=[post.pk]))

    assert response.status_code == 403


def test_post_of_pending_group_hidden_from_centre(client, resident):
    group = CivicGroupFactory(review_status="pending")
    post = VolunteerPostFactory(group=group)
    client.force_login(centre_staff(resident))

    response = client.get(reverse("outreach:post_flyer", args=[post.pk]))

    assert response.status_code == 404


def test_draft_event_flyer_hidden_from_centre(client, resident):
    event = EventFactory(status=Event.Status.DRAFT)
    client.force_login(centre_staff(resident))

    response = client.get(reverse("outreach:event_flyer", args=[event.pk]))

    assert response.status_code == 404


def test_cancelled_event_flyer_forbidden_to_centre(client, resident):
    event = EventFactory(status=Event.Status.CANCELLED)
    client.force_login(centre_staff(resident))

    response = client.get(reverse("outreach:event_flyer", args=[event.pk]))

    assert response.status_code == 403


def test_event_flyer_allowed_to_centre(client, resident):
    event = EventFactory()
    client.force_login(centre_staff(resident))

    response = client.get(reverse("outreach:event_flyer", args=[event.pk]))

    assert response.status_code == 200
    assert "里山の春まつり" in response.content.decode()


def test_post_page_flyer_link_for_staff(client, group_staff, post):
    client.force_login(group_staff)

    response = client.get(reverse("volunteering:post_detail", args=[post.pk]))

    assert reverse("outreach:post_flyer", args=[post.pk]) in response.content.decode()
    assert (
        reverse("outreach:post_flyer_pdf", args=[post.pk]) in response.content.decode()
    )


def test_post_page_no_flyer_link_for_resident(client, resident, post):
    flyer_url = reverse("outreach:post_flyer", args=[post.pk])
    page_url = reverse("volunteering:post_detail", args=[post.pk])

    anonymous_page = client.get(page_url).content.decode()
    client.force_login(resident)
    resident_page = client.get(page_url).content.decode()

    assert flyer_url not in anonymous_page
    assert flyer_url not in resident_page


def test_event_page_flyer_link_for_centre(client, resident):
    event = EventFactory()
    client.force_login(centre_staff(resident))

    response = client.get(reverse("groups:event_detail", args=[event.pk]))

    assert reverse("outreach:event_flyer", args=[event.pk]) in response.content.decode()


def test_event_page_no_flyer_link_for_resident(client, resident):
    event = EventFactory()
    client.force_login(resident)

    response = client.get(reverse("groups:event_detail", args=[event.pk]))

    assert (
        reverse("outreach:event_flyer", args=[event.pk])
        not in response.content.decode()
    )
