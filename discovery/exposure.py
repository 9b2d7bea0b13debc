"""Exposure counting for the equal-visibility report (PRODUCT.md 3.4).

Each results page shown adds one to a counter per (tool, UTC day, position bucket). The
counts are aggregate: nothing records which officer saw what.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
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


def _increments(tool_ids_in_order: Iterable[int], first_position: int) -> dict[tuple[int, int], int]:
    increments: dict[tuple[int, int], int] = defaultdict(int)
    for offset, tool_id in enumerate(tool_ids_in_order):
        increments[(tool_id, bucket_for(first_position + offset))] += 1
    return increments


def record(tool_ids_in_order: Iterable[int], *, first_position: int = 1, day: datetime.date | None = None) -> None:
    """Count one showing of each tool at its position now (one atomic upsert statement).

    `first_position` is the overall position of the first tool (21 on page 2)."""
    day = day or datetime.datetime.now(tz=datetime.UTC).date()
    increments = _increments(tool_ids_in_order, first_position)
    _write({(tool_id, day, bucket): count for (tool_id, bucket), count in increments.items()})


WRITTEN_PER_STATEMENT = 500


def _write(counts: dict[tuple[int, datetime.date, int], int]) -> None:
    if not counts:
        return
    table = connection.ops.quote_name(ExposureCount._meta.db_table)
    items = sorted(counts.items())
    # Only in a transaction of its own: a caller's other writes (audit records) still wait for the disk.
    unsynchronised = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(items), WRITTEN_PER_STATEMENT):
            rows = []
            params: list = []
            for (tool_id, day, bucket), count in items[start : start + WRITTEN_PER_STATEMENT]:
                rows.append("(%s, %s, %s, %s)")
                params.extend([tool_id, day, bucket, count])
            # INSERT ... ON CONFLICT DO UPDATE adds to the existing row atomically on SQLite and
            # PostgreSQL alike, so concurrent writers never lose a count.
            sql = (
                f"INSERT INTO {table} (tool_id, day, position_bucket, count) VALUES {', '.join(rows)} "  # noqa: S608
                f"ON CONFLICT (tool_id, day, position_bucket) DO UPDATE SET count = {table}.count + excluded.count"
            )
            if start == 0 and unsynchronised:
                # Aggregate counts: losing the last fraction of a second of them if the database
                # server crashes is acceptable; waiting for the disk is not. Sent with the
                # statement (one round trip); LOCAL ends with this transaction.
                sql = f"SET LOCAL synchronous_commit TO OFF; {sql}"
            cursor.execute(sql, params)


# --- counting as officers browse -------------------------------------------------------------
# A results page shown adds to counts kept in this process; they are written together (one
# upsert) once FLUSH_SECONDS have passed since the last write, before the report is read, and when
# an app server's worker stops (deploy/gunicorn.conf.py). A write transaction per results page was
# a tenth of a catalogue page's time. A worker killed outright loses at most FLUSH_SECONDS of its
# counts: shares between tools stay as they were, nothing is counted twice.
FLUSH_SECONDS = 5.0

_pending: dict[tuple[int, datetime.date, int], int] = defaultdict(int)
_pending_lock = threading.Lock()
_last_write = [time.monotonic()]


def count_shown(tool_ids_in_order: Iterable[int], *, first_position: int = 1) -> None:
    """Count a results page shown to an officer (the catalogue, the API, the home page)."""
    day = datetime.datetime.now(tz=datetime.UTC).date()
    increments = _increments(tool_ids_in_order, first_position)
    with _pending_lock:
        for (tool_id, bucket), count in increments.items():
            _pending[(tool_id, day, bucket)] += count
        due = time.monotonic() - _last_write[0] >= FLUSH_SECONDS
    if due:
        flush()


def discard_pending() -> None:
    """Forget the counts this process holds (the test suite's isolation between tests)."""
    with _pending_lock:
        _pending.clear()


def pending() -> int:
    """How many counts this process holds, not yet written."""
    with _pending_lock:
        return sum(_pending.values())


def flush() -> None:
    """Write the counts this process holds (one upsert). If the write fails they are kept for the
    next one, and the error is raised."""
    with _pending_lock:
        counts = dict(_pending)
        _pending.clear()
        _last_write[0] = time.monotonic()
    try:
        _write(counts)
    except Exception:
        with _pending_lock:
            for key, count in counts.items():
                _pending[key] += count
        raise


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
    """Exposure per tool between two UTC days (inclusive), in two queries, with the counts this
    process holds written first (other processes' are at most FLUSH_SECONDS behind)."""
    flush()
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
