"""Validators for registry data: the corporate number (法人番号)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def corporate_number_check_digit(base: str) -> int:
    """Return the check digit for the 12-digit base of a corporate number.

    The National Tax Agency's rule: weight the digits 1, 2, 1, 2, ... from
    the right, sum, and subtract the sum modulo 9 from 9.
    """
    total = sum(
        int(digit) * (2 if position % 2 == 0 else 1)
        for position, digit in enumerate(reversed(base), start=1)
    )
    return 9 - total % 9


def validate_corporate_number(value: str) -> None:
    """Reject a corporate number that is not 13 digits or fails its check digit."""
    if len(value) != 13 or not value.isascii() or not value.isdigit():
        raise ValidationError(
            _("Enter the corporate number as 13 digits."), code="format"
        )
    if int(value[0]) != corporate_number_check_digit(value[1:]):
        raise ValidationError(
            _("This corporate number is not valid: check the digits."),
            code="check_digit",
        )
