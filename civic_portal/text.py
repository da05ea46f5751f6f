"""Normalisation of Japanese text for search and uniqueness.

Search compares a normalised copy of the text with a query normalised the
same way: NFKC (full-width and half-width forms become one), katakana folded
to hiragana, and lower case. The prolonged sound mark and the middle dot are
kept, so "ボランティア" and "ぼらんてぃあ" match.
"""

import re
import unicodedata

from django.utils.translation import gettext_noop

_KATAKANA_START = 0x30A1  # ァ
_KATAKANA_END = 0x30F6  # ヶ
_KANA_OFFSET = 0x60
_SPACES = re.compile(r"\s+")
_NON_DIGITS = re.compile(r"\D")


def fold_katakana(text: str) -> str:
    """Replace each katakana letter with its hiragana counterpart."""
    return "".join(
        chr(ord(char) - _KANA_OFFSET)
        if _KATAKANA_START <= ord(char) <= _KATAKANA_END
        else char
        for char in text
    )


def normalize_search_text(text: str) -> str:
    """Return the form of *text* that search stores and compares."""
    text = unicodedata.normalize("NFKC", text or "")
    text = fold_katakana(text).lower()
    return _SPACES.sub(" ", text).strip()


def search_terms(query: str) -> list[str]:
    """Split a normalised query on spaces (full-width ones included)."""
    return [term for term in normalize_search_text(query).split(" ") if term]


def normalize_digits(value: str) -> str:
    """Return only the digits of *value*, full-width digits converted."""
    return _NON_DIGITS.sub("", unicodedata.normalize("NFKC", value or ""))


# Django's forms end each label with gettext(":"). Marking the colon here
# puts it in the project's catalog, which gives Japanese the full-width "：".
LABEL_SUFFIX = gettext_noop(":")
