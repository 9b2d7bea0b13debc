"""The representation chart: one bar per provider (speaker and participant stacked) and the equal share.

Server-rendered SVG, like the dashboard's charts: no scripts, no style attributes (the CSP forbids
them), a <title> and a <desc> with the numbers, every text escaped by `format_html`. Coordinates are
laid out left to right (`direction="ltr"`), so the chart reads the same in a right-to-left page.
"""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _

LABEL_WIDTH, BAR_WIDTH, VALUE_WIDTH = 260, 360, 70
ROW_HEIGHT, BAR_HEIGHT, LEGEND_HEIGHT = 24, 16, 28
SPEAKER_FILL, PARTICIPANT_FILL, EQUAL_STROKE = "#1f5fa8", "#8a6100", "#b3261e"


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def representation_chart(report, chart_id: str = "chart-representation", *, limit: int | None = None) -> SafeString:
    """Bars of appearances per provider; the dashed line marks the equal share of all appearances."""
    rows = report.rows[:limit] if limit else report.rows
    most = max((row.total for row in rows), default=0)
    equal = float(report.equal_share or 0) * report.appearances
    scale_top = max(most, equal) or 1
    parts: list[SafeString] = [
        format_html(
            '<rect x="{}" y="6" width="12" height="12" class="chart-bar" fill="{}"></rect>'
            '<text x="{}" y="17" font-size="12">{}</text>'
            '<rect x="{}" y="6" width="12" height="12" class="chart-bar chart-pending" fill="{}"></rect>'
            '<text x="{}" y="17" font-size="12">{}</text>'
            '<line x1="{}" y1="12" x2="{}" y2="12" stroke="{}" stroke-dasharray="4 3" stroke-width="2"></line>'
            '<text x="{}" y="17" font-size="12">{}</text>',
            LABEL_WIDTH,
            SPEAKER_FILL,
            LABEL_WIDTH + 16,
            _("as speaker"),
            LABEL_WIDTH + 110,
            PARTICIPANT_FILL,
            LABEL_WIDTH + 126,
            _("as participant"),
            LABEL_WIDTH + 240,
            LABEL_WIDTH + 262,
            EQUAL_STROKE,
            LABEL_WIDTH + 268,
            _("equal share"),
        )
    ]
    for index, row in enumerate(rows):
        y = LEGEND_HEIGHT + index * ROW_HEIGHT
        text_y = y + BAR_HEIGHT - 3
        name = row.organisation.name
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="12" class="chart-label">{}</text>',
                LABEL_WIDTH - 8,
                text_y,
                Truncator(name).chars(38),
            )
        )
        x = float(LABEL_WIDTH)
        for value, fill, label in (
            (row.speaker, SPEAKER_FILL, _("as speaker")),
            (row.participant, PARTICIPANT_FILL, _("as participant")),
        ):
            if not value:
                continue
            width = BAR_WIDTH * value / scale_top
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar" fill="{}"><title>{}</title></rect>',
                    _number(x),
                    y,
                    _number(width),
                    BAR_HEIGHT,
                    fill,
                    f"{name}: {value} {label}",
                )
            )
            x += width
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" class="chart-value">{} ({}%)</text>',
                _number(x + 6),
                text_y,
                row.total,
                row.percent,
            )
        )
    height = LEGEND_HEIGHT + max(len(rows), 1) * ROW_HEIGHT
    equal_x = LABEL_WIDTH + BAR_WIDTH * equal / scale_top
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-dasharray="4 3" stroke-width="2"></line>',
            _number(equal_x),
            LEGEND_HEIGHT - 4,
            _number(equal_x),
            height,
            EQUAL_STROKE,
        )
    )
    description = "; ".join(
        _("%(name)s: %(speaker)s as speaker, %(participant)s as participant (%(percent)s%%)")
        % {
            "name": row.organisation.name,
            "speaker": row.speaker,
            "participant": row.participant,
            "percent": row.percent,
        }
        for row in rows
    )
    if report.equal_share is not None:
        description += ". " + _("Equal share: %(percent)s%%.") % {"percent": report.equal_percent}
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-bars" id="{id}" role="img" direction="ltr" '
        'aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {w} {h}" width="100%" preserveAspectRatio="xMinYMin meet">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        id=chart_id,
        w=LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH,
        h=height,
        title=_("Appearances at events per provider organisation"),
        desc=description,
        body=format_html_join("", "{}", ((part,) for part in parts)),
    )
