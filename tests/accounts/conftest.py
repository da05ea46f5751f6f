import pytest

from tests.factories import municipality

STRONG_PASSWORD = "kawara-no-hana-2026"

# The project's Japanese translations of the mail subjects.
JAPANESE_SUBJECTS = {
    "Please confirm your e-mail address": "メールアドレスの確認のお願い",
    "Set a new password": "新しいパスワードの設定",
}


@pytest.fixture
def japanese_catalog():
    """The Japanese mail subjects that the shipped catalog must provide."""
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
