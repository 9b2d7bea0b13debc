"""Reads of the discussions app, each for a reader the views have already checked.

Every list here takes a fixed number of queries whatever its length (tests assert it)."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext

from catalogue.models import Tool
from core import policy
from moderation.selectors import MODERATED_STATES, latest_notice

from .models import AgencyUse, FieldReport, Post, PostReport, Space, Subscription, Thread
from .regions import region_name

# What `display_name` reads of an author: load it with them.
AUTHOR = ("author", "author__directory_profile", "author__officer")

THREADS_PER_PAGE = 30
POSTS_PER_PAGE = 50
# Coordinators see agency-use counts only in aggregate, and small ones blurred.
SMALL_COUNT = 5


def display_name(user) -> str:
    """How someone appears in discussions: the display name they chose in Meet other officers, or
    else "an officer in <region>" (never the account's name, which an officer did not choose to
    show). Coordinators moderate under their own name. Querysets load `author__directory_profile`
    and `author__officer` with the author, so this costs no query. A closed or deleted account is
    a "former member": its content stays, its person is gone."""
    if user.closed_at is not None:
        return gettext("Former member")
    if policy.can(user, "discussions.moderate"):
        return user.full_name
    profile = getattr(user, "directory_profile", None)
    if profile is not None and profile.display_name:
        return profile.display_name
    officer = getattr(user, "officer", None)
    region = region_name(officer.country.code if officer and officer.country else "")
    return gettext("An officer in %(region)s") % {"region": region} if region else gettext("An officer")


def space_is_locked(space: Space) -> bool:
    """Locked by the coordinators, or the space of a tool that is suspended or removed."""
    return space.is_locked or bool(space.tool_id and space.tool.state in MODERATED_STATES)


def thread_is_locked(thread: Thread) -> bool:
    return thread.is_locked or space_is_locked(thread.space)


def tool_notice(space: Space):
    """The suspension or removal notice shown on top of a tool's space, if any."""
    if space.tool_id and space.tool.state in MODERATED_STATES:
        return latest_notice(space.tool)
    return None


def topic_spaces():
    return Space.objects.filter(kind=Space.Kind.TOPIC).annotate(thread_count=Count("threads")).order_by("order", "id")


def active_tool_spaces():
    """Tool spaces that have threads, most recently active first."""
    return (
        Space.objects.filter(kind=Space.Kind.TOOL)
        .select_related("tool")
        .annotate(thread_count=Count("threads"))
        .filter(thread_count__gt=0)
        .order_by("tool__name", "id")
    )


def threads_of(space: Space):
    """The space's threads, last activity first, with their author and number of posts."""
    return (
        Thread.objects.filter(space=space)
        .select_related(*AUTHOR)
        .annotate(post_count=Count("posts"))
        .order_by("-last_post_at", "-id")
    )


def posts_of(thread: Thread):
    return (
        Post.objects.filter(thread=thread)
        .select_related(*AUTHOR, *("reply_to__" + path for path in AUTHOR))
        .order_by("created_at", "id")
    )


def is_subscribed(user, *, thread: Thread | None = None, space: Space | None = None) -> bool:
    if space is not None and space.pk is None:
        return False
    target = {"thread": thread} if thread is not None else {"space": space}
    return Subscription.objects.filter(user=user, **target).exists()


def quoted(post: Post) -> str:
    """The post as a Markdown blockquote, to start a reply with."""
    lines = (post.body or "").strip().splitlines() or [""]
    header = gettext("%(name)s wrote:") % {"name": display_name(post.author)}
    return "\n".join([f"> **{header}**", ">", *(f"> {line}" if line else ">" for line in lines)]) + "\n\n"


# --- field reports ------------------------------------------------------------------------
def field_reports_of(tool: Tool):
    """The tool's field reports, newest first (never sorted by anything else)."""
    return FieldReport.objects.filter(tool=tool).select_related(*AUTHOR).order_by("-created_at", "-id")


def newest_field_reports(tool: Tool, count: int) -> list[FieldReport]:
    """The tool's `count` newest field reports with their authors. Their ids are read first (one
    index read): most tools have none, and the query with the authors' four joins costs the
    database about a millisecond to plan on every tool page."""
    ids = list(
        FieldReport.objects.filter(tool=tool).order_by("-created_at", "-id").values_list("id", flat=True)[:count]
    )
    return list(field_reports_of(tool).filter(id__in=ids)) if ids else []


def report_signature(report: FieldReport) -> str:
    """Who wrote the report, as its author chose: the display name, or "an officer in <region>"."""
    if report.attribution == FieldReport.Attribution.REGION and report.author.closed_at is None:
        officer = getattr(report.author, "officer", None)
        region = region_name(officer.country.code if officer and officer.country else "")
        return gettext("An officer in %(region)s") % {"region": region} if region else gettext("An officer")
    return display_name(report.author)


# --- agency use --------------------------------------------------------------------------------
def uses_tool(user, tool: Tool) -> bool:
    return AgencyUse.objects.filter(user=user, tool=tool).exists()


def agency_use_counts() -> list[dict]:
    """Per tool with at least one declaration: the count, or "fewer than 5" below SMALL_COUNT.
    Sorted by tool name: this is a coordinators' table, never an order shown to officers."""
    rows = (
        Tool.objects.annotate(uses=Count("agency_uses"))
        .filter(uses__gt=0)
        .order_by("name", "id")
        .values("name", "slug", "state", "uses")
    )
    return [{**row, "small": row["uses"] < SMALL_COUNT} for row in rows]


def open_reports():
    """Reported posts waiting for the coordinators, oldest report first."""
    return (
        PostReport.objects.filter(outcome=PostReport.Outcome.OPEN)
        .select_related(*("post__" + path for path in AUTHOR), "post__thread__space__tool", "reporter")
        .order_by("created_at", "id")
    )
