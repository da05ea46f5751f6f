import pytest

from civic_portal.text import (
    fold_katakana,
    normalize_digits,
    normalize_search_text,
    search_terms,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ボランティア", "ぼらんてぃあ"),
        ("ﾎﾞﾗﾝﾃｨｱ", "ぼらんてぃあ"),
        ("ＡＢＣ　清掃", "abc 清掃"),
        ("  子ども食堂\n", "子ども食堂"),
        ("ヴァイオリン", "ゔぁいおりん"),
        ("", ""),
    ],
)
def test_normalize_search_text(raw, expected):
    assert normalize_search_text(raw) == expected


def test_fold_katakana_keeps_prolonged_sound_mark():
    assert fold_katakana("ビーチクリーン") == "びーちくりーん"


def test_search_terms_split_on_full_width_space():
    assert search_terms("竹林　ボランティア ") == ["竹林", "ぼらんてぃあ"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("０８３－９２２－３１１１", "0839223111"), ("753-8501", "7538501"), ("", "")],
)
def test_normalize_digits(raw, expected):
    assert normalize_digits(raw) == expected
