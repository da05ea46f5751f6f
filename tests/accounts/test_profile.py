import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from civic_portal.accounts.forms import years_before
from civic_portal.accounts.models import User
from tests.factories import activity_field, municipality

URL = reverse("accounts:profile")
PHONE_MESSAGE = (
    "Enter a Japanese phone number of 10 or 11 digits starting with 0, for "
    "example 083-933-2000."
)


@pytest.fixture
def profile_data(resident):
    return {
        "full_name": "山口 太郎",
        "name_kana": "やまぐち たろう",
        "municipality": municipality().pk,
        "birth_date": "1990-05-01",
        "occupation": "employed",
        "phone": "",
        "preferred_language": "ja",
        "interest_fields": [],
        "interest_municipalities": [],
        "matching_mail_frequency": "never",
    }


@pytest.fixture
def signed_in(client, resident):
    client.force_login(resident)
    return client


def test_profile_requires_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={URL}"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("０８３－９３３－２０００", "0839332000"),
        ("090-1234-5678", "09012345678"),
        ("０９０１２３４５６７８", "09012345678"),
        ("083 933 2000", "0839332000"),
        ("(083) 933-2000", "0839332000"),
    ],
)
def test_profile_normalises_phone(signed_in, resident, profile_data, typed, stored):
    profile_data["phone"] = typed

    response = signed_in.post(URL, profile_data)

    resident.refresh_from_db()
    assert response.status_code == 302
    assert resident.phone == stored


@pytest.mark.parametrize(
    "typed", ["083-933-200", "1839332000", "090-1234-56789", "電話"]
)
def test_profile_rejects_bad_phone(signed_in, resident, profile_data, typed):
    profile_data["phone"] = typed

    response = signed_in.post(URL, profile_data)

    resident.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors["phone"] == [PHONE_MESSAGE]
    assert resident.phone == ""


def test_profile_rejects_future_birth_date(signed_in, resident, profile_data):
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    profile_data["birth_date"] = tomorrow.isoformat()
    profile_data["full_name"] = "山口 次郎"

    response = signed_in.post(URL, profile_data)

    resident.refresh_from_db()
    assert response.context["form"].errors["birth_date"] == [
        "The birth date cannot be in the future."
    ]
    assert resident.birth_date == dt.date(1990, 5, 1)
    assert resident.full_name != "山口 次郎"
    assert 'value="山口 次郎"' in response.content.decode()


def test_profile_saves_interests(signed_in, resident, profile_data):
    field = activity_field(7)
    hagi = municipality("35204")
    profile_data["interest_fields"] = [field.pk]
    profile_data["interest_municipalities"] = [hagi.pk]
    profile_data["matching_mail_frequency"] = "weekly"

    signed_in.post(URL, profile_data)

    resident.refresh_from_db()
    assert list(resident.interest_fields.all()) == [field]
    assert list(resident.interest_municipalities.all()) == [hagi]
    assert resident.matching_mail_frequency == User.MatchingMailFrequency.WEEKLY


def test_profile_choice_error_linked(signed_in, profile_data):
    profile_data["matching_mail_frequency"] = "hourly"

    page = signed_in.post(URL, profile_data).content.decode()

    summary = page.split('role="alert">')[1].split("</div>")[0]
    assert '<a href="#id_matching_mail_frequency">' in summary
    assert (
        '<fieldset class="field" aria-describedby="id_matching_mail_frequency_helptext '
        'id_matching_mail_frequency_error">'
    ) in page
    assert '<div id="id_matching_mail_frequency">' in page


def test_profile_shows_checkbox_lists(signed_in):
    response = signed_in.get(URL)

    page = response.content.decode()
    assert page.count('name="interest_fields"') == 20
    assert page.count('name="interest_municipalities"') == 19
    assert "<legend>" in page


def test_profile_language_switches_site(signed_in, resident, profile_data):
    profile_data["preferred_language"] = "en"

    response = signed_in.post(URL, profile_data)
    next_page = signed_in.get(URL)

    resident.refresh_from_db()
    assert resident.preferred_language == "en"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in next_page.content.decode()


def test_profile_language_overrides_old_cookie(signed_in, profile_data):
    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    profile_data["preferred_language"] = "ja"

    signed_in.post(URL, profile_data)
    next_page = signed_in.get(URL)

    assert '<html lang="ja">' in next_page.content.decode()


def test_profile_requires_name(japanese_client, resident, profile_data):
    japanese_client.force_login(resident)
    profile_data["full_name"] = ""

    response = japanese_client.post(URL, profile_data)

    assert response.context["form"].errors["full_name"] == ["この項目は必須です。"]


def test_profile_edits_only_own_account(signed_in, resident, other_resident):
    response = signed_in.get(URL)

    page = response.content.decode()
    assert resident.email in page
    assert other_resident.email not in page


def test_profile_rejects_too_old_birth_date(signed_in, resident, profile_data):
    profile_data["birth_date"] = "1899-12-31"

    response = signed_in.post(URL, profile_data)

    resident.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors["birth_date"] == [
        "The birth date cannot be more than 120 years ago. Check the year."
    ]
    assert resident.birth_date == dt.date(1990, 5, 1)


def test_profile_accepts_old_birth_date(signed_in, resident, profile_data):
    # A date well inside the 120-year limit, so the test does not depend on
    # the day it runs.
    profile_data["birth_date"] = "1910-01-01"

    response = signed_in.post(URL, profile_data)

    resident.refresh_from_db()
    assert response.status_code == 302
    assert resident.birth_date == dt.date(1910, 1, 1)


@pytest.mark.parametrize(
    ("today", "earliest"),
    [
        (dt.date(2026, 12, 4), dt.date(1906, 12, 4)),
        (dt.date(2024, 2, 29), dt.date(1904, 2, 29)),
        # 1900 was not a leap year.
        (dt.date(2020, 2, 29), dt.date(1900, 2, 28)),
    ],
)
def test_years_before_leap_day(today, earliest):
    assert years_before(today, 120) == earliest


@pytest.mark.parametrize("field", ["municipality", "interest_municipalities"])
def test_profile_rejects_huge_ids(signed_in, profile_data, field):
    profile_data[field] = "9" * 40

    response = signed_in.post(URL, profile_data)

    assert response.status_code == 200
    assert field in response.context["form"].errors


def years_ago(years):
    """Return 1 January of the year *years* ago: the person is *years* old today."""
    return dt.date(dt.date.today().year - years, 1, 1).isoformat()


def test_profile_refuses_birth_date_under_signup_age(signed_in, resident, profile_data):
    profile_data["birth_date"] = years_ago(12)

    response = signed_in.post(URL, profile_data)

    resident.refresh_from_db()
    assert (
        response.context["form"]
        .errors["birth_date"][0]
        .startswith("The portal is for people aged 13 and over")
    )
    assert resident.birth_date == dt.date(1990, 5, 1)


def test_profile_refuses_minor_without_guardian_agreement(
    signed_in, resident, profile_data
):
    profile_data["birth_date"] = years_ago(16)
    profile_data["full_name"] = "山口 次郎"

    response = signed_in.post(URL, profile_data)

    resident.refresh_from_db()
    assert response.context["form"].errors["birth_date"] == [
        "With this birth date you are under 18, and no parent's or guardian's "
        "agreement is on record for this account. Check the date, or ask a "
        "support centre to record the agreement."
    ]
    assert resident.birth_date == dt.date(1990, 5, 1)
    assert 'value="山口 次郎"' in response.content.decode()


def test_profile_accepts_minor_with_guardian_agreement(
    signed_in, resident, profile_data
):
    resident.guardian_consent_at = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    resident.save()
    profile_data["birth_date"] = years_ago(16)

    response = signed_in.post(URL, profile_data)

    resident.refresh_from_db()
    assert response.status_code == 302
    assert resident.birth_date.isoformat() == years_ago(16)


def test_profile_keeps_unchanged_minor_birth_date(signed_in, resident, profile_data):
    """An account made before the rule keeps saving while its date is unchanged."""
    resident.birth_date = dt.date.fromisoformat(years_ago(15))
    resident.save()
    profile_data["birth_date"] = years_ago(15)

    response = signed_in.post(URL, profile_data)

    assert response.status_code == 302
