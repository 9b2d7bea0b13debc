"""Every URL, every persona: the expected status (SECURITY.md AZ-01)."""

import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.urls import get_resolver, reverse
from django.views.decorators.http import require_POST

from api import services as api_services
from core import policy
from testkit.factories import make_api_token
from testkit.personas import PERSONAS, make_personas, reauthenticate, sign_in
from testkit.urltable import LOGIN, all_expectations, build_world, url_names

pytestmark = pytest.mark.django_db

TITLE = re.compile(r"<title>(.*?)</title>", re.S)
H1 = re.compile(r"<h1[\s>]")
UNREACHABLE_SCROLL = re.compile(r'<div class="table-scroll"(?![^>]*tabindex="0")')
REFUSED = (403, 404, LOGIN)


class _Ids(HTMLParser):
    """Counts the `id` attributes of a page."""

    def __init__(self):
        super().__init__()
        self.ids: Counter[str] = Counter()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids[value] += 1


def duplicate_ids(html: str) -> list[str]:
    """The `id` values used more than once: a label or an error-summary link would reach the wrong field."""
    parser = _Ids()
    parser.feed(html)
    parser.close()
    return sorted(value for value, count in parser.ids.items() if count > 1)


def page_problems(name, url, response) -> list[str]:
    """What is wrong with a rendered page, whatever the persona."""
    if response.status_code not in (200, 400) or not response.get("Content-Type", "").startswith("text/html"):
        return []
    html = response.content.decode()
    problems = []
    duplicates = duplicate_ids(html)
    if duplicates:
        problems.append(f"{name} {url}: duplicate id {duplicates}")
    if response.status_code != 200:
        return problems
    # A page's title is plain text: markup there means a block was closed in the wrong place.
    title = TITLE.search(html)
    if title is None or "<" in title.group(1):
        problems.append(f"{name} {url}: broken <title>: {title.group(1)[:80] if title else None!r}")
    # One main heading per page; a table wider than the screen can be scrolled with the keyboard.
    if len(H1.findall(html)) != 1:
        problems.append(f"{name} {url}: {len(H1.findall(html))} <h1> elements")
    if UNREACHABLE_SCROLL.search(html):
        problems.append(f"{name} {url}: a scrolling table a keyboard cannot reach")
    return problems


def answered_as_expected(response, expected) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and "/accounts/login/" in response.headers.get("Location", "")
    return response.status_code == expected


def post_problems(client, world, name, expect, url, persona) -> list[str]:
    """POST the valid body in a savepoint rolled back afterwards, so every case sees the same world."""
    expected = expect.posted[persona]
    before = expect.effect(world)
    with transaction.atomic():
        response = client.post(url, expect.body(world))
        changed = expect.effect(world) != before
        transaction.set_rollback(True)
    if not answered_as_expected(response, expected):
        return [f"POST {name} {url}: expected {expected}, got {response.status_code} {response.get('Location', '')}"]
    problems = page_problems(name, url, response)
    if expected in REFUSED and changed:
        problems.append(f"POST {name} {url}: refused ({response.status_code}) but the state changed")
    elif expected not in REFUSED and response.status_code < 400 and not changed:
        problems.append(f"POST {name} {url}: answered {response.status_code} but nothing changed")
    return problems


def walk(client, world, persona, table) -> list[str]:
    """Request every URL of `table` as `persona` (already signed in); the problems found."""
    failures = []
    posts = []
    confirmed_yet = False
    for name, expect in sorted(table.items(), key=lambda item: (item[1].confirmed, item[0])):
        if expect.confirmed and world.users[persona] is not None and not confirmed_yet:
            # Pages that name officers ask for a recent password confirmation (covered by
            # test_officer_identity): with it, only the permission check decides.
            reauthenticate(client)
            confirmed_yet = True
        url = reverse(name, kwargs=expect.kwargs(world) if expect.kwargs else None)
        if expect.posted is not None:
            posts.append((name, expect, url))
        if expect.method == "post":
            continue
        response = client.get(url)
        expected = expect.statuses[persona]
        if not answered_as_expected(response, expected):
            failures.append(
                f"{name} {url}: expected {expected}, got {response.status_code} {response.headers.get('Location', '')}"
            )
        else:
            failures += page_problems(name, url, response)
    if posts and world.users[persona] is not None:
        # Sensitive decisions ask for a recent re-authentication (test_reauthentication covers
        # that): with it, only the permission check stands between a persona and the decision.
        reauthenticate(client)
    for name, expect, url in posts:
        failures += post_problems(client, world, name, expect, url, persona)
        if expect.signs_out and world.users[persona] is not None:
            sign_in(client, world.users[persona])
            reauthenticate(client)
    return failures


def test_every_url_has_an_expectation():
    table = all_expectations()
    missing = sorted(set(url_names()) - set(table))
    assert not missing, f"URL names without an entry in the URL x persona table: {missing}"
    stale = sorted(set(table) - set(url_names()) - {"admin:index"})
    assert not stale, f"Table entries for URLs that no longer exist: {stale}"


@pytest.fixture
def world():
    return build_world(make_personas())


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_url_answers_each_persona_as_expected(client, world, persona):
    if world.users[persona] is not None:
        sign_in(client, world.users[persona])
    failures = walk(client, world, persona, all_expectations())
    assert not failures, f"{persona}:\n" + "\n".join(failures)


def api_token(user) -> str:
    """A token as the product issues it; for someone who may not have one, a row made directly."""
    if policy.can(user, "api.use"):
        return api_services.create_token(user, "URL table")[1]
    return make_api_token(user)


def api_problems(client, world, persona) -> list[str]:
    """Request every API data URL with a bearer token of `persona`'s own (none for anonymous)."""
    user = world.users[persona]
    headers = {"Authorization": f"Bearer {api_token(user)}"} if user is not None else {}
    problems = []
    for name, expect in sorted(all_expectations().items()):
        if expect.token is None:
            continue
        url = reverse(name, kwargs=expect.kwargs(world) if expect.kwargs else None)
        response = client.get(url, headers=headers)
        if response.status_code != expect.token[persona]:
            problems.append(f"{name} {url}: expected {expect.token[persona]}, got {response.status_code}")
    return problems


def test_the_api_data_urls_are_in_the_token_table():
    assert {name for name, expect in all_expectations().items() if expect.token} == {
        "api:criteria",
        "api:tools",
        "api:tool",
        "api:notices",
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_data_answers_each_persona_token_as_expected(client, world, persona):
    problems = api_problems(client, world, persona)
    assert not problems, f"{persona}:\n" + "\n".join(problems)


# --- controls: the checks above fail when the property they guard is broken ----------------
def test_duplicate_ids_are_found():
    html = '<form><input id="id_note"><label for="id_note"></label><textarea id="id_note"></textarea></form>'
    assert duplicate_ids(html) == ["id_note"]
    assert duplicate_ids('<p id="a"></p><p id="b"></p>') == []


def _without_permission_check(monkeypatch, name):
    """Serve URL `name` by its view with the `@permission_required` layer (under `@require_POST`) taken off."""
    namespace, _, short = name.rpartition(":")
    resolver = get_resolver().namespace_dict[namespace][1]
    pattern = next(p for p in resolver.url_patterns if getattr(p, "name", None) == short)
    unguarded = require_POST(pattern.callback.__wrapped__.__wrapped__)
    monkeypatch.setattr(pattern, "callback", unguarded)


@pytest.mark.parametrize(
    "name,persona",
    [("notifications:outbox_retry", "verified_officer"), ("accounts:allowed_domain_delete", "provider_a")],
)
def test_the_table_fails_when_a_view_loses_its_permission_check(client, world, monkeypatch, name, persona):
    table = {name: all_expectations()[name]}
    sign_in(client, world.users[persona])
    assert walk(client, world, persona, table) == []
    _without_permission_check(monkeypatch, name)
    failures = walk(client, world, persona, table)
    assert failures and f"POST {name}" in failures[0], failures


def test_the_token_table_fails_when_the_api_lets_a_provider_in(client, world, monkeypatch):
    assert api_problems(client, world, "provider_a") == []
    monkeypatch.setitem(policy.RULES, "api.use", lambda user, obj=None: True)
    problems = api_problems(client, world, "provider_a")
    assert len(problems) == 4 and all("expected 403, got 200" in problem for problem in problems), problems
