import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import VolunteerSessionFactory
from tests.volunteering.test_staff_permissions import png_file
from volunteering.models import PostReport


def report_data(**overrides):
    data = {
        "title": "活動報告",
        "body": "竹を100本切りました。",
        "session": "",
        "photos-TOTAL_FORMS": "6",
        "photos-INITIAL_FORMS": "0",
        "photos-MAX_NUM_FORMS": "6",
    }
    data.update(overrides)
    return data


@pytest.fixture
def past_session(post):
    starts_at = timezone.now() - dt.timedelta(days=2)
    return VolunteerSessionFactory(
        post=post, starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=3)
    )


def test_report_create_with_photo(staff_client, post, past_session):
    session = past_session
    response = staff_client.post(
        reverse("volunteering:staff_report_create", args=[post.pk]),
        report_data(
            session=str(session.pk),
            **{"photos-0-image": png_file(), "photos-0-alt_text": "竹林"},
        ),
    )
    assert response.status_code == 302
    report = PostReport.objects.get()
    assert report.session == session
    assert [photo.alt_text for photo in report.photos.all()] == ["竹林"]


def test_report_photo_needs_alt_text(staff_client, post):
    response = staff_client.post(
        reverse("volunteering:staff_report_create", args=[post.pk]),
        report_data(**{"photos-0-image": png_file()}),
    )
    assert response.status_code == 200
    assert response.context["photo_forms"][0].errors == {
        "alt_text": ["Describe what the photo shows for screen readers."]
    }
    assert "竹を100本切りました。" in response.content.decode()
    assert not PostReport.objects.exists()


def test_report_rejects_seven_photos(staff_client, post):
    response = staff_client.post(
        reverse("volunteering:staff_report_create", args=[post.pk]),
        report_data(**{"photos-TOTAL_FORMS": "7"}),
    )
    assert response.status_code == 200
    assert response.context["photo_forms"].non_form_errors() == [
        "Please submit at most 6 forms."
    ]


def test_report_rejects_other_posts_session(staff_client, post):
    foreign = VolunteerSessionFactory()
    response = staff_client.post(
        reverse("volunteering:staff_report_create", args=[post.pk]),
        report_data(session=str(foreign.pk)),
    )
    assert response.status_code == 200
    assert "session" in response.context["form"].errors


def test_report_delete(staff_client, post, group_staff):
    report = PostReport.objects.create(post=post, title="t", body="b")
    staff_client.post(reverse("volunteering:staff_report_delete", args=[report.pk]))
    assert not PostReport.objects.exists()


def test_report_form_lists_past_sessions_by_date(
    staff_client, post, past_session, session
):
    response = staff_client.get(
        reverse("volunteering:staff_report_create", args=[post.pk])
    )
    field = response.context["form"].fields["session"]
    choices = [(value, label) for value, label in field.choices if value]
    (choice,) = choices
    assert choice[0].value == past_session.pk
    assert choice[1] == timezone.localtime(past_session.starts_at).strftime(
        "%Y-%m-%d (%a) %H:%M"
    )
    assert post.title not in choice[1]


def test_report_rejects_future_session(staff_client, post, session):
    response = staff_client.post(
        reverse("volunteering:staff_report_create", args=[post.pk]),
        report_data(session=str(session.pk)),
    )
    assert response.status_code == 200
    assert "session" in response.context["form"].errors
    assert not PostReport.objects.exists()


def test_report_shows_form_and_photo_errors_together(staff_client, post):
    response = staff_client.post(
        reverse("volunteering:staff_report_create", args=[post.pk]),
        report_data(title="", **{"photos-0-image": png_file()}),
    )
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert "alt_text" in response.context["photo_forms"][0].errors
