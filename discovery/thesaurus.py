"""The multilingual thesaurus: concepts of the field named by terms in the hub's six languages.

A query whose words hold a term of a concept (as a run of words, each equal or sharing a stem)
also finds the tools that name the concept by another term: "CSAM" finds a tool described as
"مواد الاعتداء الجنسي على الأطفال". Each process keeps the terms, read again when a coordinator
changed the thesaurus (a generation token in the shared cache, as for the questionnaires).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from audit.models import Action
from audit.services import record
from core import generations

from . import textsearch
from .models import Concept, Term

STARTING_SET = Path(__file__).resolve().parent / "data" / "thesaurus.json"
GENERATION_KEY = "discovery:thesaurus-generation"
# A query reads at most this many other terms for one run of its words.
MAX_ALTERNATIVES = 40
MAX_TERMS_PER_LANGUAGE = 12


def languages() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)


# --- reading -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    concept_id: int
    words: tuple[str, ...]


def generation() -> str:
    return generations.current(GENERATION_KEY)


def bump_generation() -> None:
    generations.bump(GENERATION_KEY)


@receiver(post_save, sender=Concept, dispatch_uid="discovery.thesaurus.concept_saved")
@receiver(post_delete, sender=Concept, dispatch_uid="discovery.thesaurus.concept_deleted")
@receiver(post_save, sender=Term, dispatch_uid="discovery.thesaurus.term_saved")
@receiver(post_delete, sender=Term, dispatch_uid="discovery.thesaurus.term_deleted")
def _changed(sender, **kwargs):
    bump_generation()


_process: dict = {}


def entries() -> list[Entry]:
    """Every term as its normalised words (one query when the thesaurus changed, else none)."""
    token = generation()
    cached = _process.get("entries")
    if cached is not None and cached[0] == token:
        return cached[1]
    read = []
    for concept_id, text in Term.objects.order_by("concept_id", "id").values_list("concept_id", "text"):
        words = tuple(textsearch.normalise_words(text))
        if words:
            read.append(Entry(concept_id, words))
    _process["entries"] = (token, read)
    return read


def _keys(word: str) -> set[str]:
    return {word, *textsearch.stems(word)}


def _matches_at(words: list[str], start: int, entry: Entry) -> bool:
    end = start + len(entry.words)
    if end > len(words):
        return False
    return all(_keys(words[start + i]) & _keys(term_word) for i, term_word in enumerate(entry.words))


def expand(words: list[str]) -> tuple:
    """The query of some normalised words: each word (the last one as a prefix) or any of its
    stems, and each run of words naming a concept, or any other term of that concept."""
    known = entries()
    parts = []
    position = 0
    while position < len(words):
        hits = [entry for entry in known if _matches_at(words, position, entry)]
        length = max((len(entry.words) for entry in hits), default=0)
        if not length:
            parts.append(textsearch.word_query(words[position], prefix=position == len(words) - 1))
            position += 1
            continue
        span = words[position : position + length]
        concepts = {entry.concept_id for entry in hits if len(entry.words) == length}
        is_last = position + length == len(words)
        alternatives = [textsearch.phrase_query(span, prefix_last=is_last)]
        for entry in known:
            if entry.concept_id in concepts and list(entry.words) != span:
                alternatives.append(textsearch.phrase_query(list(entry.words)))
        parts.append(textsearch.any_of(alternatives[: MAX_ALTERNATIVES + 1]))
        position += length
    return textsearch.all_of(parts)


# --- coordinators' changes ---------------------------------------------------------------
def terms_by_language(concept: Concept) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {code: [] for code, _name in languages()}
    for term in concept.terms.all():
        result.setdefault(term.language, []).append(term.text)
    return result


def _snapshot(terms: dict[str, list[str]]) -> dict:
    return {"terms": {code: texts for code, texts in terms.items() if texts}}


def _write_terms(concept: Concept, terms: dict[str, list[str]]) -> None:
    concept.terms.all().delete()
    Term.objects.bulk_create(
        [
            Term(concept=concept, language=code, text=text)
            for code, texts in terms.items()
            for text in dict.fromkeys(texts)
        ]
    )


@transaction.atomic
def add_concept(terms: dict[str, list[str]], *, by, request=None) -> Concept:
    concept = Concept.objects.create()
    _write_terms(concept, terms)
    bump_generation()
    record(Action.THESAURUS_CONCEPT_ADDED, actor=by, target=concept, request=request, after=_snapshot(terms))
    return concept


@transaction.atomic
def update_concept(concept: Concept, terms: dict[str, list[str]], *, by, request=None) -> Concept:
    concept = Concept.objects.select_for_update().get(pk=concept.pk)
    before = _snapshot(terms_by_language(concept))
    _write_terms(concept, terms)
    concept.updated_at = timezone.now()
    concept.save(update_fields=["updated_at"])
    record(
        Action.THESAURUS_CONCEPT_CHANGED,
        actor=by,
        target=concept,
        request=request,
        before=before,
        after=_snapshot(terms),
    )
    return concept


@transaction.atomic
def delete_concept(concept: Concept, *, by, request=None) -> None:
    before = _snapshot(terms_by_language(concept))
    record(Action.THESAURUS_CONCEPT_DELETED, actor=by, target=concept, request=request, before=before)
    concept.delete()


def starting_set() -> list[dict[str, list[str]]]:
    """The concepts the hub starts with (loaded by migration 0004)."""
    return json.loads(STARTING_SET.read_text(encoding="utf-8"))
