"""The URL x persona table (SECURITY.md AZ-01).

Every app lists its URL names in `<app>/tests/url_expectations.py` as `EXPECTATIONS`,
mapping a URL name to an `Expect`: the kwargs to build it from the test world, and the
status each persona gets for a GET. The central test walks the resolver and fails on any
URL name that no app lists.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

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
    "api",
    "emblem",
    "moderation",
    "reports",
]

LOGIN = "login"  # a redirect to the sign-in page


@dataclass
class Expect:
    """Expected GET outcome per persona. Use LOGIN for "redirected to sign in"."""

    statuses: dict[str, int | str]
    kwargs: Callable[[Any], dict] | None = None
    # Some URLs only accept POST: then a GET answers 405 for those allowed, and the
    # statuses given apply to a POST without data (checked for permission only).
    method: str = "get"
    note: str = ""

    def __post_init__(self):
        missing = set(PERSONAS) - set(self.statuses)
        if missing:
            raise ValueError(f"Expectation missing personas: {sorted(missing)}")


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
