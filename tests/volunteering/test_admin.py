import datetime as dt
from unittest import mock

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ApplicationFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)
from volunteering.models import (
    Application,
    Attendance,
    PostPhoto,
    PostReport,
    PostRevision,
    ReportPhoto,
    VolunteerPost,
    VolunteerSession,
)


@pytest.fixture
def admin_user(db):
    return UserFactory(
        email="admin@example.jp",
        is_staff=True,
        is_superuser=True,
        preferred_language="en",
    )


@pytest.fixture
def admin_client(admin_user, client):
    client.force_login(admin_user)
    return client


def admin_url(model, view, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


VOLUNTEERING_MODELS = list(apps.get_app_config("volunteering").get_models())


@pytest.fixture
def volunteering_rows(session, resident, group_staff):
    application = ApplicationFactory(session=session, applicant=resident)
    Attendance.objects.create(
        application=application, status=Attendance.Status.CONFIRMED, hours=3
    )
    PostPhoto.objects.create(post=session.post, image="posts/a.jpg", alt_text="竹林")
    PostRevision.objects.create(
        post=session.post, changed_by=group_staff, changes={"title": ["a", "b"]}
    )
    report = PostReport.objects.create(
        post=session.post, session=session, title="山口で活動", body="報告"
    )
    ReportPhoto.objects.create(report=report, image="reports/a.jpg", alt_text="集合")
    return application


def test_every_volunteering_model_registered():
    missing = [m.__name__ for m in VOLUNTEERING_MODELS if m not in admin.site._registry]
    assert missing == []


@pytest.mark.parametrize("model", VOLUNTEERING_MODELS, ids=lambda m: m.__name__)
def test_changelist_add_and_search(admin_client, volunteering_rows, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == 200
    search = admin_client.get(admin_url(model, "changelist"), {"q": "山口"})
    assert search.status_code == 200


@pytest.mark.parametrize("model", VOLUNTEERING_MODELS, ids=lambda m: m.__name__)
def test_change_page(admin_client, volunteering_rows, model):
    row = model.objects.first()

    assert admin_client.get(admin_url(model, "change", row.pk)).status_code == 200


def test_post_admin_has_session_and_photo_inlines(admin_client, session):
    response = admin_client.get(admin_url(VolunteerPost, "change", session.post.pk))

    inline_models = [
        formset.formset.model for formset in response.context["inline_admin_formsets"]
    ]
    assert inline_models == [VolunteerSession, PostPhoto]


def test_places_taken_read_only(admin_client, session):
    response = admin_client.get(admin_url(VolunteerSession, "change", session.pk))

    assert 'name="places_taken"' not in response.text
    assert 'name="capacity"' in response.text


def test_post_search_text_read_only(admin_client, post):
    response = admin_client.get(admin_url(VolunteerPost, "change", post.pk))

    assert 'name="search_text"' not in response.text
    assert post.search_text in response.text


def test_post_search_finds_title_in_other_kana(admin_client, group):
    found = VolunteerPostFactory(group=group, title="ボランティア募集")
    VolunteerPostFactory(group=group, title="里山整備")

    response = admin_client.get(
        admin_url(VolunteerPost, "changelist"), {"q": "ぼらんてぃあ"}
    )

    assert list(response.context["cl"].result_list) == [found]


def test_application_search_by_applicant_email(
    admin_client, resident, other_resident, session
):
    own = ApplicationFactory(session=session, applicant=resident)
    ApplicationFactory(session=session, applicant=other_resident)

    response = admin_client.get(
        admin_url(Application, "changelist"), {"q": "resident@example.jp"}
    )

    assert list(response.context["cl"].result_list) == [own]


def test_application_added_in_admin_takes_places(admin_client, session, resident):
    response = admin_client.post(
        admin_url(Application, "add"),
        {
            "post": session.post.pk,
            "session": session.pk,
            "applicant": resident.pk,
            "party_size": 2,
            "status": "confirmed",
            "team_name": "",
            "message": "",
            "cancel_reason": "",
        },
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.places_taken == 2


def test_application_status_read_only_after_creation(admin_client, session):
    application = ApplicationFactory(session=session)

    response = admin_client.get(admin_url(Application, "change", application.pk))

    assert 'name="status"' not in response.text
    assert 'name="party_size"' not in response.text


@pytest.mark.parametrize("count", [1, 30])
def test_application_changelist_queries_bounded(
    admin_client, post, count, django_assert_max_num_queries
):
    for _ in range(count):
        session = VolunteerSessionFactory(
            post=post, starts_at=timezone.now() + dt.timedelta(days=3)
        )
        ApplicationFactory(session=session)

    with django_assert_max_num_queries(12):
        response = admin_client.get(admin_url(Application, "changelist"))

    assert response.status_code == 200


def test_session_call_action_queues_task(
    admin_client, post, django_capture_on_commit_callbacks
):
    session = VolunteerSessionFactory(
        post=post, starts_at=timezone.now() + dt.timedelta(days=3)
    )
    with (
        mock.patch("volunteering.tasks.send_session_call.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = admin_client.post(
            admin_url(VolunteerSession, "changelist"),
            {"action": "send_call", "_selected_action": [session.pk]},
            follow=True,
        )

    assert response.status_code == 200
    delay.assert_called_once_with(session.pk)
    [message] = list(response.context["messages"])
    assert str(message) == "The call for 1 session is being sent."
    session.refresh_from_db()
    assert session.call_sent_at is not None


def test_session_call_action_reports_rule(admin_client, post):
    session = VolunteerSessionFactory(
        post=post, starts_at=timezone.now() + dt.timedelta(days=30)
    )

    with mock.patch("volunteering.tasks.send_session_call.delay") as delay:
        response = admin_client.post(
            admin_url(VolunteerSession, "changelist"),
            {"action": "send_call", "_selected_action": [session.pk]},
            follow=True,
        )

    delay.assert_not_called()
    [message] = list(response.context["messages"])
    assert str(message) == (
        f"{session}: A call can be sent only for sessions that start within 7 days."
    )
