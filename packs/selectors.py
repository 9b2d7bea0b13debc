"""The coordinators' counts of decision packs per tool (never used to order anything)."""

from __future__ import annotations

import datetime

from django.db.models import Q, Sum

from catalogue.models import Tool

from .models import PackDownload

RECENT_DAYS = 30


def count_for(tool: Tool) -> int:
    return PackDownload.objects.filter(tool=tool).aggregate(total=Sum("count"))["total"] or 0


def counts(today: datetime.date) -> list[dict]:
    """Every tool put in a pack at least once: all-time and recent totals, by tool name."""
    since = today - datetime.timedelta(days=RECENT_DAYS - 1)
    rows = (
        PackDownload.objects.values("tool__name", "tool__slug", "tool__organisation__name")
        .annotate(total=Sum("count"), recent=Sum("count", filter=Q(day__gte=since)))
        .order_by("tool__name", "tool__slug")
    )
    return [
        {
            "name": row["tool__name"],
            "slug": row["tool__slug"],
            "provider": row["tool__organisation__name"],
            "total": row["total"],
            "recent": row["recent"] or 0,
        }
        for row in rows
    ]
