import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from tests.factories import VolunteerSessionFactory
from tests.volunteering.test_staff_permissions import png_file
from volunteering.models import PostReport, ReportPhoto
from volunteering.services.reports import report_create, report_delete


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_report_create_with_photos(post, session, group_staff):
    report = report_create(
        post_id=post.pk,
        created_by=group_staff,
        title=" 活動報告 ",
        body="20人が参加しました。",
        session_id=session.pk,
        photos=[(png_file(), "竹を切る様子"), (png_file(), "集合写真")],
    )
    assert report.title == "活動報告"
    assert report.session == session
    assert [photo.alt_text for photo in report.photos.all()] == [
        "竹を切る様子",
        "集合写真",
    ]
    assert list(post.reports.all()) == [report]


def test_report_create_rejects_seven_photos(post, group_staff):
    photos = [(png_file(), f"写真{n}") for n in range(7)]
    with pytest.raises(ValidationError) as excinfo:
        report_create(
            post_id=post.pk, created_by=group_staff, title="t", body="b", photos=photos
        )
    assert excinfo.value.messages == ["A report can have at most 6 photos."]
    assert not PostReport.objects.exists()


def test_report_create_requires_alt_text(post, group_staff):
    with pytest.raises(ValidationError) as excinfo:
        report_create(
            post_id=post.pk,
            created_by=group_staff,
            title="t",
            body="b",
            photos=[(png_file(), " ")],
        )
    assert excinfo.value.messages == [
        "Describe what each photo shows for screen readers."
    ]


def test_report_create_rejects_fake_image(post, group_staff):
    fake = SimpleUploadedFile("a.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as excinfo:
        report_create(
            post_id=post.pk,
            created_by=group_staff,
            title="t",
            body="b",
            photos=[(fake, "x")],
        )
    assert excinfo.value.messages == ["The file is not a JPEG, PNG, GIF or WebP image."]
    assert not PostReport.objects.exists()


def test_report_create_rejects_other_posts_session(post, group_staff):
    other_session = VolunteerSessionFactory()
    with pytest.raises(ValidationError) as excinfo:
        report_create(
            post_id=post.pk,
            created_by=group_staff,
            title="t",
            body="b",
            session_id=other_session.pk,
        )
    assert excinfo.value.message_dict == {
        "session": ["Choose one of this post's sessions."]
    }


def test_report_create_requires_title_and_body(post, group_staff):
    with pytest.raises(ValidationError) as excinfo:
        report_create(post_id=post.pk, created_by=group_staff, title=" ", body="b")
    assert excinfo.value.message_dict == {"title": ["Enter a title."]}
    with pytest.raises(ValidationError) as excinfo:
        report_create(post_id=post.pk, created_by=group_staff, title="t", body=" ")
    assert excinfo.value.message_dict == {"body": ["Write the report."]}


def test_report_delete(post, group_staff):
    report = report_create(
        post_id=post.pk,
        created_by=group_staff,
        title="t",
        body="b",
        photos=[(png_file(), "x")],
    )
    report_delete(report_id=report.pk, deleted_by=group_staff)
    assert not PostReport.objects.exists()
    assert not ReportPhoto.objects.exists()
