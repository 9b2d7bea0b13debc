"""IANA time zones: which names are valid, and the list people choose from.

Times are stored in UTC; a zone name only decides how a time is shown or typed. The names come
from the system's zone database (`zoneinfo`), so a zone that does not exist is refused rather than
silently read as UTC.
"""

from __future__ import annotations

import functools
import zoneinfo
from datetime import UTC, datetime, tzinfo

DEFAULT_ZONE = "UTC"


@functools.cache
def available_zones() -> tuple[str, ...]:
    """Every IANA zone name this system knows, sorted; legacy aliases such as "US/Pacific" left out."""
    names = zoneinfo.available_timezones()
    regional = sorted(name for name in names if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/")))
    return (DEFAULT_ZONE, *regional)


def is_valid_zone(name: str) -> bool:
    return name in available_zones()


def zone_choices() -> list[tuple[str, str]]:
    """(value, label) pairs for a select; the names are the same in every language."""
    return [(name, name.replace("_", " ")) for name in available_zones()]


def get_zone(name: str | None) -> tzinfo:
    """The zone named `name`, or UTC for an empty or unknown name (a stored value is never trusted blindly)."""
    if name and is_valid_zone(name):
        return zoneinfo.ZoneInfo(name)
    return UTC


def local_to_utc(naive: datetime, name: str) -> datetime | None:
    """A wall-clock time in zone `name` as an aware UTC time; None when that wall-clock time does not
    exist there (skipped by a clock change) — the person typing it should choose another."""
    zone = get_zone(name)
    aware = naive.replace(tzinfo=zone)
    utc = aware.astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) != naive.replace(tzinfo=None):
        return None
    return utc
