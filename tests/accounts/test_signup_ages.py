"""Sign-up age limits: under 13 rejected, under 18 with a guardian's agreement."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from civic_portal.accounts import ages, services
from civic_portal.accounts.forms import years_before
from civic_portal.accounts.models import User

URL = reverse("accounts:signup")


def born_years_ago(years: int, *, days_later: int = 0) -> dt.date:
    """Return the date *years* years before today, moved *days_later* days on."""
    return years_before(ages.today_in_japan(), years) + dt.timedelta(days=days_later)


def sign_up(client, data, capture):
    with capture(execute=True):
        return client.post(URL, data)


def test_limits_are_13_and_18():
    assert ages.MINIMUM_SIGNUP_AGE == 13
    assert ages.AGE_OF_MAJORITY == 18


@pytest.mark.parametrize(
    ("birth_date", "day", "age"),
    [
        (dt.date(2010, 5, 1), dt.date(2023, 4, 30), 12),
        (dt.date(2010, 5, 1), dt.date(2023, 5, 1), 13),
        (dt.date(2008, 2, 29), dt.date(2026, 2, 28), 17),
        (dt.date(2008, 2, 29), dt.date(2026, 3, 1), 18),
    ],
)
def test_age_on_birthday_boundaries(birth_date, day, age):
    assert ages.age_on(birth_date, day) == age


def test_signup_age_limit_on_13th_birthday():
    day = dt.date(2023, 5, 1)

    assert ages.is_below_signup_age(dt.date(2010, 5, 2), day)
    assert not ages.is_below_signup_age(dt.date(2010, 5, 1), day)


def test_guardian_consent_until_18th_birthday():
    day = dt.date(2026, 6, 15)

    assert ages.needs_guardian_consent(dt.date(2008, 6, 16), day)
    assert not ages.needs_guardian_consent(dt.date(2008, 6, 15), day)


def test_today_is_japan_date(monkeypatch):
    # 15:30 UTC on 14 June is 00:30 on 15 June in Japan.
    instant = dt.datetime(2026, 6, 14, 15, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(ages.timezone, "now", lambda: instant)

    assert ages.today_in_japan() == dt.date(2026, 6, 15)


def test_signup_under_13_rejected(
    client, signup_data, django_capture_on_commit_callbacks
):
    signup_data["birth_date"] = born_years_ago(13, days_later=1).isoformat()

    response = sign_up(client, signup_data, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "aged 13 and over" in errors["birth_date"][0]
    assert not User.objects.filter(email=signup_data["email"]).exists()


def test_signup_under_13_rejected_despite_consent(
    client, signup_data, django_capture_on_commit_callbacks
):
    signup_data["birth_date"] = born_years_ago(10).isoformat()
    signup_data["guardian_consent"] = "on"

    response = sign_up(client, signup_data, django_capture_on_commit_callbacks)

    assert "birth_date" in response.context["form"].errors
    assert not User.objects.filter(email=signup_data["email"]).exists()


def test_signup_minor_needs_guardian_consent(
    client, signup_data, django_capture_on_commit_callbacks
):
    signup_data["birth_date"] = born_years_ago(18, days_later=1).isoformat()

    response = sign_up(client, signup_data, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "parent or guardian must agree" in errors["guardian_consent"][0]
    assert not User.objects.filter(email=signup_data["email"]).exists()


def test_signup_minor_records_guardian_consent(
    client, signup_data, django_capture_on_commit_callbacks
):
    signup_data["birth_date"] = born_years_ago(13).isoformat()
    signup_data["guardian_consent"] = "on"

    response = sign_up(client, signup_data, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    user = User.objects.get(email=signup_data["email"])
    assert user.guardian_consent_at is not None
    assert user.guardian_consent_at == user.privacy_consent_at


def test_signup_on_18th_birthday_needs_no_consent(
    client, signup_data, django_capture_on_commit_callbacks
):
    signup_data["birth_date"] = born_years_ago(18).isoformat()

    response = sign_up(client, signup_data, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    user = User.objects.get(email=signup_data["email"])
    assert user.guardian_consent_at is None


def test_signup_adult_consent_not_stored(
    client, signup_data, django_capture_on_commit_callbacks
):
    signup_data["birth_date"] = born_years_ago(30).isoformat()
    signup_data["guardian_consent"] = "on"

    sign_up(client, signup_data, django_capture_on_commit_callbacks)

    user = User.objects.get(email=signup_data["email"])
    assert user.guardian_consent_at is None


@pytest.mark.parametrize(
    ("years", "consent", "code"),
    [
        (12, True, "below_signup_age"),
        (16, False, "guardian_consent_required"),
    ],
)
def test_service_rejects_age(signup_data, years, consent, code):
    with pytest.raises(ValidationError) as raised:
        services.user_sign_up(
            email=signup_data["email"],
            password=signup_data["password1"],
            full_name=signup_data["full_name"],
            name_kana=signup_data["name_kana"],
            municipality=None,
            birth_date=born_years_ago(years),
            occupation="high_school",
            preferred_language="ja",
            guardian_consent=consent,
        )

    assert raised.value.code == code
    assert not User.objects.filter(email=signup_data["email"]).exists()


def test_signup_page_shows_consent_box(client, db):
    html = client.get(URL).content.decode()

    assert 'name="guardian_consent"' in html
    assert "Required if you are under 18" in html
    assert "You can sign up from the age of 13." in html


def test_privacy_page_states_age_rules(client):
    html = client.get(reverse("privacy")).content.decode()

    assert "you can sign up from the age of 13" in html
    assert "If you are under 18 on the day you sign up" in html
