import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from civic_portal.accounts.models import User
from civic_portal.fiscal import fiscal_year_of
from civic_portal.privacy.register import REGISTER, Erasure
from groups.models import NewsletterSubscription
from indicators.services.compute import compute_all
from notifications.models import LineLink
from probono.models import ProbonoWorker
from tests.factories import (
    ApplicationFactory,
    NewsletterSubscriptionFactory,
    ProbonoWorkerFactory,
    VolunteerSessionFactory,
)

PASSWORD = "correct horse 42"


@pytest.fixture
def resident_data(resident, post):
    # A session that has started: deletion keeps applications to those.
    started = VolunteerSessionFactory(
        post=post, starts_at=timezone.now() - dt.timedelta(hours=2)
    )
    application = ApplicationFactory(
        session=started, applicant=resident, message="090-1234-5678 に連絡ください"
    )
    LineLink.objects.create(user=resident, line_user_id="U" + "b" * 32)
    ProbonoWorkerFactory(user=resident, employer="山口デザイン株式会社")
    NewsletterSubscriptionFactory(email=resident.email, user=None)
    Token.objects.create(user=resident)
    return application


def test_blank_fields_are_declared_and_blankable():
    for entry in REGISTER:
        model = entry.model_class
        if entry.erasure is Erasure.BLANK:
            assert entry.blank_fields, entry.model
        else:
            assert entry.blank_fields == (), entry.model
        for name in entry.blank_fields:
            assert name in entry.fields, f"{entry.model}.{name}"
            field = model._meta.get_field(name)
            assert field.many_to_many or field.null or field.blank, name


def test_erasures_need_a_subject():
    for entry in REGISTER:
        if entry.erasure is not Erasure.KEEP:
            assert entry.subject, entry.model


def test_wrong_password_keeps_account(signed_in, resident, resident_data):
    response = signed_in.post(
        reverse("privacy:delete_account"), {"password": "wrong password"}
    )
    resident.refresh_from_db()
    assert response.status_code == 200
    assert "The password is not correct" in response.content.decode()
    assert resident.is_active
    assert resident.email == "resident@example.jp"
    assert LineLink.objects.filter(user=resident).exists()


def test_anonymous_cannot_delete(client, resident):
    response = client.post(reverse("privacy:delete_account"), {"password": PASSWORD})
    resident.refresh_from_db()
    assert response.status_code == 302
    assert resident.is_active


def test_deletion_end_to_end(signed_in, resident, resident_data):
    year = fiscal_year_of(timezone.now())
    indicators_before = compute_all(year)
    assert indicators_before["volunteer_matches"] >= 1
    assert indicators_before["probono_registrants"] >= 1

    response = signed_in.post(reverse("privacy:delete_account"), {"password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert compute_all(year) == indicators_before

    account = User.objects.get(pk=resident.pk)
    assert not account.is_active
    assert not account.has_usable_password()
    assert account.email == f"deleted-{resident.pk}@deleted.invalid"
    assert account.full_name == ""
    assert account.name_kana == ""
    assert account.birth_date is None
    assert account.phone == ""
    assert account.municipality is None
    assert account.calendar_token != resident.calendar_token

    resident_data.refresh_from_db()
    assert resident_data.message == ""
    assert resident_data.status == "confirmed"
    assert resident_data.party_size == 1

    assert not LineLink.objects.filter(user=resident).exists()
    assert not NewsletterSubscription.objects.filter(
        email__iexact="resident@example.jp"
    ).exists()
    assert not Token.objects.filter(user=resident).exists()
    worker = ProbonoWorker.objects.get(employer="", status=ProbonoWorker.Status.DELETED)
    assert worker.user is None

    # The session ended, and the account area requires a log-in again.
    assert signed_in.get(reverse("privacy:my_data")).status_code == 302
    login = signed_in.post(
        reverse("accounts:login"),
        {"username": "resident@example.jp", "password": PASSWORD},
    )
    assert login.status_code == 200
    assert "_auth_user_id" not in signed_in.session


def test_no_mail_after_deletion(signed_in, resident, resident_data):
    signed_in.post(reverse("privacy:delete_account"), {"password": PASSWORD})
    mail.outbox.clear()
    reset = signed_in.post(
        reverse("accounts:password_reset"), {"email": "resident@example.jp"}
    )
    assert reset.status_code == 302
    assert mail.outbox == []
