"""Demo concerns about demo tools, in every state of the triage, reported by demo officers.

Deterministic and idempotent: each concern has a fixed public id derived from its key, and only
the missing ones are created (in bulk, with their notes). A suspension or removal outcome is
attached to a demo tool that is already suspended or removed (its notice exists); without such a
tool that concern is left out rather than deciding on a tool again.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from catalogue.models import Tool, ToolState
from concerns.models import Concern, ConcernNote
from moderation.selectors import latest_notice

from . import data

NAMESPACE = uuid.UUID("6f1c2a4e-9d7b-4c35-8a51-3e0f5b7d9c21")
# The organisation the demo provider accounts sign in to: they see the requests to respond.
PROVIDER_ORGANISATION = data.ORGANISATIONS[0].name

Status = Concern.Status
Outcome = Concern.Outcome
Category = Concern.Category


@dataclass(frozen=True)
class DemoNote:
    days_after: int  # after the concern was reported
    text: str
    status: str = ""


@dataclass(frozen=True)
class DemoConcern:
    key: str
    # Which tool: "published" (any demo tool), "provider" (one of PROVIDER_ORGANISATION's), "suspended", "removed".
    tool: str
    officer: int  # index among the verified demo officers
    category: str
    days_ago: int
    description: str
    sources: str = ""
    status: str = Status.RECEIVED
    outcome: str = ""
    notes: tuple[DemoNote, ...] = field(default_factory=tuple)
    provider_request: str = ""
    provider_response: str = ""


CONCERNS = (
    DemoConcern(
        "received-recent",
        "published",
        0,
        Category.HUMAN_RIGHTS_USE,
        2,
        "Demo text: a conference talk suggested the tool is sold to agencies that use it to monitor journalists.",
        "https://news.example/demo-article-on-surveillance-exports (fictitious)",
    ),
    DemoConcern(
        "received-old",
        "published",
        1,
        Category.INACCURATE_INFORMATION,
        45,
        "Demo text: the entry says the tool runs fully offline, but our installation needed an internet connection.",
    ),
    DemoConcern(
        "under-assessment",
        "published",
        2,
        Category.ENDORSEMENT_CLAIM,
        12,
        "Demo text: the provider's brochure says the tool is 'verified by the initiative'.",
        "Brochure handed out at a fictitious trade fair, page 2.",
        status=Status.UNDER_ASSESSMENT,
        notes=(
            DemoNote(1, "Asked the reporter's unit for a scan of the brochure.", Status.UNDER_ASSESSMENT),
            DemoNote(3, "Scan received; the wording is as reported."),
        ),
    ),
    DemoConcern(
        "decided-no-action",
        "published",
        3,
        Category.INACCURATE_INFORMATION,
        20,
        "Demo text: the supported languages listed in the entry look outdated.",
        status=Status.DECIDED,
        outcome=Outcome.NO_ACTION,
        notes=(
            DemoNote(2, "", Status.UNDER_ASSESSMENT),
            DemoNote(6, "The provider updated the languages last week; the entry is accurate now.", Status.DECIDED),
        ),
    ),
    DemoConcern(
        "decided-provider-asked",
        "provider",
        0,
        Category.DATA_PROTECTION,
        35,
        "Demo text: the tool's licence terms allow the provider to keep copies of analysed material.",
        "Licence agreement, clause 7 (fictitious).",
        status=Status.DECIDED,
        outcome=Outcome.PROVIDER_ASKED,
        notes=(
            DemoNote(1, "", Status.UNDER_ASSESSMENT),
            DemoNote(5, "Plausible; the entry says nothing about retention. Asking the provider.", Status.DECIDED),
        ),
        provider_request=(
            "Please explain whether and for how long material analysed with the tool is kept by your "
            "organisation, and update the data protection answers of your entry accordingly."
        ),
    ),
    DemoConcern(
        "decided-provider-responded",
        "provider",
        1,
        Category.HUMAN_RIGHTS_DEVELOPMENT,
        60,
        "Demo text: the training data is said to include images scraped without consent.",
        status=Status.DECIDED,
        outcome=Outcome.PROVIDER_ASKED,
        notes=(
            DemoNote(2, "", Status.UNDER_ASSESSMENT),
            DemoNote(9, "Asking the provider for the provenance of the training data.", Status.DECIDED),
        ),
        provider_request="Please describe the provenance of the training data and how its legality was checked.",
        provider_response=(
            "Demo text: the training data comes from a licensed, consented data set; we attached the licence "
            "to our entry's Responsible AI answers."
        ),
    ),
    DemoConcern(
        "decided-suspension",
        "suspended",
        2,
        Category.INACCURATE_INFORMATION,
        6,
        "Demo text: the accuracy claimed in the entry is far above what the attached evaluation shows.",
        status=Status.DECIDED,
        outcome=Outcome.SUSPENSION,
        notes=(
            DemoNote(1, "", Status.UNDER_ASSESSMENT),
            DemoNote(6, "Confirmed against the attached report; suspending until corrected.", Status.DECIDED),
        ),
    ),
    DemoConcern(
        "decided-removal",
        "removed",
        3,
        Category.INACCURATE_INFORMATION,
        25,
        "Demo text: most answers in this entry describe a version of the tool that is no longer sold.",
        "The provider's own release notes (fictitious).",
        status=Status.DECIDED,
        outcome=Outcome.REMOVAL,
        notes=(
            DemoNote(1, "", Status.UNDER_ASSESSMENT),
            DemoNote(10, "The provider did not answer two requests to update the entry.", ""),
            DemoNote(25, "Removing the tool: the entry could not be kept accurate.", Status.DECIDED),
        ),
    ),
    DemoConcern(
        "closed",
        "published",
        4,
        Category.OTHER,
        120,
        "Demo text: the provider's website link in the entry is broken.",
        status=Status.CLOSED,
        outcome=Outcome.NO_ACTION,
        notes=(
            DemoNote(1, "", Status.UNDER_ASSESSMENT),
            DemoNote(2, "The link works again; it was a temporary outage.", Status.DECIDED),
            DemoNote(3, "Nothing further to do.", Status.CLOSED),
        ),
    ),
)


def public_id(key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"saferhub-demo-concern:{key}")


def _tools() -> dict[str, list[Tool]]:
    demo = (
        Tool.objects.filter(organisation__is_demo=True, revision_of__isnull=True)
        .select_related("organisation")
        .order_by("slug")
    )
    published = list(demo.filter(state=ToolState.PUBLISHED))
    return {
        # Spread over the catalogue rather than all on the first tools.
        "published": published[::7] or published,
        "provider": [tool for tool in published if tool.organisation.name == PROVIDER_ORGANISATION] or published,
        "suspended": list(demo.filter(state=ToolState.SUSPENDED)),
        "removed": list(demo.filter(state=ToolState.REMOVED)),
    }


def _officers() -> list[User]:
    emails = [spec.email.lower() for spec in data.OFFICERS if spec.status == data.VERIFIED_OFFICER]
    users = {user.email: user for user in User.objects.filter(email__in=emails, is_demo=True)}
    return [users[email] for email in emails if email in users]


@transaction.atomic
def seed_concerns(coordinators: list[User], now: datetime.datetime | None = None) -> list[Concern]:
    """Create the demo concerns that are missing; returns those created by this run."""
    now = now or timezone.now()
    existing = set(
        Concern.objects.filter(public_id__in=[public_id(spec.key) for spec in CONCERNS]).values_list(
            "public_id", flat=True
        )
    )
    missing = [spec for spec in CONCERNS if public_id(spec.key) not in existing]
    officers = _officers()
    if not missing or not officers or not coordinators:
        return []
    tools = _tools()
    created: list[Concern] = []
    notes: list[tuple[Concern, DemoNote, User]] = []
    for index, spec in enumerate(CONCERNS):
        if spec not in missing:
            continue
        candidates = tools[spec.tool]
        if not candidates:
            continue  # no demo tool in that state: leave this concern out
        tool = candidates[index % len(candidates)]
        reported = now - datetime.timedelta(days=spec.days_ago)
        decided = next(
            (reported + datetime.timedelta(days=n.days_after) for n in spec.notes if n.status == "decided"), None
        )
        closed = next(
            (reported + datetime.timedelta(days=n.days_after) for n in spec.notes if n.status == "closed"), None
        )
        last = max([reported, *(reported + datetime.timedelta(days=n.days_after) for n in spec.notes)])
        # A concern that led to a suspension or removal was decided with the tool's notice, by
        # whoever decided that notice.
        notice = latest_notice(tool) if spec.outcome in ("suspension", "removal") else None
        concern = Concern(
            public_id=public_id(spec.key),
            notice=notice,
            tool=tool,
            reporter=officers[spec.officer % len(officers)],
            category=spec.category,
            description=spec.description,
            sources=spec.sources,
            status=spec.status,
            outcome=spec.outcome,
            provider_request=spec.provider_request,
            provider_asked_at=decided if spec.provider_request else None,
            provider_response=spec.provider_response,
            provider_responded_at=decided + datetime.timedelta(days=3) if spec.provider_response and decided else None,
            created_at=reported,
            updated_at=last,
            decided_at=decided,
            closed_at=closed,
            version=1 + len(spec.notes) + (1 if spec.provider_response else 0),
        )
        created.append(concern)
        for number, note in enumerate(spec.notes):
            author = coordinators[number % len(coordinators)]
            if note.status == "decided" and notice is not None and notice.decided_by is not None:
                author = notice.decided_by
            notes.append((concern, note, author))
    Concern.objects.bulk_create(created)
    if created and not all(concern.pk for concern in created):  # databases that do not return ids
        ids = dict(Concern.objects.filter(public_id__in=[c.public_id for c in created]).values_list("public_id", "pk"))
        for concern in created:
            concern.pk = concern.id = ids[concern.public_id]
    ConcernNote.objects.bulk_create(
        ConcernNote(
            concern=concern,
            author=author,
            text=note.text,
            status=note.status,
            created_at=concern.created_at + datetime.timedelta(days=note.days_after),
        )
        for concern, note, author in notes
    )
    return created
