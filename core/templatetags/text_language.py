"""Language and dates of text as readers see it.

`{% text_attrs code %}` marks text written in another language than the page's (a provider's
English on an Arabic page): it emits ` lang="en" dir="ltr"` so screen readers switch voice and
the bidi algorithm puts punctuation on the right side. It emits nothing when the text is in the
page's language: the attributes would only repeat what the element inherits from <html>, and
every result card and answer would carry bytes for nothing. An empty or unknown code also emits
nothing (the element keeps the page's language rather than claiming a wrong one).

`local_date` / `local_datetime` are the one way pages show a date: the active language's
localised DATE_FORMAT (plus its TIME_FORMAT for a moment), in the reader's time zone (activated per
request by accounts.middleware.ReaderTimeZoneMiddleware). A moment is DATE_FORMAT + TIME_FORMAT
rather than Django's (SHORT_)DATETIME_FORMAT because those spell the date differently from
DATE_FORMAT in some languages (Arabic's month-first DATETIME_FORMAT, English's ambiguous
03/07/2026): a date must read the same on every page of one language.
"""

from __future__ import annotations

import datetime

from django import template
from django.conf import settings
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_bidi, get_language_info

register = template.Library()

_KNOWN = {code for code, _name in settings.LANGUAGES}


def known_language(code: str | None) -> str:
    """`code` normalised to one of the hub's languages, or "" when it is not one of them."""
    code = (code or "").strip().lower().replace("_", "-")
    if code in _KNOWN:
        return code
    base = code.split("-")[0]
    return base if base in _KNOWN else ""


def is_bidi(code: str) -> bool:
    return bool(get_language_info(code)["bidi"])


@register.simple_tag
def text_attrs(code: str | None, page: str | None = None, always: bool = False) -> SafeString:
    """` lang="…" dir="…"` for text written in `code`, when that differs from the page language
    (the active one, or `page` for a document such as a decision pack that names its own), or
    always with always=True."""
    code = known_language(code)
    if not code:
        return mark_safe("")
    page = known_language(page or get_language())
    if not always and code == page:
        return mark_safe("")
    return format_html(' lang="{}" dir="{}"', code, "rtl" if is_bidi(code) else "ltr")


@register.simple_tag
def page_attrs() -> SafeString:
    """` lang="…" dir="…"` of the page itself: for the page's own words inside an element that
    carries another language (a help line inside a provider's answer)."""
    code = known_language(get_language()) or settings.LANGUAGE_CODE
    return format_html(' lang="{}" dir="{}"', code, "rtl" if get_language_bidi() else "ltr")


def _to_local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter(expects_localtime=False)
def local_date(value) -> str:
    """A date (or the date of a moment, in the reader's zone) in the language's DATE_FORMAT."""
    if value in (None, ""):
        return ""
    return formats.date_format(_to_local(value), "DATE_FORMAT")


@register.filter(expects_localtime=False)
def local_datetime(value) -> str:
    """A moment in the reader's zone: the language's DATE_FORMAT, then its TIME_FORMAT."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = _to_local(value)
        return f"{formats.date_format(value, 'DATE_FORMAT')} {formats.time_format(value, 'TIME_FORMAT')}"
    return formats.date_format(value, "DATE_FORMAT")
