"""Accessible SVG charts of the indicators, rendered on the server.

The charts are inline SVG with role="img", a <title> and a <desc> that
name the indicator and list every value, so a screen reader gets the
figures without the picture and no JavaScript is needed. Computed values
are filled circles and frozen values filled squares on one solid line,
recorded values hollow circles on a dashed line, and the baseline and
target are labelled lines. Shapes, dash patterns and text labels carry
the meaning, and colour only repeats it. Every colour has a contrast of
at least 4.5:1 on white.

The drawing is 360 units wide and scales with the page. On a phone 360
CSS pixels wide, the page's padding leaves 296 to 328 pixels, so the
13-unit text is 10.7 to 11.8 pixels high, and larger on wider screens.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from xml.etree import ElementTree as ET

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from civic_portal.fiscal import fiscal_year_label
from indicators.definitions import Indicator, TargetRule
from indicators.formatting import (
    COMPUTED,
    FROZEN,
    RECORDED,
    VALUE_BASIS_HEADINGS,
    VALUE_BASIS_LABELS,
    format_change,
    format_number,
    format_value,
)
from indicators.services.summary import IndicatorYear

SVG_NS = "http://www.w3.org/2000/svg"

WIDTH = 360
FONT_SIZE = 13
# White space around a label's box, in drawing units.
TEXT_BOX_PADDING = 1.5
# An explicit Japanese family first, because WeasyPrint draws an inline SVG
# without the page's CSS: with "inherit" the PDF fell back to DejaVu Sans,
# which has no Japanese glyphs. Debian's fonts-noto-cjk provides the first
# family, and the others cover browsers on macOS and Windows.
FONT_FAMILY = (
    '"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", '
    "Meiryo, sans-serif"
)
LINE_HEIGHT = 15

# Colours and their contrast ratio on white, by the WCAG 2 formula.
TEXT_COLOUR = "#1a1a1a"  # 17.4:1
AXIS_COLOUR = "#4a4a4a"  # 8.9:1
GRID_COLOUR = "#c8ccd0"  # 1.6:1, so it is used for grid lines only
COMPUTED_COLOUR = "#0b5cad"  # 6.7:1
RECORDED_COLOUR = "#a04000"  # 6.5:1
BASELINE_COLOUR = "#4a4a4a"  # 8.9:1
TARGET_COLOUR = "#1b6e20"  # 6.4:1
BEHIND_COLOUR = "#a4161a"  # 7.8:1
NOT_ASSESSED_COLOUR = "#6b6b6b"  # 5.3:1

# The series chart's plot area inside the 360-unit drawing.
PLOT_LEFT = 52
PLOT_RIGHT = WIDTH - 12
PLOT_TOP = 30
PLOT_HEIGHT = 150

# The maximum number of years labelled one by one under the plot.
MAX_YEAR_LABELS = 6


@dataclass(frozen=True)
class ChartPoint:
    """One value drawn in a series chart."""

    fiscal_year: int
    value: Decimal
    kind: str  # COMPUTED, FROZEN or RECORDED


@dataclass(frozen=True)
class ReferenceLine:
    """A baseline or target drawn across the chart, as a value per year.

    A baseline or target over several years (the matches) is a sum, so it
    is drawn as its yearly average and `per_year` is True.
    """

    value: Decimal
    per_year: bool


@dataclass(frozen=True)
class SeriesChart:
    """An indicator's values over fiscal years and the SVG that draws them."""

    indicator: Indicator
    chart_id: str
    points: tuple[ChartPoint, ...]
    baseline: ReferenceLine | None
    target: ReferenceLine | None
    svg: SafeString


# Formatting -------------------------------------------------------------------


def _number(value: float) -> str:
    """Return a coordinate with at most one decimal place."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


# Scales -----------------------------------------------------------------------


def _nice_step(span: Decimal, whole_numbers: bool) -> Decimal:
    """Return a step of 1, 2 or 5 times a power of ten giving about 4 ticks."""
    raw = span / 4
    exponent = math.floor(math.log10(raw)) if raw > 0 else 0
    base = Decimal(10) ** exponent
    step = base * 10
    for multiple in (1, 2, 5):
        if base * multiple >= raw:
            step = base * multiple
            break
    if whole_numbers:
        step = max(step, Decimal(1))
    return step


def value_ticks(values: Sequence[Decimal], whole_numbers: bool) -> list[Decimal]:
    """Return the y-axis ticks, lowest first, that cover every value.

    The axis starts at 0 unless the lowest value is above half the
    highest, so that a count that moves from 2,445 to 2,590 shows its
    change. The axis labels then show where it starts.
    """
    high = max([*values, Decimal(0)])
    low = min([*values, high])
    if low > high / 2 and low != high:
        span = high - low
    else:
        low = min(low, Decimal(0))
        span = high - low
    if span == 0:
        span = high if high > 0 else Decimal(1)
        high = low + span
    step = _nice_step(span, whole_numbers)
    first = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
    last = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
    if last == first:
        last = first + step
    count = int((last - first) / step)
    return [first + step * index for index in range(count + 1)]


# SVG helpers ------------------------------------------------------------------


def _element(parent: ET.Element, tag: str, **attributes: str | float) -> ET.Element:
    """Append an SVG element. Underscores in attribute names become hyphens."""
    values = {
        name.rstrip("_").replace("_", "-"): (
            _number(value) if isinstance(value, float) else str(value)
        )
        for name, value in attributes.items()
    }
    return ET.SubElement(parent, tag, values)


def _text(
    parent: ET.Element, x: float, y: float, content: str, **attributes: str | float
) -> ET.Element:
    """Append a text on a white box, so lines behind it do not hide it.

    The box is a rectangle of the estimated text width, not a stroke with
    paint-order, because WeasyPrint 70 ignores paint-order and paints the
    white stroke over the letters.
    """
    text_width = _text_width(content) * FONT_SIZE
    anchor = str(attributes.get("text_anchor", "start"))
    if anchor == "middle":
        text_left = x - text_width / 2
    elif anchor == "end":
        text_left = x - text_width
    else:
        text_left = x
    _element(
        parent,
        "rect",
        x=float(text_left - TEXT_BOX_PADDING),
        y=float(y) - FONT_SIZE * 0.9,
        width=text_width + 2 * TEXT_BOX_PADDING,
        height=FONT_SIZE * 1.2,
        fill="#ffffff",
        class_="text-box",
    )
    element = _element(
        parent, "text", x=float(x), y=float(y), **{"fill": TEXT_COLOUR, **attributes}
    )
    element.text = content
    return element


def _svg_root(chart_id: str, title: str, description: str) -> ET.Element:
    """Start an SVG whose viewBox the caller sets once the height is known."""
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "width": "100%",
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "id": chart_id,
            "class": "indicator-chart",
            "font-size": str(FONT_SIZE),
            "font-family": FONT_FAMILY,
        },
    )
    title_element = ET.SubElement(root, "title", {"id": f"{chart_id}-title"})
    title_element.text = title
    desc_element = ET.SubElement(root, "desc", {"id": f"{chart_id}-desc"})
    desc_element.text = description
    return root


def _to_safe_svg(root: ET.Element) -> SafeString:
    # ElementTree escapes every text and attribute value, so the markup is
    # safe to insert into a page as it is.
    return mark_safe(ET.tostring(root, encoding="unicode"))  # noqa: S308


def _marker(
    parent: ET.Element, x: float, y: float, kind: str, title: str
) -> ET.Element:
    """Draw a filled circle for a computed value, a filled square for a frozen
    one and a hollow circle for a recorded one."""
    if kind == COMPUTED:
        marker = _element(parent, "circle", cx=x, cy=y, r=4.0, fill=COMPUTED_COLOUR)
    elif kind == FROZEN:
        marker = _element(
            parent,
            "rect",
            x=x - 4.5,
            y=y - 4.5,
            width=9.0,
            height=9.0,
            fill=COMPUTED_COLOUR,
        )
    else:
        marker = _element(
            parent,
            "circle",
            cx=x,
            cy=y,
            r=6.5,
            fill="none",
            stroke=RECORDED_COLOUR,
            stroke_width="2",
        )
    marker_title = ET.SubElement(marker, "title")
    marker_title.text = title
    return marker


def _line_sample(
    parent: ET.Element, x: float, y: float, colour: str, dash: str
) -> None:
    _element(
        parent,
        "line",
        x1=x,
        y1=y,
        x2=x + 22.0,
        y2=y,
        stroke=colour,
        stroke_width="2",
        stroke_dasharray=dash,
    )


def _across_plot(
    parent: ET.Element, y: float, colour: str, width: str, dash: str
) -> None:
    """Draw a horizontal line across the series chart's plot area."""
    _element(
        parent,
        "line",
        x1=float(PLOT_LEFT),
        y1=y,
        x2=float(PLOT_RIGHT),
        y2=y,
        stroke=colour,
        stroke_width=width,
        stroke_dasharray=dash,
    )


# Series chart -----------------------------------------------------------------

RECORDED_DASH = "5 3"
BASELINE_DASH = "2 3"
TARGET_DASH = "8 4"


def _reference(
    indicator: Indicator, value: Decimal | None, first_year: int, last_year: int
) -> ReferenceLine | None:
    if value is None:
        return None
    years = last_year - first_year + 1
    if years == 1:
        return ReferenceLine(value, per_year=False)
    average = (value / years).quantize(
        Decimal(1).scaleb(-indicator.decimal_places), rounding=ROUND_HALF_UP
    )
    return ReferenceLine(average, per_year=True)


def _chart_points(series: Sequence[IndicatorYear]) -> tuple[ChartPoint, ...]:
    points: list[ChartPoint] = []
    for row in series:
        if row.computed_value is not None:
            kind = FROZEN if row.is_frozen else COMPUTED
            points.append(ChartPoint(row.fiscal_year, row.computed_value, kind))
        if row.recorded_value is not None:
            points.append(ChartPoint(row.fiscal_year, row.recorded_value, RECORDED))
    return tuple(points)


def _reference_label(indicator: Indicator, line: ReferenceLine, is_target: bool) -> str:
    value = format_value(indicator, line.value)
    if is_target and line.per_year:
        return _("Target %(value)s a year") % {"value": value}
    if is_target:
        return _("Target %(value)s") % {"value": value}
    if line.per_year:
        return _("Baseline %(value)s a year") % {"value": value}
    if indicator.target_rule == TargetRule.INCREASE_OVER_BASELINE:
        return _("Baseline %(value)s (target: higher)") % {"value": value}
    return _("Baseline %(value)s") % {"value": value}


def _series_description(
    indicator: Indicator,
    points: Sequence[ChartPoint],
    baseline: ReferenceLine | None,
    target: ReferenceLine | None,
) -> str:
    """Write every value of the chart as sentences, for the SVG's <desc>."""
    parts = []
    for kind in (FROZEN, COMPUTED, RECORDED):
        values = [
            f"{fiscal_year_label(point.fiscal_year)} "
            f"{format_value(indicator, point.value)}"
            for point in points
            if point.kind == kind
        ]
        if values:
            parts.append(f"{VALUE_BASIS_HEADINGS[kind]}: {', '.join(values)}.")
    if not any(point.kind in (COMPUTED, FROZEN) for point in points):
        parts.append(_("No computed values yet."))
    if indicator.baseline_value is None:
        parts.append(_("No baseline value."))
    else:
        parts.append(
            _("Baseline: %(value)s (%(period)s).")
            % {
                "value": format_value(indicator, indicator.baseline_value),
                "period": indicator.baseline_period_label,
            }
        )
    if indicator.target_value is None:
        parts.append(_("Target: higher than the baseline."))
    else:
        parts.append(
            _("Target: %(value)s (%(period)s).")
            % {
                "value": format_value(indicator, indicator.target_value),
                "period": indicator.target_period_label,
            }
        )
    if (baseline is not None and baseline.per_year) or (
        target is not None and target.per_year
    ):
        parts.append(
            _("The chart draws a total over several years as its yearly average.")
        )
    return " ".join(parts)


def _draw_axes(
    root: ET.Element,
    indicator: Indicator,
    years: Sequence[int],
    ticks: Sequence[Decimal],
    y_for: Callable[[Decimal], float],
) -> None:
    plot_bottom = PLOT_TOP + PLOT_HEIGHT
    axes = _element(root, "g", class_="axes")
    _text(axes, 4.0, PLOT_TOP - 14.0, f"({indicator.unit_label})")
    for tick in ticks:
        y = y_for(tick)
        _across_plot(axes, y, GRID_COLOUR, "1", "none")
        label = format_number(tick.normalize())
        _text(axes, PLOT_LEFT - 6.0, y + 4.0, label, text_anchor="end")
    _across_plot(axes, float(plot_bottom), AXIS_COLOUR, "1.5", "none")
    step = (PLOT_RIGHT - PLOT_LEFT) / len(years)
    # More than MAX_YEAR_LABELS labels would touch on a phone, so then every
    # other year is labelled, counted back from the last. Every year keeps
    # its tick mark.
    label_every = 1 if len(years) <= MAX_YEAR_LABELS else 2
    for index, year in enumerate(years):
        x = PLOT_LEFT + step * (index + 0.5)
        _element(
            axes,
            "line",
            x1=x,
            y1=float(plot_bottom),
            x2=x,
            y2=plot_bottom + 4.0,
            stroke=AXIS_COLOUR,
            stroke_width="1",
        )
        if (len(years) - 1 - index) % label_every == 0:
            _text(axes, x, plot_bottom + 17.0, str(year), text_anchor="middle")
    _text(
        axes,
        (PLOT_LEFT + PLOT_RIGHT) / 2,
        plot_bottom + 34.0,
        _("Fiscal year"),
        text_anchor="middle",
    )


def _draw_reference_lines(
    root: ET.Element,
    indicator: Indicator,
    baseline: ReferenceLine | None,
    target: ReferenceLine | None,
    y_for: Callable[[Decimal], float],
) -> None:
    """Draw the baseline and target lines with their labels."""
    group = _element(root, "g", class_="reference-lines")
    lines = []
    if baseline is not None:
        lines.append((baseline, False, BASELINE_COLOUR, BASELINE_DASH))
    if target is not None:
        lines.append((target, True, TARGET_COLOUR, TARGET_DASH))
    highest = max((line.value for line, *_rest in lines), default=None)
    for line, is_target, colour, dash in lines:
        y = y_for(line.value)
        _across_plot(group, y, colour, "2", dash)
        # The higher line's label sits above it and the lower one's below,
        # so the two labels do not overlap when the lines are close. The
        # baseline's label starts at the left and the target's ends at the
        # right, so equal lines keep their labels apart too.
        label_y = y - 5.0 if line.value == highest else y + 14.0
        if is_target:
            x, anchor = PLOT_RIGHT - 2.0, "end"
        else:
            x, anchor = PLOT_LEFT + 4.0, "start"
        _text(
            group,
            x,
            label_y,
            _reference_label(indicator, line, is_target),
            text_anchor=anchor,
            fill=colour,
        )


def _draw_series(
    root: ET.Element,
    indicator: Indicator,
    points: Sequence[ChartPoint],
    x_of_year: dict[int, float],
    y_for: Callable[[Decimal], float],
) -> None:
    """Draw each kind of value as a line through consecutive years, then markers.

    Computed and frozen values share one solid line, because both are the
    portal's own figures. Recorded values get a dashed line of their own.
    """
    for kinds, colour, dash in (
        ((RECORDED,), RECORDED_COLOUR, RECORDED_DASH),
        ((COMPUTED, FROZEN), COMPUTED_COLOUR, "none"),
    ):
        group = _element(root, "g", class_=f"series-{kinds[0]}")
        by_year = {point.fiscal_year: point for point in points if point.kind in kinds}
        run: list[str] = []
        for year in sorted(x_of_year):
            point = by_year.get(year)
            if point is not None:
                x = _number(x_of_year[year])
                run.append(f"{x},{_number(y_for(point.value))}")
            if point is None or year == max(x_of_year):
                if len(run) > 1:
                    _element(
                        group,
                        "polyline",
                        points=" ".join(run),
                        fill="none",
                        stroke=colour,
                        stroke_width="2",
                        stroke_dasharray=dash,
                    )
                run = []
        for point in by_year.values():
            marker = _marker(
                group,
                x_of_year[point.fiscal_year],
                y_for(point.value),
                point.kind,
                f"{fiscal_year_label(point.fiscal_year)}: "
                f"{format_value(indicator, point.value)} "
                f"({VALUE_BASIS_LABELS[point.kind]})",
            )
            marker.set("data-fiscal-year", str(point.fiscal_year))
            marker.set("data-kind", point.kind)
            marker.set("data-value", str(indicator.quantize(point.value)))


def _draw_legend(
    root: ET.Element,
    top: float,
    points: Sequence[ChartPoint],
    baseline: ReferenceLine | None,
    target: ReferenceLine | None,
) -> int:
    """Draw the legend in rows of two items and return the height it takes.

    Frozen values get a legend item only in a chart that has one.
    """
    group = _element(root, "g", class_="legend")
    kinds = [COMPUTED, RECORDED]
    if any(point.kind == FROZEN for point in points):
        kinds.insert(1, FROZEN)
    items = [(kind, str(VALUE_BASIS_LABELS[kind])) for kind in kinds]
    if baseline is not None:
        items.append(("baseline", _("Baseline")))
    if target is not None:
        items.append(("target", _("Target")))
    for index, (kind, label) in enumerate(items):
        x = 8.0 + (WIDTH / 2) * (index % 2)
        y = top + LINE_HEIGHT * 1.2 * (index // 2)
        if kind in (COMPUTED, FROZEN, RECORDED):
            _line_sample(
                group,
                x,
                y,
                RECORDED_COLOUR if kind == RECORDED else COMPUTED_COLOUR,
                RECORDED_DASH if kind == RECORDED else "none",
            )
            _marker(group, x + 11.0, y, kind, label)
        elif kind == "baseline":
            _line_sample(group, x, y, BASELINE_COLOUR, BASELINE_DASH)
        else:
            _line_sample(group, x, y, TARGET_COLOUR, TARGET_DASH)
        _text(group, x + 28.0, y + 4.0, label)
    rows = (len(items) + 1) // 2
    return int(LINE_HEIGHT * 1.2 * rows)


def series_chart(
    indicator: Indicator, series: Sequence[IndicatorYear], chart_id: str
) -> SeriesChart:
    """Draw *indicator*'s computed, frozen and recorded values over *series*.

    *series* comes from indicators.services.summary.indicator_series(), so
    the chart shows the same values as the tables. *chart_id* must be
    unique on the page: the SVG's title and description ids derive from it.
    """
    points = _chart_points(series)
    baseline = _reference(
        indicator,
        indicator.baseline_value,
        indicator.baseline_first_year,
        indicator.baseline_last_year,
    )
    target = _reference(
        indicator,
        indicator.target_value,
        indicator.target_first_year,
        indicator.target_last_year,
    )
    plotted = [point.value for point in points]
    plotted += [line.value for line in (baseline, target) if line is not None]
    ticks = value_ticks(plotted, whole_numbers=indicator.decimal_places == 0)
    low, high = ticks[0], ticks[-1]

    def y_for(value: Decimal) -> float:
        share = float((value - low) / (high - low))
        return PLOT_TOP + PLOT_HEIGHT * (1 - share)

    years = [row.fiscal_year for row in series]
    step = (PLOT_RIGHT - PLOT_LEFT) / max(len(years), 1)
    x_of_year = {
        year: PLOT_LEFT + step * (index + 0.5) for index, year in enumerate(years)
    }

    legend_top = PLOT_TOP + PLOT_HEIGHT + 58
    title = _("%(name)s by fiscal year") % {"name": indicator.name}
    description = _series_description(indicator, points, baseline, target)
    root = _svg_root(chart_id, title, description)
    if years:
        _draw_axes(root, indicator, years, ticks, y_for)
    _draw_reference_lines(root, indicator, baseline, target, y_for)
    _draw_series(root, indicator, points, x_of_year, y_for)
    legend_height = _draw_legend(root, legend_top, points, baseline, target)
    root.set("viewBox", f"0 0 {WIDTH} {legend_top + legend_height}")
    return SeriesChart(
        indicator=indicator,
        chart_id=chart_id,
        points=points,
        baseline=baseline,
        target=target,
        svg=_to_safe_svg(root),
    )


# Progress chart ---------------------------------------------------------------

BAR_LEFT = 8
BAR_MAX_WIDTH = 220
BAR_HEIGHT = 14
# Bars stop at these shares of the way to the target, and the text under
# each bar gives the exact value.
MAX_DRAWN_PERCENT = Decimal(150)
MIN_DRAWN_PERCENT = Decimal(-50)


def _text_width(text: str) -> float:
    """Estimate the width of *text* in units of the font size."""
    return sum(1.0 if _is_wide(char) else 0.55 for char in text)


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _wrap_tokens(text: str) -> list[tuple[str, str]]:
    """Split *text* into (separator, piece) pairs at which a line may break.

    Words break at spaces. A word with Japanese characters breaks between
    any two of its characters, because Japanese has no spaces.
    """
    tokens: list[tuple[str, str]] = []
    for index, word in enumerate(text.split(" ")):
        separator = " " if index else ""
        if any(_is_wide(char) for char in word):
            tokens.append((separator, word[:1]))
            tokens.extend(("", char) for char in word[1:])
        else:
            tokens.append((separator, word))
    return tokens


def wrap_label(text: str, max_width: float) -> list[str]:
    """Split *text* into lines of at most *max_width* font-size units.

    A single word wider than *max_width* gets a line of its own.
    """
    lines: list[str] = []
    line = ""
    for separator, piece in _wrap_tokens(text):
        candidate = f"{line}{separator}{piece}" if line else piece
        if line and _text_width(candidate) > max_width:
            lines.append(line)
            line = piece
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def _on_track_label(row: IndicatorYear) -> tuple[str, str]:
    on_track = row.progress.on_track
    if on_track is None:
        return _("Not assessed"), NOT_ASSESSED_COLOUR
    if on_track:
        return _("On track"), TARGET_COLOUR
    return _("Behind"), BEHIND_COLOUR


def progress_text(row: IndicatorYear) -> str:
    """Return the progress of *row* as the chart and its table write it."""
    progress = row.progress
    change = progress.change_from_baseline
    if change is not None and row.indicator.quantize(change) < 0:
        below = format_value(row.indicator, -change)
        if progress.percent is None:
            return _("Below the baseline by %(change)s") % {"change": below}
        return _(
            "Below the baseline by %(change)s (%(percent)s%% of the way to the target)"
        ) % {"change": below, "percent": format_number(progress.percent, 1)}
    if progress.percent is not None:
        percent = format_number(progress.percent, 1)
        if row.indicator.target_rule == TargetRule.SUM_OVER_PLAN_PERIOD:
            return _("%(percent)s%% of the target") % {"percent": percent}
        return _("%(percent)s%% of the way from the baseline to the target") % {
            "percent": percent
        }
    if change is not None:
        return _("%(change)s from the baseline") % {
            "change": format_change(row.indicator, change)
        }
    return _("Not assessed")


def _progress_scale(rows: Sequence[IndicatorYear]) -> tuple[Decimal, Decimal]:
    """Return the lowest and highest percent that the bars' axis covers.

    The axis runs from 0% (the baseline) to at least 100% (the target),
    and further left when an indicator fell below its baseline.
    """
    drawn = [
        max(min(row.progress.percent, MAX_DRAWN_PERCENT), MIN_DRAWN_PERCENT)
        for row in rows
        if row.progress.percent is not None
    ]
    return min([Decimal(0), *drawn]), max([Decimal(100), *drawn])


def _regression_bar(
    parent: ET.Element, zero_x: float, left_x: float, y: float
) -> ET.Element:
    """Draw a bar from *left_x* to the baseline at *zero_x*, for a regression.

    It is a dashed outline with an arrowhead pointing away from the
    target, so it reads apart from a progress bar without its colour.
    """
    group = _element(parent, "g", class_="regression")
    bar = _element(
        group,
        "rect",
        x=left_x,
        y=y,
        width=zero_x - left_x,
        height=float(BAR_HEIGHT),
        fill="#ffffff",
        stroke=BEHIND_COLOUR,
        stroke_width="1.5",
        stroke_dasharray="3 2",
    )
    middle = y + BAR_HEIGHT / 2
    _element(
        group,
        "polygon",
        points=(
            f"{_number(left_x - 6.0)},{_number(middle)} "
            f"{_number(left_x)},{_number(y)} "
            f"{_number(left_x)},{_number(y + BAR_HEIGHT)}"
        ),
        fill=BEHIND_COLOUR,
    )
    return bar


def progress_chart(
    rows: Sequence[IndicatorYear], chart_id: str, year_label: str
) -> SafeString:
    """Draw each indicator's progress toward its target in one year as bars.

    A bar's length is the progress percent of the indicator's target rule
    (indicators.services.progress), with a line at 100%. A value below the
    baseline has a negative percent and gets a dashed bar to the left of
    a 0% line, and its text states that it is below the baseline. An
    indicator without a percent (the under-40 share) gets its change from
    the baseline as text and no bar.
    """
    low, high = _progress_scale(rows)
    title = _("Progress toward the targets, %(year)s") % {"year": year_label}
    description = " ".join(
        f"{row.indicator.name}: {progress_text(row)}, {_on_track_label(row)[0]}."
        for row in rows
    )
    root = _svg_root(chart_id, title, description)

    # The arrowhead of a regression bar needs room left of the axis.
    axis_left = BAR_LEFT + (8 if low < 0 else 0)
    axis_width = BAR_MAX_WIDTH - (axis_left - BAR_LEFT)

    def x_for(percent: Decimal) -> float:
        return axis_left + axis_width * float((percent - low) / (high - low))

    zero_x = x_for(Decimal(0))
    target_x = x_for(Decimal(100))
    _text(root, target_x, 14.0, _("Target (100%)"), text_anchor="middle")
    bars = _element(root, "g", class_="progress-bars")
    label_width = (WIDTH - 2 * BAR_LEFT) / FONT_SIZE
    y = 20.0
    for row in rows:
        for line in wrap_label(row.indicator.name, label_width):
            y += LINE_HEIGHT
            _text(bars, float(BAR_LEFT), y, line)
        y += 5
        status, colour = _on_track_label(row)
        percent = row.progress.percent
        bar = None
        if percent is not None and percent > 0:
            drawn = min(percent, MAX_DRAWN_PERCENT)
            bar = _element(
                bars,
                "rect",
                x=zero_x,
                y=y,
                width=x_for(drawn) - zero_x,
                height=float(BAR_HEIGHT),
                fill=colour,
            )
        elif percent is not None and percent < 0:
            drawn = max(percent, MIN_DRAWN_PERCENT)
            bar = _regression_bar(bars, zero_x, x_for(drawn), y)
        if bar is not None:
            bar.set("data-indicator", row.indicator.key)
            bar.set("data-percent", str(percent))
        y += BAR_HEIGHT
        text = progress_text(row)
        # An indicator without progress is not assessed either, so the label
        # shows "Not assessed" once.
        label = text if text == status else f"{text} · {status}"
        for line in wrap_label(label, label_width):
            y += LINE_HEIGHT
            _text(bars, float(BAR_LEFT), y, line, fill=colour)
        y += 10
    vertical_lines = [(target_x, TARGET_COLOUR, TARGET_DASH)]
    if low < 0:
        vertical_lines.append((zero_x, BASELINE_COLOUR, "none"))
    for x, colour, dash in vertical_lines:
        vertical = ET.Element(
            "line",
            {
                "x1": _number(x),
                "y1": "18",
                "x2": _number(x),
                "y2": _number(y),
                "stroke": colour,
                "stroke-width": "1.5",
                "stroke-dasharray": dash,
            },
        )
        # Behind the bars and labels (after <title> and <desc>), so that the
        # labels' white boxes cover the line where they cross it.
        root.insert(2, vertical)
    if low < 0:
        # Under the bars, so that it never meets the target's label on top.
        y += LINE_HEIGHT
        _text(root, zero_x, y, _("Baseline (0%)"), text_anchor="start")
    root.set("viewBox", f"0 0 {WIDTH} {_number(y + 4.0)}")
    return _to_safe_svg(root)
