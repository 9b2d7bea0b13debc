"""A tool entry's answers as HTML: one `<dt>` (the question) and `<dd>` (the answer) per question.

Built here rather than by the template engine: an entry has some 70 questions, and the engine's
tags and branches cost some 40 microseconds each, a quarter of the tool page (measured with
`make bench-server`). Everything written is escaped as the template did (`format_html`,
`conditional_escape`, `linebreaksbr`); translated sentences with a name in them are formatted as
`{% blocktranslate %}` does, the name escaped and the translation kept as written.
"""

from __future__ import annotations

from django.template.defaultfilters import filesizeformat, linebreaksbr
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from core.templatetags.text_language import page_attrs, text_attrs


def rows_html(items: list[dict], *, organisation_name: str, provider_website: str, changed_mark: str) -> SafeString:
    """The `<dt>`/`<dd>` pairs of one section's `items` (catalogue.selectors.tool_page);
    `changed_mark` is the safe HTML put after a question changed since the reader's last visit."""
    here = page_attrs()
    parts: list[str] = []
    for item in items:
        answer = item["answer"]
        mark = f" {changed_mark}" if item.get("changed_since_visit") else ""
        parts.append(format_html("<dt>{}{}</dt>", item["question"].label, mark_safe(mark)))  # noqa: S308 - safe HTML given
        no_reply = "" if answer.answered else ' class="no-reply"'
        parts.append(f"<dd{no_reply}{text_attrs(answer.text_language)}>{_answer(item)}")
        if item["on_request"] and provider_website:
            ask = gettext("Ask %(name)s for the details (provider's website)") % {
                "name": conditional_escape(organisation_name)
            }
            parts.append(
                format_html(
                    '<p class="on-request"{}><a href="{}" rel="noopener noreferrer nofollow">{}</a></p>',
                    here,
                    provider_website,
                    mark_safe(ask),  # noqa: S308 - the name is escaped, the translation kept as written
                )
            )
        if item["shown_in_original"]:
            shown = gettext(
                "Shown in %(language)s, as the provider wrote it: no translation into your language was provided."
            ) % {"language": conditional_escape(item["text_language_name"])}
            parts.append(format_html('<p class="help original-language"{}>{}</p>', here, mark_safe(shown)))  # noqa: S308 - as above
        parts.append("</dd>")
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped


def _answer(item: dict) -> str:
    answer = item["answer"]
    if not answer.answered:
        return conditional_escape(gettext("No reply provided by the provider"))
    if answer.items is not None:
        return "<ul>" + "".join(format_html("<li>{}</li>", text) for text in answer.items) + "</ul>"
    if answer.attachment_id:
        attachment = item["attachment"]
        if attachment is None:
            return conditional_escape(gettext("The file is no longer available."))
        return format_html(
            '<a href="{}">{}</a> <span class="help">({}, {})</span>',
            reverse("catalogue:attachment_download", args=[attachment.public_id]),
            attachment.title,
            gettext("PDF"),
            filesizeformat(attachment.size),
        )
    if item["link"]:
        return format_html('<a href="{}" rel="noopener noreferrer nofollow">{}</a>', item["link"], answer.text)
    return linebreaksbr(answer.text, autoescape=True)
