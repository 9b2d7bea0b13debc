"""The comparison table's body: every question with each tool's answer, as HTML.

Built here rather than by the template engine: a comparison of four tools has some 300 cells,
and the engine's tags and branches cost about 40 microseconds a cell, a third of the page
(measured in process at 10,000 tools: 5.5 ms of the page's 13-15). Everything written is escaped (`core.escaping.text`,
Django's conditional escape, and `linebreaksbr`) exactly as the template did; the page's
template shows the result as it is.
"""

from __future__ import annotations

from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from core.escaping import text as esc
from core.templatetags.text_language import text_attrs


def body_html(questionnaires: list[dict], column_count: int) -> SafeString:
    """One `<tbody>` per questionnaire of `comparison()`'s rows (after `only_differences` when
    asked), headed by its name, each section headed by its title."""
    colspan = column_count + 1
    no_reply = f'<span class="no-reply">{esc(gettext("No reply provided by the provider"))}</span>'
    parts: list[str] = []
    for block in questionnaires:
        name = esc(block["version"].questionnaire.name)
        parts.append(
            f'<tbody><tr class="compare-questionnaire"><th scope="colgroup" colspan="{colspan}">{name}</th></tr>'
        )
        for section in block["sections"]:
            title = esc(section["section"].title)
            parts.append(f'<tr class="compare-section"><th scope="colgroup" colspan="{colspan}">{title}</th></tr>')
            for row in section["rows"]:
                parts.append(f'<tr><th scope="row">{esc(row["question"].label)}</th>')
                for cell in row["cells"]:
                    parts.append(f"<td{text_attrs(cell.text_language)}>{_cell(cell, no_reply)}</td>")
                parts.append("</tr>")
        parts.append("</tbody>")
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped


def _cell(cell, no_reply: str) -> str:
    if not cell.answered:
        return no_reply
    if cell.attachment_id:
        url = reverse("catalogue:attachment_download", args=[cell.attachment_id])
        return f'<a href="{esc(url)}">{esc(gettext("PDF document"))}</a>'
    if cell.items:
        return '<ul class="compare-items">' + "".join(f"<li>{esc(item)}</li>" for item in cell.items) + "</ul>"
    return linebreaksbr(cell.text, autoescape=True)
