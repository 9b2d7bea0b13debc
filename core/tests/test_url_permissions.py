"""Every URL, every persona: the expected status (SECURITY.md AZ-01)."""

import re

import pytest
from django.urls import reverse

from testkit.personas import PERSONAS, make_personas, sign_in
from testkit.urltable import LOGIN, all_expectations, build_world, url_names

pytestmark = pytest.mark.django_db

TITLE = re.compile(r"<title>(.*?)</title>", re.S)
H1 = re.compile(r"<h1[\s>]")
UNREACHABLE_SCROLL = re.compile(r'<div class="table-scroll"(?![^>]*tabindex="0")')


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
    user = world.users[persona]
    if user is not None:
        sign_in(client, user)
    failures = []
    for name, expect in sorted(all_expectations().items()):
        url = reverse(name, kwargs=expect.kwargs(world) if expect.kwargs else None)
        response = getattr(client, expect.method)(url)
        expected = expect.statuses[persona]
        if expected == LOGIN:
            ok = response.status_code == 302 and "/accounts/login/" in response.headers.get("Location", "")
        else:
            ok = response.status_code == expected
        if not ok:
            failures.append(
                f"{name} {url}: expected {expected}, got {response.status_code} {response.headers.get('Location', '')}"
            )
        elif response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            # A page's title is plain text: markup there means a block was closed in the wrong place.
            html = response.content.decode()
            title = TITLE.search(html)
            if title is None or "<" in title.group(1):
                failures.append(f"{name} {url}: broken <title>: {title.group(1)[:80] if title else None!r}")
            # One main heading per page; a table wider than the screen can be scrolled with the keyboard.
            if len(H1.findall(html)) != 1:
                failures.append(f"{name} {url}: {len(H1.findall(html))} <h1> elements")
            if UNREACHABLE_SCROLL.search(html):
                failures.append(f"{name} {url}: a scrolling table a keyboard cannot reach")
    assert not failures, f"{persona}:\n" + "\n".join(failures)
