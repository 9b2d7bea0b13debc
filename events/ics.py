"""One event as an iCalendar file (RFC 5545), written by hand with the standard library.

Times are UTC ("Z" form), so no VTIMEZONE is needed and every calendar shows them in its own zone.
Text values are escaped (backslash, semicolon, comma, line breaks, section 3.3.11) and every line is
folded at 75 octets of UTF-8 without splitting a character, lines ending in CRLF (section 3.1).
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from core.links import site_url

LINE_OCTETS = 75


def escape_text(value: str) -> str:
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\n", "\\n")


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """The content line folded: at most 75 octets per physical line, continuations start with a space."""
    parts: list[str] = []
    current, size = "", 0
    limit = LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            parts.append(current)
            # The leading space of a continuation line counts towards its 75 octets.
            current, size, limit = " ", 1, LINE_OCTETS
        current += char
        size += octets
    parts.append(current)
    return "\r\n".join(parts)


def calendar(event, *, url: str, location: str, now: datetime | None = None) -> str:
    """The VCALENDAR text of `event`; `location` and `url` are what the reader may see."""
    now = now or datetime.now(UTC)
    host = urlsplit(site_url()).hostname or "saferhub.invalid"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//SaferHub//Events//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:event-{event.public_id}@{host}",
        f"DTSTAMP:{utc_stamp(now)}",
        f"DTSTART:{utc_stamp(event.starts_at)}",
        f"DTEND:{utc_stamp(event.ends_at)}",
        # Calendars replace an entry they already hold when SEQUENCE grows (a changed or cancelled event).
        f"SEQUENCE:{event.version}",
        f"STATUS:{'CANCELLED' if event.is_cancelled else 'CONFIRMED'}",
        f"SUMMARY:{escape_text(event.title)}",
        f"DESCRIPTION:{escape_text(event.description)}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    lines.append(f"URL:{url}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
