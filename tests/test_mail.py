import datetime as dt
import email
import smtplib
from email.policy import default as default_policy
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from civic_portal.accounts.models import SentNotification
from civic_portal.mail import render_mail, send_mail_once
from tests.factories import UserFactory

SUBJECT = "【重要】竹林の間伐ボランティアへの応募を受け付けました（山口市）"


@pytest.fixture
def mail_templates(settings, tmp_path):
    folder = tmp_path / "templates" / "mail" / "test"
    folder.mkdir(parents=True)
    (folder / "event_subject.txt").write_text(
        "{{ subject }}\n{% load i18n %}{% get_current_language as lang %}[{{ lang }}]"
    )
    (folder / "event_body.txt").write_text(
        "{% load i18n %}{% get_current_language as lang %}"
        "{{ name }}様 ({{ lang }}) {{ SITE_URL }}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates"]},
    ]
    settings.SITE_URL = "https://portal.example.jp"
    return "mail/test/event"


@pytest.fixture
def japanese_user(db):
    return UserFactory(email="taro@example.jp", full_name="山口 太郎")


def send(prefix, user, key="test.event:1", **context):
    return send_mail_once(
        key=key,
        recipient=user,
        template_prefix=prefix,
        context={"subject": SUBJECT, "name": "山口 太郎", **context},
    )


def test_send_once_per_key(mail_templates, japanese_user):
    first = send(mail_templates, japanese_user)
    second = send(mail_templates, japanese_user)

    assert first is True
    assert second is False
    assert len(mail.outbox) == 1
    assert SentNotification.objects.get().recipient == japanese_user


def test_other_key_sends_again(mail_templates, japanese_user):
    send(mail_templates, japanese_user, key="test.event:1")
    send(mail_templates, japanese_user, key="test.event:2")

    assert len(mail.outbox) == 2


def test_subject_one_line_and_body_rendered(mail_templates, japanese_user):
    send(mail_templates, japanese_user)

    [message] = mail.outbox
    assert message.subject == f"{SUBJECT} [ja]"
    assert message.body == "山口 太郎様 (ja) https://portal.example.jp"


def test_recipient_language_used(mail_templates, japanese_user):
    japanese_user.preferred_language = "en"
    japanese_user.save()

    send(mail_templates, japanese_user)

    assert mail.outbox[0].subject.endswith("[en]")
    assert "(en)" in mail.outbox[0].body


def test_contact_address_gets_default_language(mail_templates, db):
    sent = send_mail_once(
        key="test.contact:1",
        recipient=None,
        template_prefix=mail_templates,
        context={"subject": SUBJECT, "name": "担当者"},
        to_address="contact@example.jp",
    )

    assert sent is True
    assert mail.outbox[0].to == ["contact@example.jp"]
    assert mail.outbox[0].subject.endswith("[ja]")
    assert SentNotification.objects.get().recipient is None


def test_given_language_overrides_recipient(mail_templates, japanese_user):
    sent = send_mail_once(
        key="test.language:1",
        recipient=japanese_user,
        template_prefix=mail_templates,
        context={"subject": SUBJECT, "name": "山口 太郎"},
        language="en",
    )

    assert sent is True
    assert mail.outbox[0].subject.endswith("[en]")


def test_extra_headers_sent(mail_templates, db):
    send_mail_once(
        key="test.headers:1",
        recipient=None,
        template_prefix=mail_templates,
        context={"subject": SUBJECT, "name": "読者"},
        to_address="reader@example.jp",
        headers={"List-Unsubscribe": "<https://portal.example.jp/u/1/>"},
    )

    message = mail.outbox[0].message()
    assert message["List-Unsubscribe"] == "<https://portal.example.jp/u/1/>"


def test_japanese_headers_survive_encoding(mail_templates, japanese_user):
    send(mail_templates, japanese_user)

    raw = mail.outbox[0].message().as_bytes()
    parsed = email.message_from_bytes(raw, policy=default_policy)

    headers, _separator, _body = raw.partition(b"\n\n")
    assert headers.isascii()
    assert parsed["Subject"] == f"{SUBJECT} [ja]"
    assert parsed["From"].addresses[0].display_name == "やまぐち県民活動ポータル"
    body = parsed.get_body(preferencelist=("plain",)).get_content()
    assert body == "山口 太郎様 (ja) https://portal.example.jp"


@pytest.mark.parametrize(
    "subject",
    ["応募を受け付けました", SUBJECT * 3, "New application: 竹林の間伐", "Plain ASCII"],
)
def test_subject_parses_back_unchanged(mail_templates, japanese_user, subject):
    send(mail_templates, japanese_user, subject=subject)

    raw = mail.outbox[0].message().as_bytes()
    parsed = email.message_from_bytes(raw, policy=default_policy)

    assert parsed["Subject"] == f"{subject} [ja]"
    for line in raw.partition(b"\n\n")[0].splitlines():
        assert len(line) <= 78, line


def test_japanese_recipient_name_encoded(mail_templates, db):
    send_mail_once(
        key="test.named:1",
        recipient=None,
        template_prefix=mail_templates,
        context={"subject": SUBJECT, "name": "担当者"},
        to_address="里山 花子 <hanako@example.jp>",
    )

    raw = mail.outbox[0].message().as_bytes()
    parsed = email.message_from_bytes(raw, policy=default_policy)

    address = parsed["To"].addresses[0]
    assert address.display_name == "里山 花子"
    assert address.addr_spec == "hanako@example.jp"


def test_failed_send_releases_key(mail_templates, japanese_user):
    failing = mock.Mock(side_effect=smtplib.SMTPServerDisconnected("gone"))

    with (
        mock.patch("civic_portal.mail.PortalEmailMessage.send", failing),
        pytest.raises(smtplib.SMTPServerDisconnected),
    ):
        send(mail_templates, japanese_user)

    assert not SentNotification.objects.exists()
    assert send(mail_templates, japanese_user) is True
    assert len(mail.outbox) == 1


def test_missing_address_skipped(mail_templates, db, caplog):
    sent = send_mail_once(
        key="test.none:1",
        recipient=None,
        template_prefix=mail_templates,
        context={"subject": SUBJECT, "name": ""},
    )

    assert sent is False
    assert mail.outbox == []
    assert "Mail test.none:1 has no recipient address; skipped" in caplog.text


def test_render_mail_joins_subject_lines(mail_templates):
    subject, _body = render_mail(mail_templates, {"subject": "一行目\n二行目"}, "ja")

    assert subject == "一行目 二行目 [ja]"


def test_render_mail_uses_japan_time(mail_templates, settings, tmp_path):
    folder = tmp_path / "templates" / "mail" / "test"
    (folder / "time_subject.txt").write_text("{{ moment|date:'H:i' }}")
    (folder / "time_body.txt").write_text("{{ moment|date:'Y-m-d H:i' }}")
    moment = dt.datetime(2026, 3, 31, 15, 30, tzinfo=dt.UTC)

    with timezone.override(dt.UTC):
        subject, body = render_mail("mail/test/time", {"moment": moment}, "ja")

    assert subject == "00:30"
    assert body == "2026-04-01 00:30"
