"""Exposure counting for the equal-visibility report (PRODUCT.md 3.4).

Each results page shown adds one to a counter per (tool, UTC day, position bucket). The
counts are aggregate: nothing records which officer saw what.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from catalogue.models import Tool

from .models import ExposureCount

# (bucket code, first position, last position or None, label)
BUCKETS = [
    (1, 1, 1, _("Position 1")),
    (2, 2, 3, _("Positions 2–3")),
    (3, 4, 10, _("Positions 4–10")),
    (4, 11, 20, _("Positions 11–20")),
    (5, 21, None, _("Position 21 and after")),
]
FIRST_POSITION = 1
# Buckets 1-4 are the first page (20 results per page).
FIRST_PAGE_BUCKETS = (1, 2, 3, 4)


def bucket_for(position: int) -> int:
    """The bucket code of a 1-based result position."""
    for code, first, last, _label in BUCKETS:
        if position >= first and (last is None or position <= last):
            return code
    raise ValueError(position)


def record(tool_ids_in_order: Iterable[int], *, first_position: int = 1, day: datetime.date | None = None) -> None:
    """Count one showing of each tool at its position (one atomic upsert statement).

    `first_position` is the overall position of the first tool (21 on page 2)."""
    day = day or datetime.datetime.now(tz=datetime.UTC).date()
    increments: dict[tuple[int, int], int] = defaultdict(int)
    for offset, tool_id in enumerate(tool_ids_in_order):
        increments[(tool_id, bucket_for(first_position + offset))] += 1
    if not increments:
        return
    table = connection.ops.quote_name(ExposureCount._meta.db_table)
    rows = []
    params: list = []
    for (tool_id, bucket), count in sorted(increments.items()):
        rows.append("(%s, %s, %s, %s)")
        params.extend([tool_id, day, bucket, count])
    # INSERT ... ON CONFLICT DO UPDATE adds to the existing row atomically on SQLite and
    # PostgreSQL alike, so concurrent requests never lose a count.
    sql = (
        f"INSERT INTO {table} (tool_id, day, position_bucket, count) VALUES {', '.join(rows)} "  # noqa: S608
        f"ON CONFLICT (tool_id, day, position_bucket) DO UPDATE SET count = {table}.count + excluded.count"
    )
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Aggregate counts: losing the last fraction of a second of them if the database server
        # crashes is acceptable; every results page waiting for the disk is not. Both statements
        # go in one message, which PostgreSQL runs as one transaction (no BEGIN and COMMIT round
        # trips); LOCAL ends with it.
        sql = f"SET LOCAL synchronous_commit TO OFF; {sql}"
    # One statement (or one message): atomic by itself, without a transaction block of its own.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@dataclass
class ToolExposure:
    tool_id: int
    name: str
    first_position: int = 0
    first_page: int = 0
    total: int = 0
    first_position_share: float = 0.0
    first_page_share: float = 0.0

    @property
    def first_position_percent(self) -> float:
        return round(self.first_position_share * 100, 1)

    @property
    def first_page_percent(self) -> float:
        return round(self.first_page_share * 100, 1)


@dataclass
class Report:
    rows: list[ToolExposure]
    first_position_total: int
    first_page_total: int
    start: datetime.date
    end: datetime.date

    @property
    def expected_first_page_share(self) -> float:
        return 1 / len(self.rows) if self.rows else 0.0


def report(start: datetime.date, end: datetime.date) -> Report:
    """Exposure per tool between two UTC days (inclusive), in two queries."""
    sums = (
        ExposureCount.objects.filter(day__gte=start, day__lte=end)
        .values("tool_id", "position_bucket")
        .annotate(total=Sum("count"))
    )
    rows: dict[int, ToolExposure] = {}
    for row in sums:
        item = rows.setdefault(row["tool_id"], ToolExposure(tool_id=row["tool_id"], name=""))
        item.total += row["total"]
        if row["position_bucket"] == FIRST_POSITION:
            item.first_position += row["total"]
        if row["position_bucket"] in FIRST_PAGE_BUCKETS:
            item.first_page += row["total"]
    names = dict(Tool.objects.filter(pk__in=list(rows)).values_list("pk", "name"))
    first_position_total = sum(item.first_position for item in rows.values())
    first_page_total = sum(item.first_page for item in rows.values())
    for item in rows.values():
        item.name = names.get(item.tool_id, "")
        item.first_position_share = item.first_position / first_position_total if first_position_total else 0.0
        item.first_page_share = item.first_page / first_page_total if first_page_total else 0.0
    # Listed by name for coordinators to find a tool; officers never see this report.
    ordered = sorted(rows.values(), key=lambda item: (item.name.casefold(), item.tool_id))
    return Report(ordered, first_position_total, first_page_total, start, end)


def chi_squared(observed: list[int]) -> float:
    """Pearson's statistic of observed counts against a uniform expectation."""
    total = sum(observed)
    if not observed or total == 0:
        return 0.0
    expected = total / len(observed)
    return sum((count - expected) ** 2 / expected for count in observed)
