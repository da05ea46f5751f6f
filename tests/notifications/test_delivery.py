import logging

import pytest
from django.core import mail

from civic_portal.accounts.models import SentNotification
from civic_portal.mail import send_mail_once
from notifications import delivery
from notifications.line_api import MAX_TEXT_LENGTH
from notifications.models import LineLink, LineMessage
from notifications.tasks import retry_countdown

pytestmark = pytest.mark.django_db

POST_URL = "https://portal.example.jp/volunteer/posts/7/"
APPLY_URL = "https://portal.example.jp/volunteer/apply/abc/"


@pytest.fixture
def templates(settings, tmp_path):
    """Mail templates whose subject is a msgid the Japanese catalog translates."""
    folder = tmp_path / "templates" / "mail" / "test"
    folder.mkdir(parents=True)
    (folder / "event_subject.txt").write_text(
        '{% load i18n %}{% translate "Profile" %} {{ title }}'
    )
    (folder / "event_body.txt").write_text("Body for {{ title }}")
    (folder / "custom_subject.txt").write_text("Custom subject")
    (folder / "custom_body.txt").write_text("Custom body")
    (folder / "custom_line.txt").write_text(
        '{% load i18n %}{% translate "Save" %}: {{ title }} {{ line_link }}'
    )
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]],
        },
    ]
    return "mail/test/event"


@pytest.fixture
def notify(templates, django_capture_on_commit_callbacks):
    """Return a function that sends a notification and runs the queued push."""

    def send(user, key="test.event:1", prefix=templates, **context):
        with django_capture_on_commit_callbacks(execute=True):
            return send_mail_once(
                key=key,
                recipient=user,
                template_prefix=prefix,
                context={"title": "竹林の間伐", "post_url": POST_URL, **context},
            )

    return send


def set_delivery(user, delivery_choice):
    LineLink.objects.filter(user=user).update(delivery=delivery_choice)


def line_user_id(user):
    return LineLink.objects.get(user=user).line_user_id


# Channels


def test_line_and_mail_sends_both(linked_resident, line, notify):
    sent = notify(linked_resident)

    assert sent is True
    assert len(mail.outbox) == 1
    assert line.pushed_texts(line_user_id(linked_resident)) == [
        f"プロフィール 竹林の間伐\n{POST_URL}"
    ]
    assert LineMessage.objects.get().status == LineMessage.Status.SENT
    assert line.problems == []


def test_line_only_sends_no_mail(linked_resident, line, notify):
    set_delivery(linked_resident, LineLink.Delivery.LINE)

    sent = notify(linked_resident)

    assert sent is True
    assert mail.outbox == []
    assert len(line.pushes) == 1
    assert not SentNotification.objects.exists()


def test_mail_only_pushes_nothing(linked_resident, line, notify):
    set_delivery(linked_resident, LineLink.Delivery.MAIL)

    notify(linked_resident)

    assert len(mail.outbox) == 1
    assert line.requests == []
    assert not LineMessage.objects.exists()


def test_unlinked_resident_gets_mail_only(resident, line, notify):
    notify(resident)

    assert len(mail.outbox) == 1
    assert line.requests == []


def test_channel_off_pushes_nothing(linked_resident, line, notify, settings):
    settings.LINE_CHANNEL_SECRET = ""

    notify(linked_resident)

    assert len(mail.outbox) == 1
    assert line.requests == []


def test_contact_address_mail_not_pushed(linked_resident, line, templates):
    send_mail_once(
        key="test.contact:1",
        recipient=linked_resident,
        template_prefix=templates,
        context={"title": "x"},
        to_address="contact@example.jp",
    )

    assert mail.outbox[0].to == ["contact@example.jp"]
    assert not LineMessage.objects.exists()


def test_same_key_pushed_once_per_channel(linked_resident, line, notify):
    first = notify(linked_resident)
    second = notify(linked_resident)

    assert first is True
    assert second is False
    assert len(mail.outbox) == 1
    assert len(line.pushes) == 1


def test_other_key_pushed_again(linked_resident, line, notify):
    notify(linked_resident, key="test.event:1")
    notify(linked_resident, key="test.event:2")

    assert len(line.pushes) == 2


# Text


def test_message_in_english(linked_resident, line, notify):
    linked_resident.preferred_language = "en"
    linked_resident.save()

    notify(linked_resident)

    assert line.pushed_texts(line_user_id(linked_resident)) == [
        f"Profile 竹林の間伐\n{POST_URL}"
    ]


def test_line_template_used_when_present(linked_resident, line, notify):
    notify(linked_resident, prefix="mail/test/custom")

    assert line.pushed_texts(line_user_id(linked_resident)) == [
        f"保存: 竹林の間伐 {POST_URL}"
    ]
    assert mail.outbox[0].subject == "Custom subject"


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ({"apply_url": APPLY_URL, "post_url": POST_URL}, APPLY_URL),
        ({"post_url": POST_URL}, POST_URL),
        (
            {
                "other_url": "https://elsewhere.example/",
                "request_url": "https://portal.example.jp/probono/requests/3/",
            },
            "https://portal.example.jp/probono/requests/3/",
        ),
        ({"name": "x"}, "https://portal.example.jp/"),
    ],
)
def test_notification_link_choice(line, context, expected):
    assert delivery.notification_link(context) == expected


def test_long_subject_shortened_link_kept(line):
    text = delivery.render_line_text(
        "mail/test/none", {"post_url": POST_URL}, "ja", "長" * 6000
    )

    assert len(text) == MAX_TEXT_LENGTH
    assert text.endswith(f"…\n{POST_URL}")


def test_long_message_accepted_by_fake(linked_resident, line, notify, templates):
    notify(linked_resident, title="長" * 6000)

    assert line.problems == []
    [text] = line.pushed_texts(line_user_id(linked_resident))
    assert len(text) == MAX_TEXT_LENGTH


# Failures, retries and the fallback to mail


def test_temporary_errors_retried(linked_resident, line, notify):
    line.fail_next(500)
    line.fail_next(429)

    notify(linked_resident)

    message = LineMessage.objects.get()
    assert message.status == LineMessage.Status.SENT
    assert message.attempts == 3
    assert len(line.pushes) == 1
    assert LineLink.objects.get().consecutive_failures == 0
    assert len(mail.outbox) == 1


def test_permanent_error_switches_to_mail(linked_resident, line, notify, caplog):
    set_delivery(linked_resident, LineLink.Delivery.LINE)
    line.fail_next(400)

    with caplog.at_level(logging.INFO):
        sent = notify(linked_resident)

    assert sent is True
    link = LineLink.objects.get()
    assert link.delivery == LineLink.Delivery.MAIL
    assert link.switched_to_mail_at is not None
    message = LineMessage.objects.get()
    assert message.status == LineMessage.Status.SENT_BY_MAIL
    assert message.attempts == 1
    [sent_mail] = mail.outbox
    assert sent_mail.subject == "プロフィール 竹林の間伐"
    assert SentNotification.objects.filter(key="test.event:1").exists()
    assert line.pushes == []
    assert linked_resident.email not in caplog.text
    assert link.line_user_id not in caplog.text


def test_permanent_error_mailed_resident_not_mailed_twice(
    linked_resident, line, notify
):
    line.fail_next(403)

    notify(linked_resident)

    assert LineMessage.objects.get().status == LineMessage.Status.DROPPED
    assert len(mail.outbox) == 1
    assert LineLink.objects.get().delivery == LineLink.Delivery.MAIL


def test_next_notification_after_switch_by_mail(linked_resident, line, notify):
    set_delivery(linked_resident, LineLink.Delivery.LINE)
    line.fail_next(400)
    notify(linked_resident, key="test.event:1")

    notify(linked_resident, key="test.event:2")

    assert len(mail.outbox) == 2
    assert LineMessage.objects.count() == 1


def test_consecutive_failures_switch_to_mail(linked_resident, line, notify):
    set_delivery(linked_resident, LineLink.Delivery.LINE)
    line.fail_next(500, times=delivery.MAX_CONSECUTIVE_FAILURES)

    notify(linked_resident)

    message = LineMessage.objects.get()
    assert message.attempts == delivery.MAX_CONSECUTIVE_FAILURES
    assert message.status == LineMessage.Status.SENT_BY_MAIL
    assert LineLink.objects.get().delivery == LineLink.Delivery.MAIL
    assert len(mail.outbox) == 1
    assert line.pushes == []


def test_failures_of_earlier_messages_count(linked_resident, line, notify):
    set_delivery(linked_resident, LineLink.Delivery.LINE)
    LineLink.objects.update(consecutive_failures=delivery.MAX_CONSECUTIVE_FAILURES - 1)
    line.fail_next(500)

    notify(linked_resident)

    assert LineLink.objects.get().delivery == LineLink.Delivery.MAIL
    assert len(mail.outbox) == 1


def test_unreachable_api_retried_then_mailed(
    linked_resident, line_server, notify, settings
):
    set_delivery(linked_resident, LineLink.Delivery.LINE)
    # A port on loopback where nothing listens: the fake, stopped.
    url = line_server.base_url
    line_server.stop()
    settings.LINE_API_BASE_URL = url

    notify(linked_resident)

    message = LineMessage.objects.get()
    assert message.status == LineMessage.Status.SENT_BY_MAIL
    assert message.attempts == delivery.MAX_CONSECUTIVE_FAILURES
    assert len(mail.outbox) == 1


def test_unlinked_before_push_sent_by_mail(linked_resident, line, templates):
    set_delivery(linked_resident, LineLink.Delivery.LINE)
    send_mail_once(
        key="test.event:1",
        recipient=linked_resident,
        template_prefix=templates,
        context={"title": "x"},
    )
    LineLink.objects.all().delete()

    from notifications.tasks import deliver_line_message

    status = deliver_line_message.delay(LineMessage.objects.get().pk).get()

    assert status == LineMessage.Status.SENT_BY_MAIL
    assert len(mail.outbox) == 1
    assert line.requests == []


@pytest.mark.parametrize("retries", range(10))
def test_retry_countdown_bounded(retries):
    maximum = min(
        delivery.RETRY_BACKOFF_MAX_SECONDS, delivery.RETRY_BACKOFF_SECONDS * 2**retries
    )

    countdowns = [retry_countdown(retries) for _ in range(20)]

    assert all(0 <= countdown <= maximum for countdown in countdowns)


def test_finished_message_keeps_no_mail_body(linked_resident, line, notify):
    set_delivery(linked_resident, LineLink.Delivery.LINE)
    notify(linked_resident, key="test.event:1")
    line.fail_next(400)

    notify(linked_resident, key="test.event:2")

    pushed = LineMessage.objects.get(key="test.event:1")
    mailed = LineMessage.objects.get(key="test.event:2")
    assert pushed.status == LineMessage.Status.SENT
    assert pushed.mail_body == ""
    assert mailed.status == LineMessage.Status.SENT_BY_MAIL
    assert mailed.mail_body == ""
    assert mail.outbox[0].body == "Body for 竹林の間伐"


@pytest.mark.parametrize("task_name", ["password_reset", "confirmation"])
def test_account_mails_never_pushed(resident, line, task_name):
    from civic_portal.accounts import tasks

    resident.email_confirmed = False
    resident.save()
    LineLink.objects.create(
        user=resident, line_user_id="U" + "1" * 32, delivery=LineLink.Delivery.LINE
    )

    getattr(tasks, f"send_{task_name}_mail").delay(resident.pk, "request-1")

    assert len(mail.outbox) == 1
    assert not LineMessage.objects.exists()
    assert line.requests == []
