import struct

import pytest
from django.conf import settings as django_settings

from tests.factories import municipality

STRONG_PASSWORD = "kawara-no-hana-2026"

# Japanese for the mail subjects, used until the project's catalog exists.
JAPANESE_SUBJECTS = {
    "Please confirm your e-mail address": "メールアドレスの確認のお願い",
    "Set a new password": "新しいパスワードの設定",
}


def write_mo(path, messages: dict[str, str]) -> None:
    """Write a GNU gettext catalog holding *messages* to *path*."""
    catalog = {"": "Content-Type: text/plain; charset=UTF-8\n", **messages}
    keys = sorted(catalog)
    ids = [key.encode() for key in keys]
    strs = [catalog[key].encode() for key in keys]
    header_size = 7 * 4
    ids_table = header_size
    strs_table = ids_table + 8 * len(keys)
    data_start = strs_table + 8 * len(keys)

    offsets, data = [], b""
    for text in ids + strs:
        offsets.append((len(text), data_start + len(data)))
        data += text + b"\0"
    header = struct.pack(
        "<7I", 0x950412DE, 0, len(keys), ids_table, strs_table, 0, data_start
    )
    tables = b"".join(struct.pack("<2I", *pair) for pair in offsets)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + tables + data)


@pytest.fixture
def japanese_catalog(settings, tmp_path):
    """Give the mail subjects Japanese translations for this test."""
    locale = tmp_path / "locale"
    write_mo(locale / "ja" / "LC_MESSAGES" / "django.mo", JAPANESE_SUBJECTS)
    settings.LOCALE_PATHS = [locale, *django_settings.LOCALE_PATHS]
    return JAPANESE_SUBJECTS


@pytest.fixture
def signup_data(db):
    return {
        "email": "hanako@example.jp",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
        "full_name": "山口 花子",
        "name_kana": "やまぐち はなこ",
        "municipality": municipality().pk,
        "birth_date": "2008-06-15",
        "occupation": "high_school",
        "preferred_language": "ja",
        "privacy_consent": "on",
    }
