"""Queueing and delivering outbox messages (SECURITY.md REL-01, REL-02).

What is guaranteed:

- A message is queued exactly when the change that causes it commits (same transaction).
- Claims are exclusive: a conditional update lets only one worker at a time hold a row,
  and a worker whose claim was taken over does not start a send.
- Delivery is *at least once*, not exactly once. If the mail server accepted a message
  and the worker then died (or its claim expired) before it marked the row sent, another
  worker sends it again once the claim timeout has passed. Every attempt of a row
  carries the same `Message-ID` (`OutboxMessage.message_id`), so a receiving server or
  mail client can recognise and drop the duplicate.

Nothing here logs a recipient's address or a message's content: the outbox carries
officers' email addresses, and logs leave the hub (SECURITY.md AZ-03).
"""

from __future__ import annotations

import base64
import logging
import re
import socket
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from audit.models import Action
from audit.services import record

from .models import OutboxMessage

logger = logging.getLogger(__name__)

OUTBOX_BACKEND = "notifications.backends.OutboxEmailBackend"
# Anything shaped like an address, including ones inside <...> or quotes.
EMAIL_PATTERN = re.compile(r"[^\s<>\"'(),;:\[\]]+@[^\s<>\"'(),;:\[\]]+")
MAX_ERROR_CHARS = 500


def serialise(message) -> dict:
    """An EmailMessage as JSON: lazy translations forced to text, attachments base64."""
    alternatives = [[str(content), str(mimetype)] for content, mimetype in getattr(message, "alternatives", [])]
    attachments = []
    for attachment in message.attachments:
        filename, content, mimetype = attachment
        if isinstance(content, str):
            content = content.encode()
        attachments.append([filename, base64.b64encode(content).decode("ascii"), mimetype])
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": str(message.from_email),
        "to": [str(address) for address in message.to],
        "cc": [str(address) for address in message.cc],
        "bcc": [str(address) for address in message.bcc],
        "reply_to": [str(address) for address in message.reply_to],
        "alternatives": alternatives,
        "attachments": attachments,
        "headers": {str(key): str(value) for key, value in message.extra_headers.items()},
    }


def deserialise(payload: dict, message_id: str) -> EmailMultiAlternatives:
    headers = {key: value for key, value in (payload.get("headers") or {}).items() if key.lower() != "message-id"}
    # The row's own Message-ID, the same on every attempt, makes a repeated delivery
    # recognisable as the same message.
    headers["Message-ID"] = message_id
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
    for filename, content, mimetype in payload.get("attachments") or []:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


def message_id_for(message: OutboxMessage) -> str:
    """The Message-ID every delivery attempt of this row carries (fixed at creation)."""
    return message.message_id


def enqueue_email(message) -> OutboxMessage:
    """Store one message for delivery, in the caller's transaction."""
    return OutboxMessage.objects.create(payload=serialise(message))


def backoff(attempts: int) -> timedelta:
    """Exponential backoff: 30 s, 1 min, 2 min ... capped at 1 hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def describe_error(exc: BaseException) -> str:
    """An error for the dead-letter page and logs, with any email address removed.

    SMTP errors often quote the refused recipients; those may be officers' addresses.
    """
    text = f"{type(exc).__name__}: {exc}"
    return EMAIL_PATTERN.sub("[address removed]", text)[:MAX_ERROR_CHARS]


def delivery_connection():
    """A connection to the real mail server (never the outbox itself, which would loop)."""
    if settings.DELIVERY_EMAIL_BACKEND == OUTBOX_BACKEND:
        raise ImproperlyConfigured("DELIVERY_EMAIL_BACKEND must not be the outbox backend.")
    return get_connection(settings.DELIVERY_EMAIL_BACKEND)


def due_candidates(limit: int = 20, now=None) -> list[tuple]:
    """(id, state, claimed_at) of messages due for delivery, oldest due first.

    A message claimed by a worker that died (claimed longer ago than the claim timeout)
    is due again.
    """
    now = now or timezone.now()
    stale = now - settings.OUTBOX_CLAIM_TIMEOUT
    due = Q(state=OutboxMessage.State.PENDING, due_at__lte=now) | Q(
        state=OutboxMessage.State.CLAIMED, claimed_at__lt=stale
    )
    return list(
        OutboxMessage.objects.filter(due).order_by("due_at", "id").values_list("id", "state", "claimed_at")[:limit]
    )


def try_claim(candidate: tuple, worker_id: str, now=None) -> OutboxMessage | None:
    """Claim one candidate, only if nobody changed the row since it was read."""
    message_id, state, claimed_at = candidate
    won = OutboxMessage.objects.filter(id=message_id, state=state, claimed_at=claimed_at).update(
        state=OutboxMessage.State.CLAIMED, claimed_at=now or timezone.now(), claimed_by=worker_id
    )
    return OutboxMessage.objects.get(id=message_id) if won else None


def claim_batch(worker_id: str, limit: int = 20, now=None) -> list[OutboxMessage]:
    """Claim due messages with a conditional update, so several workers can run."""
    now = now or timezone.now()
    claimed = (try_claim(candidate, worker_id, now) for candidate in due_candidates(limit, now))
    return [message for message in claimed if message is not None]


def _mine(message: OutboxMessage):
    """The row, as long as this worker's claim on it still holds."""
    return OutboxMessage.objects.filter(
        id=message.id,
        state=OutboxMessage.State.CLAIMED,
        claimed_by=message.claimed_by,
        claimed_at=message.claimed_at,
    )


def _mark_sent(message: OutboxMessage) -> bool:
    """Record a finished send; False if this worker's claim was taken over meanwhile."""
    return bool(_mine(message).update(state=OutboxMessage.State.SENT, sent_at=timezone.now(), last_error=""))


def deliver(message: OutboxMessage, connection=None, now=None) -> bool:
    """Send one claimed message; on failure schedule a retry or give up into dead.

    Between the mail server accepting the message and `_mark_sent` there is a window:
    if the worker dies there, or its claim is taken over because the send outlasted
    the claim timeout, the row is sent again by another worker, with the same
    Message-ID. That is the at-least-once guarantee; nothing here can make it exactly
    once, since the mail server and the database do not share a transaction.
    """
    now = now or timezone.now()
    max_attempts = settings.OUTBOX_MAX_ATTEMPTS
    if message.attempts >= max_attempts:
        # Every attempt so far ended with the worker gone mid-send (a message that
        # crashes the worker, say): stop here instead of trying for ever.
        _mine(message).update(
            state=OutboxMessage.State.DEAD,
            claimed_at=None,
            claimed_by="",
            last_error="Delivery did not finish: the worker stopped during the last attempt.",
        )
        logger.warning("Outbox message %s gave up after %s attempts", message.id, message.attempts)
        return False
    attempts = message.attempts + 1
    # Record the attempt before sending, so a crash mid-send still counts it. If this
    # worker's claim was taken over meanwhile (it was too slow), it must not send.
    if not _mine(message).update(attempts=attempts):
        logger.info("Outbox message %s was claimed by another worker; skipped", message.id)
        return False
    connection = connection or delivery_connection()
    try:
        email = deserialise(message.payload, message_id_for(message))
        email.connection = connection
        email.send()
    except Exception as exc:  # noqa: BLE001 - any delivery failure is retried
        dead = attempts >= max_attempts
        _mine(message).update(
            state=OutboxMessage.State.DEAD if dead else OutboxMessage.State.PENDING,
            due_at=now + backoff(attempts),
            claimed_at=None,
            claimed_by="",
            last_error=describe_error(exc),
        )
        logger.warning(
            "Outbox message %s failed (attempt %s of %s, %s)%s",
            message.id,
            attempts,
            max_attempts,
            type(exc).__name__,
            "; gave up" if dead else "",
        )
        return False
    if not _mark_sent(message):
        # Another worker reclaimed the row during this send and sends it too (same
        # Message-ID); its own mark-sent ends the row.
        logger.warning("Outbox message %s was sent but its claim had been taken over", message.id)
    return True


def deliver_due(worker_id: str | None = None, limit: int = 20) -> tuple[int, int]:
    """Claim and deliver one batch. Returns (sent, failed)."""
    worker_id = worker_id or f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}"
    sent = failed = 0
    batch = claim_batch(worker_id, limit)
    if not batch:
        return 0, 0
    connection = delivery_connection()
    for message in batch:
        if deliver(message, connection):
            sent += 1
        else:
            failed += 1
    return sent, failed


def state_counts() -> dict[str, int]:
    """How many messages are in each state (every state listed, zero included)."""
    counts = dict.fromkeys(OutboxMessage.State.values, 0)
    for row in OutboxMessage.objects.order_by().values("state").annotate(n=Count("id")):
        counts[row["state"]] = row["n"]
    return counts


def retry_dead(message_ids=None, *, by=None, request=None) -> int:
    """Put dead messages back in the queue (a coordinator's decision); None means all."""
    with transaction.atomic():
        dead = OutboxMessage.objects.filter(state=OutboxMessage.State.DEAD)
        if message_ids is not None:
            dead = dead.filter(id__in=list(message_ids))
        ids = sorted(dead.values_list("id", flat=True))
        count = OutboxMessage.objects.filter(id__in=ids, state=OutboxMessage.State.DEAD).update(
            state=OutboxMessage.State.PENDING, attempts=0, due_at=timezone.now(), claimed_at=None, claimed_by=""
        )
        if count and by is not None:
            record(
                Action.OUTBOX_RETRIED,
                actor=by,
                request=request,
                target_label="outbox",
                after={"count": count, "message_ids": ids[:100]},
            )
        return count


# --- retention: what the outbox keeps of people's addresses --------------------------------------
ADDRESS_FIELDS = ("to", "cc", "bcc", "reply_to")


def prune_outbox(now=None) -> int:
    """Periodic: delete delivered messages older than OUTBOX_SENT_RETENTION_DAYS and dead ones
    older than OUTBOX_DEAD_RETENTION_DAYS (they carry recipients' addresses). Pending and claimed
    messages are never pruned. Returns how many rows went."""
    now = now or timezone.now()
    sent_before = now - timedelta(days=settings.OUTBOX_SENT_RETENTION_DAYS)
    dead_before = now - timedelta(days=settings.OUTBOX_DEAD_RETENTION_DAYS)
    deleted, _ = OutboxMessage.objects.filter(
        Q(state=OutboxMessage.State.SENT, sent_at__lt=sent_before)
        | Q(state=OutboxMessage.State.DEAD, created_at__lt=dead_before)
    ).delete()
    return deleted


def forget_recipient(address: str) -> int:
    """An account closes: no email waiting in the outbox goes to its address any more, and no row,
    sent or dead, keeps it. A row for several people loses only this address; a row left with no
    recipient goes. A row a worker holds right now is left to finish (it is pruned later).
    Returns how many rows were changed or deleted."""
    wanted = address.strip().lower()
    if not wanted:
        return 0
    # A text match narrows the candidates on every database; the exact match is made below.
    candidates = (
        OutboxMessage.objects.annotate(text=Cast("payload", TextField()))
        .filter(text__icontains=wanted)
        .exclude(state=OutboxMessage.State.CLAIMED)
    )
    changed = 0
    for message in candidates.select_for_update():
        payload = dict(message.payload)
        kept = {
            field: [item for item in payload.get(field) or [] if _address_of(item) != wanted]
            for field in ADDRESS_FIELDS
        }
        if all(kept[field] == list(payload.get(field) or []) for field in ADDRESS_FIELDS):
            continue  # the address only appeared in the text, not as a recipient
        changed += 1
        if not any(kept[field] for field in ("to", "cc", "bcc")):
            message.delete()
            continue
        payload.update(kept)
        message.payload = payload
        message.save(update_fields=["payload"])
    return changed


def _address_of(item: str) -> str:
    """The bare, lower-case address of "Name <a@b>" or "a@b"."""
    item = item.strip()
    if item.endswith(">") and "<" in item:
        item = item[item.rindex("<") + 1 : -1]
    return item.lower()
