"""Small server-rendered SVG bar charts, readable without JavaScript and by screen readers.

Each chart is an ``<svg role="img">`` named by its ``<title>`` and ``<desc>``; each bar has
its own ``<title>`` with its label and value, and the values are written on the chart, so
nothing is told by colour alone. A marked bar (a year with fewer visits than the one
before) is hatched and carries a ▼ beside its value.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import count

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

COLOURS = {"bar": "#0b5d7a", "muted": "#8fb3c2", "marked": "#a4262c", "ink": "#1d2327"}
MARKER = "▼"
LABEL_CHARS = 26
COLUMN_LABEL_CHARS = 9
_ids = count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | float
    # More words for the bar's title, e.g. "12.0 % fewer than 2016".
    note: str = ""
    # Hatched, with a marker: a bar the reader must not miss.
    marked: bool = False
    # Lighter: e.g. figures reported from outside rather than counted.
    muted: bool = False


def format_value(value) -> str:
    """Return a number with the active language's grouping (4 250 / 4,250)."""
    return number_format(value, force_grouping=True)


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _chart_id(title: str) -> str:
    return f"chart-{slugify(title) or 'bars'}-{next(_ids)}"


def _fill(bar: Bar, chart_id: str) -> str:
    if bar.marked:
        return f"url(#{chart_id}-hatch)"
    return COLOURS["muted"] if bar.muted else COLOURS["bar"]


def _bar_title(bar: Bar, value_text: str) -> str:
    text = f"{bar.label}: {value_text}"
    return f"{text} ({bar.note})" if bar.note else text


def _open_svg(chart_id: str, width: int, height: int, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" '
        f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#f6dadb"/>'
        f'<rect width="3" height="6" fill="{COLOURS["marked"]}"/></pattern></defs>',
    ]


def column_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str = "",
    value_text: Callable = format_value,
    height: int = 240,
) -> SafeString:
    """Return vertical bars, one per item from left to right (years, days)."""
    chart_id = _chart_id(title)
    top, bottom, left, step, width_of_bar = 24, 44, 8, 64, 44
    width = max(320, left * 2 + step * len(bars))
    plot = height - top - bottom
    highest = max((bar.value for bar in bars), default=0) or 1
    parts = _open_svg(chart_id, width, height, title, description)
    baseline = top + plot
    parts.append(
        f'<line x1="0" y1="{baseline}" x2="{width}" y2="{baseline}" stroke="{COLOURS["ink"]}"/>'
    )
    for index, bar in enumerate(bars):
        shown = value_text(bar.value)
        size = round(plot * bar.value / highest)
        x = left + index * step + (step - width_of_bar) // 2
        middle = x + width_of_bar // 2
        marker = f"{MARKER} " if bar.marked else ""
        parts.append(
            f'<g class="bar{" is-marked" if bar.marked else ""}">'
            f"<title>{escape(_bar_title(bar, shown))}</title>"
            f'<rect x="{x}" y="{baseline - size}" width="{width_of_bar}" height="{size}" '
            f'fill="{_fill(bar, chart_id)}"/>'
            f'<text x="{middle}" y="{baseline - size - 6}" text-anchor="middle" '
            f'fill="{COLOURS["marked"] if bar.marked else COLOURS["ink"]}">'
            f"{escape(marker + shown)}</text>"
            f'<text x="{middle}" y="{baseline + 16}" text-anchor="middle" '
            f'fill="{COLOURS["ink"]}">{escape(_short(bar.label, COLUMN_LABEL_CHARS))}</text>'
            "</g>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str = "",
    value_text: Callable = format_value,
) -> SafeString:
    """Return horizontal bars, one row per item (municipalities, studios, categories)."""
    chart_id = _chart_id(title)
    row, label_width, plot, right = 24, 190, 330, 90
    width = label_width + plot + right
    height = max(row, row * len(bars)) + 8
    highest = max((bar.value for bar in bars), default=0) or 1
    parts = _open_svg(chart_id, width, height, title, description)
    for index, bar in enumerate(bars):
        shown = value_text(bar.value)
        y = 4 + index * row
        size = round(plot * bar.value / highest)
        marker = f"{MARKER} " if bar.marked else ""
        parts.append(
            f'<g class="bar{" is-marked" if bar.marked else ""}">'
            f"<title>{escape(_bar_title(bar, shown))}</title>"
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" '
            f'fill="{COLOURS["ink"]}">{escape(_short(bar.label))}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{size}" height="{row - 6}" '
            f'fill="{_fill(bar, chart_id)}"/>'
            f'<text x="{label_width + size + 6}" y="{y + 15}" fill="{COLOURS["ink"]}">'
            f"{escape(marker + shown)}</text>"
            "</g>"
        )
    parts.append(
        f'<line x1="{label_width}" y1="0" x2="{label_width}" y2="{height}" '
        f'stroke="{COLOURS["ink"]}"/></svg>'
    )
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
