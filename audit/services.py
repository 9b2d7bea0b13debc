"""Writing audit events. Call inside the transaction of the change being recorded."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from django.db import transaction

from .models import Action, AuditEvent


def client_ip(request) -> str | None:
    if request is None:
        return None
    try:
        return get_adapter(request).get_client_ip(request)
    except Exception:  # noqa: BLE001 - a missing or malformed address must not block the change
        return None


def describe(obj) -> tuple[str, str, str]:
    """Type, id and label of a target; labels never carry personal names."""
    if obj is None:
        return "", "", ""
    target_type = obj._meta.label_lower
    target_id = str(getattr(obj, "public_id", None) or getattr(obj, "slug", None) or obj.pk)
    return target_type, target_id, str(obj)[:300]


def record(
    action: Action | str,
    *,
    actor=None,
    target=None,
    request=None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    outcome: str = AuditEvent.Outcome.SUCCESS,
    target_label: str | None = None,
) -> AuditEvent:
    """Append one audit event. Must run in the same transaction as the change."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    target_type, target_id, label = describe(target)
    with transaction.atomic():
        return AuditEvent.objects.create(
            action=action,
            actor=actor,
            actor_label=str(actor) if actor else "",
            target_type=target_type,
            target_id=target_id,
            target_label=target_label if target_label is not None else label,
            before=before,
            after=after,
            outcome=outcome,
            ip_address=client_ip(request),
        )
