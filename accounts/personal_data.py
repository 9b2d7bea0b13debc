"""What the hub holds about one person: the download of their own data, and what closing an
account erases.

Apps above `accounts` hold content people wrote (posts, concerns, messages…); each adds a
section from its `AppConfig.ready()` with `register_section` (a registry upward, like
`catalogue.tool_panels`), so this app never imports them. A section's `collect(user)` returns
JSON-ready data about that user only, never another person's content or identity; its optional
`erase(user)` removes what must not outlive a closed account (content written for others, such
as community posts, stays and is shown under "former member").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from audit.models import AuditEvent

from .rules import officer_profile


@dataclass(frozen=True)
class Section:
    name: str
    collect: Callable[[Any], Any]
    erase: Callable[[Any], None] | None = None


_SECTIONS: dict[str, Section] = {}


def register_section(name: str, collect: Callable[[Any], Any], *, erase: Callable[[Any], None] | None = None) -> None:
    """Add a section to every user's data download (and, with `erase`, to account closing).
    Registering a name again replaces it (ready() may run more than once in tests)."""
    _SECTIONS[name] = Section(name=name, collect=collect, erase=erase)


def sections() -> list[Section]:
    return list(_SECTIONS.values())


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def profile(user) -> dict:
    data = {
        "public_id": str(user.public_id),
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "date_joined": iso(user.date_joined),
        "last_seen_at": iso(user.last_seen_at),
        "time_zone": user.time_zone,
    }
    officer = officer_profile(user)
    if officer is not None:
        data["officer"] = {
            "agency": officer.agency,
            "unit": officer.unit,
            "country": str(officer.country.code or ""),
            "position": officer.position,
            "reason_for_joining": officer.reason,
            "vetting_status": officer.status,
            "submitted_at": iso(officer.submitted_at),
            "decided_at": iso(officer.decided_at),
            "verified_until": iso(officer.verified_until),
        }
    return data


def audit_events_about(user):
    """Events the user did, or that were done to their account."""
    return AuditEvent.objects.filter(
        Q(actor=user) | Q(target_type=user._meta.label_lower, target_id=str(user.public_id))
    ).order_by("created_at", "id")


def audit_section(user) -> list[dict]:
    """What happened, when and from which address; who else acted and on what other object is
    left out (those are other people's data)."""
    return [
        {
            "at": iso(event.created_at),
            "action": event.action,
            "outcome": event.outcome,
            "by_you": event.actor_id == user.pk,
            "ip_address": event.ip_address if event.actor_id == user.pk else None,
        }
        for event in audit_events_about(user)
    ]


def export_for(user) -> dict:
    """Everything in the download, as one JSON-ready dict."""
    data: dict[str, Any] = {
        "generated_at": iso(timezone.now()),
        "profile": profile(user),
        "audit_events": audit_section(user),
    }
    for section in sections():
        data[section.name] = section.collect(user)
    return data
