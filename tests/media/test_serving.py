"""The media view serves each kind of upload only to who may see it.

Public files (a published post's photos, gallery photos) go to everyone
with Cache-Control: public. Private ones go to the people the rule names
with Cache-Control: private, no-store, and everyone else gets the same
404 as for a file that does not exist.
"""

import logging

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from campaigns.models import Gallery, Photo, PhotoExport
from indicators.models import WhitePaperExport
from tests.campaigns.factories import (
    CampaignFactory,
    ParticipationFactory,
    PhotoFactory,
    group_participation,
    upload,
)
from tests.factories import (
    ApplicationFactory,
    GroupMembershipFactory,
    UserFactory,
    VolunteerPostFactory,
    centre_staff,
)
from volunteering.models import PostPhoto, PostReport, ReportPhoto, VolunteerPost

pytestmark = pytest.mark.django_db


def fetch(client, file_field, user=None, method="get"):
    if user is not None:
        client.force_login(user)
    return getattr(client, method)(file_field.url)


def assert_public(response):
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "max-age=86400" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def assert_private(response):
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def assert_not_found(response):
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]


def post_photo(**post_fields):
    post = VolunteerPostFactory(**post_fields)
    return PostPhoto.objects.create(post=post, image=upload(), alt_text="竹林")


def report_photo(**post_fields):
    post = VolunteerPostFactory(**post_fields)
    report = PostReport.objects.create(post=post, title="報告", body="終わりました。")
    return ReportPhoto.objects.create(report=report, image=upload(), alt_text="集合")


@pytest.fixture
def other_resident():
    return UserFactory(email="other@example.jp")


# -- Post and report photos ---------------------------------------------------


def test_published_post_photo_public(client):
    photo = post_photo()

    response = fetch(client, photo.image)

    assert_public(response)
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")


def test_public_photo_cached_for_signed_in(client, resident):
    photo = post_photo()
    client.force_login(resident)
    client.get("/")  # The session's activity time is stored on this request.

    response = client.get(photo.image.url)

    assert response.status_code == 200
    assert "public" in response["Cache-Control"]


def test_draft_post_photo_hidden(client, other_resident):
    photo = post_photo(status=VolunteerPost.Status.DRAFT)

    assert_not_found(fetch(client, photo.image))
    assert_not_found(fetch(client, photo.image, other_resident))


def test_draft_post_photo_for_group_staff(client):
    photo = post_photo(status=VolunteerPost.Status.DRAFT)
    staff = GroupMembershipFactory(group=photo.post.group).user

    assert_private(fetch(client, photo.image, staff))


def test_closed_post_photo_for_applicant(client, other_resident):
    photo = post_photo(status=VolunteerPost.Status.CLOSED)
    application = ApplicationFactory(session__post=photo.post)

    assert_private(fetch(client, photo.image, application.applicant))
    client.logout()
    assert_not_found(fetch(client, photo.image, other_resident))


def test_published_report_photo_public(client):
    photo = report_photo()

    assert_public(fetch(client, photo.image))


def test_report_photo_of_draft_post_hidden(client, other_resident):
    photo = report_photo(status=VolunteerPost.Status.DRAFT)

    assert_not_found(fetch(client, photo.image))
    assert_not_found(fetch(client, photo.image, other_resident))
    staff = GroupMembershipFactory(group=photo.report.post.group).user
    assert_private(fetch(client, photo.image, staff))


def test_photo_of_unapproved_group_hidden(client):
    photo = post_photo()
    photo.post.group.review_status = "pending"
    photo.post.group.save(update_fields=["review_status"])

    assert_not_found(fetch(client, photo.image))


# -- Campaign photos ----------------------------------------------------------


@pytest.fixture
def pending_photo(resident):
    return PhotoFactory(participation=ParticipationFactory(user=resident))


def test_pending_photo_hidden_from_public(client, pending_photo, other_resident):
    assert_not_found(fetch(client, pending_photo.image))
    assert_not_found(fetch(client, pending_photo.image, other_resident))


def test_pending_photo_for_uploader(client, pending_photo, resident):
    response = fetch(client, pending_photo.image, resident)

    assert_private(response)
    assert response["Content-Type"] == "image/jpeg"


def test_pending_photo_for_reviewing_staff(client, pending_photo):
    staff = centre_staff(UserFactory(email="centre@example.jp"))

    assert_private(fetch(client, pending_photo.image, staff))


def test_pending_photo_hidden_from_municipal_centre(client, pending_photo):
    # Staff of a municipal centre manage only their municipality's
    # campaigns, and this campaign is prefecture-wide.
    staff = centre_staff(UserFactory(email="city@example.jp"), "municipal")

    assert_not_found(fetch(client, pending_photo.image, staff))


def test_group_photo_for_group_staff(client, other_resident):
    uploader = UserFactory(email="uploader@example.jp")
    participation = group_participation(CampaignFactory(), uploader)
    photo = PhotoFactory(participation=participation, uploaded_by=uploader)
    colleague = GroupMembershipFactory(group=participation.group).user

    assert_private(fetch(client, photo.image, colleague))
    client.logout()
    assert_not_found(fetch(client, photo.image, other_resident))


def test_rejected_photo_for_uploader_only(client, pending_photo, resident):
    Photo.objects.filter(pk=pending_photo.pk).update(
        status=Photo.Status.REJECTED, rejection_reason="人物が写っています"
    )

    assert_not_found(fetch(client, pending_photo.image))
    assert_private(fetch(client, pending_photo.image, resident))


def test_approved_photo_public(client, pending_photo):
    Photo.objects.filter(pk=pending_photo.pk).update(
        status=Photo.Status.APPROVED, reviewed_at=timezone.now()
    )

    assert_public(fetch(client, pending_photo.image))


def test_photo_in_hidden_gallery_private(client, pending_photo, resident):
    Photo.objects.filter(pk=pending_photo.pk).update(status=Photo.Status.APPROVED)
    Gallery.objects.create(
        campaign=pending_photo.participation.campaign, is_public=False
    )

    assert_not_found(fetch(client, pending_photo.image))
    assert_private(fetch(client, pending_photo.image, resident))


def test_withdrawn_photo_hidden_from_uploader(client, pending_photo, resident):
    Photo.objects.filter(pk=pending_photo.pk).update(status=Photo.Status.WITHDRAWN)

    assert_not_found(fetch(client, pending_photo.image, resident))


# -- Files served elsewhere or nowhere ----------------------------------------


def test_photo_export_not_served(client):
    staff = centre_staff(UserFactory(email="centre@example.jp"))
    export = PhotoExport.objects.create(campaign=CampaignFactory())
    export.file.save("photos.zip", ContentFile(b"PK\x03\x04zip"))

    assert_not_found(fetch(client, export.file, staff))


def test_white_paper_not_served(client):
    staff = UserFactory(email="pref@example.jp", is_staff=True)
    export = WhitePaperExport.objects.create(fiscal_year=2025)
    export.pdf_file.save("white-paper.pdf", ContentFile(b"%PDF-1.7"))

    assert_not_found(fetch(client, export.pdf_file, staff))


def test_group_import_file_not_served(client):
    admin = UserFactory(email="admin@example.jp", is_staff=True, is_superuser=True)
    name = default_storage.save("group-imports/upload.csv", ContentFile(b"a,b\n"))
    client.force_login(admin)

    assert_not_found(client.get(f"/media/{name}"))


# -- Refusals -----------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/media/../manage.py",
        "/media/posts/../../manage.py",
        "/media/posts/%2e%2e/%2e%2e/manage.py",
        "/media/posts/..%2f..%2fmanage.py",
        "/media/posts%5c..%5cmanage.py",
        "/media/posts/a.jpg%00.png",
        "/media//etc/passwd",
        "/media/unknown/a.jpg",
        "/media/posts/2026/01/nobody.jpg",
        "/media/campaigns/photos/0123.jpg",
    ],
)
def test_bad_paths_not_found(client, path):
    post_photo()

    assert_not_found(client.get(path))


def test_deleted_file_not_found(client, caplog):
    photo = post_photo()
    default_storage.delete(photo.image.name)

    with caplog.at_level(logging.INFO):
        response = fetch(client, photo.image)

    assert_not_found(response)
    assert f"volunteering.PostPhoto {photo.pk} is missing" in caplog.text
    assert "Media request not served: posts/" in caplog.text
    assert "photo.jpg" not in caplog.text


def test_post_not_allowed(client):
    photo = post_photo()

    assert client.post(photo.image.url).status_code == 405


def test_head_served(client):
    photo = post_photo()

    response = fetch(client, photo.image, method="head")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


# -- Content type from the content ---------------------------------------------


def stored_post_photo(name, content):
    post = VolunteerPostFactory()
    photo = PostPhoto(post=post, alt_text="写真")
    photo.image.save(name, ContentFile(content), save=False)
    photo.save()
    return photo


def test_html_named_jpeg_is_attachment(client):
    photo = stored_post_photo("evil.jpg", b"<html><script>alert(1)</script></html>")

    response = fetch(client, photo.image)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_png_named_jpeg_is_png(client):
    png = upload("photo.png", "PNG").read()
    photo = stored_post_photo("photo.jpg", png)

    response = fetch(client, photo.image)

    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")


def test_pdf_is_attachment(client):
    photo = stored_post_photo("flyer.jpg", b"%PDF-1.7\n")

    response = fetch(client, photo.image)

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")


# -- X-Accel-Redirect -----------------------------------------------------------


def test_accel_redirect_hands_off(client, settings):
    settings.MEDIA_ACCEL_REDIRECT_LOCATION = "/protected-media/"
    photo = post_photo()

    response = fetch(client, photo.image)

    assert_public(response)
    assert response["X-Accel-Redirect"] == f"/protected-media/{photo.image.name}"
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert response.content == b""


def test_accel_redirect_quotes_name(client, settings):
    settings.MEDIA_ACCEL_REDIRECT_LOCATION = "/protected-media"
    # Photos stored before names became random keep the name they came with.
    photo = stored_post_photo("new.jpg", upload().read())
    photo.image.name = default_storage.save(
        "posts/2026/01/写真 1.jpg", ContentFile(upload().read())
    )
    photo.save()

    response = fetch(client, photo.image)

    assert response["X-Accel-Redirect"].startswith("/protected-media/posts/")
    assert "%E5%86%99" in response["X-Accel-Redirect"]
    assert " " not in response["X-Accel-Redirect"]


def test_accel_redirect_checks_rules(client, settings, pending_photo):
    settings.MEDIA_ACCEL_REDIRECT_LOCATION = "/protected-media/"

    response = fetch(client, pending_photo.image)

    assert_not_found(response)
    assert "X-Accel-Redirect" not in response


# -- Query counts ----------------------------------------------------------------
# A page with many photos sends one request per photo, so each stays small.


def test_public_photo_queries_bounded(client, django_assert_max_num_queries):
    photo = post_photo()

    with django_assert_max_num_queries(2):
        assert fetch(client, photo.image).status_code == 200


def test_private_photo_queries_bounded(
    client, pending_photo, resident, django_assert_max_num_queries
):
    client.force_login(resident)

    with django_assert_max_num_queries(4):
        assert client.get(pending_photo.image.url).status_code == 200


def test_reviewer_photo_queries_bounded(
    client, pending_photo, django_assert_max_num_queries
):
    client.force_login(centre_staff(UserFactory(email="centre@example.jp")))

    with django_assert_max_num_queries(7):
        assert client.get(pending_photo.image.url).status_code == 200
