"""The URL x persona table (SECURITY.md AZ-01).

Every app lists its URL names in `<app>/tests/url_expectations.py` as `EXPECTATIONS`,
mapping a URL name to an `Expect`: the kwargs to build it from the test world, and the
status each persona gets for a GET, or, for a POST endpoint, for a POST of a valid body.
The central test walks the resolver and fails on any URL name that no app lists.

Why a valid body: a POST without data is refused by the form (400) whether or not the view
checks permissions, so only a body the allowed persona succeeds with shows that everyone
else is refused by the permission check. Each POST runs in a savepoint that is rolled back,
so every persona POSTs against the same world.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from audit.models import AuditEvent

from .personas import PERSONAS

APPS_WITH_URLS = [
    "core",
    "accounts",
    "terms",
    "providers",
    "audit",
    "notifications",
    "questionnaires",
    "catalogue",
    "discovery",
    "following",
    "community",
    "discussions",
    "learning",
    "api",
    "emblem",
    "moderation",
    "concerns",
    "withdrawals",
    "events",
    "contact",
    "enquiries",
    "reports",
    "packs",
    "home",
]

LOGIN = "login"  # a redirect to the sign-in page


def no_fields(world) -> dict:
    """The body of a POST endpoint that takes no fields (the URL names what is acted on)."""
    return {}


def fresh(obj):
    """`obj` as stored now: bodies and effects read the database, not the world's copies."""
    return type(obj).objects.get(pk=obj.pk)


def audit_events(world) -> int:
    """The default `effect`: every state change writes an audit event."""
    return AuditEvent.objects.count()


@dataclass
class Expect:
    """Expected outcome per persona. Use LOGIN for "redirected to sign in".

    For `method="post"`, `body(world)` is a valid body and `statuses` what each persona gets
    for it. A form page (GET and POST) gives the GET outcome in `statuses` and the POST
    outcome in `posted`. A persona given a success status for the POST (below 400) must change
    `effect(world)` (a snapshot of the state the POST changes, read from the database); a
    refused one must not.
    """

    statuses: dict[str, int | str]
    kwargs: Callable[[Any], dict] | None = None
    method: str = "get"
    body: Callable[[Any], dict] | None = None
    posted: dict[str, int | str] | None = None
    effect: Callable[[Any], Any] = audit_events
    # API data URLs: the status each persona gets with a bearer token of its own.
    token: dict[str, int] | None = None
    note: str = ""
    # The page names officers: coordinators see it after confirming their password a moment ago
    # (core/tests/test_officer_identity.py); the walk confirms before requesting it.
    confirmed: bool = False
    # A successful POST ends the persona's own session (leaving the hub closes the account): the
    # walk signs the persona in again after it, so the URLs after it are still asked as them.
    signs_out: bool = False

    def __post_init__(self):
        if self.method == "post":
            self.posted = self.statuses
        for statuses in (self.statuses, self.posted, self.token):
            missing = set(PERSONAS) - set(statuses or PERSONAS)
            if missing:
                raise ValueError(f"Expectation missing personas: {sorted(missing)}")
        if (self.posted is None) != (self.body is None):
            raise ValueError("A POST needs a valid body and its statuses, or its permission check cannot be told apart")


def same(status, **overrides) -> dict[str, int | str]:
    """A statuses dict giving every persona `status`, with named exceptions."""
    result = dict.fromkeys(PERSONAS, status)
    result.update(overrides)
    return result


# Common shapes.
PUBLIC = same(200)
SIGNED_IN = same(200, anonymous=LOGIN)
COORDINATOR_ONLY = same(403, anonymous=LOGIN, coordinator=200)
HUB = same(403, anonymous=LOGIN, verified_officer=200, coordinator=200)
# A coordinator's POST succeeds and goes on (302); everyone else is refused.
COORDINATOR_POST = same(403, anonymous=LOGIN, coordinator=302)


@dataclass
class World:
    """Objects the URLs are built from; apps add what they need in `build_world`."""

    users: dict[str, Any]
    objects: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def all_expectations() -> dict[str, Expect]:
    table: dict[str, Expect] = {}
    for app in APPS_WITH_URLS:
        try:
            module = importlib.import_module(f"{app}.tests.url_expectations")
        except ModuleNotFoundError:
            continue
        for name, expect in module.EXPECTATIONS.items():
            if name in table:
                raise ValueError(f"{name} is listed twice")
            table[name] = expect
    return table


def build_world(users) -> World:
    world = World(users=users)
    for app in APPS_WITH_URLS:
        try:
            module = importlib.import_module(f"{app}.tests.url_expectations")
        except ModuleNotFoundError:
            continue
        builder = getattr(module, "build_world", None)
        if builder:
            builder(world)
    return world


def url_names() -> list[str]:
    """Every named URL pattern of the project (namespaced), admin excluded."""
    names: list[str] = []

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace == "admin" and namespace is None:
                    continue  # the Django admin is covered by its own tests
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, ns)
            elif isinstance(pattern, URLPattern):
                if not pattern.name:
                    raise AssertionError(f"Unnamed URL pattern {pattern.pattern}: name it and list it")
                names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns)
    return [name for name in names if not name.startswith("admin:")]
