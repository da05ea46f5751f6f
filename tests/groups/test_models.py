import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from groups.models import Certification, CivicGroup, GroupStatusChange
from groups.validators import corporate_number_check_digit, validate_corporate_number
from tests.factories import CivicGroupFactory

pytestmark = pytest.mark.django_db

END_OF_FY2021 = dt.date(2022, 3, 31)


@pytest.mark.parametrize(
    "number",
    ["7000012050002", "1000011000005"],
)
def test_corporate_number_accepts_valid(number):
    validate_corporate_number(number)


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("7000012050003", "check_digit"),
        ("8000012050002", "check_digit"),
        ("700001205000", "format"),
        ("７０００１２０５０００２", "format"),
        ("7000-1205-0002", "format"),
    ],
)
def test_corporate_number_rejects_invalid(number, code):
    with pytest.raises(ValidationError) as error:
        validate_corporate_number(number)

    assert error.value.code == code


def test_check_digit_of_known_number():
    assert corporate_number_check_digit("000012050002") == 7


def dated_group(registered_on, *changes):
    group = CivicGroupFactory(registered_on=registered_on)
    for status, effective_on in [("active", registered_on), *changes]:
        GroupStatusChange.objects.create(
            group=group, status=status, effective_on=effective_on
        )
    return group


def test_registered_on_reads_status_at_date():
    active = dated_group(dt.date(2020, 5, 1))
    later = dated_group(dt.date(2022, 4, 1))
    dissolved_before = dated_group(
        dt.date(2019, 1, 10), ("dissolved", dt.date(2021, 12, 31))
    )
    dissolved_after = dated_group(
        dt.date(2019, 1, 10), ("dissolved", dt.date(2022, 4, 1))
    )
    dormant = dated_group(dt.date(2019, 1, 10), ("dormant", dt.date(2021, 6, 1)))

    found = set(CivicGroup.objects.registered_on(END_OF_FY2021))

    assert found == {active, dissolved_after, dormant}
    assert later not in found
    assert dissolved_before not in found


def test_registered_on_counts_group_without_history():
    """A group made in the admin or by a bulk load has no status changes."""
    group = CivicGroupFactory(registered_on=dt.date(2020, 5, 1))
    assert not group.status_changes.exists()

    assert group in CivicGroup.objects.registered_on(END_OF_FY2021)


def test_registered_on_leaves_out_unapproved_group():
    group = dated_group(dt.date(2020, 5, 1))
    group.review_status = CivicGroup.ReviewStatus.PENDING
    group.save()

    assert group not in CivicGroup.objects.registered_on(END_OF_FY2021)


def test_certified_on_needs_covering_certification():
    group = CivicGroupFactory()
    Certification.objects.create(
        group=group,
        kind=Certification.Kind.CERTIFIED,
        certified_on=dt.date(2017, 4, 1),
        expires_on=dt.date(2022, 3, 31),
    )
    revoked = CivicGroupFactory()
    Certification.objects.create(
        group=revoked,
        kind=Certification.Kind.CERTIFIED,
        certified_on=dt.date(2020, 1, 1),
        expires_on=dt.date(2024, 12, 31),
        revoked_on=dt.date(2021, 10, 1),
    )

    assert list(CivicGroup.objects.certified_on(END_OF_FY2021)) == [group]
    assert not CivicGroup.objects.certified_on(dt.date(2022, 4, 1)).exists()


@pytest.mark.parametrize(
    ("kind", "certified_on", "expires_on"),
    [
        ("certified", dt.date(2022, 4, 1), dt.date(2027, 3, 31)),
        ("special", dt.date(2022, 4, 1), dt.date(2025, 3, 31)),
        ("certified", dt.date(2024, 2, 29), dt.date(2029, 2, 27)),
    ],
)
def test_expiry_by_kind(kind, certified_on, expires_on):
    assert Certification.expiry_for(kind, certified_on) == expires_on


def test_unconfirmed_after_eighteen_months():
    now = timezone.now()
    stale = CivicGroupFactory(info_confirmed_at=now - dt.timedelta(days=600))
    fresh = CivicGroupFactory(info_confirmed_at=now - dt.timedelta(days=300))
    never = CivicGroupFactory(approved_at=now - dt.timedelta(days=700))

    assert set(CivicGroup.objects.unconfirmed(now)) == {stale, never}
    assert stale.is_unconfirmed(now)
    assert not fresh.is_unconfirmed(now)
