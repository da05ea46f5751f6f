"""The guardian rule that every sharing with partners and schools obeys."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partner_links.consent import (
    adult_birth_date_cutoff,
    check_guardian_consent,
    lacks_guardian_consent,
)
from tests.factories import UserFactory

TODAY = dt.date(2026, 12, 5)


@pytest.mark.parametrize(
    ("day", "cutoff"),
    [
        (dt.date(2026, 12, 5), dt.date(2008, 12, 5)),
        (dt.date(2026, 2, 28), dt.date(2008, 2, 28)),
        (dt.date(2028, 2, 29), dt.date(2010, 2, 28)),
    ],
)
def test_adult_birth_date_cutoff(day, cutoff):
    assert adult_birth_date_cutoff(day) == cutoff


def test_leap_day_birth_cutoff():
    born = dt.date(2008, 2, 29)

    assert born > adult_birth_date_cutoff(dt.date(2026, 2, 28))
    assert born <= adult_birth_date_cutoff(dt.date(2026, 3, 1))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("birth_date", "guardian", "lacks"),
    [
        (dt.date(1990, 1, 1), False, False),
        (dt.date(2008, 12, 5), False, False),
        (dt.date(2008, 12, 6), False, True),
        (dt.date(2008, 12, 6), True, False),
        (None, False, True),
        (None, True, False),
    ],
)
def test_lacks_guardian_consent(birth_date, guardian, lacks):
    user = UserFactory.build(
        birth_date=birth_date, guardian_consent_at=timezone.now() if guardian else None
    )

    assert lacks_guardian_consent(user, TODAY) is lacks


@pytest.mark.django_db
def test_check_guardian_consent_codes():
    minor = UserFactory.build(birth_date=dt.date(2010, 1, 1), guardian_consent_at=None)
    unknown = UserFactory.build(birth_date=None, guardian_consent_at=None)

    with pytest.raises(ValidationError) as minor_error:
        check_guardian_consent(minor, TODAY)
    with pytest.raises(ValidationError) as unknown_error:
        check_guardian_consent(unknown, TODAY)

    assert minor_error.value.code == "guardian_consent_required"
    assert unknown_error.value.code == "birth_date_missing"
