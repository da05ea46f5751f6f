"""Tests for the stored next session start of each post."""

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from civic_portal.celery import app as celery_app
from tests.factories import VolunteerPostFactory, VolunteerSessionFactory
from volunteering import tasks
from volunteering.models import VolunteerPost, VolunteerSession
from volunteering.services.next_session import refresh_next_session_starts
from volunteering.services.sessions import (
    SeriesPattern,
    session_create,
    session_delete,
    session_series_create,
    session_update,
)

pytestmark = pytest.mark.django_db


def in_hours(hours: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=hours)


def stored_start(post: VolunteerPost) -> dt.datetime | None:
    post.refresh_from_db(fields=["next_session_starts_at"])
    return post.next_session_starts_at


def add_session_directly(post: VolunteerPost, starts_at: dt.datetime) -> None:
    """Write a session row the way the admin or a bulk load does."""
    VolunteerSession.objects.bulk_create(
        [
            VolunteerSession(
                post=post,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(hours=2),
                capacity=5,
            )
        ]
    )


def test_refresh_stores_earliest_upcoming(post):
    add_session_directly(post, in_hours(-5))
    add_session_directly(post, in_hours(72))
    add_session_directly(post, in_hours(30))
    assert refresh_next_session_starts([post.pk]) == 1
    assert (
        stored_start(post)
        == VolunteerSession.objects.get(
            post=post, starts_at__gt=in_hours(29), starts_at__lt=in_hours(31)
        ).starts_at
    )


def test_refresh_none_without_upcoming(post):
    add_session_directly(post, in_hours(-5))
    VolunteerPost.objects.filter(pk=post.pk).update(next_session_starts_at=in_hours(-5))
    assert refresh_next_session_starts([post.pk]) == 1
    assert stored_start(post) is None


def test_refresh_counts_only_changes(post):
    add_session_directly(post, in_hours(30))
    assert refresh_next_session_starts() == 1
    assert refresh_next_session_starts() == 0


def test_refresh_given_posts_only(post):
    other = VolunteerPostFactory()
    add_session_directly(post, in_hours(30))
    add_session_directly(other, in_hours(30))
    refresh_next_session_starts([post.pk])
    assert stored_start(post) is not None
    assert stored_start(other) is None


def test_year_round_post_stays_empty():
    post = VolunteerPostFactory(kind=VolunteerPost.Kind.YEAR_ROUND)
    refresh_next_session_starts()
    assert stored_start(post) is None


def test_session_create_stores_start(post, group_staff):
    starts = in_hours(48)
    session_create(
        post_id=post.pk,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        capacity=4,
        created_by=group_staff,
    )
    assert stored_start(post) == starts


def test_session_update_moves_start(session, group_staff):
    later = in_hours(24 * 20)
    session_update(
        session_id=session.pk,
        starts_at=later,
        ends_at=later + dt.timedelta(hours=2),
        capacity=session.capacity,
        changed_by=group_staff,
    )
    assert stored_start(session.post) == later


def test_session_delete_clears_start(session, group_staff):
    assert stored_start(session.post) == session.starts_at
    session_delete(session_id=session.pk, deleted_by=group_staff)
    assert stored_start(session.post) is None


def test_series_create_stores_first_start(post, group_staff):
    first_day = timezone.localdate() + dt.timedelta(days=3)
    sessions = session_series_create(
        post_id=post.pk,
        pattern=SeriesPattern(
            frequency="weekly",
            start_date=first_day,
            count=3,
            weekdays=(0, 1, 2, 3, 4, 5, 6),
        ),
        start_time=dt.time(9, 0),
        end_time=dt.time(12, 0),
        capacity=5,
        created_by=group_staff,
    )
    assert stored_start(post) == sessions[0].starts_at


def test_task_rolls_passed_start_forward(post, caplog):
    add_session_directly(post, in_hours(-1))
    add_session_directly(post, in_hours(30))
    VolunteerPost.objects.filter(pk=post.pk).update(next_session_starts_at=in_hours(-1))
    caplog.set_level("INFO", logger="volunteering.tasks")
    assert tasks.refresh_next_session_starts() == 1
    assert stored_start(post) > timezone.now()
    assert "Refreshing next session starts started" in caplog.text
    assert "finished: 1 posts changed" in caplog.text


def test_task_in_beat_schedule():
    entries = celery_app.conf.beat_schedule.values()
    names = [entry["task"] for entry in entries]
    assert "volunteering.tasks.refresh_next_session_starts" in names


def test_migration_fills_existing_posts(post):
    add_session_directly(post, in_hours(30))
    migration = importlib.import_module(
        "volunteering.migrations.0003_post_next_session_starts_at"
    )
    migration.fill_next_session_starts(django_apps, None)
    assert stored_start(post) is not None


def test_search_lists_post_whose_stored_start_passed(client, post):
    """Until the periodic refresh, a passed start must not hide later sessions."""
    VolunteerSessionFactory(post=post, starts_at=in_hours(30))
    VolunteerPost.objects.filter(pk=post.pk).update(next_session_starts_at=in_hours(-1))
    response = client.get(reverse("volunteering:search"))
    assert list(response.context["page"].object_list) == [post]


def test_search_hides_post_whose_only_start_passed(client, post):
    add_session_directly(post, in_hours(-1))
    VolunteerPost.objects.filter(pk=post.pk).update(next_session_starts_at=in_hours(-1))
    response = client.get(reverse("volunteering:search"))
    assert list(response.context["page"].object_list) == []
