import logging
import re

from django.contrib.auth.tokens import default_token_generator
from django.core import mail

from civic_portal.accounts.models import SentNotification
from civic_portal.accounts.tasks import send_confirmation_mail, send_password_reset_mail
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


def test_reset_task_sends_once_per_request(db):
    user = UserFactory(email="reset@example.jp")

    first = send_password_reset_mail(user.pk, "request-1")
    retried = send_password_reset_mail(user.pk, "request-1")
    second_request = send_password_reset_mail(user.pk, "request-2")

    assert first is True
    assert retried is False
    assert second_request is True
    assert len(mail.outbox) == 2


def test_reset_task_keeps_token_out_of_records(db, caplog):
    user = UserFactory(email="reset@example.jp")

    with caplog.at_level(logging.INFO):
        send_password_reset_mail(user.pk, "request-1")

    link = re.search(r"/accounts/password-reset/(\S+)/(\S+)/", mail.outbox[0].body)
    token = link[2]
    assert default_token_generator.check_token(user, token)
    assert token not in caplog.text
    assert not SentNotification.objects.filter(key__contains=token).exists()
    assert SentNotification.objects.filter(
        key=f"accounts.password_reset:{user.pk}:request-1"
    ).exists()


def test_reset_task_skips_inactive_user(db):
    user = UserFactory(email="closed@example.jp", is_active=False)

    assert send_password_reset_mail(user.pk, "request-1") is False
    assert len(mail.outbox) == 0
