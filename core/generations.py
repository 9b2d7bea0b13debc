"""Generation tokens: a random token in the shared cache that names the current state of some
published data (questionnaires, the criteria index, the thesaurus). Each process keeps what it
read under the token it saw; changing the data draws a new token, so every process reads again.

A change bumps the token twice: at once, and again when its transaction commits, so that a
process that read the old data during the commit does not keep it under the new token.
"""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.db import transaction


def current(key: str) -> str:
    """The current token under `key` (drawn and stored when missing; the first writer wins)."""
    token = cache.get(key)
    if token is None:
        token = secrets.token_hex(8)
        if not cache.add(key, token, timeout=None):
            token = cache.get(key) or token
    return token


def bump(key: str) -> None:
    """Draw a new token under `key`: now, and once the current transaction commits."""

    def draw():
        cache.set(key, secrets.token_hex(8), timeout=None)

    draw()
    transaction.on_commit(draw)
