"""Generation tokens: a random token in the shared cache that names the current state of some
published data (questionnaires, the criteria index, the thesaurus). Each process keeps what it
read under the token it saw; changing the data draws a new token, so every process reads again.

A change bumps the token twice: at once, and again when its transaction commits, so that a
process that read the old data during the commit does not keep it under the new token.
"""

from __future__ import annotations

import secrets
import threading

from django.core.cache import cache
from django.db import transaction

# The tokens a request has read (core.middleware.GenerationTokensMiddleware): a page reads each
# from the shared cache once, and sees one state of each throughout.
_request = threading.local()


def begin_request() -> None:
    _request.tokens = {}


def end_request() -> None:
    _request.tokens = None


def current(key: str, *, timeout: int | None = None) -> str:
    """The current token under `key` (drawn and stored when missing; the first writer wins).

    With a `timeout` the token is forgotten after that many seconds (a new one is then drawn):
    for tokens kept per person, not per site."""
    seen = getattr(_request, "tokens", None)
    if seen is not None and key in seen:
        return seen[key]
    token = cache.get(key)
    if token is None:
        token = secrets.token_hex(8)
        if not cache.add(key, token, timeout=timeout):
            token = cache.get(key) or token
    if seen is not None:
        seen[key] = token
    return token


def bump(key: str, *, timeout: int | None = None) -> None:
    """Draw a new token under `key`: now, and once the current transaction commits (the request
    that draws it reads the new one from then on)."""

    def draw():
        token = secrets.token_hex(8)
        cache.set(key, token, timeout=timeout)
        seen = getattr(_request, "tokens", None)
        if seen is not None:
            seen[key] = token

    draw()
    transaction.on_commit(draw)
