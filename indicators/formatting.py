"""Format indicator figures the same way on every page, chart and document.

Whole-number units (groups, municipalities, corporations, people) are
written without decimals and percentages with one decimal, with thousands
separators in both languages: 2,532 and 16.5%. The dashboard, the public
pages, the charts and the white paper all format through this module.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import pgettext, pgettext_lazy

from indicators.definitions import Indicator

# The basis of a value: computed from live data, frozen as the year's
# figure of record, or recorded from outside the portal. Pages, charts and
# the white paper label a frozen value with FROZEN, not COMPUTED.
COMPUTED = "computed"
FROZEN = "frozen"
RECORDED = "recorded"

VALUE_BASIS_LABELS: dict[str, Promise] = {
    COMPUTED: pgettext_lazy("indicator value basis", "Computed value"),
    FROZEN: pgettext_lazy("indicator value basis", "Frozen value"),
    RECORDED: pgettext_lazy("indicator value basis", "Recorded value"),
}
# The same, as the heading of a list of values in a chart's description.
VALUE_BASIS_HEADINGS: dict[str, Promise] = {
    COMPUTED: pgettext_lazy("indicator value basis", "Computed values"),
    FROZEN: pgettext_lazy("indicator value basis", "Frozen values"),
    RECORDED: pgettext_lazy("indicator value basis", "Recorded values"),
}


def format_number(value: Decimal | int, decimal_places: int | None = None) -> str:
    """Write *value* with thousands separators and *decimal_places* decimals.

    Without *decimal_places*, a Decimal keeps the places it has, so a value
    already rounded for its indicator (Decimal("40.0")) keeps its ".0".
    """
    if decimal_places is None:
        exponent = Decimal(value).as_tuple().exponent
        decimal_places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return number_format(value, decimal_places, force_grouping=True)


def format_value(indicator: Indicator, value: Decimal) -> str:
    """Write *value* in *indicator*'s unit: 2,532 for a count, 16.5% for a share."""
    text = format_number(indicator.quantize(value), indicator.decimal_places)
    return f"{text}%" if indicator.unit == "percent" else text


def format_change(indicator: Indicator, change: Decimal) -> str:
    """Write a change from the baseline with its sign: +29, -0.4 points, 0.

    A change of a share is in percentage points: 16.5% to 26.7% is +10.2
    points, not +10.2%.
    """
    text = format_number(indicator.quantize(change), indicator.decimal_places)
    if indicator.unit == "percent":
        text = pgettext("change of a percentage", "%(number)s points") % {
            "number": text
        }
    return f"+{text}" if indicator.quantize(change) > 0 else text


def format_path_value(indicator: Indicator, expected: Decimal) -> str:
    """Write the value that the plan path requires in a year.

    For a count the path value is rounded up, because on-track compares
    with the exact path: where the path is 12.6 municipalities, 13 are on
    track and 12 behind, so the page shows 13.
    """
    if indicator.decimal_places == 0:
        expected = expected.to_integral_value(rounding=ROUND_CEILING)
    return format_value(indicator, expected)
