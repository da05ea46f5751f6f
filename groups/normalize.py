"""Normalisation of group names and numbers typed into registry forms and files.

Group names, corporate numbers, postal codes and phone numbers arrive with
full-width characters, spaces and any kind of hyphen. The registration
forms and the CSV import clean them with the same functions, so both store
the same form.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from groups.validators import validate_corporate_number

_PHONE = re.compile(r"^\+?[0-9()-]+$")

# Hyphens and dashes that people type between digits. NFKC already turns
# the full-width hyphen-minus into "-".
HYPHENS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\ufe63"


def clean_group_name(value: str) -> str:
    """Return a group name in NFKC with outer spaces removed, as it is stored."""
    return unicodedata.normalize("NFKC", value or "").strip()


def name_key(name: str) -> str:
    """Return the form of a name that duplicate detection compares.

    NFKC makes full-width and half-width forms equal; case and spaces
    are ignored.
    """
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def normalize_number(value: str) -> str:
    """Return *value* in half-width characters without spaces or hyphens.

    Used for corporate numbers and postal codes, which arrive with
    full-width digits and any kind of hyphen.
    """
    text = unicodedata.normalize("NFKC", value or "")
    return "".join(char for char in text if char not in HYPHENS and not char.isspace())


def clean_corporate_number(value: str) -> str:
    """Return the corporate number as 13 ASCII digits, or raise ValidationError."""
    number = normalize_number(value)
    if number:
        validate_corporate_number(number)
    return number


def clean_postal_code(value: str) -> str:
    """Return a postal code as "NNN-NNNN", from full-width or unhyphenated input."""
    digits = normalize_number(value)
    if not digits:
        return ""
    if len(digits) != 7 or not digits.isascii() or not digits.isdigit():
        raise ValidationError(
            _("Enter the postal code as 7 digits, for example 753-0001."),
            code="postal_code",
        )
    return f"{digits[:3]}-{digits[3:]}"


def clean_phone(value: str) -> str:
    """Return a phone number in half-width digits with ASCII hyphens."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    text = "".join("-" if char in HYPHENS else char for char in text)
    text = re.sub(r"\s+", "", text)
    if not text:
        return ""
    digit_count = sum(char.isdigit() for char in text)
    if not _PHONE.match(text) or not 10 <= digit_count <= 11:
        raise ValidationError(
            _("Enter a phone number of 10 or 11 digits, for example 083-922-1111."),
            code="phone",
        )
    return text
