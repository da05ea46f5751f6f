"""Tests for a post's public page."""

import datetime as dt
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from civic_portal.fiscal import JAPAN
from tests.factories import (
    ApplicationFactory,
    CivicGroupFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)
from tests.volunteering.test_staff_permissions import png_file
from volunteering.models import PostPhoto, PostReport, ReportPhoto, VolunteerPost

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


def post_url(post):
    return reverse("volunteering:post_detail", args=[post.pk])


def open_post(client, post):
    return client.get(post_url(post))


def test_shows_details_and_contact(client, post):
    post.tasks = "竹を切って運ぶ"
    post.what_to_bring = "軍手"
    post.contact_phone = "083-000-0000"
    post.save()
    response = open_post(client, post)
    html = response.content.decode()
    assert response.status_code == 200
    assert post.title in html
    assert post.description in html
    assert "竹を切って運ぶ" in html
    assert "軍手" in html
    assert post.group.name in html
    assert "里山 花子" in html
    assert "contact@example.jp" in html
    assert "083-000-0000" in html


def test_shows_photos_with_alt_text(client, post):
    PostPhoto.objects.create(post=post, image=png_file(), alt_text="竹林で作業する人")
    html = open_post(client, post).content.decode()
    assert 'alt="竹林で作業する人"' in html


def test_shows_sessions_with_free_places(client, resident, post):
    client.force_login(resident)
    starts = dt.datetime(2030, 6, 1, 9, 0, tzinfo=JAPAN)
    VolunteerSessionFactory(
        post=post,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        capacity=5,
        places_taken=2,
    )
    html = open_post(client, post).content.decode()
    assert "2030-06-01" in html
    assert "09:00" in html
    assert "12:00" in html
    assert "3 places left" in html
    assert "Apply for this session" in html


def test_full_session_says_waitlist(client, resident, post):
    client.force_login(resident)
    VolunteerSessionFactory(post=post, capacity=2, places_taken=2)
    html = open_post(client, post).content.decode()
    assert "This session is full. If you apply, you join the waitlist" in html
    assert "Join the waitlist" in html


def test_past_sessions_are_not_listed(client, post):
    past = timezone.now() - dt.timedelta(days=2)
    VolunteerSessionFactory(post=post, starts_at=past)
    html = open_post(client, post).content.decode()
    assert "There are no upcoming sessions" in html


def test_year_round_post_has_date_form(client, resident):
    client.force_login(resident)
    post = VolunteerPostFactory(kind=VolunteerPost.Kind.YEAR_ROUND)
    html = open_post(client, post).content.decode()
    assert 'type="date"' in html
    assert reverse("volunteering:apply_post", args=[post.pk]) in html


def test_team_fields_only_when_teams_accepted(client, resident, post, session):
    client.force_login(resident)
    html = open_post(client, post).content.decode()
    assert "Number of people" not in html
    post.accepts_teams = True
    post.save()
    html = open_post(client, post).content.decode()
    assert "Number of people" in html
    assert "Company or group name" in html


def test_shows_reports_with_photos(client, post, session, group_staff):
    report = PostReport.objects.create(
        post=post, session=session, title="活動報告", body="30人で竹を切りました。"
    )
    ReportPhoto.objects.create(report=report, image=png_file(), alt_text="切った竹")
    html = open_post(client, post).content.decode()
    assert "活動報告" in html
    assert "30人で竹を切りました。" in html
    assert 'alt="切った竹"' in html


def test_anonymous_sees_login_not_form(client, post, session):
    html = open_post(client, post).content.decode()

    login_url = reverse("accounts:login") + "?next=" + quote(post_url(post), safe="")
    assert f'href="{login_url}"' in html
    assert f'href="{reverse("accounts:signup")}"' in html
    assert "<form" not in html.split('id="apply-heading"')[1]
    assert reverse("volunteering:apply_session", args=[session.pk]) not in html


def test_anonymous_year_round_has_no_date_form(client):
    post = VolunteerPostFactory(kind=VolunteerPost.Kind.YEAR_ROUND)

    html = open_post(client, post).content.decode()

    assert 'type="date"' not in html
    assert reverse("volunteering:apply_post", args=[post.pk]) not in html
    assert "Log in to apply" in html


def test_anonymous_closed_post_has_no_login_link(client, post, session):
    post.application_deadline = timezone.now() - dt.timedelta(hours=1)
    post.save()

    html = open_post(client, post).content.decode()

    assert "The application deadline has passed." in html
    assert "Log in to apply" not in html


@pytest.mark.parametrize(
    ("review_status", "group_status"),
    [("pending", "active"), ("approved", "dissolved")],
)
def test_staff_preview_of_hidden_group_has_no_form(
    client, group, group_staff, post, session, review_status, group_status
):
    group.review_status = review_status
    group.status = group_status
    group.save()
    client.force_login(group_staff)

    html = open_post(client, post).content.decode()

    assert "This post is not open for applications." in html
    assert reverse("volunteering:apply_session", args=[session.pk]) not in html


def test_signed_in_user_sees_own_application(client, resident, session):
    ApplicationFactory(session=session, applicant=resident)
    client.force_login(resident)
    html = open_post(client, session.post).content.decode()
    assert "You have applied to this session." in html


@pytest.mark.parametrize(
    "status",
    [
        VolunteerPost.Status.DRAFT,
        VolunteerPost.Status.SCHEDULED,
        VolunteerPost.Status.CLOSED,
    ],
)
def test_unpublished_post_is_404(client, resident, other_group_staff, status):
    post = VolunteerPostFactory(status=status)
    assert open_post(client, post).status_code == 404
    client.force_login(resident)
    assert open_post(client, post).status_code == 404
    client.force_login(other_group_staff)
    assert open_post(client, post).status_code == 404


def test_post_of_unapproved_group_is_404(client):
    post = VolunteerPostFactory(group=CivicGroupFactory(review_status="pending"))
    assert open_post(client, post).status_code == 404


def test_staff_preview_draft(client, group, group_staff):
    post = VolunteerPostFactory(group=group, status=VolunteerPost.Status.DRAFT)
    client.force_login(group_staff)
    response = open_post(client, post)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This post is not public (status: Draft)" in html
    assert "This post is not open for applications." in html


def test_unknown_post_is_404(client):
    assert client.get("/volunteer/posts/999999/").status_code == 404


def test_queries_bounded(client, post, django_assert_max_num_queries):
    for _number in range(10):
        VolunteerSessionFactory(post=post)
    report = PostReport.objects.create(post=post, title="報告", body="本文")
    ReportPhoto.objects.create(report=report, image=png_file(), alt_text="写真")
    PostPhoto.objects.create(post=post, image=png_file(), alt_text="写真")
    with django_assert_max_num_queries(7):
        response = open_post(client, post)
    assert response.status_code == 200
