import pytest
from django.core.exceptions import ValidationError

from groups.normalize import (
    clean_corporate_number,
    clean_phone,
    clean_postal_code,
    normalize_number,
)

# A corporate number whose first digit is its check digit.
VALID_CORPORATE_NUMBER = "7000012050002"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("７５３－０００１", "7530001"),
        ("753 ‐ 0001", "7530001"),
        ("753ー0001", "7530001"),
        ("", ""),
    ],
)
def test_normalize_number(typed, expected):
    assert normalize_number(typed) == expected


@pytest.mark.parametrize("typed", ["７５３－０００１", "7530001", "753−0001"])
def test_postal_code_hyphenated(typed):
    assert clean_postal_code(typed) == "753-0001"


@pytest.mark.parametrize("typed", ["753-001", "７５３-000a", "12345678"])
def test_postal_code_rejected(typed):
    with pytest.raises(ValidationError) as raised:
        clean_postal_code(typed)

    assert raised.value.code == "postal_code"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("０８３－９２２－１１１１", "083-922-1111"),
        ("083 922 1111", "0839221111"),
        ("083ー922ー1111", "083-922-1111"),
        ("", ""),
    ],
)
def test_phone_normalised(typed, expected):
    assert clean_phone(typed) == expected


@pytest.mark.parametrize("typed", ["083-922", "083-922-1111 内線", "abc-defg-hijk"])
def test_phone_rejected(typed):
    with pytest.raises(ValidationError) as raised:
        clean_phone(typed)

    assert raised.value.code == "phone"


def test_corporate_number_full_width():
    full_width = VALID_CORPORATE_NUMBER.translate(
        str.maketrans("0123456789", "０１２３４５６７８９")
    )

    assert clean_corporate_number(full_width) == VALID_CORPORATE_NUMBER


def test_corporate_number_check_digit():
    wrong = "1" + VALID_CORPORATE_NUMBER[1:]

    with pytest.raises(ValidationError) as raised:
        clean_corporate_number(wrong)

    assert raised.value.code == "check_digit"
