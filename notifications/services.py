"""Queueing and delivering outbox messages (SECURITY.md REL-01, REL-02)."""

from __future__ import annotations

import logging
import socket
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)


def serialise(message) -> dict:
    alternatives = [list(alt) for alt in getattr(message, "alternatives", [])]
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "alternatives": alternatives,
        "headers": dict(message.extra_headers),
    }


def deserialise(payload: dict, message_id: str) -> EmailMultiAlternatives:
    headers = dict(payload.get("headers") or {})
    # A stable Message-ID makes a repeated delivery recognisable as the same message.
    headers.setdefault("Message-ID", message_id)
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
        cc=payload["cc"],
        bcc=payload["bcc"],
        reply_to=payload["reply_to"],
        headers=headers,
    )
    for content, mimetype in payload.get("alternatives") or []:
        message.attach_alternative(content, mimetype)
    return message


def enqueue_email(message) -> OutboxMessage:
    """Store one message for delivery, in the caller's transaction."""
    return OutboxMessage.objects.create(payload=serialise(message))


def backoff(attempts: int) -> timedelta:
    """Exponential backoff: 30 s, 1 min, 2 min ... capped at 1 hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def claim_batch(worker_id: str, limit: int = 20, now=None) -> list[OutboxMessage]:
    """Claim due messages with a conditional update, so several workers can run.

    A message claimed by a worker that died (claimed longer ago than the claim timeout)
    is due again.
    """
    now = now or timezone.now()
    stale = now - settings.OUTBOX_CLAIM_TIMEOUT
    due = Q(state=OutboxMessage.State.PENDING, due_at__lte=now) | Q(
        state=OutboxMessage.State.CLAIMED, claimed_at__lt=stale
    )
    claimed = []
    candidates = (
        OutboxMessage.objects.filter(due).order_by("due_at", "id").values_list("id", "state", "claimed_at")[:limit]
    )
    for message_id, state, claimed_at in candidates:
        # The update only succeeds if nobody claimed the row since we read it.
        won = OutboxMessage.objects.filter(id=message_id, state=state, claimed_at=claimed_at).update(
            state=OutboxMessage.State.CLAIMED, claimed_at=now, claimed_by=worker_id
        )
        if won:
            claimed.append(OutboxMessage.objects.get(id=message_id))
    return claimed


def deliver(message: OutboxMessage, connection=None, now=None) -> bool:
    """Send one claimed message; on failure schedule a retry or give up into dead."""
    now = now or timezone.now()
    attempts = message.attempts + 1
    connection = connection or get_connection(settings.DELIVERY_EMAIL_BACKEND)
    # Record the attempt before sending, so a crash mid-send still counts it.
    OutboxMessage.objects.filter(id=message.id, claimed_by=message.claimed_by).update(attempts=attempts)
    try:
        email = deserialise(message.payload, f"<outbox-{message.id}@saferhub>")
        email.connection = connection
        email.send()
    except Exception as exc:  # noqa: BLE001 - any delivery failure is retried
        dead = attempts >= settings.OUTBOX_MAX_ATTEMPTS
        OutboxMessage.objects.filter(id=message.id, claimed_by=message.claimed_by).update(
            state=OutboxMessage.State.DEAD if dead else OutboxMessage.State.PENDING,
            due_at=now + backoff(attempts),
            claimed_at=None,
            claimed_by="",
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        logger.warning("Outbox message %s failed (attempt %s): %s", message.id, attempts, type(exc).__name__)
        return False
    OutboxMessage.objects.filter(id=message.id, claimed_by=message.claimed_by).update(
        state=OutboxMessage.State.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def deliver_due(worker_id: str | None = None, limit: int = 20) -> tuple[int, int]:
    """Claim and deliver one batch. Returns (sent, failed)."""
    worker_id = worker_id or f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}"
    sent = failed = 0
    batch = claim_batch(worker_id, limit)
    if not batch:
        return 0, 0
    connection = get_connection(settings.DELIVERY_EMAIL_BACKEND)
    for message in batch:
        if deliver(message, connection):
            sent += 1
        else:
            failed += 1
    return sent, failed


def retry_dead(message_ids) -> int:
    """Put dead messages back in the queue (a coordinator's decision)."""
    with transaction.atomic():
        return OutboxMessage.objects.filter(id__in=message_ids, state=OutboxMessage.State.DEAD).update(
            state=OutboxMessage.State.PENDING, attempts=0, due_at=timezone.now()
        )
