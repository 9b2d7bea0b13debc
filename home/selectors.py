"""What each role's start page lists: read across the domains, a fixed number of queries each."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.selectors import vetting_queue
from catalogue import updates
from catalogue.models import Review, Tool, ToolState
from community.models import MessageReport
from concerns.models import Concern
from contact.models import Conversation
from core import policy
from discovery import search
from discussions.models import PostReport
from enquiries.models import AbuseReport, Enquiry, EnquiryMessage
from following import services as following
from moderation import selectors as moderation
from moderation.models import Notice, NoticeAction
from notifications.models import OutboxMessage
from providers.models import Organisation

# The officer's page shows a few of each; each list links to the full page.
NEW_TOOLS_SHOWN = 8
NOTICES_SHOWN = 5


# --- officers -------------------------------------------------------------------------------------
def new_tools(since: datetime.datetime):
    """Published tools (not update requests) whose publication is later than `since`."""
    return Tool.objects.filter(
        state=ToolState.PUBLISHED, revision_of__isnull=True, published_at__gt=since
    ).select_related("organisation")


def officer_home(user, since: datetime.datetime) -> dict:
    """News for a verified officer since `since`.

    New tools are listed in the catalogue's fair order for this officer (the order of the day's
    catalogue without criteria), never by date or provider, so no provider gains the top of the
    list by publishing at a chosen time. This list is not a catalogue results page: it is not
    counted in the exposure statistics (discovery.exposure counts search and catalogue pages)."""
    tools = list(new_tools(since))
    seed = search.fairness_seed(user)
    tools.sort(key=lambda tool: search.fair_key(seed, tool.slug))
    followed = [
        row
        for row in following.followed_tools(user)
        if row["changes"] or (row["notice"] is not None and row["notice"].decided_at > row["follow"].last_seen_at)
    ]
    notices = list(moderation.register().filter(decided_at__gt=since)[: NOTICES_SHOWN + 1])
    searches = [row for row in following.new_matches(user, tools) if row["count"]]
    return {
        "since": since,
        "new_tools": tools[:NEW_TOOLS_SHOWN],
        "new_tool_count": len(tools),
        "followed": followed,
        "notices": notices[:NOTICES_SHOWN],
        "more_notices": len(notices) > NOTICES_SHOWN,
        "searches": searches,
    }


# --- providers ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Task:
    """Something waiting for the organisation: what, about which tool, since when, where to act."""

    kind: str
    tool_name: str
    since: datetime.datetime | None
    url: str
    detail: str = ""


def provider_tasks(user, organisation: Organisation) -> list[Task]:
    """What awaits the organisation, the longest waiting first (a fixed number of queries).

    Only its own tools, requests and concerns: everything is filtered by `organisation`, the
    reader's own (home.views asks providers.rules.membership)."""
    tasks: list[Task] = []
    for concern in (
        Concern.objects.filter(
            tool__organisation=organisation,
            outcome=Concern.Outcome.PROVIDER_ASKED,
            status=Concern.Status.DECIDED,
            provider_responded_at__isnull=True,
        )
        .exclude(provider_request="")
        .select_related("tool")
    ):
        tasks.append(
            Task(
                "concern",
                concern.tool.name,
                concern.provider_asked_at or concern.decided_at,
                reverse("concerns:provider_detail", kwargs={"public_id": concern.public_id}),
            )
        )
    latest_notice = Notice.objects.filter(tool=OuterRef("pk")).exclude(action=NoticeAction.WITHDRAWN)
    latest_notice = latest_notice.order_by("-decided_at", "-id")
    for tool in Tool.objects.filter(organisation=organisation, state=ToolState.SUSPENDED).annotate(
        notice_id=Subquery(latest_notice.values("public_id")[:1]),
        notice_at=Subquery(latest_notice.values("decided_at")[:1]),
    ):
        url = (
            reverse("moderation:provider_notice", kwargs={"public_id": tool.notice_id})
            if tool.notice_id
            else reverse("moderation:provider_notices")
        )
        tasks.append(Task("suspended", tool.name, tool.notice_at, url))
    for tool in Tool.objects.filter(organisation=organisation, state=ToolState.CHANGES_REQUESTED).annotate(
        asked_at=Max("reviews__created_at", filter=Q(reviews__decision=Review.Decision.REQUEST_CHANGES))
    ):
        kind = "update_changes" if tool.revision_of_id else "changes"
        tasks.append(
            Task(kind, tool.name, tool.asked_at, reverse("catalogue:provider_tool", kwargs={"slug": tool.slug}))
        )
    for tool in updates.overdue_for_confirmation().filter(organisation=organisation):
        tasks.append(
            Task(
                "confirmation",
                tool.name,
                updates.confirmation_due_at(tool),
                reverse("catalogue:provider_tool", kwargs={"slug": tool.slug}),
            )
        )
    if policy.can(user, "enquiry.received"):
        last_from_officer = EnquiryMessage.objects.filter(enquiry=OuterRef("pk")).order_by("-created_at", "-id")
        waiting = (
            policy.scoped("enquiries.received", user)
            .filter(state=Enquiry.State.OPEN)
            .annotate(officer_spoke_last=Subquery(last_from_officer.values("from_officer")[:1]))
            .filter(officer_spoke_last=True)
            .select_related("tool")
        )
        for enquiry in waiting:
            tasks.append(
                Task(
                    "enquiry",
                    enquiry.tool.name,
                    enquiry.last_message_at,
                    reverse("enquiries:provider_detail", kwargs={"public_id": enquiry.public_id}),
                    detail=Enquiry.Kind(enquiry.kind).value,
                )
            )
    far_future = timezone.now() + datetime.timedelta(days=36500)
    tasks.sort(key=lambda task: (task.since or far_future, task.kind, task.tool_name))
    return tasks


# --- coordinators ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Queue:
    """One of the coordinators' queues: how many wait, and since when the oldest."""

    key: str
    count: int
    oldest: datetime.datetime | None
    url: str

    def oldest_days(self, now: datetime.datetime | None = None) -> int | None:
        if self.oldest is None:
            return None
        return max(0, ((now or timezone.now()) - self.oldest).days)


def _queue(key: str, queryset, date_field: str, url: str) -> Queue:
    figures = queryset.order_by().aggregate(count=Count("pk", distinct=True), oldest=Min(date_field))
    return Queue(key, figures["count"], figures["oldest"] if figures["count"] else None, url)


def _confirmations_queue() -> Queue:
    """Entries whose confirmation is overdue; the oldest waits since its confirmation fell due."""
    figures = (
        updates.overdue_for_confirmation()
        .order_by()
        .aggregate(count=Count("pk"), oldest=Min(Coalesce("last_confirmed_at", "published_at", "created_at")))
    )
    oldest = figures["oldest"] + updates.confirmation_interval() if figures["count"] else None
    return Queue("confirmations", figures["count"], oldest, reverse("catalogue:confirmation_overdue"))


def coordinator_queues() -> list[Queue]:
    """Every queue, with the same selection as its own page's default view (one query each)."""
    submitted = Tool.objects.filter(state=ToolState.SUBMITTED)
    return [
        _queue("vetting", vetting_queue(), "submitted_at", reverse("accounts:vetting_queue")),
        _queue(
            "organisations",
            Organisation.objects.filter(status=Organisation.Status.PENDING),
            "created_at",
            reverse("providers:review_queue"),
        ),
        _queue(
            "tool_reviews",
            submitted.filter(revision_of__isnull=True),
            "submitted_at",
            reverse("catalogue:review_queue"),
        ),
        _queue(
            "update_reviews",
            submitted.filter(revision_of__isnull=False),
            "submitted_at",
            reverse("catalogue:review_queue"),
        ),
        _confirmations_queue(),
        _queue(
            "concerns", Concern.objects.exclude(status=Concern.Status.CLOSED), "created_at", reverse("concerns:queue")
        ),
        _queue(
            "contact",
            Conversation.objects.filter(state=Conversation.State.OPEN, awaiting=Conversation.Awaiting.COORDINATORS),
            "last_post_at",
            reverse("contact:queue"),
        ),
        _queue(
            "message_reports",
            MessageReport.objects.filter(state=MessageReport.State.OPEN),
            "created_at",
            reverse("community:reports"),
        ),
        _queue(
            "post_reports",
            PostReport.objects.filter(outcome=PostReport.Outcome.OPEN),
            "created_at",
            reverse("discussions:reports"),
        ),
        _queue(
            "exchange_reports",
            AbuseReport.objects.filter(state=AbuseReport.State.OPEN),
            "created_at",
            reverse("enquiries:reports"),
        ),
        _queue(
            "dead_outbox",
            OutboxMessage.objects.filter(state=OutboxMessage.State.DEAD),
            "created_at",
            reverse("notifications:outbox"),
        ),
    ]


def coordinator_overview() -> dict:
    """The back-office figures. The vetting figures come from the vetting queue's own query, so
    the start page and the queue page always agree (renewal requests included)."""
    queues = coordinator_queues()
    by_key = {queue.key: queue for queue in queues}
    return {
        "queues": queues,
        "pending_officers": by_key["vetting"].count,
        "oldest_pending_days": by_key["vetting"].oldest_days(),
        "locked_accounts": User.objects.filter(locked_until__gt=timezone.now()).count(),
    }
