"""Centre staff record and withdraw a parent's or guardian's agreement."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Photo
from campaigns.services import photos
from civic_portal.accounts import ages, guardian_consent, services
from civic_portal.accounts.models import (
    GuardianConsentChange,
    GuardianConsentMethod,
    User,
)
from partner_links.consent import lacks_guardian_consent
from probono.permissions import CONCIERGE_GROUP
from tests.audit.helpers import logged_fields
from tests.campaigns.factories import ParticipationFactory, upload
from tests.factories import GroupMembershipFactory, UserFactory, centre_staff

SEARCH_URL = reverse("accounts:guardian_consent_search")


def years_ago(years: int, days: int = 0) -> dt.date:
    today = ages.today_in_japan()
    return today.replace(year=today.year - years) - dt.timedelta(days=days)


@pytest.fixture
def minor(db):
    return UserFactory(
        email="minor@example.jp",
        full_name="未成年 花子",
        birth_date=years_ago(16, days=10),
        guardian_consent_at=None,
    )


@pytest.fixture
def staff(db):
    return centre_staff(UserFactory(email="centre@example.jp", full_name="窓口 一郎"))


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def detail_url(user: User) -> str:
    return reverse("accounts:guardian_consent_detail", args=[user.pk])


def record(client, user, **data):
    fields = {
        "action": "record",
        "agreed_on": (ages.today_in_japan() - dt.timedelta(days=2)).isoformat(),
        "method": "paper",
    }
    return client.post(detail_url(user), {**fields, **data})


# Permission


def _resident():
    return UserFactory(email="someone@example.jp")


def _group_staff():
    return GroupMembershipFactory(user__email="group@example.jp").user


def _prefectural_staff():
    return UserFactory(email="prefecture@example.jp", is_staff=True)


def _concierge():
    user = UserFactory(email="concierge@example.jp")
    user.groups.add(Group.objects.get_or_create(name=CONCIERGE_GROUP)[0])
    return user


NOT_CENTRE_STAFF = {
    "resident": _resident,
    "group staff": _group_staff,
    "prefectural staff": _prefectural_staff,
    "concierge": _concierge,
}


@pytest.mark.parametrize("role", NOT_CENTRE_STAFF)
def test_search_403_for_others(client, minor, role):
    client.force_login(NOT_CENTRE_STAFF[role]())
    assert client.get(SEARCH_URL).status_code == 403


@pytest.mark.parametrize("role", NOT_CENTRE_STAFF)
def test_search_post_403_for_others(client, minor, role):
    client.force_login(NOT_CENTRE_STAFF[role]())
    response = client.post(SEARCH_URL, {"email": "minor@example.jp"})
    assert response.status_code == 403


@pytest.mark.parametrize("role", NOT_CENTRE_STAFF)
def test_detail_403_for_others(client, minor, role):
    client.force_login(NOT_CENTRE_STAFF[role]())
    assert client.get(detail_url(minor)).status_code == 403
    assert record(client, minor).status_code == 403
    minor.refresh_from_db()
    assert minor.guardian_consent_at is None


def test_minor_cannot_record_own_agreement(client, minor):
    client.force_login(minor)
    assert record(client, minor).status_code == 403


def test_anonymous_redirected_to_login(client, minor):
    response = client.get(detail_url(minor))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_service_rejects_non_centre_staff(minor):
    with pytest.raises(PermissionDenied):
        guardian_consent.record_guardian_consent(
            minor,
            agreed_on=ages.today_in_japan(),
            method="paper",
            recorded_by=_group_staff(),
        )


# Finding a resident


def test_search_by_email_opens_record(staff_client, minor):
    response = staff_client.post(SEARCH_URL, {"email": "MINOR@example.jp"})

    assert response.status_code == 302
    assert response["Location"] == detail_url(minor)
    assert "example.jp" not in response["Location"]


def test_search_unknown_email(staff_client, minor):
    response = staff_client.post(SEARCH_URL, {"email": "nobody@example.jp"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "No active account has this e-mail address" in body
    assert 'value="nobody@example.jp"' in body


def test_search_form_posts_with_csrf_token(staff_client):
    body = staff_client.get(SEARCH_URL).content.decode()

    assert '<form method="post"' in body
    assert 'method="get"' not in body
    assert 'name="csrfmiddlewaretoken"' in body


def test_search_ignores_email_in_query(staff_client, minor):
    response = staff_client.get(SEARCH_URL, {"email": "minor@example.jp"})

    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="minor@example.jp"' not in body
    assert "No active account" not in body


def test_search_post_needs_csrf_token(client, staff, minor):
    client = type(client)(enforce_csrf_checks=True)
    client.force_login(staff)

    response = client.post(SEARCH_URL, {"email": "minor@example.jp"})

    assert response.status_code == 403


def test_detail_shows_age_and_no_agreement(staff_client, minor):
    response = staff_client.get(detail_url(minor))

    body = response.content.decode()
    assert response.status_code == 200
    assert "未成年 花子" in body
    assert "<dd>16 " in body
    assert "Under 18" in body
    assert "None recorded" in body


def test_detail_view_is_logged(staff_client, staff, minor):
    staff_client.get(detail_url(minor))

    fields = logged_fields(staff)[minor.pk]
    assert "accounts.User.birth_date" in fields
    assert "accounts.User.guardian_consent_at" in fields


def test_centre_home_links_to_screen(staff_client):
    response = staff_client.get(reverse("groups:centre_home"))
    assert SEARCH_URL in response.content.decode()


# Recording


def test_record_paper_agreement(staff_client, staff, minor):
    agreed = ages.today_in_japan() - dt.timedelta(days=2)

    response = record(staff_client, minor, agreed_on=agreed.isoformat())

    assert response.status_code == 302
    minor.refresh_from_db()
    assert guardian_consent.agreed_on(minor) == agreed
    assert minor.guardian_consent_method == GuardianConsentMethod.PAPER
    assert minor.guardian_consent_recorded_by == staff
    [change] = GuardianConsentChange.objects.filter(user=minor)
    assert change.action == GuardianConsentChange.Action.RECORDED
    assert change.agreed_on == agreed
    assert change.method == "paper"
    assert change.changed_by == staff


def test_record_shows_in_history(staff_client, minor):
    record(staff_client, minor, method="in_person")

    body = staff_client.get(detail_url(minor)).content.decode()

    assert "Agreement recorded" in body
    assert "In person" in body
    assert "窓口 一郎" in body


def test_future_date_rejected(staff_client, minor):
    tomorrow = ages.today_in_japan() + dt.timedelta(days=1)

    response = record(staff_client, minor, agreed_on=tomorrow.isoformat())

    assert response.status_code == 200
    assert "The date is in the future" in response.content.decode()
    minor.refresh_from_db()
    assert minor.guardian_consent_at is None


def test_date_before_birth_rejected(staff_client, minor):
    before_birth = minor.birth_date - dt.timedelta(days=1)

    response = record(staff_client, minor, agreed_on=before_birth.isoformat())

    body = response.content.decode()
    assert response.status_code == 200
    assert "The date is before the resident&#x27;s birth date" in body
    assert f'value="{before_birth.isoformat()}"' in body
    minor.refresh_from_db()
    assert minor.guardian_consent_at is None
    assert not GuardianConsentChange.objects.filter(user=minor).exists()


def test_service_rejects_date_before_birth(staff, minor):
    with pytest.raises(ValidationError) as error:
        guardian_consent.record_guardian_consent(
            minor, agreed_on=dt.date(1990, 1, 1), method="paper", recorded_by=staff
        )

    [field_error] = error.value.error_dict["agreed_on"]
    assert field_error.code == "before_birth_date"


def test_date_on_birth_day_accepted(staff, minor):
    guardian_consent.record_guardian_consent(
        minor, agreed_on=minor.birth_date, method="paper", recorded_by=staff
    )

    assert guardian_consent.agreed_on(minor) == minor.birth_date


def test_unknown_method_rejected(staff_client, minor):
    response = record(staff_client, minor, method="sign_up")

    assert response.status_code == 200
    minor.refresh_from_db()
    assert minor.guardian_consent_at is None


def test_adult_needs_no_agreement(staff):
    adult = UserFactory(email="adult@example.jp")

    with pytest.raises(ValidationError) as error:
        guardian_consent.record_guardian_consent(
            adult, agreed_on=ages.today_in_japan(), method="email", recorded_by=staff
        )

    assert error.value.code == "not_a_minor"


def test_missing_birth_date_rejected(staff):
    unknown = UserFactory(email="unknown@example.jp", birth_date=None)

    with pytest.raises(ValidationError) as error:
        guardian_consent.record_guardian_consent(
            unknown, agreed_on=ages.today_in_japan(), method="email", recorded_by=staff
        )

    assert error.value.code == "birth_date_missing"


def test_detail_without_method_has_no_brackets(staff_client, minor):
    minor.guardian_consent_at = timezone.now()
    minor.guardian_consent_method = ""
    minor.save()

    body = staff_client.get(detail_url(minor)).content.decode()

    assert "Given on " in body
    assert "()" not in body
    assert "No change has been recorded." in body


def test_detail_of_sign_up_agreement(staff_client, minor):
    minor.guardian_consent_at = timezone.now()
    minor.guardian_consent_method = GuardianConsentMethod.SIGN_UP
    minor.save()
    GuardianConsentChange.objects.create(
        user=minor,
        action=GuardianConsentChange.Action.RECORDED,
        agreed_on=ages.today_in_japan(),
        method=GuardianConsentMethod.SIGN_UP,
    )

    body = staff_client.get(detail_url(minor)).content.decode()

    assert body.count("Given at sign-up on ") == 2
    assert "()" not in body
    assert "(Confirmed by the resident at sign-up)" not in body


def test_detail_in_japanese_without_method(client, staff, minor):
    minor.guardian_consent_at = dt.datetime(2026, 12, 5, 1, 0, tzinfo=dt.UTC)
    minor.guardian_consent_method = ""
    minor.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    client.force_login(staff)

    body = client.get(detail_url(minor)).content.decode()

    assert "2026年12月5日" in body
    assert "（）" not in body
    assert "()" not in body


# Withdrawing


def withdraw(client, user, reason="保護者から電話で取り下げの連絡がありました。"):
    return client.post(detail_url(user), {"action": "withdraw", "reason": reason})


def test_withdraw_keeps_history(staff_client, staff, minor):
    record(staff_client, minor)

    response = withdraw(staff_client, minor)

    assert response.status_code == 302
    minor.refresh_from_db()
    assert minor.guardian_consent_at is None
    assert minor.guardian_consent_method == ""
    assert minor.guardian_consent_recorded_by is None
    withdrawn, recorded = GuardianConsentChange.objects.filter(user=minor)
    assert withdrawn.action == GuardianConsentChange.Action.WITHDRAWN
    assert withdrawn.reason == "保護者から電話で取り下げの連絡がありました。"
    assert withdrawn.changed_by == staff
    assert recorded.action == GuardianConsentChange.Action.RECORDED


def test_withdraw_needs_reason(staff_client, minor):
    record(staff_client, minor)

    response = withdraw(staff_client, minor, reason="  ")

    assert response.status_code == 200
    minor.refresh_from_db()
    assert minor.guardian_consent_at is not None


def test_withdraw_without_agreement_rejected(staff, minor):
    with pytest.raises(ValidationError) as error:
        guardian_consent.withdraw_guardian_consent(
            minor, reason="x", withdrawn_by=staff
        )

    assert error.value.code == "nothing_to_withdraw"


def test_withdrawal_stops_photo_upload(staff_client, staff, minor):
    participation = ParticipationFactory(user=minor)
    record(staff_client, minor)
    withdraw(staff_client, minor)
    minor.refresh_from_db()

    with pytest.raises(ValidationError, match="guardian"):
        photos.upload_photo(
            participation,
            minor,
            image=upload(),
            caption="海岸清掃",
            credit="花子",
            people=Photo.People.NONE_IDENTIFIABLE,
            statement_confirmed=True,
        )


def test_recorded_agreement_allows_photo_upload(staff_client, minor):
    participation = ParticipationFactory(user=minor)
    record(staff_client, minor)
    minor.refresh_from_db()

    photo = photos.upload_photo(
        participation,
        minor,
        image=upload(),
        caption="海岸清掃",
        credit="花子",
        people=Photo.People.NONE_IDENTIFIABLE,
        statement_confirmed=True,
    )

    assert photo.pk is not None


def test_withdrawal_stops_partner_sharing(staff_client, minor):
    record(staff_client, minor)
    minor.refresh_from_db()
    assert not lacks_guardian_consent(minor, ages.today_in_japan())

    withdraw(staff_client, minor)
    minor.refresh_from_db()

    assert lacks_guardian_consent(minor, ages.today_in_japan())


# What the resident sees


def test_profile_shows_recorded_agreement(client, staff_client, minor):
    record(staff_client, minor, method="email")
    client.force_login(minor)

    body = client.get(reverse("accounts:profile")).content.decode()

    assert "A parent's or guardian's agreement is recorded" in body
    assert "E-mail" in body


def test_profile_without_method_has_no_brackets(client, minor):
    minor.guardian_consent_at = timezone.now()
    minor.guardian_consent_method = ""
    minor.save()
    client.force_login(minor)

    body = client.get(reverse("accounts:profile")).content.decode()

    assert "A parent's or guardian's agreement is recorded" in body
    assert "()" not in body


def test_profile_of_minor_without_agreement(client, minor):
    client.force_login(minor)

    body = client.get(reverse("accounts:profile")).content.decode()

    assert "No parent's or guardian's agreement is recorded" in body


def test_profile_of_adult_has_no_section(client, resident):
    client.force_login(resident)

    body = client.get(reverse("accounts:profile")).content.decode()

    assert "guardian-heading" not in body


def test_my_data_lists_history(client, staff_client, minor):
    record(staff_client, minor)
    withdraw(staff_client, minor)
    client.force_login(minor)

    body = client.get(reverse("privacy:my_data")).content.decode()

    assert "Agreement recorded" in body
    assert "Agreement withdrawn" in body
    assert "保護者から電話で取り下げの連絡がありました。" in body


def test_sign_up_starts_history(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_sign_up(
            email="newminor@example.jp",
            password="correct horse 42",
            full_name="新規 未成年",
            name_kana="しんき みせいねん",
            municipality=None,
            birth_date=years_ago(15),
            occupation="high_school",
            preferred_language="ja",
            guardian_consent=True,
        )

    assert user.guardian_consent_method == GuardianConsentMethod.SIGN_UP
    [change] = GuardianConsentChange.objects.filter(user=user)
    assert change.method == GuardianConsentMethod.SIGN_UP
    assert change.changed_by is None
    assert change.agreed_on == ages.today_in_japan()


def test_agreed_on_uses_japan_day(minor):
    minor.guardian_consent_at = dt.datetime(2026, 3, 31, 16, 0, tzinfo=dt.UTC)

    assert guardian_consent.agreed_on(minor) == dt.date(2026, 4, 1)
    assert timezone.is_aware(minor.guardian_consent_at)
