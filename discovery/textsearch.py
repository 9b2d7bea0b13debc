"""Words of the free-text search in six languages: normalising, stemming, Chinese grams, queries.

One tokeniser feeds both engines, so SQLite (FTS5, `unicode61 remove_diacritics`) and
PostgreSQL (the 'simple' configuration) find the same tools: stemming happens here, with the
Snowball algorithms PostgreSQL's 'english', 'french', 'spanish', 'russian' and 'arabic'
dictionaries also use, rather than in one engine only. The stored text holds each word as
typed (lower case, no diacritics: prefix search on the last word keeps working), then its stems
and, for Chinese and Japanese, every character and pair of characters, so that a substring of a
run of ideographs (which has no spaces) is found.

A query is a tree of ("tok", text, prefix), ("and", [...]) and ("or", [...]) nodes, rendered for
FTS5 or for to_tsquery; tokens hold only letters and digits (`normalise_words`), so they need no
quoting beyond FTS5's double quotes.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import snowballstemmer

_CJK_CLASS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK = re.compile(f"[{_CJK_CLASS}]+")
# A run of ideographs, or a run of other letters and digits (underscore is not a letter).
_WORD = re.compile(f"[{_CJK_CLASS}]+|(?:(?![{_CJK_CLASS}])[^\\W_])+")
_TATWEEL = "\u0640"

# Which stemmers apply to a word, by its script (a Latin word may be English, French or Spanish).
_LATIN = ("english", "french", "spanish")
_CYRILLIC = ("russian",)
_ARABIC = ("arabic",)


@functools.cache
def _stemmer(language: str):
    return snowballstemmer.stemmer(language)


def normalise_words(text: str) -> list[str]:
    """Lower-cased words without diacritics or Arabic tatweel; ideographs as runs of their own."""
    decomposed = unicodedata.normalize("NFKD", (text or "").replace(_TATWEEL, ""))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _WORD.findall(stripped.casefold())


def is_cjk(word: str) -> bool:
    return bool(_CJK.fullmatch(word))


def _languages(word: str) -> tuple[str, ...]:
    first = word[0]
    if "\u0600" <= first <= "\u06ff":
        return _ARABIC
    if "\u0400" <= first <= "\u04ff":
        return _CYRILLIC
    if first.isalpha():
        return _LATIN
    return ()


@functools.lru_cache(maxsize=20000)
def stems(word: str) -> tuple[str, ...]:
    """The stems of a normalised word in the languages its script may be, other than itself."""
    found = []
    for language in _languages(word):
        stem = normalise_words(_stemmer(language).stemWord(word))
        if stem and len(stem) == 1 and stem[0] != word and stem[0] not in found:
            found.append(stem[0])
    return tuple(found)


def grams(run: str) -> list[str]:
    """Each ideograph of a run and each pair of neighbours: what a substring query is made of."""
    return list(run) + [run[i : i + 2] for i in range(len(run) - 1)]


def index_text(words: list[str]) -> str:
    """The stored search text of some words: the words, then their stems and grams, once each."""
    extra: dict[str, None] = {}
    for word in dict.fromkeys(words):
        for token in grams(word) if is_cjk(word) else stems(word):
            extra[token] = None
    seen = set(words)
    return " ".join(words + [token for token in extra if token not in seen])


# --- queries --------------------------------------------------------------------------
def tok(text: str, prefix: bool = False) -> tuple:
    return ("tok", text, prefix)


def all_of(nodes: list) -> tuple:
    return nodes[0] if len(nodes) == 1 else ("and", tuple(nodes))


def any_of(nodes: list) -> tuple:
    unique = list(dict.fromkeys(nodes))
    return unique[0] if len(unique) == 1 else ("or", tuple(unique))


def word_query(word: str, prefix: bool = False) -> tuple:
    """A query word: itself (a prefix when it is the last one typed) or any of its stems;
    a run of ideographs: every pair of it (a single ideograph: itself)."""
    if is_cjk(word):
        return tok(word) if len(word) == 1 else all_of([tok(gram) for gram in grams(word)[len(word) :]])
    return any_of([tok(word, prefix)] + [tok(stem) for stem in stems(word)])


def phrase_query(words: list[str], prefix_last: bool = False) -> tuple:
    return all_of([word_query(word, prefix_last and i == len(words) - 1) for i, word in enumerate(words)])


def to_fts5(node) -> str:
    kind = node[0]
    if kind == "tok":
        return f'"{node[1]}"*' if node[2] else f'"{node[1]}"'
    joiner = " AND " if kind == "and" else " OR "
    return "(" + joiner.join(to_fts5(child) for child in node[1]) + ")"


def to_tsquery(node) -> str:
    kind = node[0]
    if kind == "tok":
        return f"{node[1]}:*" if node[2] else node[1]
    joiner = " & " if kind == "and" else " | "
    return "(" + joiner.join(to_tsquery(child) for child in node[1]) + ")"


def matches(node, tokens: set[str]) -> bool:
    """The query against a set of stored tokens, in Python (databases without full-text search)."""
    kind = node[0]
    if kind == "tok":
        return any(token.startswith(node[1]) for token in tokens) if node[2] else node[1] in tokens
    test = all if kind == "and" else any
    return test(matches(child, tokens) for child in node[1])
