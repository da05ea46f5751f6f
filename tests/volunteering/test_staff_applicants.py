import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ApplicationFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)
from tests.volunteering.helpers import messages_of
from volunteering.models import Application, Attendance


@pytest.fixture
def applicant(db):
    return UserFactory(
        email="volunteer@example.jp", full_name="防府 花子", phone="090-1111-2222"
    )


@pytest.fixture
def pending(session, applicant):
    return ApplicationFactory(
        session=session,
        applicant=applicant,
        status="pending",
        party_size=3,
        team_name="山口商事",
        message="3人で参加します。",
    )


def test_pending_applicant_without_contact(staff_client, pending):
    response = staff_client.get(
        reverse("volunteering:post_applications", args=[pending.post_id])
    )
    content = response.content.decode()
    assert response.status_code == 200
    for text in ("防府 花子", "山口商事", "3人で参加します。", "Awaiting confirmation"):
        assert text in content
    assert "volunteer@example.jp" not in content
    assert "090-1111-2222" not in content


def test_confirmed_applicant_with_contact(staff_client, pending):
    pending.status = Application.Status.CONFIRMED
    pending.save()
    response = staff_client.get(
        reverse("volunteering:post_applications", args=[pending.post_id])
    )
    content = response.content.decode()
    assert "防府 花子" in content
    assert "mailto:volunteer@example.jp" in content
    assert "090-1111-2222" in content


@pytest.mark.parametrize(
    "status",
    ["waitlisted", "declined", "cancelled_by_volunteer", "cancelled_by_staff"],
)
def test_unconfirmed_applicant_without_contact(
    staff_client, session, applicant, status
):
    ApplicationFactory(
        session=session, applicant=applicant, status=status, message="よろしく"
    )
    for url in (
        reverse("volunteering:post_applications", args=[session.post_id]),
        reverse("volunteering:staff_session_applications", args=[session.pk]),
    ):
        content = staff_client.get(url).content.decode()
        assert "防府 花子" in content
        assert "よろしく" in content
        assert "volunteer@example.jp" not in content
        assert "090-1111-2222" not in content


def test_unnamed_pending_applicant_hides_address(staff_client, session):
    ApplicationFactory(
        session=session,
        applicant=UserFactory(email="noname@example.jp", full_name=""),
        status="pending",
    )
    response = staff_client.get(
        reverse("volunteering:post_applications", args=[session.post_id])
    )
    content = response.content.decode()
    assert "(no name given)" in content
    assert "noname@example.jp" not in content


def test_session_applications_only_that_session(staff_client, pending, post):
    other_session = VolunteerSessionFactory(post=post)
    ApplicationFactory(
        session=other_session, applicant=UserFactory(full_name="別の 人")
    )
    response = staff_client.get(
        reverse("volunteering:staff_session_applications", args=[pending.session_id])
    )
    content = response.content.decode()
    assert "防府 花子" in content
    assert "別の 人" not in content


def test_applications_bounded_queries(
    staff_client, session, django_assert_max_num_queries
):
    for _ in range(10):
        ApplicationFactory(session=session, status="pending")
    with django_assert_max_num_queries(8):
        response = staff_client.get(
            reverse("volunteering:post_applications", args=[session.post_id])
        )
    assert len(response.context["applicants"]) == 10


def decide(client, application, decision, **data):
    return client.post(
        reverse(
            "volunteering:staff_application_decide", args=[application.pk, decision]
        ),
        data,
    )


def test_accept(staff_client, pending):
    response = decide(staff_client, pending, "accept")
    assert messages_of(response) == ["The application was accepted."]
    pending.refresh_from_db()
    assert pending.status == Application.Status.CONFIRMED


def test_accept_confirmed_shows_error(staff_client, session):
    confirmed = ApplicationFactory(session=session)
    response = decide(staff_client, confirmed, "accept")
    assert messages_of(response) == [
        "Only applications awaiting confirmation can be accepted."
    ]


def test_decline_frees_places(staff_client, pending):
    decide(staff_client, pending, "decline", reason="定員の都合")
    pending.refresh_from_db()
    pending.session.refresh_from_db()
    assert pending.status == Application.Status.DECLINED
    assert pending.cancel_reason == "定員の都合"
    assert pending.session.places_taken == 0


def test_cancel_requires_reason(staff_client, pending):
    response = decide(staff_client, pending, "cancel", reason=" ")
    assert messages_of(response) == ["Give the volunteer a reason for cancelling."]
    pending.refresh_from_db()
    assert pending.status == Application.Status.PENDING


def test_cancel_with_reason(staff_client, pending):
    response = decide(staff_client, pending, "cancel", reason="雨天中止")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "volunteering:post_applications", args=[pending.post_id]
    )
    pending.refresh_from_db()
    assert pending.status == Application.Status.CANCELLED_BY_STAFF


def test_decide_returns_to_safe_next_only(staff_client, pending):
    response = decide(
        staff_client, pending, "accept", next="https://evil.example/phish"
    )
    assert response["Location"] == reverse(
        "volunteering:post_applications", args=[pending.post_id]
    )
    target = reverse(
        "volunteering:staff_session_applications", args=[pending.session_id]
    )
    response = decide(staff_client, pending, "decline", next=target)
    assert response["Location"] == target


def test_decide_get_not_allowed(staff_client, pending):
    response = staff_client.get(
        reverse("volunteering:staff_application_decide", args=[pending.pk, "accept"])
    )
    assert response.status_code == 405


def test_year_round_submitted_hours_approvable(staff_client, group):
    post = VolunteerPostFactory(group=group, kind="year_round")
    application = ApplicationFactory(
        session=None,
        post=post,
        activity_date=timezone.localdate() - dt.timedelta(days=1),
    )
    record = Attendance.objects.create(
        application=application, status="submitted", hours=Decimal("4")
    )
    page = staff_client.get(reverse("volunteering:post_applications", args=[post.pk]))
    approve_url = reverse("volunteering:staff_attendance_approve", args=[record.pk])
    assert approve_url in page.content.decode()
    assert "The volunteer reported 4 hours per person." in page.content.decode()

    applications_url = reverse("volunteering:post_applications", args=[post.pk])
    response = staff_client.post(approve_url, {"next": applications_url})
    assert response["Location"] == applications_url
    record.refresh_from_db()
    assert record.status == "confirmed"


@pytest.mark.parametrize("decision", ["anything", "Cancel", "accept-all"])
def test_decide_unknown_decision_404(staff_client, pending, decision):
    url = reverse(
        "volunteering:staff_application_decide", args=[pending.pk, "cancel"]
    ).replace("/cancel/", f"/{decision}/")
    response = staff_client.post(url)
    assert response.status_code == 404
    pending.refresh_from_db()
    assert pending.status == Application.Status.PENDING


def test_logged_out_applicants_link_keeps_next(client, session, group_staff):
    # The link that the staff mail about a new application contains.
    applicants_url = reverse("volunteering:post_applications", args=[session.post_id])
    response = client.get(applicants_url + "?from=mail")
    login_url = reverse("accounts:login")
    assert response.status_code == 302
    assert response["Location"] == (
        f"{login_url}?next=/volunteer/manage/posts/{session.post_id}"
        "/applications/%3Ffrom%3Dmail"
    )
    response = client.post(
        response["Location"],
        {
            "username": group_staff.email,
            "password": "correct horse 42",
            "next": applicants_url,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == applicants_url
