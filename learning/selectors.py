"""Reading learning content: what a reader sees in which language, lists, coverage, aggregates.

Every list reads a fixed number of queries, whatever the number of items: items with their
language texts, topics and steps prefetched, and the choice of language made in Python.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Count, Prefetch, Q
from django.utils.html import format_html
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core import policy
from discovery.search import normalise_words, query_words
from questionnaires.selectors import workflow_steps

from .content import Language, language
from .models import (
    LANGUAGE_CODES,
    CheckResult,
    Completion,
    Item,
    ItemSearchText,
    ItemText,
    ItemView,
    LessonDone,
    Section,
    TextStatus,
    Topic,
)

# Aggregates below this are shown as "fewer than 5": small counts could point at one officer.
SMALL_COUNT = 5
REVIEW_INTERVAL_DAYS = 365


def reader_language(code: str | None = None) -> str:
    code = (code or get_language() or settings.LANGUAGE_CODE).lower()
    return code if code in LANGUAGE_CODES else code.split("-")[0] if code.split("-")[0] in LANGUAGE_CODES else "en"


@dataclass
class Shown:
    """An item as one reader sees it: in their language, or the original with a notice."""

    item: Item
    text: ItemText
    language: Language
    wanted: Language
    topics: list = field(default_factory=list)
    steps: list = field(default_factory=list)

    @property
    def fallback(self) -> bool:
        return self.language.code != self.wanted.code

    @property
    def title(self) -> str:
        return self.text.published_title

    def notice(self) -> str:
        """ "Not yet available in العربية; shown in English": each language named in its own
        script and marked with its own language, so it reads right in any interface language."""
        return format_html(
            gettext("Not yet available in {wanted}; shown in {shown}."),
            wanted=format_html('<bdi lang="{}">{}</bdi>', self.wanted.code, self.wanted.name),
            shown=format_html('<bdi lang="{}">{}</bdi>', self.language.code, self.language.name),
        )

    @property
    def summary(self) -> str:
        return self.text.published_summary


def _with_texts(queryset):
    return queryset.prefetch_related(
        Prefetch("texts", queryset=ItemText.objects.order_by("language")),
        Prefetch("topics", queryset=Topic.objects.order_by("order", "slug")),
        "steps",
    )


def shown(item: Item, wanted: str | None = None, steps_by_value: dict | None = None) -> Shown | None:
    """The published text the reader sees (their language, else the original), or None when
    the item has no published text in either. Reads prefetched texts only."""
    wanted = reader_language(wanted)
    texts = {text.language: text for text in item.texts.all() if text.is_published}
    code = wanted if wanted in texts else item.original_language
    text = texts.get(code)
    if text is None:
        return None
    steps_by_value = steps_by_value if steps_by_value is not None else step_labels()
    return Shown(
        item=item,
        text=text,
        language=language(code),
        wanted=language(wanted),
        topics=list(item.topics.all()),
        steps=[steps_by_value[step.step] for step in item.steps.all() if step.step in steps_by_value],
    )


def step_labels() -> dict:
    """{step value: Option} of the current workflow steps (no query while they are cached)."""
    return {option.value: option for option in workflow_steps()}


def published_items():
    return _with_texts(Item.objects.filter(published_at__isnull=False).select_related("owner"))


def shown_list(items, wanted: str | None = None) -> list[Shown]:
    labels = step_labels()
    result = [shown(item, wanted, labels) for item in items]
    return [entry for entry in result if entry is not None]


def by_section(wanted: str | None = None, topic: Topic | None = None) -> dict[str, list[Shown]]:
    """Published items per section of the front page (three queries)."""
    items = published_items()
    if topic is not None:
        items = items.filter(topics=topic)
    sections: dict[str, list[Shown]] = {value: [] for value in Section.values}
    for entry in shown_list(items.order_by("-published_at", "slug"), wanted):
        sections[entry.item.section].append(entry)
    return sections


def items_for_step(step: str, wanted: str | None = None) -> list[Shown]:
    items = published_items().filter(steps__step=step).order_by("level", "slug")
    return shown_list(items, wanted)


def step_counts() -> dict[str, int]:
    """{step value: number of published items about it} (one query)."""
    rows = (
        Item.objects.filter(published_at__isnull=False)
        .values("steps__step")
        .annotate(count=Count("pk"))
        .values_list("steps__step", "count")
    )
    return {step: count for step, count in rows if step}


def owner_label(item: Item, viewer) -> str:
    """Who wrote the item, as `viewer` may know it: officers' names stay with coordinators."""
    if policy.can(viewer, "learning.review"):
        return item.owner.full_name
    return (
        gettext("The coordinators") if policy.can(item.owner, "learning.review") else gettext("A contributing officer")
    )


# --- coordinators ---------------------------------------------------------------------
@dataclass
class CoverageRow:
    item: Item
    title: str
    cells: list  # (language code, ItemText or None) in LANGUAGE_CODES order


def coverage() -> list[CoverageRow]:
    """Item × language with each text's status (two queries)."""
    rows = []
    for item in Item.objects.prefetch_related("texts").order_by("slug"):
        texts = {text.language: text for text in item.texts.all()}
        original = texts.get(item.original_language)
        title = original.title if original else item.slug
        rows.append(CoverageRow(item, title, [(code, texts.get(code)) for code in LANGUAGE_CODES]))
    return rows


def review_queue():
    return ItemText.objects.filter(status=TextStatus.IN_REVIEW).select_related("item").order_by("updated_at")


def overdue(today: datetime.date):
    """Published items not reviewed for 12 months (or never), oldest review first."""
    limit = today - datetime.timedelta(days=REVIEW_INTERVAL_DAYS)
    return (
        _with_texts(Item.objects.filter(published_at__isnull=False))
        .filter(Q(last_reviewed_on__isnull=True) | Q(last_reviewed_on__lte=limit))
        .select_related("owner")
        .order_by("last_reviewed_on", "slug")
    )


def small(count: int):
    """A count as coordinators may see it: below SMALL_COUNT it reads "fewer than 5"."""
    return count if count >= SMALL_COUNT else _("fewer than %(count)s") % {"count": SMALL_COUNT}


@dataclass
class StatisticsRow:
    item: Item
    title: str
    country: str
    views: object
    completions: object


def statistics() -> list[StatisticsRow]:
    """Views and completions per item and per officer country, small counts hidden (three queries).

    Never per officer: only counts leave this function."""
    views = (
        ItemView.objects.values("item_id", "user__officer__country")
        .annotate(count=Count("pk"))
        .values_list("item_id", "user__officer__country", "count")
    )
    completions = (
        Completion.objects.values("item_id", "user__officer__country")
        .annotate(count=Count("pk"))
        .values_list("item_id", "user__officer__country", "count")
    )
    counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for item_id, country, count in views:
        counts[(item_id, country or "")][0] += count
    for item_id, country, count in completions:
        counts[(item_id, country or "")][1] += count
    items = {item.pk: item for item in Item.objects.filter(pk__in={key[0] for key in counts}).prefetch_related("texts")}
    rows = []
    for (item_id, country), (view_count, completion_count) in counts.items():
        item = items[item_id]
        texts = {text.language: text for text in item.texts.all()}
        original = texts.get(item.original_language)
        rows.append(
            StatisticsRow(
                item,
                original.title if original else item.slug,
                countries.name(country) if country else "",
                small(view_count),
                small(completion_count),
            )
        )
    return sorted(rows, key=lambda row: (row.title.casefold(), row.country))


# --- an officer's own progress ----------------------------------------------------------
def lessons_done(user, item) -> set[int]:
    return set(LessonDone.objects.filter(user=user, item=item).values_list("lesson", flat=True))


def check_result(user, item):
    return CheckResult.objects.filter(user=user, item=item).first()


@dataclass
class ProgressRow:
    shown: Shown
    lessons_done: int
    completed: bool
    check: CheckResult | None


def progress(user, wanted: str | None = None) -> list[ProgressRow]:
    """The items the officer opened, with lessons done, completion and check score (five queries)."""
    item_ids = set(ItemView.objects.filter(user=user).values_list("item_id", flat=True))
    done = defaultdict(int)
    for item_id in LessonDone.objects.filter(user=user).values_list("item_id", flat=True):
        done[item_id] += 1
    completed = set(Completion.objects.filter(user=user).values_list("item_id", flat=True))
    checks = {result.item_id: result for result in CheckResult.objects.filter(user=user)}
    entries = shown_list(published_items().filter(pk__in=item_ids).order_by("slug"), wanted)
    return [
        ProgressRow(entry, done[entry.item.pk], entry.item.pk in completed, checks.get(entry.item.pk))
        for entry in entries
    ]


# --- free-text search --------------------------------------------------------------------
def matching_search_rows(words: list[str]) -> set[int]:
    """The ids of the search rows holding every word (the last one as a prefix): one query."""
    if not words:
        return set()
    if connection.vendor == "postgresql":
        query = " & ".join(words[:-1] + [f"{words[-1]}:*"])
        with connection.cursor() as cursor:
            # The function (migration 0002) reads the GIN index of the stored vectors.
            cursor.execute("SELECT learning_search_ids(to_tsquery('simple', %s))", [query])
            return {row[0] for row in cursor.fetchall()}
    if connection.vendor == "sqlite":
        query = " ".join([f'"{word}"' for word in words[:-1]] + [f'"{words[-1]}"*'])
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid FROM learning_itemsearch_fts WHERE learning_itemsearch_fts MATCH %s", [query])
            return {row[0] for row in cursor.fetchall()}
    rows = ItemSearchText.objects.all()
    for word in words[:-1]:
        rows = rows.filter(text__regex=rf"(^| ){word}( |$)")
    return set(rows.filter(text__regex=rf"(^| ){words[-1]}").values_list("pk", flat=True))


def search(q: str, wanted: str | None = None) -> list[Shown]:
    """Published items whose text *in the language the reader would see* holds the words.

    Each published language version is indexed on its own: a French reader searches the French
    text where it exists, and the original where it does not (four queries)."""
    words = query_words(q)
    if not words:
        return []
    wanted = reader_language(wanted)
    hits = ItemSearchText.objects.filter(pk__in=matching_search_rows(words)).values_list("item_id", "language")
    languages_hit = defaultdict(set)
    for item_id, code in hits:
        languages_hit[item_id].add(code)
    if not languages_hit:
        return []
    items = published_items().filter(pk__in=list(languages_hit)).order_by("slug")
    return [entry for entry in shown_list(items, wanted) if entry.language.code in languages_hit[entry.item.pk]]


def search_text(title: str, summary: str, body: str, language: str, topics: list[Topic], step_names: list[str]) -> str:
    """The words of one published language version: title, summary, body, topics and steps."""
    parts = [title, summary, body, *step_names]
    parts.extend(topic.names.get(language) or topic.name for topic in topics)
    return " ".join(normalise_words(" ".join(parts)))


def topics() -> list[Topic]:
    """Every topic, in the coordinators' order (one query)."""
    return list(Topic.objects.all())
