"""Filtering by calendar days (UTC, the hub's time zone), as the filter forms give them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Q


def within_days(field: str, since: date | None = None, until: date | None = None) -> Q:
    """`field` falls on `since` or later and on `until` or earlier (both inclusive, either optional).

    The first and last representable days filter nothing, so the day after the last is never
    computed (it would overflow)."""
    condition = Q()
    if since and since > date.min:
        condition &= Q(**{f"{field}__gte": datetime.combine(since, time.min, tzinfo=UTC)})
    if until and until < date.max:
        condition &= Q(**{f"{field}__lt": datetime.combine(until, time.min, tzinfo=UTC) + timedelta(days=1)})
    return condition
