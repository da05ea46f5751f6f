import datetime as dt

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from civic_portal.fiscal import JAPAN
from tests.factories import (
    ApplicationFactory,
    GroupMembershipFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
    activity_field,
    municipality,
)
from tests.volunteering.helpers import messages_of
from tests.volunteering.test_staff_permissions import png_file
from volunteering.models import PostPhoto, PostRevision, VolunteerPost


def form_data(**overrides):
    data = {
        "title": "海岸清掃",
        "description": "砂浜のごみを拾います。",
        "activity_field": activity_field().pk,
        "municipality": municipality().pk,
        "place": "秋穂海岸",
        "tasks": "ごみ拾い",
        "what_to_bring": "軍手",
        "accepts_individuals": "on",
        "welcomes_high_school": "on",
        "minimum_age": "15",
        "contact_name": "海野 浜子",
        "contact_email": "umi@example.jp",
        "contact_phone": "083-000-0000",
        "kind": "sessions",
        "monthly_capacity": "",
        "application_deadline": "",
    }
    data.update(overrides)
    return data


def test_staff_posts_no_groups_page(client, resident):
    client.force_login(resident)
    response = client.get(reverse("volunteering:staff_posts"))
    assert response.status_code == 200
    assert b"You are not staff of any civic group yet" in response.content


def test_staff_posts_lists_only_own_groups(staff_client, post, other_group_staff):
    other_post = VolunteerPostFactory(title="他団体の募集")
    GroupMembershipFactory(group=other_post.group)
    response = staff_client.get(reverse("volunteering:staff_posts"))
    assert response.status_code == 200
    assert post.title in response.content.decode()
    assert "他団体の募集" not in response.content.decode()


def test_staff_posts_shows_next_session_and_pending(staff_client, post):
    past = VolunteerSessionFactory(
        post=post, starts_at=timezone.now() - dt.timedelta(days=2)
    )
    upcoming = VolunteerSessionFactory(
        post=post,
        starts_at=dt.datetime(2031, 4, 5, 10, 0, tzinfo=JAPAN),
    )
    ApplicationFactory(session=upcoming, status="pending")
    ApplicationFactory(session=upcoming, status="pending")
    ApplicationFactory(session=past, status="confirmed")
    response = staff_client.get(reverse("volunteering:staff_posts"))
    (listed,) = response.context["sections"][0][1]
    assert listed.next_session_at == upcoming.starts_at
    assert listed.pending_count == 2
    assert "2 applications" in response.content.decode()


def test_staff_posts_bounded_queries(
    staff_client, group, group_staff, django_assert_max_num_queries
):
    second = GroupMembershipFactory(user=group_staff).group
    for owner in (group, second):
        for _ in range(5):
            post = VolunteerPostFactory(group=owner)
            session = VolunteerSessionFactory(post=post)
            ApplicationFactory(session=session, status="pending")
    with django_assert_max_num_queries(8):
        response = staff_client.get(reverse("volunteering:staff_posts"))
    assert response.status_code == 200
    assert sum(len(posts) for _, posts in response.context["sections"]) == 10


def test_post_create_single_group(staff_client, group):
    response = staff_client.post(
        reverse("volunteering:staff_post_create"), form_data(group=group.pk)
    )
    post = VolunteerPost.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "volunteering:staff_post_detail", args=[post.pk]
    )
    assert post.status == "draft"
    assert post.group == group
    assert post.minimum_age == 15


def test_post_create_normalises_full_width_contact(staff_client, group):
    response = staff_client.post(
        reverse("volunteering:staff_post_create"),
        form_data(
            group=group.pk,
            contact_email="ＵＭＩ＠ｅｘａｍｐｌｅ．ｊｐ",
            contact_phone="０８３４－９９－３２６６",
        ),
    )
    assert response.status_code == 302
    post = VolunteerPost.objects.get()
    assert post.contact_email == "umi@example.jp"
    assert post.contact_phone == "0834993266"


def test_post_create_rejects_invalid_phone(staff_client, group):
    response = staff_client.post(
        reverse("volunteering:staff_post_create"),
        form_data(group=group.pk, contact_phone="083-ABC"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["contact_phone"] == [
        "Enter a Japanese phone number of 10 or 11 digits starting "
        "with 0, for example 083-933-2000."
    ]
    assert not VolunteerPost.objects.exists()


def test_post_create_chooses_among_groups(staff_client, group_staff):
    second = GroupMembershipFactory(user=group_staff).group
    response = staff_client.get(reverse("volunteering:staff_post_create"))
    assert response.context["form"].fields["group"].queryset.count() == 2
    staff_client.post(
        reverse("volunteering:staff_post_create"), form_data(group=second.pk)
    )
    assert VolunteerPost.objects.get().group == second


def test_post_create_rejects_other_group(staff_client, other_group_staff):
    foreign = other_group_staff.civic_groups.get()
    response = staff_client.post(
        reverse("volunteering:staff_post_create"), form_data(group=foreign.pk)
    )
    assert response.status_code == 200
    assert "group" in response.context["form"].errors
    assert not VolunteerPost.objects.exists()


def test_post_create_keeps_input_on_error(staff_client, group):
    past = timezone.localtime(timezone.now() - dt.timedelta(days=1), JAPAN)
    response = staff_client.post(
        reverse("volunteering:staff_post_create"),
        form_data(
            group=group.pk,
            place="",
            application_deadline=past.strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["place"] == ["Enter the place of the activity, or tick Online."]
    assert errors["application_deadline"] == [
        "The application deadline is in the past. Enter a later date and time."
    ]
    assert "海岸清掃" in response.content.decode()
    assert not VolunteerPost.objects.exists()


def test_post_create_no_groups_page(client, resident):
    client.force_login(resident)
    response = client.post(reverse("volunteering:staff_post_create"), form_data())
    assert b"You are not staff of any civic group yet" in response.content
    assert not VolunteerPost.objects.exists()


def test_post_edit_records_history(staff_client, post):
    response = staff_client.post(
        reverse("volunteering:staff_post_edit", args=[post.pk]),
        form_data(
            title="竹林整備",
            place=post.place,
            description=post.description,
            tasks="",
            what_to_bring="",
            minimum_age="",
            contact_name=post.contact_name,
            contact_email=post.contact_email,
            contact_phone="",
            welcomes_high_school="",
        ),
    )
    assert response.status_code == 302
    revision = PostRevision.objects.get()
    assert revision.changes["title"] == {
        "old": "竹林の間伐ボランティア",
        "new": "竹林整備",
    }

    history = staff_client.get(
        reverse("volunteering:staff_post_history", args=[post.pk])
    )
    content = history.content.decode()
    assert "竹林整備" in content
    assert "Title" in content


def test_post_history_shows_yes_no_and_status(staff_client, post, group_staff):
    PostRevision.objects.create(
        post=post,
        changed_by=group_staff,
        changes={
            "accepts_teams": {"old": False, "new": True},
            "status": {"old": "published", "new": "closed"},
        },
    )
    content = staff_client.get(
        reverse("volunteering:staff_post_history", args=[post.pk])
    ).content.decode()
    assert "<td>No</td><td>Yes</td>" in content
    assert "<td>Published</td><td>Closed</td>" in content


def test_post_detail_renders(staff_client, post, session):
    PostPhoto.objects.create(post=post, image=png_file(), alt_text="竹林")
    response = staff_client.get(
        reverse("volunteering:staff_post_detail", args=[post.pk])
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Send a call to residents" in content
    assert 'alt="竹林"' in content


def test_post_status_publish_needs_session(staff_client, group):
    draft = VolunteerPostFactory(group=group, status="draft")
    response = staff_client.post(
        reverse("volunteering:staff_post_status", args=[draft.pk]),
        {"action": "publish"},
    )
    assert response.status_code == 302
    assert messages_of(response) == [
        "A post with dated sessions needs at least one upcoming session before it "
        "is published. Add a session first."
    ]
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_post_status_publish_and_close(staff_client, group):
    draft = VolunteerPostFactory(group=group, status="draft")
    VolunteerSessionFactory(post=draft)
    url = reverse("volunteering:staff_post_status", args=[draft.pk])
    staff_client.post(url, {"action": "publish"})
    draft.refresh_from_db()
    assert draft.status == "published"
    staff_client.post(url, {"action": "close"})
    draft.refresh_from_db()
    assert draft.status == "closed"


def test_post_status_schedule_past_keeps_input(staff_client, group):
    draft = VolunteerPostFactory(group=group, status="draft")
    VolunteerSessionFactory(post=draft)
    response = staff_client.post(
        reverse("volunteering:staff_post_status", args=[draft.pk]),
        {"action": "schedule", "publish_at": "2020-01-01T10:00"},
    )
    assert response.status_code == 200
    assert response.context["schedule_form"].errors == {
        "publish_at": [
            "The publishing time is in the past. Enter a later time, or publish now."
        ]
    }
    assert 'value="2020-01-01T10:00"' in response.content.decode()


def test_post_status_schedule_and_unschedule(staff_client, group):
    draft = VolunteerPostFactory(group=group, status="draft")
    VolunteerSessionFactory(
        post=draft, starts_at=timezone.now() + dt.timedelta(days=30)
    )
    when = timezone.localtime(timezone.now() + dt.timedelta(days=2), JAPAN)
    url = reverse("volunteering:staff_post_status", args=[draft.pk])
    staff_client.post(
        url, {"action": "schedule", "publish_at": when.strftime("%Y-%m-%dT%H:%M")}
    )
    draft.refresh_from_db()
    assert draft.status == "scheduled"
    assert draft.publish_at == when.replace(second=0, microsecond=0)
    staff_client.post(url, {"action": "unschedule"})
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_post_status_unknown_action(staff_client, post):
    response = staff_client.post(
        reverse("volunteering:staff_post_status", args=[post.pk]), {"action": "x"}
    )
    assert messages_of(response) == ["Unknown action. Use one of the buttons."]


def test_photo_add_and_delete(staff_client, post):
    response = staff_client.post(
        reverse("volunteering:staff_photo_add", args=[post.pk]),
        {"image": png_file(), "alt_text": "竹林"},
    )
    assert response.status_code == 302
    photo = PostPhoto.objects.get()
    staff_client.post(reverse("volunteering:staff_photo_delete", args=[photo.pk]))
    assert not PostPhoto.objects.exists()


def test_photo_add_rejects_fake_image(staff_client, post):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.png", b"GIF89a nope", content_type="image/png")
    response = staff_client.post(
        reverse("volunteering:staff_photo_add", args=[post.pk]),
        {"image": fake, "alt_text": "竹林"},
    )
    assert response.status_code == 200
    assert response.context["photo_form"].errors == {
        "image": ["The file is not a JPEG, PNG, GIF or WebP image."]
    }
    assert 'value="竹林"' in response.content.decode()
    assert not PostPhoto.objects.exists()


def test_photo_add_rejects_decompression_bomb(staff_client, post):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.volunteering.test_validators import png_with_size

    bomb = SimpleUploadedFile(
        "big.png", png_with_size(20000, 20000), content_type="image/png"
    )
    response = staff_client.post(
        reverse("volunteering:staff_photo_add", args=[post.pk]),
        {"image": bomb, "alt_text": "竹林"},
    )
    assert response.status_code == 200
    assert response.context["photo_form"].errors == {
        "image": [
            "The photo has more than 89 million pixels. "
            "Make it smaller and upload it again."
        ]
    }
    assert not PostPhoto.objects.exists()


def test_photo_add_rejects_seventh(staff_client, post):
    for number in range(6):
        PostPhoto.objects.create(post=post, image=png_file(), alt_text=str(number))
    response = staff_client.post(
        reverse("volunteering:staff_photo_add", args=[post.pk]),
        {"image": png_file(), "alt_text": "7"},
    )
    assert response.context["photo_form"].non_field_errors() == [
        "A post can have at most 6 photos. Delete one first."
    ]
    assert PostPhoto.objects.count() == 6


def test_post_detail_bounded_queries(
    staff_client, post, group_staff, django_assert_max_num_queries
):
    for _ in range(10):
        session = VolunteerSessionFactory(post=post)
        ApplicationFactory(session=session, status="pending")
        PostPhoto.objects.create(post=post, image=png_file(), alt_text="竹林")
    with django_assert_max_num_queries(10):
        response = staff_client.get(
            reverse("volunteering:staff_post_detail", args=[post.pk])
        )
    assert len(response.context["sessions"]) == 10


def _edit_data(post, **overrides):
    """Return the edit form's data for *post* unchanged, then *overrides*."""
    current = {
        "title": post.title,
        "place": post.place,
        "description": post.description,
        "tasks": post.tasks,
        "what_to_bring": post.what_to_bring,
        "minimum_age": "",
        "contact_name": post.contact_name,
        "contact_email": post.contact_email,
        "contact_phone": "",
    }
    return form_data(**{**current, **overrides})


def test_post_edit_place_mails_volunteers(
    staff_client, post, session, django_capture_on_commit_callbacks
):
    ApplicationFactory(
        session=session, applicant=UserFactory(email="volunteer@example.jp")
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("volunteering:staff_post_edit", args=[post.pk]),
            _edit_data(post, place="阿知須海岸"),
        )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["volunteer@example.jp"]
    assert "阿知須海岸" in message.body


def test_post_edit_without_place_change_no_mail(
    staff_client, post, session, django_capture_on_commit_callbacks
):
    ApplicationFactory(session=session)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("volunteering:staff_post_edit", args=[post.pk]),
            _edit_data(post, title="竹林整備"),
        )
    assert response.status_code == 302
    assert mail.outbox == []


def detail_rows(client, post):
    response = client.get(reverse("volunteering:staff_post_detail", args=[post.pk]))
    return response, response.context["sessions"]


def test_post_detail_sessions_in_date_order(staff_client, post):
    later = VolunteerSessionFactory(
        post=post, starts_at=timezone.now() + dt.timedelta(days=20)
    )
    sooner = VolunteerSessionFactory(
        post=post, starts_at=timezone.now() + dt.timedelta(days=2)
    )
    ApplicationFactory(session=later, status="pending")
    _, rows = detail_rows(staff_client, post)
    assert [session for session, _ in rows] == [sooner, later]


def test_post_detail_call_button_only_when_allowed(staff_client, post):
    near = VolunteerSessionFactory(
        post=post, starts_at=timezone.now() + dt.timedelta(days=3)
    )
    far = VolunteerSessionFactory(
        post=post, starts_at=timezone.now() + dt.timedelta(days=10)
    )
    response, rows = detail_rows(staff_client, post)
    reasons = dict(rows)
    page = response.content.decode()
    assert reasons[near] is None
    assert reasons[far] == (
        "A call can be sent only for sessions that start within 7 days."
    )
    assert reverse("volunteering:staff_session_call", args=[near.pk]) in page
    assert reverse("volunteering:staff_session_call", args=[far.pk]) not in page
    assert "A call can be sent only for sessions that start within 7 days." in page


def test_post_detail_separates_confirmed_places(staff_client, post):
    session = VolunteerSessionFactory(post=post, capacity=10)
    ApplicationFactory(session=session, status="confirmed", party_size=2)
    ApplicationFactory(session=session, status="pending", party_size=3)
    ApplicationFactory(session=session, status="cancelled_by_volunteer")
    response, rows = detail_rows(staff_client, post)
    ((shown, _),) = rows
    page = response.content.decode()
    assert shown.places_taken == 5
    assert shown.confirmed_people == 2
    assert shown.pending_count == 1
    assert "Places held (confirmed + awaiting) / capacity" in page
    assert '<span class="nowrap">5 / 10</span>' in page


def test_post_create_reports_all_errors_at_once(staff_client, group):
    past = timezone.localtime(timezone.now() - dt.timedelta(days=1), JAPAN)
    response = staff_client.post(
        reverse("volunteering:staff_post_create"),
        form_data(
            group=group.pk,
            contact_email="not-an-address",
            place="",
            application_deadline=past.strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"contact_email", "place", "application_deadline"}
    assert errors["application_deadline"] == [
        "The application deadline is in the past. Enter a later date and time."
    ]
    page = response.content.decode()
    assert 'role="alert"' in page
    assert 'href="#id_contact_email"' in page
    assert 'href="#id_application_deadline"' in page
    assert not VolunteerPost.objects.exists()


def test_post_edit_keeps_past_deadline_unchanged(staff_client, post):
    # Whole minutes, as the form sends them.
    past = (timezone.now() - dt.timedelta(days=1)).replace(second=0, microsecond=0)
    VolunteerPost.objects.filter(pk=post.pk).update(application_deadline=past)
    post.refresh_from_db()
    deadline = timezone.localtime(past, JAPAN).strftime("%Y-%m-%dT%H:%M")
    response = staff_client.post(
        reverse("volunteering:staff_post_edit", args=[post.pk]),
        form_data(title="新しい題名", application_deadline=deadline),
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "新しい題名"
