"""Officers following tools and saving catalogue searches (PRODUCT.md 3.6; issue 4).

Following: an officer follows a published tool; followers are told of approved updates,
suspensions, removals and reinstatements, and the tool page marks what changed since their
last visit. Saved searches: an officer keeps a catalogue query string and is told when a
newly published tool meets its criteria.

Interest is not a business signal: nothing here is ever shown to providers (no counts, no
names); the audit events it writes are read by coordinators only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import OfficerProfile, User
from audit.models import Action
from audit.services import record
from catalogue import history
from catalogue.history import FIELD_LABELS
from catalogue.models import Tool, ToolState, ToolVersion
from core import policy
from core.links import absolute_url
from discovery import search
from discovery.forms import CatalogueForm, mode_name, with_default_modes
from discovery.models import ToolSearchText
from moderation.models import Notice, NoticeAction
from moderation.selectors import NOTICE_STATES
from notifications.inbox import language_for, notify, register_message
from notifications.models import Kind
from questionnaires.selectors import current_versions

from .models import Follow, SavedSearch

MAX_SAVED_SEARCHES = 50
NAME_MAX = 120

# Changed fields shown in the entry's header (the others are marked at their own heading).
HEADER_FIELDS = ("name", "short_description", "website", "logo")

register_message("following_tool_updated", _("%(tool)s, a tool you follow, was updated on %(date)s"))
register_message("following_tool_suspended", _("%(tool)s, a tool you follow, was suspended"))
register_message("following_tool_removed", _("%(tool)s, a tool you follow, was removed from the catalogue"))
register_message("following_tool_reinstated", _("%(tool)s, a tool you follow, was reinstated"))
register_message("following_saved_search_match", _("%(tool)s matches your saved search %(search)s"))
register_message("following_tool_suspended_in_use", _("%(tool)s, a tool your agency uses, was suspended"))
register_message(
    "following_tool_removed_in_use", _("%(tool)s, a tool your agency uses, was removed from the catalogue")
)
register_message("following_tool_reinstated_in_use", _("%(tool)s, a tool your agency uses, was reinstated"))
register_message(
    "following_tool_withdrawn", _("%(tool)s, a tool you follow, was withdrawn from the catalogue by its provider")
)
register_message(
    "following_tool_withdrawn_in_use",
    _("%(tool)s, a tool your agency uses, was withdrawn from the catalogue by its provider"),
)

# Who hears of a tool's suspension, removal or reinstatement besides its followers: apps above
# this one register `function(tool) -> queryset of user ids` (values("user_id") or ("pk")) from
# their ready(). discussions registers the officers who declared their agency uses the tool.
# They are told exactly as followers are, once each, however many audiences they are in.
NOTICE_AUDIENCES: list = []


def register_notice_audience(users_of_tool) -> None:
    if users_of_tool not in NOTICE_AUDIENCES:
        NOTICE_AUDIENCES.append(users_of_tool)


class NotFollowable(Exception):
    """Only published tools can be followed."""


class SavedSearchLimit(Exception):
    """The officer already keeps the maximum number of saved searches."""


class InvalidSavedSearch(ValueError):
    """The query string does not parse with the current catalogue form."""


def tool_link(tool: Tool) -> str:
    """The tool's page; for a suspended or removed tool that page is its notice."""
    return reverse("catalogue:tool_detail", kwargs={"slug": tool.slug})


def active_verified_officers(queryset=None):
    """Users who may still read the hub: active, officers, verification current."""
    now = timezone.now()
    queryset = queryset if queryset is not None else User.objects.all()
    return queryset.filter(
        is_active=True,
        role=User.Role.OFFICER,
        officer__status=OfficerProfile.Status.VERIFIED,
    ).filter(Q(officer__verified_until__isnull=True) | Q(officer__verified_until__gt=now))


# --- following ------------------------------------------------------------------------
def follow_of(user, tool: Tool) -> Follow | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Follow.objects.filter(user=user, tool=tool).first()


@transaction.atomic
def follow(user, tool: Tool, *, request=None) -> bool:
    """Start following a published tool; False when the officer already did (nothing changes)."""
    locked = Tool.objects.select_for_update().get(pk=tool.pk)
    if locked.state != ToolState.PUBLISHED:
        raise NotFollowable
    _follow, created = Follow.objects.get_or_create(user=user, tool=locked)
    if created:
        record(Action.TOOL_FOLLOWED, actor=user, target=locked, request=request, after={"following": True})
    return created


@transaction.atomic
def unfollow(user, tool: Tool, *, request=None) -> bool:
    """Stop following; False when the officer was not following (nothing changes)."""
    deleted, _detail = Follow.objects.filter(user=user, tool=tool).delete()
    if deleted:
        record(Action.TOOL_UNFOLLOWED, actor=user, target=tool, request=request, before={"following": True})
    return bool(deleted)


def union_of_changes(versions: Iterable[list]) -> set[str]:
    """The union of what the given versions changed (their `ToolVersion.changed` lists)."""
    keys: set[str] = set()
    for changed in versions:
        if isinstance(changed, list):
            keys.update(str(key) for key in changed)
    return keys


def visit(user, tool: Tool, page: dict) -> dict:
    """The tool page seen by `user`: adds the follow state and, for a follower, marks what
    changed since their last visit, then records this visit (one UPDATE).

    `page` is the context of catalogue.selectors.tool_page (its question rows get a
    `changed_since_visit` flag). Returns the extra context for the template."""
    context = {"can_follow": False, "following": False, "changes_since": None}
    if not _may_follow(user):
        return context
    context["can_follow"] = True
    current = follow_of(user, tool)
    if current is None:
        return context
    context["following"] = True
    # Read off the change history the page already holds (catalogue.selectors.tool_page).
    changed = union_of_changes(
        entry.changed for entry in page.get("history", []) if entry.published_at > current.last_seen_at
    )
    labels = []
    for part in page.get("questionnaires", []):
        for block in part["sections"]:
            for item in block["items"]:
                item["changed_since_visit"] = item["question"].key in changed
                if item["changed_since_visit"]:
                    labels.append(item["question"].label)
    fields = [name for name in FIELD_LABELS if name in changed]
    if changed:
        context["changes_since"] = {
            "date": current.last_seen_at,
            "fields": set(fields),
            "header_labels": [str(FIELD_LABELS[name]) for name in HEADER_FIELDS if name in changed],
            "labels": [str(FIELD_LABELS[name]) for name in fields] + labels,
        }
    Follow.objects.filter(pk=current.pk).update(last_seen_at=timezone.now())
    return context


def _may_follow(user) -> bool:
    return policy.can(user, "tool.follow")


def followed_tools(user) -> list[dict]:
    """The officer's followed tools, newest follow first, with their state, the number of
    changes published since the officer's last visit and, for a suspended, removed or withdrawn
    tool, its latest notice (three queries, whatever the number of follows)."""
    follows = list(Follow.objects.filter(user=user).select_related("tool__organisation").order_by("-created_at", "-pk"))
    if not follows:
        return []
    earliest = min(item.last_seen_at for item in follows)
    versions: dict[int, list[tuple]] = defaultdict(list)
    for tool_id, published_at, changed in ToolVersion.objects.filter(
        tool_id__in=[item.tool_id for item in follows], published_at__gt=earliest
    ).values_list("tool_id", "published_at", "changed"):
        versions[tool_id].append((published_at, changed))
    moderated = [item.tool_id for item in follows if item.tool.state in NOTICE_STATES]
    notices: dict[int, Notice] = {}
    if moderated:
        for notice in Notice.objects.filter(tool_id__in=moderated).order_by("decided_at", "pk"):
            notices[notice.tool_id] = notice  # the newest wins
    rows = []
    for item in follows:
        changed = union_of_changes(
            changes for published_at, changes in versions.get(item.tool_id, []) if published_at > item.last_seen_at
        )
        rows.append(
            {
                "follow": item,
                "tool": item.tool,
                "changes": len(changed),
                "moderated": item.tool.state in NOTICE_STATES,
                "notice": notices.get(item.tool_id),
            }
        )
    return rows


def _followers(tool: Tool, *, safety: bool = False):
    """Who hears about the tool. A safety notice (suspension, removal) also reaches followers whose
    verification lapsed, or whose account was disabled for disuse: they may still be using the
    tool (PRODUCT.md 3.6). Accounts disabled for any other reason hear nothing."""
    reached = Q(pk__in=Follow.objects.filter(tool=tool).values("user_id"))
    for users_of_tool in NOTICE_AUDIENCES:
        reached |= Q(pk__in=users_of_tool(tool))
    users = User.objects.filter(reached)
    if safety:
        still_reachable = Q(is_active=True) | Q(disabled_for_inactivity_at__isnull=False)
        return users.filter(still_reachable, role=User.Role.OFFICER).distinct().order_by("pk")
    return active_verified_officers(users).distinct().order_by("pk")


def notify_followers_of_update(tool: Tool, version: ToolVersion) -> int:
    """Tell the tool's followers an update was approved: when, and which questions changed.

    Call inside the transaction that publishes the version. Returns how many were told."""
    followers = list(_followers(tool))
    if not followers:
        return 0
    link = tool_link(tool)
    versions = current_versions()
    by_language: dict[str, list[User]] = defaultdict(list)
    for user in followers:
        by_language[language_for(user)].append(user)
    for language, users in by_language.items():
        with translation.override(language):
            labels = history.labels_for(version.changed or [], versions)
            date = formats.date_format(timezone.localtime(version.published_at), "DATE_FORMAT")
            detail = gettext("Changed: %(labels)s") % {"labels": ", ".join(labels)} if labels else ""
        for user in users:
            notify(
                user,
                Kind.TOOL_UPDATE,
                message="following_tool_updated",
                params={"tool": tool.name, "date": date, "detail": detail},
                link=link,
                email_template="following/email/tool_updated",
                email_context={
                    "tool": tool,
                    "version": version,
                    "labels": labels,
                    "url": absolute_url(link),
                },
            )
    return len(followers)


def notify_followers_of_notice(notice) -> int:
    """Tell the tool's followers of a suspension, removal, reinstatement or withdrawal by its
    provider, with the summary and the guidance for officers (never the provider's). Suspensions
    and removals are safety notices: always emailed. Call inside the decision's transaction."""
    action = NoticeAction(notice.action)
    tool = notice.tool
    followers = list(_followers(tool, safety=action.is_safety_notice))
    readers = set(
        active_verified_officers(User.objects.filter(pk__in=[user.pk for user in followers])).values_list(
            "pk", flat=True
        )
    )
    following_ids = set(Follow.objects.filter(tool=tool).values_list("user_id", flat=True))
    for user in followers:
        can_read_hub = user.pk in readers
        # Not a follower: in an audience registered above (an officer whose agency uses the tool).
        declared_use = user.pk not in following_ids
        # A follower whose verification lapsed cannot open the tool's page: the guidance comes with
        # the message itself, and the link leads to their account, where they can ask for renewal.
        link = tool_link(tool) if can_read_hub else reverse("accounts:profile") if user.is_active else ""
        detail = notice.summary if can_read_hub else f"{notice.summary}\n\n{notice.officer_guidance}".strip()
        notify(
            user,
            action.inbox_kind,
            message=f"following_tool_{action.value}" + ("_in_use" if declared_use else ""),
            params={"tool": tool.name, "detail": detail},
            link=link,
            email_template=f"following/email/tool_{action.value}",
            email_context={
                "tool": tool,
                "summary": notice.summary,
                "officer_guidance": notice.officer_guidance,
                "decided_at": notice.decided_at,
                "url": absolute_url(link or "/"),
                "can_read_hub": can_read_hub,
                "dormant": not user.is_active,
                "declared_use": declared_use,
            },
        )
    return len(followers)


# --- saved searches ---------------------------------------------------------------------
def _catalogue_form(data, versions=None, questions=None):
    versions = versions if versions is not None else current_versions()
    questions = questions if questions is not None else search.criterion_questions(versions)
    return CatalogueForm(with_default_modes(data, questions), questions=questions, versions=versions)


def normalise_query(data: QueryDict, versions=None) -> str:
    """The catalogue query string to keep: the search words, the criteria chosen with their
    modes, the completeness filter; no page number, nothing the form does not know."""
    versions = versions if versions is not None else current_versions()
    form = _catalogue_form(data, versions)
    if not form.is_valid():
        raise InvalidSavedSearch
    return query_of(form)


def query_of(form) -> str:
    """The normalised query string of a valid catalogue form (see `normalise_query`)."""
    questions = form.questions
    result = QueryDict(mutable=True)
    words = form.cleaned_data["q"].strip()
    if words:
        result["q"] = words
    for question in questions:
        values = form.cleaned_data.get(question.key) or []
        if values:
            result.setlist(question.key, list(values))
            result[mode_name(question.key)] = form.cleaned_data.get(mode_name(question.key)) or search.REQUIRED
    complete = [key for key in form.cleaned_data.get("complete") or [] if key]
    if complete:
        result.setlist("complete", complete)
    return result.urlencode()


def default_name(query: str, versions=None) -> str:
    """A name from the criteria: the search words, then each criterion with its values."""
    form = _catalogue_form(QueryDict(query), versions)
    return name_of(form) if form.is_valid() else gettext("My search")


def name_of(form) -> str:
    """A default name for the search of a valid catalogue form."""
    parts = []
    if form.cleaned_data["q"].strip():
        parts.append(f"“{form.cleaned_data['q'].strip()}”")
    for question in form.questions:
        values = form.cleaned_data.get(question.key) or []
        if values:
            labels = dict(form.fields[question.key].choices)
            parts.append(f"{question.label}: {', '.join(str(labels.get(value, value)) for value in values)}")
    if form.cleaned_data.get("complete"):
        parts.append(gettext("answered questionnaires"))
    name = " · ".join(parts) or gettext("All tools")
    return name if len(name) <= NAME_MAX else name[: NAME_MAX - 1] + "…"


def saved_searches_of(user):
    return SavedSearch.objects.filter(user=user).order_by("-created_at", "-pk")


@transaction.atomic
def save_search(user, *, name: str, query: str, request=None) -> SavedSearch:
    """Keep a catalogue search for the officer (at most MAX_SAVED_SEARCHES)."""
    query = normalise_query(QueryDict(query))
    name = " ".join((name or "").split())[:NAME_MAX] or default_name(query)
    # Lock the owner so that two saves at once cannot both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if SavedSearch.objects.filter(user=user).count() >= MAX_SAVED_SEARCHES:
        raise SavedSearchLimit
    saved = SavedSearch.objects.create(user=user, name=name, query=query)
    record(
        Action.SEARCH_SAVED,
        actor=user,
        target=saved,
        request=request,
        after={"name": name, "query": query},
    )
    return saved


@transaction.atomic
def delete_search(user, saved: SavedSearch, *, request=None) -> bool:
    """Delete one of the officer's saved searches; False when it was already gone."""
    deleted, _detail = SavedSearch.objects.filter(pk=saved.pk, user=user).delete()
    if deleted:
        record(
            Action.SEARCH_DELETED,
            actor=user,
            target=saved,
            request=request,
            before={"name": saved.name, "query": saved.query},
        )
    return bool(deleted)


class _ToolFacts:
    """What a saved search is matched against, read once per tool."""

    def __init__(self, tool: Tool, versions):
        self.tool = tool
        self.versions = versions
        self._values = None
        self._words = None
        self._completeness = None

    def values(self):
        if self._values is None:
            keys = {question.key for question in search.criterion_questions(self.versions)}
            self._values = search.latest_values([self.tool.pk], keys)
        return self._values

    def words(self) -> list[str]:
        if self._words is None:
            tool = Tool.objects.select_related("organisation").get(pk=self.tool.pk)
            self._words = search.search_text(tool).split()
        return self._words

    def completeness(self) -> dict:
        if self._completeness is None:
            self._completeness = search.completeness_for([self.tool.pk], self.versions).get(self.tool.pk, {})
        return self._completeness


def _matches(form, facts: _ToolFacts) -> bool:
    """Required criteria (any value within one, all of them across), every search word found
    as the start of a word of the tool, and the completeness filter; preferred criteria do
    not restrict."""
    words = search.query_words(form.cleaned_data["q"])
    if form.cleaned_data["q"].strip() and not words:
        return False
    if words:
        text = facts.words()
        if not all(any(candidate.startswith(word) for candidate in text) for word in words):
            return False
    selection = form.selection()
    if selection and not search.match([(facts.tool.pk, facts.tool.slug)], selection, facts.values()):
        return False
    complete = [key for key in form.cleaned_data.get("complete") or [] if key]
    if complete:
        totals = {version.questionnaire.key: (0, len(version.questions.all())) for version in facts.versions}
        scores = facts.completeness() or totals
        if not all(search.is_complete(*scores.get(key, (0, 0))) for key in complete):
            return False
    return True


def saved_searches_matching(tool: Tool) -> list[SavedSearch]:
    """The saved searches of officers who may still use the hub whose criteria the published
    tool meets. Each stored query is read with today's catalogue form: a query that no longer
    parses (a criterion or value that was withdrawn) matches nothing."""
    if tool.state != ToolState.PUBLISHED:
        return []
    versions = current_versions()
    questions = search.criterion_questions(versions)
    owners = active_verified_officers().values("pk")
    facts = _ToolFacts(tool, versions)
    verdicts: dict[str, bool] = {}
    matching = []
    for saved in SavedSearch.objects.filter(user__in=owners).select_related("user").order_by("user_id", "pk"):
        verdict = verdicts.get(saved.query)
        if verdict is None:
            form = _catalogue_form(QueryDict(saved.query), versions, questions)
            verdict = form.is_valid() and _matches(form, facts)
            verdicts[saved.query] = verdict
        if verdict:
            matching.append(saved)
    return matching


def notify_saved_searches(tool: Tool) -> int:
    """Tell each owner of a matching saved search about the newly published tool (one inbox
    entry and email per owner, naming their matching searches). Returns the owners told."""
    matching = saved_searches_matching(tool)
    if not matching:
        return 0
    by_owner: dict[int, list[SavedSearch]] = defaultdict(list)
    for saved in matching:
        by_owner[saved.user_id].append(saved)
    link = tool_link(tool)
    for searches in by_owner.values():
        owner = searches[0].user
        names = ", ".join(f"“{saved.name}”" for saved in searches)
        notify(
            owner,
            Kind.SAVED_SEARCH_MATCH,
            message="following_saved_search_match",
            params={"tool": tool.name, "search": names, "detail": tool.short_description},
            link=link,
            email_template="following/email/saved_search_match",
            email_context={
                "tool": tool,
                "searches": searches,
                "url": absolute_url(link),
                "searches_url": absolute_url(reverse("following:saved_searches")),
            },
        )
    SavedSearch.objects.filter(pk__in=[saved.pk for saved in matching]).update(last_notified_at=timezone.now())
    return len(by_owner)


class _PreloadedFacts(_ToolFacts):
    """A tool's facts read beforehand for many tools at once (see `new_matches`)."""

    def __init__(self, tool: Tool, versions, *, values, words: list[str], completeness):
        super().__init__(tool, versions)
        self._values = values
        self._words = words
        self._completeness_of_all = completeness

    def completeness(self) -> dict:
        return self._completeness_of_all().get(self.tool.pk, {})


def new_matches(user, tools: list[Tool]) -> list[dict]:
    """The officer's saved searches, newest first, each with those of `tools` (published tools the
    caller chose, such as those published since the officer's last visit) that meet its criteria
    and were published after the search was saved.

    The same rule as the notifications (`_matches`), read in bulk: a fixed number of queries
    whatever the number of searches and tools."""
    searches = list(saved_searches_of(user))
    if not searches:
        return []
    tools = [tool for tool in tools if tool.state == ToolState.PUBLISHED and tool.published_at]
    ids = [tool.pk for tool in tools]
    versions = current_versions()
    questions = search.criterion_questions(versions)
    values = search.latest_values(ids, {question.key for question in questions}) if ids else {}
    texts = dict(ToolSearchText.objects.filter(tool_id__in=ids).values_list("tool_id", "text")) if ids else {}
    completeness_cache: dict = {}

    def completeness() -> dict:
        # Read once, and only when a search filters on answered questionnaires.
        if "all" not in completeness_cache:
            completeness_cache["all"] = search.completeness_for(ids, versions)
        return completeness_cache["all"]

    facts = [
        _PreloadedFacts(
            tool, versions, values=values, words=(texts.get(tool.pk) or "").split(), completeness=completeness
        )
        for tool in tools
    ]
    rows = []
    for saved in searches:
        form = _catalogue_form(QueryDict(saved.query), versions, questions)
        valid = form.is_valid()
        matching = [
            item.tool for item in facts if valid and item.tool.published_at > saved.created_at and _matches(form, item)
        ]
        rows.append({"search": saved, "tools": matching, "count": len(matching)})
    return rows
