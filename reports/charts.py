"""Server-rendered SVG charts: no scripts, no style attributes (the CSP forbids inline styles).

Colours are SVG presentation attributes (`fill=`) plus CSS classes; every chart carries a
<title> and a <desc> with its numbers, so screen readers get them (pages also show a table).
Every text goes through `format_html`, so labels are escaped. Coordinates are formatted here,
not in templates, so they never pick up a localised decimal comma.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator

FONT_SIZE = 12
LABEL_CHARS = 34


@dataclass(frozen=True)
class Series:
    """One kind of value in a chart (for example verified officers)."""

    name: str
    css_class: str
    fill: str


SINGLE = (Series(name="", css_class="chart-bar", fill="#1f5fa8"),)


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _join(parts: Sequence[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _svg(
    chart_id: str, title: str, description: str, width: float, height: float, body: SafeString, css_class: str
) -> SafeString:
    return format_html(
        # Coordinates are laid out left to right; in a right-to-left page the text anchors would flip.
        '<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" id="{id}" role="img" direction="ltr" '
        'aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {w} {h}" width="100%" '
        'preserveAspectRatio="xMinYMin meet">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        id=chart_id,
        css_class=css_class,
        w=_number(width),
        h=_number(height),
        title=title,
        desc=description,
        body=body,
    )


def describe(rows: Sequence[tuple[str, Sequence[int]]], series: Sequence[Series] = SINGLE) -> str:
    """The chart's numbers as one sentence per row ("France: 3 verified, 1 pending")."""
    parts = []
    for label, values in rows:
        if len(series) == 1:
            parts.append(f"{label}: {values[0]}")
        else:
            parts.append(f"{label}: " + ", ".join(f"{value} {s.name}" for s, value in zip(series, values, strict=True)))
    return "; ".join(parts) + "." if parts else ""


def bar_chart(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, Sequence[int]]],
    *,
    series: Sequence[Series] = SINGLE,
    description: str | None = None,
) -> SafeString:
    """Horizontal bars, one per row; several series are stacked. `rows` are (label, values)."""
    label_width, bar_width, value_width = 230, 380, 60
    row_height, bar_height = 24, 16
    legend_height = 26 if len(series) > 1 else 0
    most = max((sum(values) for _label, values in rows), default=0) or 1
    parts: list[SafeString] = []
    if len(series) > 1:
        x = label_width
        for item in series:
            parts.append(
                format_html(
                    '<rect x="{}" y="4" width="12" height="12" class="{}" fill="{}"></rect>'
                    '<text x="{}" y="15" font-size="{}">{}</text>',
                    _number(x),
                    item.css_class,
                    item.fill,
                    _number(x + 16),
                    FONT_SIZE,
                    item.name,
                )
            )
            x += 24 + 8 * len(item.name)
    for index, (label, values) in enumerate(rows):
        y = legend_height + index * row_height
        text_y = y + bar_height - 3
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="{}" class="chart-label">{}</text>',
                label_width - 8,
                text_y,
                FONT_SIZE,
                Truncator(label).chars(LABEL_CHARS),
            )
        )
        x = float(label_width)
        for item, value in zip(series, values, strict=True):
            if not value:
                continue
            width = bar_width * value / most
            tooltip = f"{label}: {value} {item.name}".strip()
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" class="{}" fill="{}"><title>{}</title></rect>',
                    _number(x),
                    y,
                    _number(width),
                    bar_height,
                    item.css_class,
                    item.fill,
                    tooltip,
                )
            )
            x += width
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="{}" class="chart-value">{}</text>',
                _number(x + 6),
                text_y,
                FONT_SIZE,
                sum(values),
            )
        )
    height = legend_height + max(len(rows), 1) * row_height
    return _svg(
        chart_id,
        title,
        description if description is not None else describe(rows, series),
        label_width + bar_width + value_width,
        height,
        _join(parts),
        "chart chart-bars",
    )


def column_chart(
    chart_id: str, title: str, rows: Sequence[tuple[str, int]], *, description: str | None = None
) -> SafeString:
    """Vertical columns (a histogram): `rows` are (label, value) from left to right."""
    column_width, gap, plot_height, top, label_height = 90, 24, 150, 20, 28
    most = max((value for _label, value in rows), default=0) or 1
    parts: list[SafeString] = []
    baseline = top + plot_height
    for index, (label, value) in enumerate(rows):
        x = gap + index * (column_width + gap)
        height = plot_height * value / most
        centre = x + column_width / 2
        if value:
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar" fill="#1f5fa8">'
                    "<title>{}</title></rect>",
                    _number(x),
                    _number(baseline - height),
                    column_width,
                    _number(height),
                    f"{label}: {value}",
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="{}" class="chart-value">{}</text>'
                '<text x="{}" y="{}" text-anchor="middle" font-size="{}" class="chart-label">{}</text>',
                _number(centre),
                _number(baseline - height - 5),
                FONT_SIZE,
                value,
                _number(centre),
                baseline + 18,
                FONT_SIZE,
                Truncator(label).chars(16),
            )
        )
    width = gap + max(len(rows), 1) * (column_width + gap)
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#4a5360" stroke-width="1"></line>',
            gap / 2,
            baseline,
            _number(width - gap / 2),
            baseline,
        )
    )
    return _svg(
        chart_id,
        title,
        description if description is not None else describe([(label, [value]) for label, value in rows]),
        width,
        baseline + label_height,
        _join(parts),
        "chart chart-columns",
    )
