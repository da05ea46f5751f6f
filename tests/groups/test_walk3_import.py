"""Import of member counts: negative and malformed values are rejected."""

import pytest

from groups.models import CivicGroup
from groups.services.imports import import_groups

pytestmark = pytest.mark.django_db

HEADER = "団体名,法人格,市町村,会員数\n"
COUNT_INVALID = "Enter a whole number of 0 or more."


@pytest.mark.parametrize("count", ["-5", "－５", "−5", "ー5", " -5", "5人", "1.5"])
def test_import_rejects_invalid_count(count):
    report = import_groups(f"{HEADER}会A,任意団体,山口市,{count}\n".encode())

    assert report.failed == 1
    reasons = " ".join(report.errors[0].reasons)
    assert "member_count" in reasons
    assert COUNT_INVALID in reasons
    assert not CivicGroup.objects.exists()


@pytest.mark.parametrize(
    ("count", "expected"),
    [("0", 0), ("１２", 12), ("1,200", 1200), ("１，２００", 1200)],
)
def test_import_reads_count(count, expected):
    import_groups(f'{HEADER}会A,任意団体,山口市,"{count}"\n'.encode())

    assert CivicGroup.objects.get().member_count == expected
