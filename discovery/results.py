"""How a catalogue search reads to the officer: its clean address, the criteria it holds (each
removable), what to loosen when nothing fits, and the few facts on each result card.

Nothing here orders or favours tools: it describes the results `search.search` ranked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext

from . import search

# Shown on every result card, in this order, when the current questionnaires ask them
# (keys of the Tools Form, questionnaires/data/tools-form.json).
FACT_KEYS = ("workflow-steps", "deployment-model", "free-for-law-enforcement")

# At most this many "without X, N tools match" suggestions under an empty result.
MAX_SUGGESTIONS = 3

QUERY = "q"
COMPLETE = "complete"


def mode_name(key: str) -> str:
    return f"mode.{key}"


@dataclass
class Active:
    """One criterion of the search as the officer reads it, with the search without it."""

    key: str
    label: str
    values: list[str]
    preferred: bool = False
    without: str = ""  # the query string of the same search without this criterion
    excludes: bool = True  # whether it can shut tools out (required criteria, words, completeness)

    @property
    def url(self) -> str:
        return catalogue_url(self.without)


@dataclass
class Suggestion:
    criterion: Active
    count: int


@dataclass
class Fact:
    label: str
    values: list[str] = field(default_factory=list)


def canonical(form) -> list[tuple[str, str]]:
    """The (name, value) pairs of a valid search, only what the officer chose: the words, the
    values of each criterion (with its mode when preferred: required is the default), the
    questionnaires that must be answered."""
    pairs: list[tuple[str, str]] = []
    words = form.cleaned_data[QUERY].strip()
    if words:
        pairs.append((QUERY, words))
    for question in form.questions:
        values = form.cleaned_data.get(question.key) or []
        if values:
            pairs.extend((question.key, value) for value in values)
            if form.cleaned_data.get(mode_name(question.key)) == search.PREFERRED:
                pairs.append((mode_name(question.key), search.PREFERRED))
    pairs.extend((COMPLETE, key) for key in form.cleaned_data.get(COMPLETE) or [] if key)
    return pairs


def encode(pairs: list[tuple[str, str]]) -> str:
    query = QueryDict(mutable=True)
    for name, value in pairs:
        query.appendlist(name, value)
    return query.urlencode()


def clean_query(form, request_get) -> str | None:
    """The clean query string of this search (with its page), or None when the request's is
    already clean: defaults, empty fields and unknown names are left out."""
    pairs = canonical(form)
    # The page stays as given (a bad one shows the last page, as the paginator reads it).
    pairs.extend(("page", page) for page in request_get.getlist("page")[:1] if page)
    keys = {question.key for question in form.questions}
    # A long criterion opened in full without JavaScript ("Show all N options") stays open.
    pairs.extend(("expand", key) for key in sorted(set(request_get.getlist("expand")) & keys))
    # "Required" next to a chosen criterion is the default said aloud (saved searches and older
    # links carry it): harmless, so such an address is not sent elsewhere.
    said_aloud = {(mode_name(name), search.REQUIRED) for name, _value in pairs if name in keys}
    given = sorted(
        (name, value) for name, values in request_get.lists() for value in values if (name, value) not in said_aloud
    )
    if given == sorted(pairs):
        return None
    return encode(pairs)


def active_criteria(form) -> list[Active]:
    """The criteria of a valid search, in the order of the form, each with its removal."""
    pairs = canonical(form)
    active = []
    words = form.cleaned_data[QUERY].strip()
    if words:
        active.append(Active(QUERY, gettext("Search words"), [f"“{words}”"], without=_without(pairs, {QUERY})))
    for question in form.questions:
        chosen = form.cleaned_data.get(question.key) or []
        if not chosen:
            continue
        labels = dict(form.fields[question.key].choices)
        preferred = form.cleaned_data.get(mode_name(question.key)) == search.PREFERRED
        active.append(
            Active(
                question.key,
                str(question.label),
                [str(labels.get(value, value)) for value in chosen],
                preferred=preferred,
                without=_without(pairs, {question.key, mode_name(question.key)}),
                excludes=not preferred,
            )
        )
    complete = [key for key in form.cleaned_data.get(COMPLETE) or [] if key]
    if complete:
        labels = dict(form.fields[COMPLETE].choices)
        active.append(
            Active(
                COMPLETE,
                str(form.fields[COMPLETE].label),
                [str(labels.get(key, key)) for key in complete],
                without=_without(pairs, {COMPLETE}),
            )
        )
    return active


def _without(pairs, names: set[str]) -> str:
    return encode([(name, value) for name, value in pairs if name not in names])


def page_url(pairs: list[tuple[str, str]], number: int) -> str:
    return catalogue_url(encode([*pairs, *([("page", str(number))] if number > 1 else [])]))


def catalogue_url(query: str) -> str:
    base = reverse("discovery:catalogue")
    return f"{base}?{query}" if query else base


def suggestions(form, active: list[Active], versions) -> list[Suggestion]:
    """For a search that found nothing: per criterion that shuts tools out, how many tools
    match when it alone is dropped; the most helpful first, those that would still find none
    left out.

    Set operations on the criteria index (as `search.search`): with n criteria, each "all but
    one" intersection comes from prefix and suffix intersections, O(n) set operations; a few
    queries (the index check and the search words)."""
    excluding = [criterion for criterion in active if criterion.excludes]
    if not excluding:
        return []
    index = search.criteria_index(versions)
    index.load([criterion.key for criterion in excluding if criterion.key not in (QUERY, COMPLETE)])
    everyone = set(index.slugs)
    sets: list[set[int]] = []
    complete_keys: list[str] = []
    filtered: list[Active] = []
    for criterion in excluding:
        if criterion.key == QUERY:
            words = search.query_words(form.cleaned_data[QUERY])
            sets.append(set(index.matching(words)) if words else set())
        elif criterion.key == COMPLETE:
            complete_keys = [key for key in form.cleaned_data[COMPLETE] if key]
            continue
        else:
            sets.append(index.meeting(criterion.key, set(form.cleaned_data[criterion.key])))
        filtered.append(criterion)
    n = len(sets)
    prefix = [everyone]
    for tool_set in sets:
        prefix.append(prefix[-1] & tool_set)
    suffix = [everyone] * (n + 1)
    for position in range(n - 1, -1, -1):
        suffix[position] = suffix[position + 1] & sets[position]
    all_but = [prefix[position] & suffix[position + 1] for position in range(n)]
    counts: list[tuple[Active, set[int]]] = list(zip(filtered, all_but, strict=True))
    if complete_keys:
        complete_criterion = next(criterion for criterion in excluding if criterion.key == COMPLETE)
        considered = set().union(*all_but) if all_but else set()
        scores = index.completeness(considered)
        complete_ids = {
            tool_id
            for tool_id in considered
            if all(search.is_complete(*scores.get(tool_id, {}).get(key, (0, 0))) for key in complete_keys)
        }
        counts = [(criterion, ids & complete_ids) for criterion, ids in counts]
        counts.append((complete_criterion, prefix[n]))
    found = [Suggestion(criterion, len(ids)) for criterion, ids in counts if ids]
    found.sort(key=lambda suggestion: -suggestion.count)  # stable: ties keep the form's order
    return found[:MAX_SUGGESTIONS]


def describe_cards(results, form, versions) -> None:
    """Set `facts` (the key facts), `matched_values` (the preferred criteria met, as the values
    the tool has) and `missed_values` (those it lacks, as the values wanted) on each result of a
    page: from the criteria index (`search.page_values`), no query once it holds the keys."""
    questions = {question.key: question for version in versions for question in version.questions.all()}
    fact_keys = [key for key in FACT_KEYS if key in questions]
    preferred_keys = sorted({key for result in results for key in result.matched})
    values = search.page_values([result.tool_id for result in results], [*fact_keys, *preferred_keys], versions)
    # A page repeats the same questions on every card: their labels are looked up once.
    vocabularies: dict[str, _Vocabulary] = {}

    def fact(key: str, chosen) -> Fact:
        vocabulary = vocabularies.get(key)
        if vocabulary is None:
            vocabulary = vocabularies[key] = _Vocabulary(form, questions[key])
        return Fact(vocabulary.label, vocabulary.labels(chosen))

    for result in results:
        answers = values.get(result.tool_id, {})
        result.facts = [fact(key, answers.get(key, set())) for key in fact_keys]
        result.matched_values = []
        for key in result.matched:
            if key in questions:
                has = answers.get(key, set())
                result.matched_values.append(
                    fact(key, [value for value in form.cleaned_data.get(key) or [] if value in has])
                )
        # What the officer wanted and the tool lacks: the wanted values.
        result.missed_values = [
            fact(key, form.cleaned_data.get(key) or []) for key in result.missed if key in questions
        ]


class _Vocabulary:
    """A question's label and its values' labels in the reader's language, in the order of its
    options."""

    def __init__(self, form, question):
        self.label = str(question.label)
        field_ = form.fields.get(question.key)
        choices = list(field_.choices) if field_ is not None else search.allowed_values(question)
        self._labels = {value: str(label) for value, label in choices}
        self._order = {value: position for position, (value, _label) in enumerate(choices)}

    def labels(self, values) -> list[str]:
        last = len(self._order)
        return [self._labels.get(value, str(value)) for value in sorted(values, key=lambda v: self._order.get(v, last))]
