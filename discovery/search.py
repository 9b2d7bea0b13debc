"""Finding tools: criteria matching, fair ordering and free-text search (PRODUCT.md 3.3, 3.4).

A search is `{criterion key: Criterion(mode, values)}`. Several values of one criterion
mean any of them (OR); different criteria combine (AND). Results are the published tools
meeting every *required* criterion, ranked by how many *preferred* criteria they meet;
tools that match equally well come in a fair random order seeded by (officer, UTC day).
There is no alphabetical, date or popularity order anywhere.

Everything here reads in a fixed number of queries, whatever the number of tools. The
criteria of the published tools are kept per process (`CriteriaIndex`): an inverted index
{(criterion key, value): tool ids}, read once per criterion key and valid while nothing about the
published tools or the questionnaires changed; a search then needs only set operations, one
query for the free-text words and one to check that the index is still current.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime
import hashlib
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace

from cachetools import LRUCache
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from catalogue.answers import completeness, is_answered
from catalogue.models import Answer, Tool, ToolState
from core import generations
from providers.models import Organisation
from questionnaires.models import Question, QuestionnaireVersion
from questionnaires.selectors import current_versions
from questionnaires.selectors import generation as questionnaires_generation

from . import textsearch, thesaurus
from .models import SearchTextStamp, ToolSearchText

REQUIRED = "required"
PREFERRED = "preferred"
MODES = (REQUIRED, PREFERRED)

# "Answered the questionnaire" means at least this share of its current questions.
COMPLETENESS_THRESHOLD = 0.8

# Free-text search reads at most this many words of a query.
MAX_QUERY_WORDS = 10

CRITERION_TYPES = {Question.Type.YES_NO, Question.Type.SINGLE_CHOICE, Question.Type.MULTIPLE_CHOICE}


@dataclass(frozen=True)
class Criterion:
    mode: str
    values: frozenset[str]


@dataclass
class Result:
    """One tool in the results; `tool` is filled for the tools of the page shown."""

    tool_id: int
    slug: str
    matched: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    tool: Tool | None = None

    @property
    def score(self) -> int:
        return len(self.matched)


# --- criteria -------------------------------------------------------------------
def criterion_questions(versions=None) -> list[Question]:
    """The current criterion questions that can be matched (yes/no and choice questions)."""
    versions = versions if versions is not None else current_versions()
    return [
        question
        for version in versions
        for question in version.questions.all()
        if question.is_criterion and question.type in CRITERION_TYPES
    ]


def allowed_values(question: Question) -> list[tuple[str, str]]:
    """(value, label) pairs an officer can choose for a criterion."""
    from django.utils.translation import gettext

    if question.type == Question.Type.YES_NO:
        return [("yes", gettext("Yes")), ("no", gettext("No"))]
    return [(option.value, option.label) for option in question.options.all()]


def answer_values(value) -> set[str]:
    """A stored answer value as the set of criterion values it stands for."""
    if value is None:
        return set()
    if isinstance(value, bool):
        return {"yes" if value else "no"}
    if isinstance(value, list):
        return {str(item) for item in value}
    if value == "":
        return set()
    return {str(value)}


# --- reading answers in bulk ----------------------------------------------------
def latest_values(tool_ids, keys: Iterable[str]) -> dict[int, dict[str, object]]:
    """{tool id: {question key: value}} with the newest answer per key (one query).

    `tool_ids` is a list or a subquery of tool ids; None reads every published tool."""
    keys = list(keys)
    result: dict[int, dict[str, object]] = defaultdict(dict)
    if not keys:
        return result
    answers = Answer.objects.filter(question_key__in=keys)
    if tool_ids is None:
        answers = answers.filter(tool__state=ToolState.PUBLISHED)
    else:
        answers = answers.filter(tool_id__in=tool_ids)
    for tool_id, key, value in answers.order_by("answered_at", "id").values_list("tool_id", "question_key", "value"):
        result[tool_id][key] = value
    return result


def answers_by_key_bulk(tools: Iterable[Tool]) -> dict[int, dict[str, Answer]]:
    """{tool id: {question key: newest Answer}} for many tools in one query."""
    result: dict[int, dict[str, Answer]] = defaultdict(dict)
    ids = [tool.pk for tool in tools]
    if not ids:
        return result
    for answer in Answer.objects.filter(tool_id__in=ids).order_by("answered_at", "id"):
        result[answer.tool_id][answer.question_key] = answer
    return result


def completeness_for(tool_ids, versions) -> dict[int, dict[str, tuple[int, int]]]:
    """{tool id: {questionnaire key: (answered, total)}} for many tools (one query)."""
    keys_by_questionnaire = {
        version.questionnaire.key: [question.key for question in version.questions.all()] for version in versions
    }
    all_keys = {key for keys in keys_by_questionnaire.values() for key in keys}
    values = latest_values(tool_ids, all_keys)

    result = {}
    for tool_id, answers in values.items():
        answered = {key for key, value in answers.items() if is_answered(SimpleNamespace(value=value))}
        result[tool_id] = {
            questionnaire: (len(answered.intersection(keys)), len(keys))
            for questionnaire, keys in keys_by_questionnaire.items()
        }
    return result


def newest_answers(answers: Iterable[Answer]) -> dict[str, Answer]:
    """{question key: newest Answer} of one tool's answers, as `answers_by_key` reads them."""
    newest: dict[str, Answer] = {}
    for answer in sorted(answers, key=lambda item: (item.answered_at, item.pk or 0)):
        newest[answer.question_key] = answer
    return newest


def answered_counts(tool: Tool, answers: Iterable[Answer], versions) -> dict[str, int]:
    """{version id (text, as JSON keys are): questions of that version the tool answered}, as
    `ToolSearchText.answered` keeps them (`catalogue.answers.completeness` counts)."""
    counts = completeness(tool, versions, answers=newest_answers(answers))
    return {str(version.pk): counts[version.questionnaire.key][0] for version in versions}


def stored_completeness(tool_ids: list[int], versions) -> dict[int, dict[str, tuple[int, int]]]:
    """As `completeness_for`, from the counts kept with the search text (one small query); tools
    whose counts were written for other versions (a version published since) are read in full."""
    totals = [(version.questionnaire.key, str(version.pk), len(version.questions.all())) for version in versions]
    result: dict[int, dict[str, tuple[int, int]]] = {}
    for tool_id, answered in ToolSearchText.objects.filter(tool_id__in=tool_ids).values_list("tool_id", "answered"):
        if all(pk in answered for _key, pk, _total in totals):
            result[tool_id] = {key: (answered[pk], total) for key, pk, total in totals}
    missing = [tool_id for tool_id in tool_ids if tool_id not in result]
    if missing:
        result.update(completeness_for(missing, versions))
    return result


def is_complete(answered: int, total: int) -> bool:
    return total > 0 and answered >= COMPLETENESS_THRESHOLD * total


# --- fair order ---------------------------------------------------------------------
def utc_today() -> datetime.date:
    return timezone.now().astimezone(datetime.UTC).date()


def fairness_seed(user, day: datetime.date | None = None) -> str:
    """Per officer and per UTC day: stable while paging, different across officers and days."""
    return f"{user.public_id}:{(day or utc_today()).isoformat()}"


def fair_key(seed: str, slug: str) -> bytes:
    """A keyed hash of the tool under the seed: sorting by it is a random permutation per seed."""
    return hashlib.blake2b(slug.encode(), key=seed.encode()[:64], digest_size=16).digest()


def rank(results: list[Result], seed: str) -> list[Result]:
    """More preferred criteria met first; ties in the fair random order of `seed`."""
    return sorted(results, key=lambda result: (-result.score, fair_key(seed, result.slug)))


# --- matching -------------------------------------------------------------------------
def match(
    candidates: Iterable[tuple[int, str]],
    selection: dict[str, Criterion],
    values: dict[int, dict[str, object]],
) -> list[Result]:
    """Tools meeting every required criterion, each with matched/missed preferred keys.

    Pure: `candidates` are (tool id, slug); `values` as returned by `latest_values`."""
    required = [(key, c.values) for key, c in selection.items() if c.mode == REQUIRED and c.values]
    preferred = [(key, c.values) for key, c in selection.items() if c.mode == PREFERRED and c.values]
    results = []
    for tool_id, slug in candidates:
        answers = values.get(tool_id, {})
        if any(not (answer_values(answers.get(key)) & wanted) for key, wanted in required):
            continue
        result = Result(tool_id=tool_id, slug=slug)
        for key, wanted in preferred:
            (result.matched if answer_values(answers.get(key)) & wanted else result.missed).append(key)
        results.append(result)
    return results


def search(
    selection: dict[str, Criterion],
    *,
    seed: str,
    q: str = "",
    complete: Iterable[str] = (),
    versions=None,
) -> Results:
    """Every published tool that fits, in fair rank order (a fixed number of queries).

    The same results as `rank(match(...), seed)` over every published tool, computed on the
    per-process criteria index. `complete` lists questionnaire keys the tool must have answered
    (see COMPLETENESS_THRESHOLD)."""
    versions = versions if versions is not None else current_versions()
    words = query_words(q)
    if q and not words:
        return Results([], {}, {}, [])
    index = criteria_index(versions)
    # None stands for every published tool: most searches narrow them down by words or required
    # criteria, and those that do not need no copy of ten thousand ids.
    candidates: set[int] | None = None
    if words:
        candidates = index.matching(words) & index.slugs.keys()
    active = [(key, criterion) for key, criterion in selection.items() if criterion.values]
    index.load([key for key, _criterion in active])
    preferred = []
    for key, criterion in active:
        meeting = index.meeting(key, criterion.values)
        if criterion.mode == REQUIRED:
            candidates = meeting if candidates is None else candidates & meeting
        else:
            preferred.append((key, meeting))
    complete = [key for key in complete if key]
    if complete:
        considered = index.slugs.keys() if candidates is None else candidates
        scores = index.completeness(considered) if considered else {}
        candidates = {
            tool_id
            for tool_id in considered
            if all(is_complete(*scores.get(tool_id, {}).get(key, (0, 0))) for key in complete)
        }
    order = index.fair_order(seed)
    # More preferred criteria met first; within a score, the fair order.
    score: dict[int, int] = {}
    for _key, meeting in preferred:
        for tool_id in meeting if candidates is None else meeting & candidates:
            score[tool_id] = score.get(tool_id, 0) + 1
    scored = [tool_id for tool_id in order if tool_id in score] if score else []
    scored.sort(key=score.__getitem__, reverse=True)  # stable: ties keep the fair order
    # Candidates are published tools (the index's postings and texts hold no others): all in the order.
    ranking = Ranking(scored, order, candidates, score, len(index.slugs) if candidates is None else len(candidates))
    return Results(ranking, index.slugs, dict(preferred), [key for key, _meeting in preferred])


class Ranking(Sequence):
    """Tool ids in rank order: `head` (the tools meeting preferred criteria, ranked), then the
    other `allowed` tools (None: all) in the fair `order`. The rest is found only as far as it is
    read: a page of results reads 20 or 40 positions of thousands, and going through all of the
    fair order for each search cost a millisecond at 10,000 tools."""

    CHUNK = 512

    def __init__(self, head: list[int], order: list[int], allowed: set[int] | None, head_ids, length: int):
        self._known = head
        self._order = order
        self._allowed = allowed
        self._head_ids = head_ids
        self._length = length
        self._scanned = 0

    def __len__(self) -> int:
        return self._length

    def _extend(self, upto: int) -> None:
        known, allowed, head_ids = self._known, self._allowed, self._head_ids
        while len(known) < upto and self._scanned < len(self._order):
            chunk = self._order[self._scanned : self._scanned + self.CHUNK]
            self._scanned += self.CHUNK
            if allowed is None:
                known.extend([tool_id for tool_id in chunk if tool_id not in head_ids] if head_ids else chunk)
            else:
                known.extend(tool_id for tool_id in chunk if tool_id in allowed and tool_id not in head_ids)

    def __getitem__(self, position):
        if isinstance(position, slice):
            start, stop, step = position.indices(self._length)
            if step == 1:
                self._extend(stop)
                return self._known[start:stop]
            self._extend(self._length)  # all known: the list's own slice counts from its end rightly
            return self._known[position]
        if position < 0:
            position += self._length
        if not 0 <= position < self._length:
            raise IndexError(position)
        self._extend(position + 1)
        return self._known[position]

    def __iter__(self):
        self._extend(self._length)
        return iter(self._known)


class Results(Sequence):
    """Ranked search results; the `Result` of a position is built when it is read (a page)."""

    def __init__(self, ordered: list[int], slugs: dict[int, str], preferred: dict[str, set], keys: list[str]):
        self._ordered = ordered
        self._slugs = slugs
        self._preferred = preferred
        self._keys = keys

    def __len__(self) -> int:
        return len(self._ordered)

    def _result(self, tool_id: int) -> Result:
        result = Result(tool_id=tool_id, slug=self._slugs[tool_id])
        for key in self._keys:
            (result.matched if tool_id in self._preferred[key] else result.missed).append(key)
        return result

    def __getitem__(self, position):
        if isinstance(position, slice):
            return [self._result(tool_id) for tool_id in self._ordered[position]]
        return self._result(self._ordered[position])

    def __eq__(self, other):
        return list(self) == list(other) if isinstance(other, (list, Results)) else NotImplemented

    def __repr__(self) -> str:
        return f"<Results: {len(self)} tools>"


# --- the per-process criteria index ---------------------------------------------------
GENERATION_KEY = "catalogue:criteria-generation"
# One fair order per officer searching: a process serves every officer, so keeping fewer orders than
# officers busy at once recomputes one on most searches (a list of ids: 80 KB at 10,000 tools).
FAIR_ORDERS_KEPT = 256
# What a result card shows of a tool (discovery.cards), kept with each published tool so that a
# page of results reads no tool rows: read with the addresses, and again with every change of a
# tool or its organisation's name (`with_tool`).
CARD_FIELDS = ("name", "short_description", "text_language", "logo", "organisation_id", "organisation__name")
ID_CHUNK = 900  # below SQLite's limit of bound parameters
# Tool ids kept for recent search words, all words together (about 30 MB at most).
MATCHING_IDS_KEPT = 500_000


# Every change of the published tools is numbered (an atomic counter) and names the tool it
# touched, so a process whose index is a few changes behind re-reads only those tools instead of
# every tool (the first search after a publication). Entries are kept for an hour.
CHANGES_KEY = "catalogue:criteria-changes"
CHANGES_KEPT_SECONDS = 3600
CHANGES_CAUGHT_UP_AT_MOST = 50
ANY_TOOL = "*"


def criteria_generation() -> str:
    return generations.current(GENERATION_KEY)


def changes_number() -> int | None:
    """The number of the last change of the published tools (None when the cache is down)."""
    # Counted from the first index read: it can catch up with the very first change too.
    cache.add(CHANGES_KEY, 0, timeout=None)
    number = cache.get(CHANGES_KEY)
    return number if isinstance(number, int) else None


def _record_change(tool_id: int | None) -> None:
    cache.add(CHANGES_KEY, 0, timeout=None)
    try:
        number = cache.incr(CHANGES_KEY)
    except ValueError:  # the cache is down: every process reads everything again
        return
    cache.set(f"{CHANGES_KEY}:{number}", ANY_TOOL if tool_id is None else tool_id, timeout=CHANGES_KEPT_SECONDS)


def bump_criteria_generation(tool_id: int | None = None) -> None:
    """Every process reads the published tools' criteria again (only `tool_id`'s when a process is
    just behind): now and after the commit. The change is numbered before the token is drawn, so
    a process that sees the new token sees the change."""
    _record_change(tool_id)
    transaction.on_commit(lambda: _record_change(tool_id))
    generations.bump(GENERATION_KEY)


def _fingerprint() -> tuple:
    """Changes whenever a tool's search text is written or removed (it is when a tool is
    published, withdrawn or reindexed), also by bulk loads that send no signals: a mark that
    database triggers draw again (migration 0006), read by primary key."""
    table = connection.ops.quote_name(SearchTextStamp._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT mark FROM {table} WHERE id = 1")  # noqa: S608
        return tuple(cursor.fetchone() or ())


class CriteriaIndex:
    """The published tools and, per criterion key read so far, which tools meet which value."""

    def __init__(
        self,
        token: str,
        questionnaires: str,
        versions,
        fingerprint: tuple,
        changes: int | None = None,
        *,
        read: bool = True,
    ):
        self.token = token
        self.questionnaires = questionnaires
        self.versions = versions
        self.version_ids = [version.pk for version in versions]
        self.fingerprint = fingerprint
        self.changes = changes  # the number of the last change this index holds
        self.slugs: dict[int, str] = {}
        self.cards: dict[int, tuple] = {}  # CARD_FIELDS of each published tool
        if read:
            rows = Tool.objects.filter(state=ToolState.PUBLISHED).values_list("pk", "slug", *CARD_FIELDS)
            for tool_id, slug, *card in rows.iterator():
                self.slugs[tool_id] = slug
                self.cards[tool_id] = tuple(card)
        self.postings: dict[str, dict[str, set[int]]] = {}
        self._completeness: dict[int, dict[str, tuple[int, int]]] = {}
        self._fair: LRUCache[str, list[int]] = LRUCache(FAIR_ORDERS_KEPT)
        # Fair orders of an earlier index, and the tools that arrived since: merged when used.
        self._fair_before: dict[str, list[int]] = {}
        self._arrived: dict[int, str] = {}
        # The tools matching recent search words, kept while this index is current (a tool's text
        # changes only with a change this index is replaced for).
        self._matching: LRUCache[tuple, frozenset[int]] = LRUCache(MATCHING_IDS_KEPT, getsizeof=len)
        self._lock = threading.Lock()

    def is_current(self, token: str, questionnaires: str, versions, fingerprint: tuple) -> bool:
        return (
            self.token == token
            and self.questionnaires == questionnaires
            and self.version_ids == [version.pk for version in versions]
            and self.fingerprint == fingerprint
        )

    def with_tool(self, tool_id: int, slug: str | None, token: str, fingerprint: tuple | None = None) -> CriteriaIndex:
        """A copy with one tool re-read (or removed when `slug` is None); a few queries.
        Copied, not changed in place, as other threads may be reading this one."""
        fingerprint = fingerprint if fingerprint is not None else _fingerprint()
        copy = CriteriaIndex(token, self.questionnaires, self.versions, fingerprint, self.changes, read=False)
        copy.slugs = {key: value for key, value in self.slugs.items() if key != tool_id}
        copy.cards = {key: value for key, value in self.cards.items() if key != tool_id}
        copy.postings = {
            key: {value: ids - {tool_id} if tool_id in ids else ids for value, ids in by_value.items()}
            for key, by_value in self.postings.items()
        }
        copy._completeness = {key: value for key, value in self._completeness.items() if key != tool_id}
        copy._arrived = dict(self._arrived)
        if slug is None:
            copy._arrived.pop(tool_id, None)
        elif self.slugs.get(tool_id) != slug:
            # A new tool (or a new address, which moves it in every order): placed on use.
            copy._arrived[tool_id] = slug
        if len(copy._arrived) <= CHANGES_CAUGHT_UP_AT_MOST:
            # The newest orders, as many as are kept.
            merged = {**self._fair_before, **self._fair}
            copy._fair_before = dict(list(merged.items())[-FAIR_ORDERS_KEPT:])
        else:  # many arrivals since the orders were drawn: drawn again on use
            copy._arrived = {}
        if slug is not None:
            copy.slugs[tool_id] = slug
            card = Tool.objects.filter(pk=tool_id).values_list(*CARD_FIELDS).first()
            if card is not None:
                copy.cards[tool_id] = tuple(card)
            values = latest_values([tool_id], list(copy.postings)).get(tool_id, {})
            for key, value in values.items():
                for item in answer_values(value):
                    copy.postings[key][item] = copy.postings[key].get(item, set()) | {tool_id}
            copy.completeness([tool_id])
        return copy

    def caught_up(self, token: str, changes: int | None, fingerprint: tuple) -> CriteriaIndex | None:
        """This index with the few tools changed since it was read re-read (`with_tool`), or
        None when that is not known: changes not numbered, too many, forgotten, or not of one
        tool (a questionnaire's new labels, a bulk load)."""
        if changes is None or self.changes is None:
            return None
        if changes == self.changes:
            # Nothing numbered happened since (the token was drawn again): the fingerprint says.
            return None
        if not 0 < changes - self.changes <= CHANGES_CAUGHT_UP_AT_MOST:
            return None
        keys = [f"{CHANGES_KEY}:{number}" for number in range(self.changes + 1, changes + 1)]
        touched = cache.get_many(keys)
        if len(touched) != len(keys) or ANY_TOOL in touched.values():
            return None
        tool_ids = list(dict.fromkeys(touched[key] for key in keys))
        published = dict(Tool.objects.filter(pk__in=tool_ids, state=ToolState.PUBLISHED).values_list("pk", "slug"))
        index = self
        for tool_id in tool_ids:
            index = index.with_tool(tool_id, published.get(tool_id), token, fingerprint)
        index.changes = changes
        return index

    def load(self, keys: Iterable[str]) -> None:
        """Read the newest answers of every published tool for keys not read yet (one query)."""
        missing = [key for key in dict.fromkeys(keys) if key not in self.postings]
        if not missing:
            return
        values = latest_values(None, missing)
        postings: dict[str, dict[str, set[int]]] = {key: defaultdict(set) for key in missing}
        for tool_id, answers in values.items():
            if tool_id not in self.slugs:
                continue
            for key, value in answers.items():
                for item in answer_values(value):
                    postings[key][item].add(tool_id)
        self.postings.update(postings)

    def matching(self, words: list[str]) -> frozenset[int]:
        """The ids of the tools whose search text holds every word (`matching_ids`), kept for
        recent words: a common word matches thousands of tools, a query of some 15 ms."""
        key = query_expression(words)
        with self._lock:
            found = self._matching.get(key)
        if found is None:
            found = frozenset(matching_ids(words))
            with self._lock, contextlib.suppress(ValueError):  # larger than all kept: not kept
                self._matching[key] = found
        return found

    def meeting(self, key: str, wanted: Iterable[str]) -> set[int]:
        """Tools whose newest answer to `key` has any of the wanted values."""
        by_value = self.postings.get(key, {})
        result: set[int] = set()
        for value in wanted:
            result |= by_value.get(value, set())
        return result

    def completeness(self, tool_ids: Iterable[int]) -> dict[int, dict[str, tuple[int, int]]]:
        """{tool id: {questionnaire key: (answered, total)}}, read once per tool."""
        tool_ids = list(tool_ids)
        missing = [tool_id for tool_id in tool_ids if tool_id not in self._completeness]
        if missing:
            totals = {version.questionnaire.key: (0, len(version.questions.all())) for version in self.versions}
            for start in range(0, len(missing), ID_CHUNK):
                chunk = missing[start : start + ID_CHUNK]
                read = stored_completeness(chunk, self.versions)
                for tool_id in chunk:
                    self._completeness[tool_id] = read.get(tool_id, totals)
        return {tool_id: self._completeness[tool_id] for tool_id in tool_ids}

    def fair_order(self, seed: str) -> list[int]:
        """Every tool id in the fair random order of `seed` (kept for the last seeds)."""
        with self._lock:
            order = self._fair.get(seed)
        if order is None:
            # fair_key's hash with the key set once per seed: the same digests in half the time.
            keyed = hashlib.blake2b(key=seed.encode()[:64], digest_size=16)

            def digest(tool_id: int) -> bytes:
                hasher = keyed.copy()
                hasher.update(self.slugs[tool_id].encode())
                return hasher.digest()

            before = self._fair_before.get(seed)
            if before is not None:
                # The order before a few tools arrived: they are placed in it, not all drawn again.
                order = [tool_id for tool_id in before if tool_id in self.slugs and tool_id not in self._arrived]
                for tool_id in self._arrived:
                    bisect.insort(order, tool_id, key=digest)
            else:
                digests = {tool_id: digest(tool_id) for tool_id in self.slugs}
                order = sorted(digests, key=digests.__getitem__)
            with self._lock:
                self._fair[seed] = order
        return order


_indexes: dict[str, CriteriaIndex] = {}


def page_completeness(tool_ids: list[int], versions) -> dict[int, dict[str, tuple[int, int]]]:
    """Completeness of a page of results: from this process's criteria index when it is for
    these versions (it was just checked by `search`), else read (one query)."""
    index = _indexes.get("current")
    if index is not None and index.version_ids == [version.pk for version in versions]:
        return index.completeness(tool_ids)
    return completeness_for(tool_ids, versions)


def page_values(tool_ids: list[int], keys: Iterable[str], versions) -> dict[int, dict[str, set[str]]]:
    """{tool id: {question key: values}} of a page of results (as `answer_values` of the newest
    answers): the criteria from this process's criteria index when it is for these versions (it
    was just checked by `search`), any other key read (one query)."""
    keys = list(dict.fromkeys(keys))
    result: dict[int, dict[str, set[str]]] = defaultdict(dict)
    held: list[str] = []
    index = _indexes.get("current")
    if index is not None and index.version_ids == [version.pk for version in versions]:
        criteria = {question.key for question in criterion_questions(versions)}
        held = [key for key in keys if key in criteria]
        index.load(held)
        page = set(tool_ids)
        for key in held:
            for value, ids in index.postings[key].items():
                for tool_id in page & ids:
                    result[tool_id].setdefault(key, set()).add(value)
    read = latest_values(tool_ids, [key for key in keys if key not in held])
    for tool_id, answers in read.items():
        for key, value in answers.items():
            result[tool_id][key] = answer_values(value)
    return result


def criteria_index(versions=None) -> CriteriaIndex:
    """This process's criteria index: caught up with the few tools changed since it was read, or
    read again when the tools or questionnaires changed otherwise."""
    versions = versions if versions is not None else current_versions()
    token = criteria_generation()
    questionnaires = questionnaires_generation()
    fingerprint = _fingerprint()
    index = _indexes.get("current")
    if index is not None and index.is_current(token, questionnaires, versions, fingerprint):
        return index
    changes = changes_number()  # after the token: a new token's change is numbered by now
    caught_up = None
    if index is not None and index.questionnaires == questionnaires and index.version_ids == [v.pk for v in versions]:
        caught_up = index.caught_up(token, changes, fingerprint)
    index = caught_up or CriteriaIndex(token, questionnaires, versions, fingerprint, changes)
    _indexes["current"] = index
    return index


def warm_up() -> None:
    """Read this process's criteria index, every criterion of the published tools (one query
    each) and their completeness (one query per ID_CHUNK tools, as each results page would read its
    own): an app server does it before its first request (deploy/gunicorn.conf.py)."""
    versions = current_versions()
    index = criteria_index(versions)
    index.load(question.key for question in criterion_questions(versions))
    index.completeness(index.slugs)


def attach_card_tools(results: list[Result], versions) -> list[Result]:
    """`attach_tools` with the fields a result card shows (CARD_FIELDS and the address), from
    this process's criteria index when it is for these versions (it was just checked by `search`,
    as current as a query), else read (one query). The tools are new instances on every call:
    nothing a page does to them reaches another page."""
    index = _indexes.get("current")
    if index is None or index.version_ids != [version.pk for version in versions]:
        return attach_tools(results, only=("slug", *CARD_FIELDS))
    for result in results:
        card = index.cards.get(result.tool_id)
        result.tool = None if card is None else _card_tool(result.tool_id, index.slugs[result.tool_id], card)
    return [result for result in results if result.tool is not None]


def _in_field_order(model, names: set[str]) -> tuple[str, ...]:
    """`names` in the order of the model's columns, as `Model.from_db` takes the values."""
    return tuple(field.attname for field in model._meta.concrete_fields if field.attname in names)


_CARD_TOOL_FIELDS = _in_field_order(Tool, {"id", "slug", *(name for name in CARD_FIELDS if "__" not in name)})
_CARD_ORGANISATION_FIELDS = _in_field_order(Organisation, {"id", "name"})


def _card_tool(tool_id: int, slug: str, card: tuple) -> Tool:
    values = dict(zip(CARD_FIELDS, card, strict=True), id=tool_id, slug=slug)
    tool = Tool.from_db(None, _CARD_TOOL_FIELDS, [values[name] for name in _CARD_TOOL_FIELDS])
    organisation = {"id": values["organisation_id"], "name": values["organisation__name"]}
    tool.organisation = Organisation.from_db(
        None, _CARD_ORGANISATION_FIELDS, [organisation[name] for name in _CARD_ORGANISATION_FIELDS]
    )
    return tool


def attach_tools(results: list[Result], *, only: Iterable[str] = ()) -> list[Result]:
    """Load the Tool rows of a page of results, keeping their order (one query); `only` these
    fields (of the tool, or `organisation__<field>`) when given."""
    tools = Tool.objects.select_related("organisation")
    if only:
        tools = tools.only(*only)
    tools = tools.in_bulk([result.tool_id for result in results])
    for result in results:
        result.tool = tools.get(result.tool_id)
    return [result for result in results if result.tool is not None]


# --- free text ------------------------------------------------------------------------
# Tokenising, stemming and query building are in `textsearch` (one tokeniser for both engines).
normalise_words = textsearch.normalise_words


def query_words(q: str) -> list[str]:
    return normalise_words(q)[:MAX_QUERY_WORDS]


def query_expression(words: list[str]) -> tuple:
    """The words as a query: stems, Chinese pairs and the thesaurus's other terms included."""
    return thesaurus.expand(words)


def matching_ids(words: list[str]) -> set[int]:
    """The ids of the tools whose search text holds every word (one query)."""
    expression = query_expression(words)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The function (catalogue migration 0004) reads the GIN index of the stored vectors.
            cursor.execute("SELECT catalogue_search_ids(to_tsquery('simple', %s))", [textsearch.to_tsquery(expression)])
            return {row[0] for row in cursor.fetchall()}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM catalogue_toolsearch_fts WHERE catalogue_toolsearch_fts MATCH %s",
                [textsearch.to_fts5(expression)],
            )
            return {row[0] for row in cursor.fetchall()}
    return {
        tool_id
        for tool_id, text in ToolSearchText.objects.values_list("tool_id", "text")
        if textsearch.matches(expression, set(text.split()))
    }


def matching_tool_ids(words: list[str]):
    """Tool ids whose search text holds every word (the last one as a prefix), as a subquery
    (FTS5 on SQLite, full-text search on PostgreSQL; a list elsewhere)."""
    expression = query_expression(words)
    if connection.vendor == "postgresql":
        # The stored, GIN-indexed tsvector column (catalogue migration 0004): no per-row to_tsvector.
        return RawSQL("SELECT catalogue_search_ids(to_tsquery('simple', %s))", [textsearch.to_tsquery(expression)])
    if connection.vendor == "sqlite":
        return RawSQL(
            "SELECT rowid FROM catalogue_toolsearch_fts WHERE catalogue_toolsearch_fts MATCH %s",
            [textsearch.to_fts5(expression)],
        )
    return list(matching_ids(words))


def label_texts(answers: Iterable[Answer], versions=None) -> list[str]:
    """The labels, in every language, of what the tool's answers say to the current criterion
    questions: the options chosen, and the question of a yes/no criterion answered yes. So an
    officer typing "صور" finds the tools whose input data types include images."""
    versions = versions if versions is not None else current_versions()
    questions = {question.key: question for question in criterion_questions(versions)}
    newest = newest_answers(answers)
    texts: list[str] = []
    for key, answer in newest.items():
        question = questions.get(key)
        if question is None:
            continue
        chosen = answer_values(answer.value)
        if question.type == Question.Type.YES_NO:
            if "yes" in chosen:
                texts.extend(str(text) for text in question.labels.values())
            continue
        for option in question.options.all():
            if option.value in chosen:
                texts.extend(str(text) for text in option.labels.values())
    return texts


def search_text(tool: Tool, answers: Iterable[Answer] | None = None, versions=None) -> str:
    """The words of a tool: name, provider, descriptions, free-text answers in every language
    and the labels of its criteria answers in every language, then their stems (`textsearch`)."""
    parts = [tool.name, tool.organisation.name, tool.short_description, tool.long_description]
    if answers is None:
        answers = tool.answers.select_related("question")
    answers = list(answers)
    for answer in answers:
        if answer.question.type in Question.TEXT_TYPES and isinstance(answer.value, str):
            parts.append(answer.value)
            parts.extend(str(text) for text in (answer.translations or {}).values())
    parts.extend(label_texts(answers, versions))
    return textsearch.index_text(normalise_words(" ".join(parts)))


def index_tool(tool: Tool) -> None:
    """Write the tool's search text (a few queries). Call when a tool or its answers change."""
    tool = Tool.objects.select_related("organisation").get(pk=tool.pk)
    versions = current_versions()
    answers = list(tool.answers.select_related("question"))
    ToolSearchText.objects.update_or_create(
        tool=tool,
        defaults={
            "text": search_text(tool, answers, versions),
            "answered": answered_counts(tool, answers, versions),
            "updated_at": timezone.now(),
        },
    )


def reindex_published(batch: int = 500) -> int:
    """Write the search text of every published tool again, in batches (two queries and one
    bulk update per batch): after a questionnaire version was published, whose labels the texts
    hold."""
    versions = current_versions()
    ids = list(Tool.objects.filter(state=ToolState.PUBLISHED).order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        tools = Tool.objects.select_related("organisation").in_bulk(chunk)
        answers: dict[int, list[Answer]] = defaultdict(list)
        for answer in Answer.objects.filter(tool_id__in=chunk).select_related("question"):
            answers[answer.tool_id].append(answer)
        rows = [
            ToolSearchText(
                tool_id=pk,
                text=search_text(tool, answers[pk], versions),
                answered=answered_counts(tool, answers[pk], versions),
                updated_at=now,
            )
            for pk, tool in tools.items()
        ]
        ToolSearchText.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["tool"], update_fields=["text", "answered", "updated_at"]
        )
    bump_criteria_generation()
    return len(ids)


def rebuild_index(tools=None) -> int:
    """(Re)index the given tools, or every tool; for bulk loads that bypass signals."""
    tools = tools if tools is not None else Tool.objects.all()
    count = 0
    for tool in tools.iterator() if hasattr(tools, "iterator") else tools:
        index_tool(tool)
        count += 1
    return count


# Keep the index in step with published tools: a published tool cannot be edited directly,
# so this runs when a tool is published (or changed while published) and on the rare answer
# saved for a published tool. Connected in CatalogueConfig.ready().
@receiver(post_save, sender=Tool, dispatch_uid="discovery.search.tool_saved")
def _tool_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if instance.state == ToolState.PUBLISHED:
        index_tool(instance)
        _criteria_updated(instance.pk, instance.slug)
    elif ToolSearchText.objects.filter(tool_id=instance.pk).delete()[0]:
        _criteria_updated(instance.pk, None)


@receiver(post_save, sender=Organisation, dispatch_uid="discovery.search.organisation_saved")
def _organisation_saved(sender, instance, raw=False, **kwargs):
    """Its tools' search texts and cards hold the organisation's name: read again when it is saved
    (a rename, rare), for each of its published tools."""
    if raw:
        return
    for tool in Tool.objects.filter(organisation=instance, state=ToolState.PUBLISHED).select_related("organisation"):
        index_tool(tool)
        _criteria_updated(tool.pk, tool.slug)


@receiver(post_save, sender=Answer, dispatch_uid="discovery.search.answer_saved")
def _answer_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    tool = Tool.objects.filter(pk=instance.tool_id, state=ToolState.PUBLISHED).first()
    if tool is not None:
        index_tool(tool)
        _criteria_updated(tool.pk, tool.slug)


@receiver(post_save, sender=QuestionnaireVersion, dispatch_uid="discovery.search.version_published")
def _version_published(sender, instance, raw=False, update_fields=None, **kwargs):
    """A new current version may name the options otherwise: the texts hold its labels."""
    if raw or instance.status != QuestionnaireVersion.Status.PUBLISHED:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    transaction.on_commit(reindex_published)


@receiver(post_delete, sender=Tool, dispatch_uid="discovery.search.tool_deleted")
@receiver(post_delete, sender=Answer, dispatch_uid="discovery.search.answer_deleted")
def _criteria_changed(sender, instance, **kwargs):
    bump_criteria_generation(instance.pk if sender is Tool else instance.tool_id)


def _criteria_updated(tool_id: int, slug: str | None) -> None:
    """A published tool changed (or left the catalogue, `slug` None): every process reads it
    again after the commit; this process, when its index was current, updates it now (so that
    the rest of this transaction, and tests, see the change without a full read)."""
    index = _indexes.get("current")
    token = criteria_generation()
    changes = changes_number()
    bump_criteria_generation(tool_id)
    if index is None or index.token != token or index.questionnaires != questionnaires_generation():
        return
    updated = index.with_tool(tool_id, slug, cache.get(GENERATION_KEY))
    # The index holds the newest change only when it held the one before and nobody else's came.
    after = changes_number()
    updated.changes = after if changes is not None and index.changes == changes and after == changes + 1 else None
    _indexes["current"] = updated
