import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from tests.factories import (
    ApplicationFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
    activity_field,
    municipality,
)
from tests.volunteering.test_staff_permissions import png_file
from volunteering.models import PostPhoto, PostRevision, VolunteerPost
from volunteering.services.posts import (
    post_close,
    post_create,
    post_photo_add,
    post_photo_delete,
    post_publish,
    post_schedule,
    post_unschedule,
    post_update,
    posts_publish_due,
)

Status = VolunteerPost.Status


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def post_fields(**overrides):
    fields = {
        "title": "海岸清掃",
        "description": "砂浜のごみを拾います。",
        "activity_field": activity_field(),
        "municipality": municipality(),
        "place": "秋穂海岸",
        "is_online": False,
        "tasks": "ごみ拾い",
        "what_to_bring": "軍手",
        "accepts_individuals": True,
        "accepts_teams": True,
        "welcomes_high_school": True,
        "minimum_age": 15,
        "contact_name": "海野 浜子",
        "contact_email": "umi@example.jp",
        "contact_phone": "083-000-0000",
        "kind": "sessions",
        "monthly_capacity": None,
        "application_deadline": None,
        "auto_accept": False,
    }
    fields.update(overrides)
    return fields


def messages_of(excinfo):
    return excinfo.value.message_dict


@pytest.fixture
def draft(group):
    return VolunteerPostFactory(group=group, status=Status.DRAFT, published_at=None)


def test_post_create_saves_draft(group, group_staff):
    post = post_create(group=group, created_by=group_staff, fields=post_fields())
    assert post.status == Status.DRAFT
    assert post.group == group
    assert post.created_by == group_staff
    assert post.minimum_age == 15
    assert post.contact_phone == "083-000-0000"


def test_post_create_needs_place_or_online(group, group_staff):
    with pytest.raises(ValidationError) as excinfo:
        post_create(group=group, created_by=group_staff, fields=post_fields(place=""))
    assert messages_of(excinfo) == {
        "place": ["Enter the place of the activity, or tick Online."]
    }


def test_post_create_online_without_place(group, group_staff):
    fields = post_fields(place="", is_online=True)
    post = post_create(group=group, created_by=group_staff, fields=fields)
    assert post.is_online


def test_post_create_rejects_past_deadline(group, group_staff):
    past = timezone.now() - dt.timedelta(hours=1)
    with pytest.raises(ValidationError) as excinfo:
        post_create(
            group=group,
            created_by=group_staff,
            fields=post_fields(application_deadline=past),
        )
    assert messages_of(excinfo) == {
        "application_deadline": [
            "The application deadline is in the past. Enter a later date and time."
        ]
    }


def test_post_create_needs_individuals_or_teams(group, group_staff):
    fields = post_fields(accepts_individuals=False, accepts_teams=False)
    with pytest.raises(ValidationError) as excinfo:
        post_create(group=group, created_by=group_staff, fields=fields)
    assert messages_of(excinfo) == {
        "accepts_teams": [
            "Welcome individuals, teams from companies or groups, or both."
        ]
    }


def test_post_create_rejects_monthly_capacity_on_sessions(group, group_staff):
    with pytest.raises(ValidationError) as excinfo:
        post_create(
            group=group, created_by=group_staff, fields=post_fields(monthly_capacity=5)
        )
    assert list(messages_of(excinfo)) == ["monthly_capacity"]


def test_post_create_year_round_with_monthly_capacity(group, group_staff):
    fields = post_fields(kind="year_round", monthly_capacity=5)
    post = post_create(group=group, created_by=group_staff, fields=fields)
    assert post.monthly_capacity == 5


def test_post_create_rejects_minimum_age_over_99(group, group_staff):
    with pytest.raises(ValidationError) as excinfo:
        post_create(
            group=group, created_by=group_staff, fields=post_fields(minimum_age=120)
        )
    assert messages_of(excinfo) == {
        "minimum_age": ["Enter a minimum age of 99 or lower."]
    }


def test_post_update_published_records_revision(post, group_staff):
    post_update(
        post_id=post.pk,
        changed_by=group_staff,
        fields={"title": "竹林整備", "accepts_teams": True, "place": post.place},
    )
    revision = PostRevision.objects.get(post=post)
    assert revision.changed_by == group_staff
    assert revision.changes == {
        "title": {"old": "竹林の間伐ボランティア", "new": "竹林整備"},
        "accepts_teams": {"old": False, "new": True},
    }
    post.refresh_from_db()
    assert post.title == "竹林整備"


def test_post_update_draft_records_no_revision(draft, group_staff):
    post_update(post_id=draft.pk, changed_by=group_staff, fields={"title": "新"})
    assert not PostRevision.objects.exists()


def test_post_update_unchanged_records_no_revision(post, group_staff):
    post_update(post_id=post.pk, changed_by=group_staff, fields={"title": post.title})
    assert not PostRevision.objects.exists()


def test_post_update_keeps_old_past_deadline(group, group_staff):
    past = timezone.now() - dt.timedelta(days=1)
    post = VolunteerPostFactory(group=group, application_deadline=past)
    post_update(post_id=post.pk, changed_by=group_staff, fields={"title": "新"})
    post.refresh_from_db()
    assert post.title == "新"


def test_post_update_rejects_new_past_deadline(post, group_staff):
    past = timezone.now() - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        post_update(
            post_id=post.pk,
            changed_by=group_staff,
            fields={"application_deadline": past},
        )
    assert list(messages_of(excinfo)) == ["application_deadline"]


def test_post_update_closed_rejected(group, group_staff):
    post = VolunteerPostFactory(group=group, status=Status.CLOSED)
    with pytest.raises(ValidationError) as excinfo:
        post_update(post_id=post.pk, changed_by=group_staff, fields={"title": "x"})
    assert excinfo.value.messages == ["A closed post can no longer be changed."]


def test_post_update_kind_with_applications_rejected(session, group_staff):
    from tests.factories import ApplicationFactory

    ApplicationFactory(session=session)
    with pytest.raises(ValidationError) as excinfo:
        post_update(
            post_id=session.post_id,
            changed_by=group_staff,
            fields={"kind": "year_round"},
        )
    assert messages_of(excinfo) == {
        "kind": [
            "The schedule cannot change because the post already has applications."
        ]
    }


def test_post_publish_sessions_post_needs_upcoming_session(draft, group_staff):
    with pytest.raises(ValidationError) as excinfo:
        post_publish(post_id=draft.pk, published_by=group_staff)
    assert excinfo.value.messages == [
        "A post with dated sessions needs at least one upcoming session before "
        "it is published. Add a session first."
    ]


def test_post_publish_past_session_not_enough(draft, group_staff):
    VolunteerSessionFactory(post=draft, starts_at=timezone.now() - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        post_publish(post_id=draft.pk, published_by=group_staff)


def test_post_publish_draft(draft, group_staff):
    VolunteerSessionFactory(post=draft)
    post = post_publish(post_id=draft.pk, published_by=group_staff)
    assert post.status == Status.PUBLISHED
    assert post.published_at is not None


def test_post_publish_year_round_without_sessions(group, group_staff):
    post = VolunteerPostFactory(group=group, status=Status.DRAFT, kind="year_round")
    assert post_publish(post_id=post.pk, published_by=group_staff).status == "published"


def test_post_publish_rejects_published(post, group_staff):
    with pytest.raises(ValidationError) as excinfo:
        post_publish(post_id=post.pk, published_by=group_staff)
    assert excinfo.value.messages == [
        "Only a draft or scheduled post can be published."
    ]


def test_post_publish_rejects_past_deadline(group, group_staff):
    post = VolunteerPostFactory(
        group=group,
        status=Status.DRAFT,
        kind="year_round",
        application_deadline=timezone.now() - dt.timedelta(minutes=1),
    )
    with pytest.raises(ValidationError) as excinfo:
        post_publish(post_id=post.pk, published_by=group_staff)
    assert excinfo.value.messages == [
        "The application deadline is before the post would be published. "
        "Change the deadline first."
    ]


def test_post_schedule_requires_time(draft, group_staff):
    with pytest.raises(ValidationError) as excinfo:
        post_schedule(post_id=draft.pk, publish_at=None, scheduled_by=group_staff)
    assert messages_of(excinfo) == {
        "publish_at": ["Enter the date and time to publish the post."]
    }


def test_post_schedule_rejects_past_time(draft, group_staff):
    past = timezone.now() - dt.timedelta(minutes=5)
    with pytest.raises(ValidationError) as excinfo:
        post_schedule(post_id=draft.pk, publish_at=past, scheduled_by=group_staff)
    assert messages_of(excinfo) == {
        "publish_at": [
            "The publishing time is in the past. Enter a later time, or publish now."
        ]
    }


def test_post_schedule_and_unschedule(draft, group_staff):
    VolunteerSessionFactory(post=draft)
    when = timezone.now() + dt.timedelta(days=1)
    post = post_schedule(post_id=draft.pk, publish_at=when, scheduled_by=group_staff)
    assert post.status == Status.SCHEDULED
    assert post.publish_at == when

    post = post_unschedule(post_id=draft.pk, changed_by=group_staff)
    assert post.status == Status.DRAFT
    assert post.publish_at is None


def test_post_schedule_needs_session_after_publish_time(draft, group_staff):
    VolunteerSessionFactory(post=draft, starts_at=timezone.now() + dt.timedelta(days=1))
    when = timezone.now() + dt.timedelta(days=2)
    with pytest.raises(ValidationError):
        post_schedule(post_id=draft.pk, publish_at=when, scheduled_by=group_staff)


def test_post_unschedule_rejects_draft(draft, group_staff):
    with pytest.raises(ValidationError) as excinfo:
        post_unschedule(post_id=draft.pk, changed_by=group_staff)
    assert excinfo.value.messages == ["Only a scheduled post can go back to draft."]


def test_post_close_published(post, group_staff):
    closed = post_close(post_id=post.pk, closed_by=group_staff)
    assert closed.status == Status.CLOSED
    revision = PostRevision.objects.get(post=post)
    assert revision.changes == {"status": {"old": "published", "new": "closed"}}


def test_post_close_rejects_draft(draft, group_staff):
    with pytest.raises(ValidationError) as excinfo:
        post_close(post_id=draft.pk, closed_by=group_staff)
    assert excinfo.value.messages == ["Only a published post can be closed."]


def test_posts_publish_due(group):
    due = VolunteerPostFactory(
        group=group,
        status=Status.SCHEDULED,
        publish_at=timezone.now() - dt.timedelta(minutes=1),
        published_at=None,
    )
    VolunteerSessionFactory(post=due)
    later = VolunteerPostFactory(
        group=group,
        status=Status.SCHEDULED,
        publish_at=timezone.now() + dt.timedelta(hours=1),
        published_at=None,
    )
    assert posts_publish_due() == 1
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == Status.PUBLISHED
    assert due.published_at is not None
    assert later.status == Status.SCHEDULED


def test_posts_publish_due_without_session_returns_to_draft(group):
    stale = VolunteerPostFactory(
        group=group,
        status=Status.SCHEDULED,
        publish_at=timezone.now() - dt.timedelta(minutes=1),
    )
    assert posts_publish_due() == 0
    stale.refresh_from_db()
    assert stale.status == Status.DRAFT


def test_post_photo_add_and_delete(post, group_staff, settings):
    photo = post_photo_add(
        post_id=post.pk, image=png_file(), alt_text=" 竹林 ", added_by=group_staff
    )
    assert photo.alt_text == "竹林"
    path = photo.image.path
    post_photo_delete(photo_id=photo.pk, deleted_by=group_staff)
    assert not PostPhoto.objects.exists()
    import os

    # The file is deleted on commit; the test transaction never commits.
    assert os.path.exists(path)


def test_post_photo_delete_removes_file(
    post, group_staff, django_capture_on_commit_callbacks
):
    import os

    photo = post_photo_add(
        post_id=post.pk, image=png_file(), alt_text="竹林", added_by=group_staff
    )
    path = photo.image.path
    with django_capture_on_commit_callbacks(execute=True):
        post_photo_delete(photo_id=photo.pk, deleted_by=group_staff)
    assert not os.path.exists(path)


def test_post_photo_add_max_six(post, group_staff):
    for number in range(6):
        post_photo_add(
            post_id=post.pk,
            image=png_file(),
            alt_text=f"{number}",
            added_by=group_staff,
        )
    with pytest.raises(ValidationError) as excinfo:
        post_photo_add(
            post_id=post.pk, image=png_file(), alt_text="7", added_by=group_staff
        )
    assert excinfo.value.messages == [
        "A post can have at most 6 photos. Delete one first."
    ]
    assert [p.position for p in post.photos.all()] == [0, 1, 2, 3, 4, 5]


def test_post_photo_add_requires_alt_text(post, group_staff):
    with pytest.raises(ValidationError) as excinfo:
        post_photo_add(
            post_id=post.pk, image=png_file(), alt_text=" ", added_by=group_staff
        )
    assert messages_of(excinfo) == {
        "alt_text": ["Describe what the photo shows for screen readers."]
    }


def test_post_photo_add_rejects_fake_image(post, group_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile(
        "photo.png", b"<?php echo 1; ?>", content_type="image/png"
    )
    with pytest.raises(ValidationError) as excinfo:
        post_photo_add(post_id=post.pk, image=fake, alt_text="x", added_by=group_staff)
    assert messages_of(excinfo) == {
        "image": ["The file is not a JPEG, PNG, GIF or WebP image."]
    }


def test_post_photo_add_rejects_large_file(post, group_staff, settings):
    settings.MAX_IMAGE_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError) as excinfo:
        post_photo_add(
            post_id=post.pk, image=png_file(), alt_text="x", added_by=group_staff
        )
    assert list(messages_of(excinfo)) == ["image"]
    assert not PostPhoto.objects.exists()


def test_post_update_place_mails_volunteers(
    post, session, group_staff, django_capture_on_commit_callbacks
):
    ApplicationFactory(
        session=session, applicant=UserFactory(email="volunteer@example.jp")
    )

    with django_capture_on_commit_callbacks(execute=True):
        post_update(
            post_id=post.pk, changed_by=group_staff, fields={"place": "阿知須海岸"}
        )

    [message] = mail.outbox
    assert message.to == ["volunteer@example.jp"]
    assert "阿知須海岸" in message.body
