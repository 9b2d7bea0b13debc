"""Writes for name-and-emblem notifications: sending one, deciding on it, commenting.

Each function takes the acting user, changes the notification, appends its history entry,
writes the audit event and tells the other side (inbox and email, through
`notifications.inbox`) in one transaction.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.models import Action
from audit.services import record
from core import policy
from core.links import absolute_url
from notifications.inbox import notify_many, register_message
from notifications.models import Kind
from providers.selectors import active_members

from .models import TRANSITIONS, EmblemEntry, EmblemNotification, State
from .rules import speaks_for_coordinators


class StaleDecision(Exception):
    """The notification changed, or was decided, since the coordinator loaded it."""


class NotAllowed(Exception):
    """The notification is not in a state that allows this."""


DECISIONS = {
    State.ACKNOWLEDGED: (EmblemEntry.Kind.ACKNOWLEDGED, Action.EMBLEM_ACKNOWLEDGED),
    State.OBJECTED: (EmblemEntry.Kind.OBJECTED, Action.EMBLEM_OBJECTED),
}


def _snapshot(notification: EmblemNotification) -> dict:
    return {
        "state": notification.state,
        "version": notification.version,
        "medium": notification.medium,
        "period_start": notification.period_start.isoformat(),
        "period_end": notification.period_end.isoformat(),
    }


def members(notification: EmblemNotification):
    return active_members(notification.organisation_id)


# Inbox texts (translated when read); the emails use this app's templates.
register_message("emblem_notified", _("%(organisation)s notified a use of the name or emblem"))
register_message("emblem_decided_acknowledged", _("The coordinators acknowledged your use of the name or emblem"))
register_message("emblem_decided_objected", _("The coordinators objected to your use of the name or emblem"))
register_message("emblem_comment", _("New comment on a notification of a use of the name or emblem"))


def _tell(users, template: str, notification: EmblemNotification, **context) -> None:
    """An inbox entry and (unless muted) an email for each user, in the caller's transaction."""
    link = reverse("emblem:detail", args=[notification.public_id])
    notify_many(
        users,
        Kind.EMBLEM_UPDATE,
        message=f"emblem_{template}",
        params={"organisation": notification.organisation.name, "detail": context.get("comment", "")},
        link=link,
        email_template=f"emblem/email/{template}",
        email_context={
            "notification": notification,
            "organisation": notification.organisation,
            "link": absolute_url(link),
            **context,
        },
    )


@transaction.atomic
def notify(
    organisation,
    *,
    by: User,
    intended_use: str,
    medium: str,
    audience: str,
    period_start,
    period_end,
    sample,
    sample_type: str,
    previous: EmblemNotification | None = None,
    request=None,
) -> EmblemNotification:
    """A provider member tells the coordinators of an intended use of the name or emblem."""
    if previous is not None and previous.organisation_id != organisation.pk:
        raise NotAllowed("A notification can only follow one of the same organisation.")
    notification = EmblemNotification(
        organisation=organisation,
        created_by=by,
        previous=previous,
        intended_use=intended_use.strip(),
        medium=medium,
        audience=audience.strip(),
        period_start=period_start,
        period_end=period_end,
        sample_type=sample_type,
        sample_size=sample.size,
    )
    notification.sample.save("sample", sample, save=False)
    notification.save()
    EmblemEntry.objects.create(
        notification=notification, kind=EmblemEntry.Kind.SUBMITTED, author=by, created_at=notification.created_at
    )
    after = _snapshot(notification)
    after.update({"sample_type": sample_type, "sample_size": notification.sample_size})
    if previous is not None:
        after["previous"] = str(previous.public_id)
    record(Action.EMBLEM_NOTIFIED, actor=by, target=notification, request=request, after=after)
    _tell(User.objects.active_coordinators(), "notified", notification)
    return notification


@transaction.atomic
def decide(
    notification: EmblemNotification,
    *,
    by: User,
    decision: str,
    comment: str,
    expected_version: int,
    request=None,
) -> EmblemNotification:
    """A coordinator acknowledges or objects to a notification; the members are told."""
    target = State(decision)
    if target not in DECISIONS:
        raise ValueError(f"Not a decision: {decision!r}")
    comment = comment.strip()
    if target == State.OBJECTED and not comment:
        raise ValueError("An objection needs a comment.")
    locked = EmblemNotification.objects.select_for_update().select_related("organisation").get(pk=notification.pk)
    if locked.version != expected_version or target not in TRANSITIONS[State(locked.state)]:
        raise StaleDecision
    before = _snapshot(locked)
    now = timezone.now()
    locked.state = target
    locked.decided_at = now
    locked.version = F("version") + 1
    locked.save(update_fields=["state", "decided_at", "version"])
    locked.refresh_from_db(fields=["version"])
    kind, action = DECISIONS[target]
    EmblemEntry.objects.create(notification=locked, kind=kind, author=by, comment=comment, created_at=now)
    after = _snapshot(locked)
    after["comment"] = comment
    record(action, actor=by, target=locked, request=request, before=before, after=after)
    _tell(members(locked), f"decided_{target}", locked, comment=comment)
    return locked


def may_comment(user, notification: EmblemNotification) -> bool:
    """Coordinators may always comment; members once the coordinators objected (a follow-up)."""
    return policy.can(user, "emblem.comment", notification)


@transaction.atomic
def add_comment(notification: EmblemNotification, *, by: User, comment: str, request=None) -> EmblemEntry:
    """A comment in the notification's history; the other side is told."""
    comment = comment.strip()
    if not comment:
        raise ValueError("A comment cannot be empty.")
    locked = EmblemNotification.objects.select_for_update().select_related("organisation").get(pk=notification.pk)
    if not may_comment(by, locked):
        raise NotAllowed("Members may comment on a notification once the coordinators objected.")
    before = {"version": locked.version}
    # A comment is news for a coordinator about to decide: it counts as a change.
    locked.version = F("version") + 1
    locked.save(update_fields=["version"])
    locked.refresh_from_db(fields=["version"])
    entry = EmblemEntry.objects.create(notification=locked, kind=EmblemEntry.Kind.COMMENT, author=by, comment=comment)
    record(
        Action.EMBLEM_COMMENTED,
        actor=by,
        target=locked,
        request=request,
        before=before,
        after={"version": locked.version, "comment": comment},
    )
    from_coordinator = speaks_for_coordinators(by)
    _tell(
        members(locked) if from_coordinator else User.objects.active_coordinators(),
        "comment",
        locked,
        comment=comment,
        from_coordinator=from_coordinator,
    )
    return entry
