"""What account deletion does to the person's volunteer applications."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from civic_portal.mail import send_mail_once
from civic_portal.privacy.services import delete_account
from tests.factories import ApplicationFactory, UserFactory, VolunteerSessionFactory
from volunteering.models import Application, VolunteerSession

DELETED_DOMAIN = "@deleted.invalid"


@pytest.fixture
def past_session(post):
    return VolunteerSessionFactory(
        post=post, starts_at=timezone.now() - dt.timedelta(days=3)
    )


def delete_with_mails(user, django_capture_on_commit_callbacks):
    """Delete *user*'s account and run the mail tasks queued on commit."""
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(user)
    user.refresh_from_db()


def test_future_application_cancelled(
    resident, session, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(session=session, applicant=resident, party_size=2)
    assert VolunteerSession.objects.get(pk=session.pk).places_taken == 2

    delete_with_mails(resident, django_capture_on_commit_callbacks)

    application.refresh_from_db()
    assert application.status == Application.Status.CANCELLED_BY_VOLUNTEER
    assert application.cancelled_at is not None
    assert VolunteerSession.objects.get(pk=session.pk).places_taken == 0


def test_future_cancellation_moves_waitlist(
    resident, post, django_capture_on_commit_callbacks
):
    full = VolunteerSessionFactory(post=post, capacity=1)
    ApplicationFactory(session=full, applicant=resident)
    waiting = ApplicationFactory(session=full, status=Application.Status.WAITLISTED)

    delete_with_mails(resident, django_capture_on_commit_callbacks)

    waiting.refresh_from_db()
    assert waiting.status != Application.Status.WAITLISTED
    assert waiting.holds_places
    assert VolunteerSession.objects.get(pk=full.pk).places_taken == 1


def test_past_application_kept(
    resident, past_session, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(session=past_session, applicant=resident)

    delete_with_mails(resident, django_capture_on_commit_callbacks)

    application.refresh_from_db()
    assert application.status == Application.Status.CONFIRMED
    assert VolunteerSession.objects.get(pk=past_session.pk).places_taken == 1


def test_no_mail_to_deleted_address(
    resident, session, group_staff, django_capture_on_commit_callbacks
):
    ApplicationFactory(session=session, applicant=resident)
    mail.outbox.clear()

    delete_with_mails(resident, django_capture_on_commit_callbacks)

    recipients = [address for message in mail.outbox for address in message.to]
    assert resident.email.endswith(DELETED_DOMAIN)
    assert not [address for address in recipients if DELETED_DOMAIN in address]
    # The group still hears that the place became free.
    assert "staff@example.jp" in recipients


def test_send_mail_once_skips_deleted_account(resident):
    delete_account(resident)
    resident.refresh_from_db()
    assert resident.is_deleted
    mail.outbox.clear()

    sent = send_mail_once(
        key="test.deleted-account",
        recipient=resident,
        template_prefix="mail/volunteering/application_confirmed",
        context={},
    )

    assert sent is False
    assert mail.outbox == []


def test_active_user_not_deleted(resident):
    assert not resident.is_deleted
    inactive = UserFactory(email="suspended@example.jp", is_active=False)
    assert not inactive.is_deleted


def test_applicant_list_shows_deleted_account(
    client, group_staff, resident, past_session
):
    ApplicationFactory(session=past_session, applicant=resident)
    delete_account(resident)
    client.force_login(group_staff)

    response = client.get(
        reverse("volunteering:post_applications", args=[past_session.post_id])
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Deleted account" in content
    assert "mailto:" not in content
    assert DELETED_DOMAIN not in content


def test_applicant_list_other_group_404(
    client, other_group_staff, resident, past_session
):
    ApplicationFactory(session=past_session, applicant=resident)
    delete_account(resident)
    client.force_login(other_group_staff)

    response = client.get(
        reverse("volunteering:post_applications", args=[past_session.post_id])
    )

    assert response.status_code == 404
