"""Creating, revoking and checking personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from audit.models import Action
from audit.services import record
from core import policy

from .models import ApiToken

TOKEN_PREFIX = "shub_"  # noqa: S105 - a public marker, not a secret
# Shown to the owner so they can tell tokens apart: "shub_" plus a few random characters.
DISPLAY_PREFIX_LENGTH = len(TOKEN_PREFIX) + 6
# `last_used_at` is written at most this often per token.
LAST_USED_PRECISION = timedelta(minutes=1)
MAX_ACTIVE_TOKENS = 20


class TooManyTokens(Exception):
    pass


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def issue_token(user, name: str) -> tuple[ApiToken, str]:
    """Store a new token for `user` and return it with its secret (no checks, no audit)."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=secret[:DISPLAY_PREFIX_LENGTH], token_hash=hash_secret(secret)
    )
    return token, secret


def create_token(user, name: str, *, request=None, by_operator: bool = False) -> tuple[ApiToken, str]:
    """A verified officer or coordinator creates a token; audited. Returns (token, secret).

    `by_operator`: created for the user by someone with shell access (`create_api_token`)."""
    policy.require(user, "api.use")
    with transaction.atomic():
        if ApiToken.objects.active().filter(user=user).count() >= MAX_ACTIVE_TOKENS:
            raise TooManyTokens
        token, secret = issue_token(user, name)
        record(
            Action.API_TOKEN_CREATED,
            actor=None if by_operator else user,
            target=token,
            request=request,
            after={"name": token.name, "via": "command" if by_operator else "web"},
        )
    return token, secret


def revoke_token(token: ApiToken, *, by, request=None) -> None:
    """Revoke a token (idempotent: an already revoked token stays as it was)."""
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        if updated:
            record(
                Action.API_TOKEN_REVOKED,
                actor=by,
                target=token,
                request=request,
                before={"name": token.name, "revoked": False},
                after={"revoked": True},
            )
    token.refresh_from_db(fields=["revoked_at"])


def find_token(secret: str) -> ApiToken | None:
    """The active token with this secret, with its user and officer profile loaded."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    return (
        ApiToken.objects.active().select_related("user", "user__officer").filter(token_hash=hash_secret(secret)).first()
    )


def touch(token: ApiToken, now=None) -> None:
    """Record use, writing at most once a minute."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
