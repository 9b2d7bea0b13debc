"""Which words of a provider's text changed: the review of an update marks them, not whole fields.

The texts are split into tokens (words, runs of spaces, single punctuation marks, and single
CJK characters, which have no spaces between words), compared with difflib, and rendered with
<del> in the old text and <ins> in the new. Every token is escaped before any markup is added:
provider text is untrusted and must never become HTML.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# One CJK ideograph or kana (each a token), a word, a run of spaces, or any other single character.
_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|\w+|\s+|[^\w\s]")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _html(parts: list[tuple[str, bool]], tag: str) -> SafeString:
    out = []
    for text, changed in parts:
        # Line breaks stay line breaks (as linebreaksbr would), after escaping.
        chunk = escape(text).replace("\r\n", "\n").replace("\n", "<br>")
        out.append(f"<{tag}>{chunk}</{tag}>" if changed and text.strip() else chunk)
    return mark_safe("".join(out))  # noqa: S308 — every piece of text was escaped above


@dataclass(frozen=True)
class WordDiff:
    before: SafeString
    after: SafeString


def word_diff(before: str, after: str) -> WordDiff:
    """`before` with its removed words in <del>, `after` with its added words in <ins>."""
    old, new = tokens(before or ""), tokens(after or "")
    old_parts: list[tuple[str, bool]] = []
    new_parts: list[tuple[str, bool]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            old_parts.append(("".join(old[i1:i2]), False))
            new_parts.append(("".join(new[j1:j2]), False))
            continue
        if i2 > i1:
            old_parts.append(("".join(old[i1:i2]), True))
        if j2 > j1:
            new_parts.append(("".join(new[j1:j2]), True))
    return WordDiff(before=_html(old_parts, "del"), after=_html(new_parts, "ins"))
