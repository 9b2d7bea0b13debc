"""`{% answer_rows items %}`: a section's questions and answers in a tool entry (catalogue.entry_rows)."""

from django import template
from django.template.loader import render_to_string

from catalogue.entry_rows import rows_html

register = template.Library()


@register.simple_tag(takes_context=True)
def answer_rows(context, items):
    changed_mark = ""
    if any(item.get("changed_since_visit") for item in items):
        # The followers' mark (following app), drawn by its own template once per section.
        changed_mark = render_to_string("following/_changed_mark.html", {"changes_since": context.get("changes_since")})
    organisation = context.get("organisation")
    return rows_html(
        items,
        organisation_name=getattr(organisation, "name", ""),
        provider_website=context.get("provider_website") or "",
        changed_mark=changed_mark,
    )
