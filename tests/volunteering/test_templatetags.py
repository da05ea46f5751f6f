from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from volunteering.templatetags.volunteering_format import hours


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("3.00"), "3 hours"),
        (Decimal("3.50"), "3.5 hours"),
        (Decimal("0.25"), "0.25 hours"),
        (Decimal("1.00"), "1 hour"),
        (Decimal("0"), "0 hours"),
        (90, "90 hours"),
        (Decimal("120"), "120 hours"),
        (2.5, "2.5 hours"),
    ],
)
def test_hours_in_english(value, expected):
    with translation.override("en"):
        assert hours(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("3.00"), "3時間"),
        (Decimal("3.50"), "3.5時間"),
        (Decimal("1.00"), "1時間"),
        (90, "90時間"),
    ],
)
def test_hours_in_japanese(value, expected):
    with translation.override("ja"):
        assert hours(value) == expected


@pytest.mark.parametrize("value", [None, ""])
def test_hours_empty(value):
    assert hours(value) == ""


def test_hours_filter_in_template():
    template = Template("{% load volunteering_format %}{{ value|hours }}")
    with translation.override("ja"):
        rendered = template.render(Context({"value": Decimal("3.00")}))
    assert rendered == "3時間"
