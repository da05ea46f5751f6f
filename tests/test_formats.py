import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from civic_portal.fiscal import JAPAN

# 13:00 in Japan, 04:00 UTC.
MOMENT = dt.datetime(2026, 12, 22, 4, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ja", "2026-12-22 (火) 13:00 / 2026-12-22 (火) / 13:00"),
        ("en", "2026-12-22 (Tue) 13:00 / 2026-12-22 (Tue) / 13:00"),
    ],
)
def test_short_formats_in_japan_time(language, expected):
    template = Template(
        '{{ moment|date:"SHORT_DATETIME_FORMAT" }} / '
        '{{ moment|date:"SHORT_DATE_FORMAT" }} / {{ moment|time }}'
    )
    with translation.override(language):
        rendered = template.render(Context({"moment": MOMENT}))
    assert rendered == expected


def test_short_format_matches_public_pattern():
    # The public pages write dates with the literal pattern "Y-m-d (D) H:i".
    template = Template(
        '{{ moment|date:"SHORT_DATETIME_FORMAT" }}|{{ moment|date:"Y-m-d (D) H:i" }}'
    )
    with translation.override("ja"):
        short, literal = template.render(Context({"moment": MOMENT})).split("|")
    assert short == literal
    assert MOMENT.astimezone(JAPAN).hour == 13
