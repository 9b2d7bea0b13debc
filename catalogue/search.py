"""Finding tools: criteria matching, fair ordering and free-text search (PRODUCT.md 3.3, 3.4).

A search is `{criterion key: Criterion(mode, values)}`. Several values of one criterion
mean any of them (OR); different criteria combine (AND). Results are the published tools
meeting every *required* criterion, ranked by how many *preferred* criteria they meet;
tools that match equally well come in a fair random order seeded by (officer, UTC day).
There is no alphabetical, date or popularity order anywhere.

Everything here reads in a fixed number of queries, whatever the number of tools.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db import connection
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from questionnaires.models import Question
from questionnaires.selectors import current_versions

from .answers import is_answered
from .models import Answer, Tool, ToolSearchText, ToolState

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
) -> list[Result]:
    """Every published tool that fits, in fair rank order (a fixed number of queries).

    `complete` lists questionnaire keys the tool must have answered (see COMPLETENESS_THRESHOLD)."""
    versions = versions if versions is not None else current_versions()
    tools = Tool.objects.filter(state=ToolState.PUBLISHED)
    words = query_words(q)
    if q and not words:
        return []
    if words:
        tools = tools.filter(pk__in=matching_tool_ids(words))
    candidates = list(tools.values_list("pk", "slug"))
    ids = tools.values("pk") if words else None
    values = latest_values(ids, [key for key, c in selection.items() if c.values])
    results = match(candidates, selection, values)
    complete = [key for key in complete if key]
    if complete:
        scores = completeness_for(ids, [v for v in versions if v.questionnaire.key in complete])
        results = [
            result
            for result in results
            if all(is_complete(*scores.get(result.tool_id, {}).get(key, (0, 0))) for key in complete)
        ]
    return rank(results, seed)


def attach_tools(results: list[Result]) -> list[Result]:
    """Load the Tool rows of a page of results, keeping their order (one query)."""
    tools = Tool.objects.select_related("organisation").in_bulk([result.tool_id for result in results])
    for result in results:
        result.tool = tools.get(result.tool_id)
    return [result for result in results if result.tool is not None]


# --- free text ------------------------------------------------------------------------
_WORD = re.compile(r"[^\W_]+")


def normalise_words(text: str) -> list[str]:
    """Lower-cased words without diacritics: the same tokens for SQLite and PostgreSQL."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _WORD.findall(stripped.casefold())


def query_words(q: str) -> list[str]:
    return normalise_words(q)[:MAX_QUERY_WORDS]


def matching_tool_ids(words: list[str]):
    """Tool ids whose search text holds every word (the last one as a prefix).

    A subquery: FTS5 on SQLite, full-text search on PostgreSQL."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        raw = " & ".join(words[:-1] + [f"{words[-1]}:*"])
        return (
            ToolSearchText.objects.annotate(document=SearchVector("text", config="simple"))
            .filter(document=SearchQuery(raw, search_type="raw", config="simple"))
            .values("tool_id")
        )
    if connection.vendor == "sqlite":
        expression = " ".join([f'"{word}"' for word in words[:-1]] + [f'"{words[-1]}"*'])
        return RawSQL(
            "SELECT rowid FROM catalogue_toolsearch_fts WHERE catalogue_toolsearch_fts MATCH %s", [expression]
        )
    # Other databases: a plain (slow) containment check with the same meaning.
    texts = ToolSearchText.objects.all()
    for word in words[:-1]:
        texts = texts.filter(text__regex=rf"(^| ){re.escape(word)}( |$)")
    return texts.filter(text__regex=rf"(^| ){re.escape(words[-1])}").values("tool_id")


def search_text(tool: Tool, answers: Iterable[Answer] | None = None) -> str:
    """The words of a tool: name, provider, descriptions and free-text answers in every language."""
    parts = [tool.name, tool.organisation.name, tool.short_description, tool.long_description]
    if answers is None:
        answers = tool.answers.select_related("question")
    for answer in answers:
        if answer.question.type in Question.TEXT_TYPES and isinstance(answer.value, str):
            parts.append(answer.value)
            parts.extend(str(text) for text in (answer.translations or {}).values())
    return " ".join(normalise_words(" ".join(parts)))


def index_tool(tool: Tool) -> None:
    """Write the tool's search text (a few queries). Call when a tool or its answers change."""
    tool = Tool.objects.select_related("organisation").get(pk=tool.pk)
    ToolSearchText.objects.update_or_create(
        tool=tool, defaults={"text": search_text(tool), "updated_at": timezone.now()}
    )


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
@receiver(post_save, sender=Tool, dispatch_uid="catalogue.search.tool_saved")
def _tool_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if instance.state == ToolState.PUBLISHED:
        index_tool(instance)
    else:
        ToolSearchText.objects.filter(tool_id=instance.pk).delete()


@receiver(post_save, sender=Answer, dispatch_uid="catalogue.search.answer_saved")
def _answer_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    tool = Tool.objects.filter(pk=instance.tool_id, state=ToolState.PUBLISHED).first()
    if tool is not None:
        index_tool(tool)
