"""Small display helpers for the audit log."""

import json

from django import template

register = template.Library()

MAX_CHARS = 300


@register.filter
def compact_json(value) -> str:
    """Before/after values on one short line; the full value is in the CSV export."""
    if value is None or value == "":
        return ""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str, separators=(", ", ": "))
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1] + "…"
