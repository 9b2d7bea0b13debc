"""The in-app inbox, and `notify()`: the one way to tell a user that something happened.

A notification is a row in the user's inbox and, unless they turned email off for that
kind (safety notices cannot be turned off), an email queued with `send_mail` in the same
transaction. In production `send_mail` writes to the outbox, so the decision, the inbox
row and the email are committed together or not at all (SECURITY.md REL-01).

The inbox text is not stored: `message` names a translatable template in `MESSAGES` and
`params` fills it, so every reader sees it in the language they are using. Emails are
rendered once, in the recipient's chosen language (`UserSettings.language`).

An app adds its messages with `register_message`, at import time of a module its
`AppConfig.ready()` loads (this platform app knows no domain's messages); an unknown key
still shows the kind's label.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from audit.models import Action
from audit.services import record
from core import generations
from core.emails import render_subject
from core.links import absolute_url, local_path, site_url

from .models import Kind, Notification, NotificationPreference, UserSettings

# Safety notices always go out by email, whatever the preferences say.
ALWAYS_EMAILED = frozenset({Kind.TOOL_SUSPENDED, Kind.TOOL_REMOVED, Kind.ACCOUNT_SECURITY})

# Which kinds each role can receive (the preferences page lists only these).
# A kind not listed here is offered to everyone.
KINDS_BY_ROLE = {
    "officer": [
        Kind.VETTING_DECISION,
        Kind.TOOL_UPDATE,
        Kind.TOOL_SUSPENDED,
        Kind.TOOL_REMOVED,
        Kind.TOOL_REINSTATED,
        Kind.TOOL_WITHDRAWN,
        Kind.SAVED_SEARCH_MATCH,
        Kind.CONCERN_UPDATE,
        Kind.COMMUNITY_CONTACT,
        Kind.COMMUNITY_MESSAGE,
        Kind.COMMUNITY_MODERATION,
        Kind.EVENT_UPDATE,
        Kind.DISCUSSION_POST,
        Kind.DISCUSSION_MODERATION,
        Kind.ENQUIRY,
        Kind.ACCOUNT_SECURITY,
    ],
    "provider": [
        Kind.ORGANISATION_DECISION,
        Kind.TOOL_REVIEW,
        Kind.TOOL_SUSPENDED,
        Kind.TOOL_REMOVED,
        Kind.TOOL_REINSTATED,
        Kind.TOOL_WITHDRAWN,
        Kind.CONCERN_UPDATE,
        Kind.EMBLEM_UPDATE,
        Kind.TOOL_CONFIRMATION,
        Kind.MODERATION_CASE,
        Kind.ENQUIRY,
        Kind.ACCOUNT_SECURITY,
    ],
    "coordinator": list(Kind),
}

# message key -> translatable title; %(name)s placeholders come from the params.
MESSAGES: dict[str, str] = {}

GENERIC_EMAIL_TEMPLATE = "notifications/email/notification"


def register_message(key: str, title) -> None:
    """Add a message template (a lazily translated string with %(name)s placeholders)."""
    MESSAGES[key] = title


class _Params(dict):
    """Missing placeholders render as an ellipsis instead of failing the page."""

    def __missing__(self, key):
        return "…"


def render_title(notification: Notification) -> str:
    """The notification's text in the active language."""
    template = MESSAGES.get(notification.message_key)
    if template is None:
        return str(Kind(notification.kind).label) if notification.kind in Kind.values else ""
    params = notification.params if isinstance(notification.params, dict) else {}
    try:
        return str(template) % _Params({key: str(value) for key, value in params.items()})
    except (TypeError, ValueError):
        return str(Kind(notification.kind).label)


def detail(notification: Notification) -> str:
    """Free text the decision came with (a reason or comment), shown under the title."""
    params = notification.params if isinstance(notification.params, dict) else {}
    return str(params.get("detail") or "")


def safe_link(link: str) -> str:
    """Only paths on this site: a notification never sends anyone elsewhere."""
    return local_path(link)


# --- who wants what -----------------------------------------------------------------
def kinds_for(user) -> list[Kind]:
    listed = {kind for kinds in KINDS_BY_ROLE.values() for kind in kinds}
    own = set(KINDS_BY_ROLE.get(getattr(user, "role", ""), []))
    return [kind for kind in Kind if kind in own or kind not in listed]


def always_emailed(kind) -> bool:
    return kind in ALWAYS_EMAILED


def email_wanted(user, kind, *, safety: bool = False) -> bool:
    if safety or always_emailed(kind):
        return True
    preference = NotificationPreference.objects.filter(user=user, kind=kind).values_list("email", flat=True).first()
    return preference is None or preference


def email_preferences(user) -> dict[str, bool]:
    """kind -> email on/off for every kind (default on; safety kinds always on)."""
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return {kind.value: True if always_emailed(kind) else stored.get(kind.value, True) for kind in Kind}


def language_for(user) -> str:
    language = UserSettings.objects.filter(user=user).values_list("language", flat=True).first()
    return language or settings.LANGUAGE_CODE


# --- telling people ------------------------------------------------------------------
def notify(
    user,
    kind,
    *,
    message: str,
    params: dict | None = None,
    link: str = "",
    email_template: str | None = None,
    email_context: dict | None = None,
    safety: bool = False,
) -> Notification:
    """Put a notification in `user`'s inbox and queue its email, in one transaction.

    `params` must be JSON (names, a `detail` text). `email_template` names a pair of templates,
    `<email_template>_subject.txt` and `<email_template>_message.txt`, rendered with
    `email_context` (which may hold model instances); without it the email is the inbox text and
    a link to the subject.
    """
    kind = Kind(kind)
    with transaction.atomic():
        notification = Notification.objects.create(
            user=user, kind=kind, message_key=message, params=dict(params or {}), link=safe_link(link)
        )
        if user.email and email_wanted(user, kind, safety=safety):
            _send_email(user, notification, email_template or GENERIC_EMAIL_TEMPLATE, email_context)
    return notification


def notify_many(users: Iterable, kind, **kwargs) -> list[Notification]:
    """The same notification to several people: one inbox row and one email each."""
    return [notify(user, kind, **kwargs) for user in users]


def _send_email(user, notification, template: str, extra_context) -> None:
    with translation.override(language_for(user)):
        link = notification.link
        context = {
            "user": user,
            "site_url": site_url(),
            "notification": notification,
            "title": render_title(notification),
            "detail": detail(notification),
            "link_url": absolute_url(link) if link else site_url(),
            **(extra_context or {}),
        }
        subject = render_subject(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}_message.txt", context)
    # One message per recipient: nobody sees anyone else's address.
    send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [user.email])


# --- reading -------------------------------------------------------------------------
def inbox_for(user):
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


# The header shows the unread count on every page: it is kept in the shared cache under a token of
# the person's inbox, drawn anew whenever their inbox changes (now and on commit, so a count read
# during the commit is left under the old token). If the cache is down when an inbox changes, a
# count kept from before may show for at most UNREAD_KEPT_SECONDS once it is back.
INBOX_GENERATION_KEY = "notifications:inbox-token:{user_id}"
UNREAD_KEY = "notifications:unread:{user_id}:{token}"
UNREAD_KEPT_SECONDS = 300
INBOX_GENERATION_KEPT_SECONDS = 24 * 3600


def unread_count(user) -> int:
    token = generations.current(INBOX_GENERATION_KEY.format(user_id=user.pk), timeout=INBOX_GENERATION_KEPT_SECONDS)
    key = UNREAD_KEY.format(user_id=user.pk, token=token)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(user=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_KEPT_SECONDS)
    return count


def inbox_changed(user_id: int) -> None:
    """Every change to a person's notifications calls this: their kept unread count is dropped.
    Rows saved or deleted call it through signals (`notification_row_changed`); `update()`s call it
    themselves."""
    generations.bump(INBOX_GENERATION_KEY.format(user_id=user_id), timeout=INBOX_GENERATION_KEPT_SECONDS)


def notification_row_changed(sender, instance, **kwargs) -> None:
    inbox_changed(instance.user_id)


def mark_read(notification: Notification) -> bool:
    """Mark one notification read; False when it already was (nothing changes twice)."""
    now = timezone.now()
    changed = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
    if changed:
        notification.read_at = now
        inbox_changed(notification.user_id)
    return bool(changed)


def mark_all_read(user) -> int:
    changed = Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    if changed:
        inbox_changed(user.pk)
    return changed


@transaction.atomic
def save_settings(user, *, emails: dict[str, bool], language: str, request=None) -> bool:
    """Store a user's email choices per kind and their email language; audited. True if changed."""
    before_emails = email_preferences(user)
    before_language = language_for(user)
    changed_kinds = {}
    for kind in Kind:
        if always_emailed(kind) or kind.value not in emails:
            continue
        wanted = bool(emails[kind.value])
        if wanted != before_emails[kind.value]:
            NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": wanted})
            changed_kinds[kind.value] = wanted
    if language != before_language:
        UserSettings.objects.update_or_create(user=user, defaults={"language": language})
    if not changed_kinds and language == before_language:
        return False
    record(
        Action.NOTIFICATION_SETTINGS_CHANGED,
        actor=user,
        target=user,
        request=request,
        before={
            "email": {kind: before_emails[kind] for kind in changed_kinds},
            "language": before_language,
        },
        after={"email": changed_kinds, "language": language},
    )
    return True
