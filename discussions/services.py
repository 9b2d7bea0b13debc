"""Writes of the discussions app: spaces, threads, posts, subscriptions, reports and their
moderation; field reports; agency-use declarations (issue 11).

Each function takes the acting user, runs in one transaction and records its audit event in
it; the inbox entries and emails it causes are written in the same transaction (outbox).
Emails about discussions name the thread and link to it, never a post's text nor its author.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.models import Action
from audit.services import record
from catalogue.models import Tool, ToolState
from core import policy
from notifications.inbox import notify, register_message
from notifications.models import Kind

from .models import AgencyUse, FieldReport, Post, PostReport, Space, Subscription, Thread
from .selectors import space_is_locked, thread_is_locked
from .topics import topic_space_specs

register_message("discussions_new_post", _("New post in the discussion %(thread)s"))
register_message("discussions_post_hidden", _("The coordinators hid your post in %(thread)s"))
register_message("discussions_post_restored", _("The coordinators restored your post in %(thread)s"))
register_message("discussions_post_moved", _("The coordinators moved your post to %(thread)s"))
register_message("discussions_thread_locked", _("The coordinators locked your discussion %(thread)s"))
register_message("discussions_thread_unlocked", _("The coordinators reopened your discussion %(thread)s"))
register_message("discussions_thread_moved", _("The coordinators moved your discussion %(thread)s to %(space)s"))
register_message("discussions_post_reported", _("A post in %(thread)s was reported"))

TITLE_MAX = 200
BODY_MAX = 20000


class Closed(Exception):
    """The thread or its space is locked: nobody posts there."""


class EditWindowClosed(Exception):
    """The post can no longer be edited (too late, hidden, or not the author's)."""


class NotWritable(Exception):
    """The tool is not published: no new field report or declaration about it."""


def thread_link(thread: Thread) -> str:
    return reverse("discussions:thread", kwargs={"public_id": thread.public_id})


def post_link(post: Post) -> str:
    return f"{thread_link(post.thread)}?post={post.public_id}#post-{post.public_id}"


# --- spaces ---------------------------------------------------------------------------------
@transaction.atomic
def create_space(by, *, slug: str, names: dict, descriptions: dict, order: int = 0, request=None) -> Space:
    """A new topic space (coordinators)."""
    space = Space.objects.create(kind=Space.Kind.TOPIC, slug=slug, names=names, descriptions=descriptions, order=order)
    record(
        Action.SPACE_CREATED,
        actor=by,
        target=space,
        request=request,
        after={"slug": slug, "names": names, "order": order},
    )
    return space


@transaction.atomic
def edit_space(by, space: Space, *, names: dict, descriptions: dict, order: int, request=None) -> bool:
    """Rename, describe or reorder a topic space (coordinators); False when nothing changed."""
    before = {"names": space.names, "descriptions": space.descriptions, "order": space.order}
    after = {"names": names, "descriptions": descriptions, "order": order}
    if before == after:
        return False
    Space.objects.filter(pk=space.pk).update(**after)
    for name, value in after.items():
        setattr(space, name, value)
    record(Action.SPACE_EDITED, actor=by, target=space, request=request, before=before, after=after)
    return True


def ensure_tool_space(tool: Tool) -> Space:
    """The tool's space, created if missing: a container, not anyone's act, so not audited.
    Created when the tool is published (receivers) or, for a tool published before this app
    existed, when it is first needed."""
    space, _created = Space.objects.get_or_create(tool=tool, defaults={"kind": Space.Kind.TOOL})
    return space


@transaction.atomic
def set_tool_space_lock(space: Space, *, locked: bool, reason: str, by=None) -> bool:
    """Lock a tool's space when the tool is suspended or removed, unlock it on reinstatement."""
    if space.is_locked == locked:
        return False
    Space.objects.filter(pk=space.pk).update(is_locked=locked, lock_reason=reason if locked else "")
    space.is_locked, space.lock_reason = locked, reason if locked else ""
    record(
        Action.SPACE_LOCKED if locked else Action.SPACE_UNLOCKED,
        actor=by,
        target=space,
        before={"locked": not locked},
        after={"locked": locked, "reason": reason},
    )
    return True


def ensure_topic_spaces(workflow_steps) -> int:
    """Create the seeded topic spaces that are missing (never renames one a coordinator edited),
    from the workflow-step options (`questionnaires.selectors.workflow_steps()`). Returns how many
    were created. Used by the data migration's twin and by the demo seed."""
    created = 0
    steps = [(option.value, dict(option.labels)) for option in workflow_steps]
    for slug, names, order in topic_space_specs(steps):
        _space, made = Space.objects.get_or_create(
            slug=slug, defaults={"kind": Space.Kind.TOPIC, "names": names, "order": order}
        )
        created += made
    return created


# --- threads and posts ---------------------------------------------------------------------
def _subscribers(thread: Thread, *, exclude: User) -> list[User]:
    """Who hears of a new post: subscribers of the thread or of its space who may still read
    discussions, each once, never the author."""
    users = (
        User.objects.filter(pk__in=Subscription.objects.filter(thread=thread).values("user_id"))
        | User.objects.filter(pk__in=Subscription.objects.filter(space_id=thread.space_id).values("user_id"))
    ).exclude(pk=exclude.pk)
    return [
        user
        for user in users.filter(is_active=True).select_related("officer").distinct().order_by("pk")
        if policy.can(user, "discussions.read")
    ]


def _tell_subscribers(post: Post) -> int:
    thread = post.thread
    link = post_link(post)
    users = _subscribers(thread, exclude=post.author)
    for user in users:
        # The thread's title only: the email carries neither the post nor who wrote it.
        notify(user, Kind.DISCUSSION_POST, message="discussions_new_post", params={"thread": thread.title}, link=link)
    return len(users)


@transaction.atomic
def start_thread(by, space: Space, *, title: str, body: str, request=None) -> Thread:
    """A new thread with its first post."""
    space = Space.objects.select_for_update().get(pk=space.pk)
    if space_is_locked(space):
        raise Closed
    now = timezone.now()
    thread = Thread.objects.create(space=space, title=title, author=by, created_at=now, last_post_at=now)
    post = Post.objects.create(thread=thread, author=by, body=body, created_at=now)
    record(
        Action.THREAD_STARTED,
        actor=by,
        target=thread,
        request=request,
        after={"space": str(space.public_id), "title": title, "post": str(post.public_id)},
    )
    _tell_subscribers(post)
    return thread


@transaction.atomic
def reply(by, thread: Thread, *, body: str, reply_to: Post | None = None, request=None) -> Post:
    """A post in an open thread, possibly answering (or quoting) an earlier post of it."""
    thread = Thread.objects.select_for_update(of=("self",)).select_related("space__tool").get(pk=thread.pk)
    if thread_is_locked(thread):
        raise Closed
    if reply_to is not None and reply_to.thread_id != thread.pk:
        reply_to = None
    now = timezone.now()
    post = Post.objects.create(thread=thread, author=by, body=body, reply_to=reply_to, created_at=now)
    Thread.objects.filter(pk=thread.pk).update(last_post_at=now)
    record(
        Action.POST_WRITTEN,
        actor=by,
        target=post,
        request=request,
        after={"thread": str(thread.public_id), "reply_to": str(reply_to.public_id) if reply_to else None},
    )
    _tell_subscribers(post)
    return post


@transaction.atomic
def edit_post(by, post: Post, *, body: str, request=None) -> bool:
    """The author changes their post within the edit window (checked here, whatever the form
    said); the audit event keeps the text before and after. False when nothing changed."""
    post = Post.objects.select_for_update(of=("self",)).select_related("thread__space__tool").get(pk=post.pk)
    if not policy.can(by, "discussions.edit_post", post) or thread_is_locked(post.thread):
        raise EditWindowClosed
    if post.body == body:
        return False
    before = post.body
    post.body, post.edited_at = body, timezone.now()
    post.save(update_fields=["body", "edited_at"])
    record(Action.POST_EDITED, actor=by, target=post, request=request, before={"body": before}, after={"body": body})
    return True


@transaction.atomic
def report_post(by, post: Post, *, reason: str, request=None) -> PostReport:
    """Ask the coordinators to look at a post; they are told in their inbox."""
    report = PostReport.objects.create(post=post, reporter=by, reason=reason)
    record(
        Action.POST_REPORTED,
        actor=by,
        target=post,
        request=request,
        after={"report": str(report.public_id), "reason": reason},
    )
    link = reverse("discussions:reports")
    for coordinator in User.objects.active_coordinators():
        notify(
            coordinator,
            Kind.DISCUSSION_REPORT,
            message="discussions_post_reported",
            params={"thread": post.thread.title},
            link=link,
        )
    return report


def _close_reports(post: Post, by, outcome: str) -> int:
    return PostReport.objects.filter(post=post, outcome=PostReport.Outcome.OPEN).update(
        outcome=outcome, resolved_at=timezone.now(), resolved_by=by
    )


@transaction.atomic
def dismiss_report(by, report: PostReport, *, request=None) -> bool:
    """The coordinators looked at a reported post and leave it as it is."""
    changed = PostReport.objects.filter(pk=report.pk, outcome=PostReport.Outcome.OPEN).update(
        outcome=PostReport.Outcome.DISMISSED, resolved_at=timezone.now(), resolved_by=by
    )
    if changed:
        record(
            Action.POST_REPORT_DISMISSED,
            actor=by,
            target=report.post,
            request=request,
            after={"report": str(report.public_id)},
        )
    return bool(changed)


def _tell_author(user, message: str, params: dict, reason: str, link: str) -> None:
    notify(
        user,
        Kind.DISCUSSION_MODERATION,
        message=message,
        params={**params, "detail": reason},
        link=link,
    )


@transaction.atomic
def hide_post(by, post: Post, *, reason: str, request=None) -> bool:
    """Coordinators hide a post: others read "hidden by the coordinators", the author reads the
    reason (on the page and in the inbox). Open reports of the post are closed."""
    post = Post.objects.select_for_update(of=("self",)).select_related("thread").get(pk=post.pk)
    if post.is_hidden:
        return False
    post.is_hidden, post.hidden_reason, post.hidden_at = True, reason, timezone.now()
    post.save(update_fields=["is_hidden", "hidden_reason", "hidden_at"])
    closed = _close_reports(post, by, PostReport.Outcome.HIDDEN)
    record(
        Action.POST_HIDDEN,
        actor=by,
        target=post,
        request=request,
        before={"hidden": False},
        after={"hidden": True, "reason": reason, "reports_closed": closed},
    )
    _tell_author(post.author, "discussions_post_hidden", {"thread": post.thread.title}, reason, post_link(post))
    return True


@transaction.atomic
def restore_post(by, post: Post, *, reason: str, request=None) -> bool:
    post = Post.objects.select_for_update(of=("self",)).select_related("thread").get(pk=post.pk)
    if not post.is_hidden:
        return False
    before = {"hidden": True, "reason": post.hidden_reason}
    post.is_hidden, post.hidden_reason, post.hidden_at = False, "", None
    post.save(update_fields=["is_hidden", "hidden_reason", "hidden_at"])
    record(
        Action.POST_RESTORED,
        actor=by,
        target=post,
        request=request,
        before=before,
        after={"hidden": False, "reason": reason},
    )
    _tell_author(post.author, "discussions_post_restored", {"thread": post.thread.title}, reason, post_link(post))
    return True


@transaction.atomic
def move_post(by, post: Post, *, to: Thread, reason: str, request=None) -> bool:
    """Move a post that belongs elsewhere into another thread (it keeps its date; its reply
    reference is dropped, as it pointed into the old thread)."""
    post = Post.objects.select_for_update(of=("self",)).select_related("thread").get(pk=post.pk)
    if post.thread_id == to.pk:
        return False
    before = {"thread": str(post.thread.public_id)}
    post.thread, post.reply_to = to, None
    post.save(update_fields=["thread", "reply_to"])
    Post.objects.filter(reply_to=post).update(reply_to=None)
    if post.created_at > to.last_post_at:
        Thread.objects.filter(pk=to.pk).update(last_post_at=post.created_at)
    record(
        Action.POST_MOVED,
        actor=by,
        target=post,
        request=request,
        before=before,
        after={"thread": str(to.public_id), "reason": reason},
    )
    _tell_author(post.author, "discussions_post_moved", {"thread": to.title}, reason, post_link(post))
    return True


@transaction.atomic
def set_thread_lock(by, thread: Thread, *, locked: bool, reason: str, request=None) -> bool:
    """Coordinators lock a thread (no new posts or edits) or reopen it."""
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if thread.is_locked == locked:
        return False
    thread.is_locked, thread.lock_reason = locked, reason if locked else ""
    thread.save(update_fields=["is_locked", "lock_reason"])
    record(
        Action.THREAD_LOCKED if locked else Action.THREAD_UNLOCKED,
        actor=by,
        target=thread,
        request=request,
        before={"locked": not locked},
        after={"locked": locked, "reason": reason},
    )
    message = "discussions_thread_locked" if locked else "discussions_thread_unlocked"
    _tell_author(thread.author, message, {"thread": thread.title}, reason, thread_link(thread))
    return True


@transaction.atomic
def move_thread(by, thread: Thread, *, to: Space, reason: str, request=None) -> bool:
    """Coordinators move a thread to another space."""
    thread = Thread.objects.select_for_update(of=("self",)).select_related("space__tool").get(pk=thread.pk)
    if thread.space_id == to.pk:
        return False
    before = {"space": str(thread.space.public_id)}
    thread.space = to
    thread.save(update_fields=["space"])
    record(
        Action.THREAD_MOVED,
        actor=by,
        target=thread,
        request=request,
        before=before,
        after={"space": str(to.public_id), "reason": reason},
    )
    _tell_author(
        thread.author,
        "discussions_thread_moved",
        {"thread": thread.title, "space": to.name},
        reason,
        thread_link(thread),
    )
    return True


# --- subscriptions ------------------------------------------------------------------------
@transaction.atomic
def set_subscription(by, *, subscribed: bool, thread: Thread | None = None, space: Space | None = None, request=None):
    """Subscribe to (or leave) a thread or a space; False when nothing changed."""
    target = {"thread": thread} if thread is not None else {"space": space}
    if subscribed:
        _subscription, changed = Subscription.objects.get_or_create(user=by, **target)
    else:
        changed = bool(Subscription.objects.filter(user=by, **target).delete()[0])
    if changed:
        record(
            Action.DISCUSSION_SUBSCRIBED if subscribed else Action.DISCUSSION_UNSUBSCRIBED,
            actor=by,
            target=thread if thread is not None else space,
            request=request,
            after={"subscribed": subscribed},
        )
    return changed


# --- field reports ------------------------------------------------------------------------
FIELD_REPORT_FIELDS = ("attribution", "used_in", "context", "data", "hurdles", "integration", "worked", "did_not_work")


def _report_snapshot(report: FieldReport) -> dict:
    return {
        name: (value.isoformat() if hasattr(value, "isoformat") else value)
        for name, value in ((name, getattr(report, name)) for name in FIELD_REPORT_FIELDS)
    }


@transaction.atomic
def write_field_report(by, tool: Tool, *, request=None, **fields) -> FieldReport:
    """An officer's field report about a published tool."""
    locked = Tool.objects.select_for_update().get(pk=tool.pk)
    if locked.state != ToolState.PUBLISHED:
        raise NotWritable
    report = FieldReport.objects.create(tool=locked, author=by, **fields)
    record(Action.FIELD_REPORT_WRITTEN, actor=by, target=report, request=request, after=_report_snapshot(report))
    return report


@transaction.atomic
def edit_field_report(by, report: FieldReport, *, request=None, **fields) -> bool:
    report = FieldReport.objects.select_for_update().get(pk=report.pk, author=by)
    before = _report_snapshot(report)
    for name, value in fields.items():
        setattr(report, name, value)
    after = _report_snapshot(report)
    if before == after:
        return False
    report.updated_at = timezone.now()
    report.save(update_fields=[*fields, "updated_at"])
    record(Action.FIELD_REPORT_EDITED, actor=by, target=report, request=request, before=before, after=after)
    return True


@transaction.atomic
def withdraw_field_report(by, report: FieldReport, *, request=None) -> bool:
    """The author takes the report back: it is deleted (the audit event keeps what it said)."""
    snapshot = _report_snapshot(report)
    deleted, _detail = FieldReport.objects.filter(pk=report.pk, author=by).delete()
    if deleted:
        record(Action.FIELD_REPORT_WITHDRAWN, actor=by, target=report, request=request, before=snapshot)
    return bool(deleted)


# --- "my agency uses this tool" ---------------------------------------------------------------
@transaction.atomic
def set_agency_use(by, tool: Tool, *, uses: bool, request=None) -> bool:
    """Declare (or withdraw) privately that the officer's agency uses the tool; False when
    nothing changed. Declaring is for published tools; withdrawing is always possible."""
    if uses:
        locked = Tool.objects.select_for_update().get(pk=tool.pk)
        if locked.state != ToolState.PUBLISHED:
            raise NotWritable
        _use, changed = AgencyUse.objects.get_or_create(user=by, tool=locked)
    else:
        changed = bool(AgencyUse.objects.filter(user=by, tool=tool).delete()[0])
    if changed:
        record(
            Action.AGENCY_USE_DECLARED if uses else Action.AGENCY_USE_WITHDRAWN,
            actor=by,
            target=tool,
            request=request,
            after={"uses": uses},
        )
    return changed


def agency_users_of(tool: Tool):
    """Ids of the officers who declared their agency uses the tool (following's notice audience)."""
    return AgencyUse.objects.filter(tool=tool).values("user_id")
