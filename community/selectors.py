"""Reading the directory, contacts, conversations and reports, always as a given officer sees them.

The directory's one rule: an officer appears only while listed, verified and not suspended,
and only the fields they chose reach a page. Pages never get a profile or a user: they get
`DirectoryEntry` values built by `entry_for`, which copies a field only when its `show_*` flag
is on. Filters match only shown fields, so a filter cannot reveal a hidden one either.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django_countries import countries

from accounts.models import OfficerProfile, User
from catalogue.models import Tool, ToolState

from . import expertise, languages
from .models import CommunitySuspension, Connection, DirectoryProfile, DirectoryTag, Message, MessageReport

PAGE_SIZE = 25
MESSAGES_PER_PAGE = 50


@dataclass(frozen=True)
class ToolRef:
    slug: str
    name: str


@dataclass(frozen=True)
class DirectoryEntry:
    """What other verified officers may see of one officer: only the fields they chose."""

    public_id: object
    display_name: str
    listed: bool
    agency: str | None = None
    unit: str | None = None
    country: str | None = None
    country_name: str | None = None
    languages: list[str] = field(default_factory=list)
    expertise: list[str] = field(default_factory=list)
    tools: list[ToolRef] = field(default_factory=list)


def published_tools() -> QuerySet[Tool]:
    return Tool.objects.filter(state=ToolState.PUBLISHED, revision_of__isnull=True).order_by("name", "slug")


def _with_details(queryset: QuerySet[DirectoryProfile]) -> QuerySet[DirectoryProfile]:
    return queryset.select_related("user__officer").prefetch_related(
        Prefetch("tags", queryset=DirectoryTag.objects.order_by("kind", "value")),
        Prefetch("tools", queryset=published_tools(), to_attr="published_tools"),
    )


def listed_profiles(now=None) -> QuerySet[DirectoryProfile]:
    """Profiles the directory may list: opted in with a display name, of an active officer
    whose verification holds now and who is not suspended from the community."""
    now = now or timezone.now()
    return (
        DirectoryProfile.objects.filter(
            listed=True,
            user__is_active=True,
            user__role=User.Role.OFFICER,
            user__officer__status=OfficerProfile.Status.VERIFIED,
        )
        .filter(Q(user__officer__verified_until__isnull=True) | Q(user__officer__verified_until__gt=now))
        .exclude(display_name="")
        .exclude(user__in=CommunitySuspension.objects.active(now).values("user"))
    )


def entry_for(profile: DirectoryProfile, expertise_labels: dict[str, str]) -> DirectoryEntry:
    """The officer's entry with only the fields they chose to show (profile fetched `_with_details`)."""
    officer = profile.user.officer
    tags = list(profile.tags.all())
    country = officer.country.code if profile.show_country and officer.country else None
    return DirectoryEntry(
        public_id=profile.public_id,
        display_name=profile.display_name or gettext("An officer"),
        listed=profile.listed,
        agency=officer.agency if profile.show_agency else None,
        unit=officer.unit if profile.show_unit else None,
        country=country,
        country_name=countries.name(country) if country else None,
        languages=sorted(
            (languages.name(tag.value) for tag in tags if tag.kind == DirectoryTag.Kind.LANGUAGE),
            key=str.casefold,
        )
        if profile.show_languages
        else [],
        expertise=[
            expertise_labels[tag.value]
            for tag in tags
            if tag.kind == DirectoryTag.Kind.EXPERTISE and tag.value in expertise_labels
        ]
        if profile.show_expertise
        else [],
        tools=[ToolRef(tool.slug, tool.name) for tool in profile.published_tools] if profile.show_tools else [],
    )


# --- the directory ---------------------------------------------------------------------------
@dataclass
class DirectoryFilters:
    q: str = ""
    country: str = ""
    language: str = ""
    expertise: str = ""
    tool: str = ""


def directory(filters: DirectoryFilters, now=None) -> QuerySet[DirectoryProfile]:
    """Listed profiles matching the filters, in a neutral order: the display name, casefolded
    (never activity or seniority; ties broken by a random public id)."""
    listed = listed_profiles(now)
    if filters.q:
        listed = listed.filter(
            Q(display_name__icontains=filters.q)
            | Q(show_agency=True, user__officer__agency__icontains=filters.q)
            | Q(show_unit=True, user__officer__unit__icontains=filters.q)
        )
    if filters.country:
        listed = listed.filter(show_country=True, user__officer__country=filters.country)
    if filters.language:
        listed = listed.filter(
            show_languages=True,
            pk__in=DirectoryTag.objects.filter(kind=DirectoryTag.Kind.LANGUAGE, value=filters.language).values(
                "profile"
            ),
        )
    if filters.expertise:
        listed = listed.filter(
            show_expertise=True,
            pk__in=DirectoryTag.objects.filter(kind=DirectoryTag.Kind.EXPERTISE, value=filters.expertise).values(
                "profile"
            ),
        )
    if filters.tool:
        listed = listed.filter(
            show_tools=True,
            pk__in=DirectoryProfile.tools.through.objects.filter(
                tool__slug=filters.tool, tool__state=ToolState.PUBLISHED, tool__revision_of__isnull=True
            ).values("directoryprofile"),
        )
    return _with_details(listed).order_by("sort_key", "public_id")


def entries(profiles) -> list[DirectoryEntry]:
    labels = expertise.labels()
    return [entry_for(profile, labels) for profile in profiles]


def filter_options(now=None) -> dict[str, list[tuple[str, str]]]:
    """The values each filter offers: only those some listed officer shows (a value nobody
    shows is never named, and filtering on it could find no one anyway)."""
    listed = listed_profiles(now)
    country_codes = set(listed.filter(show_country=True).values_list("user__officer__country", flat=True).distinct())
    language_codes = set(
        DirectoryTag.objects.filter(
            kind=DirectoryTag.Kind.LANGUAGE, profile__in=listed.filter(show_languages=True)
        ).values_list("value", flat=True)
    )
    expertise_keys = set(
        DirectoryTag.objects.filter(
            kind=DirectoryTag.Kind.EXPERTISE, profile__in=listed.filter(show_expertise=True)
        ).values_list("value", flat=True)
    )
    tool_ids = DirectoryProfile.tools.through.objects.filter(
        directoryprofile__in=listed.filter(show_tools=True)
    ).values("tool")
    labels = expertise.labels()
    by_name = lambda pairs: sorted(pairs, key=lambda pair: pair[1].casefold())  # noqa: E731
    return {
        "country": by_name((code, countries.name(code)) for code in country_codes if code),
        "language": by_name((code, languages.name(code)) for code in language_codes),
        "expertise": [(key, label) for key, label in labels.items() if key in expertise_keys],
        "tool": [(tool.slug, tool.name) for tool in published_tools().filter(pk__in=tool_ids)],
    }


def listed_profile(public_id, now=None) -> DirectoryProfile | None:
    return _with_details(listed_profiles(now)).filter(public_id=public_id).first()


# --- one officer's own ---------------------------------------------------------------------------
def profile_of(user) -> DirectoryProfile | None:
    return _with_details(DirectoryProfile.objects.filter(user=user)).first()


def tags_of(profile: DirectoryProfile | None, kind: str) -> list[str]:
    if profile is None:
        return []
    return [tag.value for tag in profile.tags.all() if tag.kind == kind]


def entries_of_users(users) -> dict[int, DirectoryEntry]:
    """user pk -> the entry they show to other officers (whether listed or not)."""
    labels = expertise.labels()
    profiles = _with_details(DirectoryProfile.objects.filter(user__in=list(users)))
    return {profile.user_id: entry_for(profile, labels) for profile in profiles}


def unnamed_entry() -> DirectoryEntry:
    return DirectoryEntry(public_id=None, display_name=gettext("An officer"), listed=False)


@dataclass
class ContactRow:
    connection: Connection
    other: DirectoryEntry
    # What the viewer is told: a declined request reads "pending" to its requester.
    shown_state: str


def contacts_of(user) -> dict[str, list[ContactRow]]:
    """The officer's contact requests (received and sent) and connections."""
    connections = list(
        Connection.objects.filter(Q(requester=user) | Q(recipient=user))
        .select_related("requester", "recipient")
        .order_by("-created_at", "-id")
    )
    others = [connection.other(user) for connection in connections]
    entries_by_user = entries_of_users(others)
    groups: dict[str, list[ContactRow]] = {"received": [], "sent": [], "connected": [], "closed": []}
    for connection in connections:
        other = entries_by_user.get(connection.other(user).pk) or unnamed_entry()
        if connection.hides_recipient_from(user):
            other = DirectoryEntry(public_id=None, display_name=connection.recipient_alias, listed=False)
        state = connection.state
        if state == Connection.State.ACCEPTED:
            groups["connected"].append(ContactRow(connection, other, state))
        elif state == Connection.State.CLOSED:
            groups["closed"].append(ContactRow(connection, other, state))
        elif connection.requester_id == user.pk:
            groups["sent"].append(ContactRow(connection, other, Connection.State.PENDING))
        elif state == Connection.State.PENDING:
            groups["received"].append(ContactRow(connection, other, state))
        # A request the officer declined is not listed again.
    return groups


def connection_between(user, other) -> Connection | None:
    """The live connection (pending, declined or accepted) between two officers, if any, as
    `user` may know of it: a request `user` sent without knowing who they asked (to the author of
    a pseudonymous field report) is not shown on that officer's directory page."""
    connection = (
        Connection.objects.filter(pair=Connection.pair_of(user, other), state__in=Connection.LIVE_STATES)
        .select_related("requester", "recipient")
        .first()
    )
    return None if connection is not None and connection.hides_recipient_from(user) else connection


def conversation(connection: Connection) -> QuerySet[Message]:
    """The connection's messages, newest first (pages show each page oldest first)."""
    return connection.messages.select_related("sender").order_by("-created_at", "-id")


def entry_of(user) -> DirectoryEntry:
    return entries_of_users([user]).get(user.pk) or unnamed_entry()


# --- coordinators ----------------------------------------------------------------------------
def reports(state: str | None = None) -> QuerySet[MessageReport]:
    queryset = MessageReport.objects.order_by("-created_at", "-id")
    if state:
        queryset = queryset.filter(state=state)
    return queryset
