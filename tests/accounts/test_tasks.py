import logging

from django.core import mail

from civic_portal.accounts.tasks import send_confirmation_mail
from tests.factories import UserFactory


def test_confirmation_task_sends_once_per_request(db):
    user = UserFactory(email="new@example.jp", email_confirmed=False)

    first = send_confirmation_mail(user.pk, "request-1")
    retried = send_confirmation_mail(user.pk, "request-1")

    assert first is True
    assert retried is False
    assert len(mail.outbox) == 1


def test_confirmation_task_skips_confirmed_user(db):
    user = UserFactory(email="done@example.jp", email_confirmed=True)

    assert send_confirmation_mail(user.pk, "request-1") is False
    assert len(mail.outbox) == 0


def test_confirmation_task_missing_user(db, caplog):
    with caplog.at_level(logging.INFO, logger="civic_portal.accounts.tasks"):
        sent = send_confirmation_mail(999999, "request-1")

    assert sent is False
    assert "user 999999 skipped: not needed" in caplog.text
