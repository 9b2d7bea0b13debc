"""The figures of the coordinators' dashboard (issue 4), read in a fixed number of queries.

Counts are aggregated in SQL (`values().annotate(Count)` or conditional counts). The
multiple-choice answers behind the capability counts and the gap map are JSON lists, which
SQLite and PostgreSQL unnest differently: they are read in one query (`search.latest_values`)
and counted here. Nothing here depends on the number of tools, officers or countries for the
number of queries it runs.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.models import OfficerProfile
from accounts.selectors import vetting_queue
from catalogue.answers import is_answered
from catalogue.models import Tool, ToolState
from catalogue.updates import overdue_for_confirmation as overdue_entries
from concerns.models import Concern
from discovery import exposure, search
from discovery.models import ExposureCount
from questionnaires.selectors import WORKFLOW_STEPS_KEY, current_versions

RESPONSIBLE_AI_KEY = "responsible-ai"
CAPABILITIES_KEY = "capabilities"

OVERDUE_LIST_LIMIT = 50
EXPOSURE_DAYS = 30

# (label, lower bound in days inclusive, upper bound in days exclusive or None)
QUEUE_AGE_BUCKETS = [
    (_("Under 2 days"), 0, 2),
    (_("2–7 days"), 2, 7),
    (_("7–30 days"), 7, 30),
    (_("Over 30 days"), 30, None),
]
COMPLETENESS_BUCKETS = [_("0–25%"), _("25–50%"), _("50–75%"), _("75–100%")]
# Open concerns by time since they were reported (same shape as QUEUE_AGE_BUCKETS).
CONCERN_AGE_BUCKETS = [
    (_("Under 7 days"), 0, 7),
    (_("7–30 days"), 7, 30),
    (_("30–90 days"), 30, 90),
    (_("Over 90 days"), 90, None),
]


@dataclass
class Figure:
    """One labelled number (a bar of a chart, a row of a table)."""

    key: str
    label: str
    count: int


@dataclass
class CountryRow:
    code: str
    name: str
    verified: int
    pending: int

    @property
    def total(self) -> int:
        return self.verified + self.pending


# --- officers -------------------------------------------------------------------------
def officers_by_country(now: datetime.datetime) -> list[CountryRow]:
    """Verified and pending officers per country (one query), most officers first."""
    verified = Q(status=OfficerProfile.Status.VERIFIED) & (Q(verified_until__isnull=True) | Q(verified_until__gt=now))
    pending = Q(status=OfficerProfile.Status.PENDING)
    rows = (
        OfficerProfile.objects.filter(user__is_active=True)
        .filter(verified | pending)
        .values("country")
        .annotate(verified=Count("id", filter=verified), pending=Count("id", filter=pending))
        .order_by()
    )
    result = [
        CountryRow(
            code=row["country"],
            name=str(countries.name(row["country"]) or row["country"]),
            verified=row["verified"],
            pending=row["pending"],
        )
        for row in rows
    ]
    return sorted(result, key=lambda row: (-row.total, row.name))


def vetting_queue_age(now: datetime.datetime) -> list[Figure]:
    """Applications waiting for a decision (as in the vetting queue) by how long they have waited."""
    # The queue's own query, as a subquery: its DISTINCT and ordering do not mix with aggregates.
    in_queue = OfficerProfile.objects.filter(pk__in=vetting_queue().values("pk"))
    aggregates = {}
    for index, (_label, low, high) in enumerate(QUEUE_AGE_BUCKETS):
        condition = Q(submitted_at__lte=now - datetime.timedelta(days=low))
        if high is not None:
            condition &= Q(submitted_at__gt=now - datetime.timedelta(days=high))
        aggregates[f"bucket{index}"] = Count("id", filter=condition)
    counts = in_queue.aggregate(**aggregates)
    return [
        Figure(key=f"bucket{index}", label=str(label), count=counts[f"bucket{index}"] or 0)
        for index, (label, _low, _high) in enumerate(QUEUE_AGE_BUCKETS)
    ]


# --- tools ------------------------------------------------------------------------------
def tools_by_state() -> list[Figure]:
    """Every tool state with its number of tools (one query), in the order of the workflow.

    Update requests (revisions of published tools) are not tools of their own and are not counted."""
    counts = dict(
        Tool.objects.filter(revision_of__isnull=True)
        .values("state")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("state", "n")
    )
    result = [
        Figure(key=state.value, label=str(state.label), count=counts.pop(state.value, 0))
        for state in ToolState
        if state != ToolState.APPLIED
    ]
    # A state no longer in the code still shows, so the total stays right.
    result.extend(Figure(key=key, label=key, count=count) for key, count in sorted(counts.items()))
    return result


def _question(versions, key: str):
    for version in versions:
        for question in version.questions.all():
            if question.key == key:
                return question
    return None


@dataclass
class GapMap:
    """Published tools per (workflow step, capability); `rows` are (step, [cells]) in option order."""

    steps: list[Figure]
    capabilities: list[Figure]
    cells: list[tuple[Figure, list[int]]]

    @property
    def most(self) -> int:
        return max((count for _step, row in self.cells for count in row), default=0)

    @property
    def empty_cells(self) -> int:
        return sum(1 for _step, row in self.cells for count in row if count == 0)


@dataclass
class Completeness:
    """How much of the Responsible AI Questionnaire published tools answered."""

    available: bool
    questions: int = 0
    buckets: list[Figure] = field(default_factory=list)


def _option_counts(question, tallies: Counter) -> list[Figure]:
    return [
        Figure(key=option.value, label=option.label, count=tallies[option.value]) for option in question.options.all()
    ]


def answers_figures(versions, published: int) -> dict:
    """Capability counts, the gap map and questionnaire completeness from one read of the
    newest answers of every published tool."""
    responsible_ai = next((v for v in versions if v.questionnaire.key == RESPONSIBLE_AI_KEY), None)
    rai_keys = [question.key for question in responsible_ai.questions.all()] if responsible_ai else []
    steps_question = _question(versions, WORKFLOW_STEPS_KEY)
    capabilities_question = _question(versions, CAPABILITIES_KEY)
    keys = set(rai_keys)
    keys.update(q.key for q in (steps_question, capabilities_question) if q is not None)
    values = search.latest_values(None, keys)

    step_values = [o.value for o in steps_question.options.all()] if steps_question else []
    capability_values = [o.value for o in capabilities_question.options.all()] if capabilities_question else []
    step_tally: Counter = Counter()
    capability_tally: Counter = Counter()
    pair_tally: Counter = Counter()
    completeness_tally: Counter = Counter()
    rai_set = set(rai_keys)
    for answers in values.values():
        steps = search.answer_values(answers.get(WORKFLOW_STEPS_KEY)).intersection(step_values)
        capabilities = search.answer_values(answers.get(CAPABILITIES_KEY)).intersection(capability_values)
        step_tally.update(steps)
        capability_tally.update(capabilities)
        pair_tally.update((step, capability) for step in steps for capability in capabilities)
        if rai_keys:
            answered = sum(
                1 for key, value in answers.items() if key in rai_set and is_answered(SimpleNamespace(value=value))
            )
            completeness_tally[completeness_bucket(answered, len(rai_keys))] += 1
    if rai_keys:
        # Published tools without a single answer read above answered nothing.
        completeness_tally[0] += max(published - sum(completeness_tally.values()), 0)
    completeness = Completeness(
        available=bool(rai_keys),
        questions=len(rai_keys),
        buckets=[
            Figure(key=f"bucket{index}", label=str(label), count=completeness_tally[index])
            for index, label in enumerate(COMPLETENESS_BUCKETS)
        ]
        if rai_keys
        else [],
    )
    capabilities = _option_counts(capabilities_question, capability_tally) if capabilities_question else []
    steps = _option_counts(steps_question, step_tally) if steps_question else []
    gap_map = GapMap(
        steps=steps,
        capabilities=capabilities,
        cells=[(step, [pair_tally[(step.key, capability.key)] for capability in capabilities]) for step in steps],
    )
    return {
        "capabilities": capabilities,
        "capabilities_available": capabilities_question is not None,
        "gap_map": gap_map,
        "gap_map_available": steps_question is not None and capabilities_question is not None,
        "completeness": completeness,
    }


def completeness_bucket(answered: int, total: int) -> int:
    """0 for under 25% answered, 1 for 25–50%, 2 for 50–75%, 3 for 75% and more."""
    if total <= 0:
        return 0
    return min(answered * 4 // total, 3)


def overdue_for_confirmation(now: datetime.datetime) -> dict:
    """Published entries not confirmed within the interval: the number and the longest overdue (two queries)."""

    overdue = overdue_entries(now)
    tools = list(
        overdue.only("slug", "name", "published_at", "last_confirmed_at", "created_at", "organisation__name")[
            :OVERDUE_LIST_LIMIT
        ]
    )
    return {
        "count": overdue.count(),
        "tools": tools,
        "days": settings.CONFIRMATION_INTERVAL_DAYS,
        "limit": OVERDUE_LIST_LIMIT,
    }


@dataclass
class Fairness:
    """First-position exposure of published tools over the last EXPOSURE_DAYS days."""

    start: datetime.date
    end: datetime.date
    published: int
    shown_first: int
    total: int
    highest_share: float
    lowest_share: float

    @property
    def never_shown_first(self) -> int:
        return self.published - self.shown_first

    @property
    def ratio(self) -> float | None:
        """Highest share / lowest share; None when a published tool was never shown first."""
        if not self.total or self.lowest_share == 0:
            return None
        return round(self.highest_share / self.lowest_share, 2)

    @property
    def highest_percent(self) -> float:
        return round(self.highest_share * 100, 1)

    @property
    def lowest_percent(self) -> float:
        return round(self.lowest_share * 100, 1)


def exposure_fairness(published: int, today: datetime.date | None = None) -> Fairness:
    """Max/min share of first-position showings across published tools (one query)."""
    end = today or search.utc_today()
    start = end - datetime.timedelta(days=EXPOSURE_DAYS - 1)
    per_tool = list(
        ExposureCount.objects.filter(
            day__gte=start,
            day__lte=end,
            position_bucket=exposure.FIRST_POSITION,
            tool__state=ToolState.PUBLISHED,
        )
        .values("tool_id")
        .annotate(n=Sum("count"))
        .order_by()
        .values_list("n", flat=True)
    )
    per_tool = [n for n in per_tool if n]
    total = sum(per_tool)
    shares = [n / total for n in per_tool] if total else []
    highest = max(shares, default=0.0)
    lowest = 0.0 if len(shares) < published or not shares else min(shares)
    return Fairness(
        start=start,
        end=end,
        published=published,
        shown_first=len(shares),
        total=total,
        highest_share=highest,
        lowest_share=lowest,
    )


# --- concerns ---------------------------------------------------------------------------
def open_concerns(now: datetime.datetime) -> dict:
    """Concerns not closed yet: by status and by age (one query)."""

    open_statuses = [status for status in Concern.Status if status != Concern.Status.CLOSED]
    aggregates = {f"status_{status.value}": Count("id", filter=Q(status=status)) for status in open_statuses}
    for index, (_label, low, high) in enumerate(CONCERN_AGE_BUCKETS):
        condition = Q(created_at__lte=now - datetime.timedelta(days=low))
        if high is not None:
            condition &= Q(created_at__gt=now - datetime.timedelta(days=high))
        aggregates[f"bucket{index}"] = Count("id", filter=condition)
    counts = Concern.objects.exclude(status=Concern.Status.CLOSED).aggregate(**aggregates)
    by_status = [
        Figure(key=status.value, label=str(status.label), count=counts[f"status_{status.value}"] or 0)
        for status in open_statuses
    ]
    by_age = [
        Figure(key=f"bucket{index}", label=str(label), count=counts[f"bucket{index}"] or 0)
        for index, (label, _low, _high) in enumerate(CONCERN_AGE_BUCKETS)
    ]
    return {"by_status": by_status, "by_age": by_age, "total": sum(row.count for row in by_status)}


# --- everything -----------------------------------------------------------------------
def dashboard(now: datetime.datetime | None = None) -> dict:
    """All the figures of the dashboard."""
    now = now or timezone.now()
    states = tools_by_state()
    published = next((row.count for row in states if row.key == ToolState.PUBLISHED), 0)
    countries_rows = officers_by_country(now)
    queue = vetting_queue_age(now)
    return {
        "now": now,
        "officers_by_country": countries_rows,
        "verified_officers": sum(row.verified for row in countries_rows),
        "pending_officers": sum(row.pending for row in countries_rows),
        "queue_age": queue,
        "queue_total": sum(row.count for row in queue),
        "tools_by_state": states,
        "tools_total": sum(row.count for row in states),
        "published": published,
        "overdue": overdue_for_confirmation(now),
        "fairness": exposure_fairness(published),
        "concerns": open_concerns(now),
        **answers_figures(current_versions(), published),
    }
