"""Result cards: what does not depend on the search is rendered once per tool and language.

A card's name, provider, description, key facts and completeness are the same in every search,
yet rendering them through the template engine was half of a catalogue page's time. A card is
rendered with markers where a search differs (the "Back to results" address, the preferred
criteria met, the compare tick), kept under a digest of everything it shows (so a changed tool
or a new label is a new entry, never a stale one), in this process and in the shared cache, and
the markers are filled per search. Escaped text can never hold a marker: they start with "<".
"""

from __future__ import annotations

import hashlib
import threading

from cachetools import LRUCache
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

BACK_QUERY = "<!--back-query-->"
MATCH = "<!--match-->"
CHECKED = "<!--checked-->"

# The tool's fields a card shows (`card_key`, catalogue_card.html) are kept with the criteria
# index (search.CARD_FIELDS): a page of results reads no tool rows.

KEPT_IN_PROCESS = 5000  # about 2 KB each
KEPT_SHARED_SECONDS = 24 * 3600

_kept: LRUCache[str, str] = LRUCache(KEPT_IN_PROCESS)
_lock = threading.Lock()


def card_key(result) -> str:
    """A digest of everything the card shows, in the reader's language."""
    tool = result.tool
    shown = (
        tool.pk,
        tool.slug,
        tool.name,
        tool.organisation.name,
        tool.short_description,
        tool.text_language,
        bool(tool.logo),
        tuple((str(fact.label), tuple(str(value) for value in fact.values)) for fact in result.facts),
        tuple((str(name), answered, total) for name, answered, total in result.completeness),
        get_language(),
    )
    return "discovery:card:" + hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()


# The criteria met and missed repeat from card to card of a search: their HTML is kept per
# language and values (the template was rendered for every card, a millisecond a page).
_matches: LRUCache[tuple, str] = LRUCache(2000)


def _match(result) -> str:
    def facts(items):
        return tuple((str(fact.label), tuple(str(value) for value in fact.values)) for fact in items)

    key = (get_language(), facts(result.matched_values), facts(result.missed_values))
    with _lock:
        html = _matches.get(key)
    if html is None:
        html = render_to_string("discovery/_card_match.html", {"result": result})
        with _lock:
            _matches[key] = html
    return html


def render_cards(results, *, back_query: str, tray_slugs) -> None:
    """Set `card` (HTML) on each result of a page, described by `results.describe_cards`."""
    keys = [card_key(result) for result in results]
    with _lock:
        found = {key: _kept[key] for key in keys if key in _kept}
    missing = [key for key in keys if key not in found]
    if missing:
        found.update(cache.get_many(missing))
    rendered = {}
    for result, key in zip(results, keys, strict=True):
        card = found.get(key)
        if card is None:
            card = render_to_string(
                "discovery/catalogue_card.html",
                {"tool": result.tool, "facts": result.facts, "completeness": result.completeness},
            )
            found[key] = rendered[key] = card
        match = _match(result) if result.matched or result.missed else ""
        checked = " checked" if result.tool.slug in tray_slugs else ""
        filled = card.replace(BACK_QUERY, escape(back_query), 1).replace(MATCH, match, 1).replace(CHECKED, checked, 1)
        result.card = mark_safe(filled)  # noqa: S308 - rendered by the template engine; escaped query
    if rendered:
        cache.set_many(rendered, KEPT_SHARED_SECONDS)
    with _lock:
        for key in keys:
            _kept[key] = found[key]
