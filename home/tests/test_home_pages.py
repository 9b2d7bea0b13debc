"""Start pages with something to act on: what is new for officers, what awaits a provider, the
coordinators' queues with their ages."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import personal_data
from catalogue.models import Review, ToolState, ToolVersion
from concerns.models import Concern
from contact.models import Conversation
from discovery import search
from discovery.models import ExposureCount
from discovery.tests.test_search_helpers import make_questionnaires, tool_with
from enquiries.models import Enquiry, EnquiryMessage
from following import services as following
from following.models import Follow, SavedSearch
from home import selectors
from home.models import HomeVisit
from moderation.models import NoticeAction
from notifications.models import OutboxMessage
from testkit import factories
from testkit.personas import sign_in

pytestmark = pytest.mark.django_db

HOME = reverse("home:home")
# The catalogue's own fair order, kept before any test replaces it (the control below does).
FAIR_KEY = search.fair_key


def ago(**kwargs) -> dt.datetime:
    return timezone.now() - dt.timedelta(**kwargs)


def officer(**kwargs):
    return factories.OfficerProfileFactory(verified=True, **kwargs).user


def visited(user, when):
    """The officer last opened their start page at `when` (in an earlier session)."""
    HomeVisit.objects.update_or_create(user=user, defaults={"seen_at": when})


def home_of(user) -> str:
    """The start page in a new session (a new visit)."""
    return sign_in(Client(), user).get(HOME).content.decode()


def section(html: str, block_id: str) -> str:
    """The HTML of one block of the start page ("" when it is not shown)."""
    match = re.search(rf'<section class="home-block[^"]*" id="{block_id}".*?</section>', html, re.S)
    return match.group(0) if match else ""


def published(name, *, when, organisation=None, **kwargs):
    kwargs = {"organisation": organisation} if organisation else {}
    tool = factories.ToolFactory(name=name, published=True, **kwargs)
    type(tool).objects.filter(pk=tool.pk).update(published_at=when)
    tool.refresh_from_db()
    return tool


# --- officers: new tools ---------------------------------------------------------------------------
def test_a_tool_published_since_the_last_visit_is_listed_and_an_older_one_is_not():
    reader = officer()
    visited(reader, ago(days=1))
    older = published("Older Lens", when=ago(days=2))
    newer = published("Newer Lens", when=ago(hours=1))

    block = section(home_of(reader), "home-new-tools")

    assert "1 new tool in the catalogue" in block
    assert newer.name in block and older.name not in block


def test_news_stays_for_the_session_and_is_gone_at_the_next_visit():
    reader = officer()
    visited(reader, ago(days=1))
    tool = published("Harbour Lens", when=ago(hours=1))
    client = sign_in(Client(), reader)

    assert tool.name in section(client.get(HOME).content.decode(), "home-new-tools")
    # Reloading within the same session keeps the news in place.
    assert tool.name in section(client.get(HOME).content.decode(), "home-new-tools")
    # The next session counts from this visit: nothing new.
    html = home_of(reader)
    assert section(html, "home-new-tools") == ""
    assert "Nothing new" in html


def test_a_first_visit_shows_the_last_30_days():
    reader = officer()
    recent = published("Recent Lens", when=ago(days=29))
    old = published("Old Lens", when=ago(days=31))

    html = home_of(reader)

    assert "New in the last 30 days" in html
    assert recent.name in html and old.name not in html
    assert HomeVisit.objects.filter(user=reader).exists()


def test_a_suspended_or_unpublished_tool_is_not_listed_as_new():
    reader = officer()
    visited(reader, ago(days=1))
    tool = published("Harbour Lens", when=ago(hours=1))
    type(tool).objects.filter(pk=tool.pk).update(state=ToolState.SUSPENDED)
    factories.ToolFactory(name="Draft Lens")

    block = section(home_of(reader), "home-new-tools")

    assert "Harbour Lens" not in block and "Draft Lens" not in block


def listed_new_tools(html: str) -> list[str]:
    return re.findall(r'<li><a href="/tools/([^/"]+)/">', section(html, "home-new-tools"))


def assert_fair_order(reader, html, tools):
    seed = search.fairness_seed(reader)
    expected = sorted((tool.slug for tool in tools), key=lambda slug: FAIR_KEY(seed, slug))
    assert listed_new_tools(html) == expected, "new tools are not in the catalogue's fair order"


def test_new_tools_come_in_the_fair_order_and_are_not_counted_as_exposure(monkeypatch):
    reader = officer()
    visited(reader, ago(days=1))
    tools = [
        published(
            f"Tool {letter}", when=ago(minutes=n), organisation=factories.OrganisationFactory(name=f"Org {letter}")
        )
        for n, letter in enumerate("ABCDEFGH", start=1)
    ]

    assert_fair_order(reader, home_of(reader), tools)
    assert not ExposureCount.objects.exists()

    # Control: ordering by provider (or by date) instead is caught.
    monkeypatch.setattr(selectors.search, "fair_key", lambda seed, slug: slug)
    visited(reader, ago(days=1))
    by_slug = home_of(reader)
    with pytest.raises(AssertionError, match="fair order"):
        assert_fair_order(reader, by_slug, tools)


# --- officers: followed tools, notices -------------------------------------------------------------
def test_a_change_to_a_followed_tool_is_listed_until_the_officer_looks_at_the_tool():
    reader = officer()
    visited(reader, ago(days=1))
    tool = published("Harbour Lens", when=ago(days=40))
    quiet = published("Quiet Lens", when=ago(days=40))
    Follow.objects.create(user=reader, tool=tool, last_seen_at=ago(days=5))
    Follow.objects.create(user=reader, tool=quiet, last_seen_at=ago(days=5))
    ToolVersion.objects.create(tool=tool, number=2, published_at=ago(days=2), changed=["name", "website"])

    block = section(home_of(reader), "home-followed")
    assert "Harbour Lens" in block and "2 changes since you looked on" in block
    assert "Quiet Lens" not in block

    # Opening the tool's page marks the changes seen.
    Follow.objects.filter(user=reader, tool=tool).update(last_seen_at=timezone.now())
    assert section(home_of(reader), "home-followed") == ""


def test_a_suspension_of_a_followed_tool_is_listed():
    reader = officer()
    notice = factories.NoticeFactory(action=NoticeAction.SUSPENDED, tool__name="Harbour Lens")
    Follow.objects.create(user=reader, tool=notice.tool, last_seen_at=ago(days=5))

    block = section(home_of(reader), "home-followed")

    assert "Harbour Lens" in block and "Suspended" in block


def test_new_notices_of_the_register_are_listed():
    reader = officer()
    visited(reader, ago(days=1))
    recent = factories.NoticeFactory(tool__name="Recent Case")
    old = factories.NoticeFactory(tool__name="Old Case", decided_at=ago(days=3))

    block = section(home_of(reader), "home-notices")

    assert recent.tool.name in block and old.tool.name not in block
    assert reverse("moderation:notices") in block


# --- officers: saved searches ----------------------------------------------------------------------
@pytest.fixture
def forms(db):
    return make_questionnaires()


def test_a_saved_search_with_a_new_match_shows_how_many_and_links_to_the_search(forms):
    tools_form, _rai = forms
    reader = officer()
    visited(reader, ago(days=1))
    offline = SavedSearch.objects.create(
        user=reader, name="Offline triage", query="workflow=triage&mode.workflow=required", created_at=ago(days=10)
    )
    drones = SavedSearch.objects.create(user=reader, name="Drones", query="q=drones", created_at=ago(days=10))
    for name in ("Harbour Lens", "Quay Lens"):
        tool = tool_with(tools_form, {"workflow": ["triage"]}, name=name)
        type(tool).objects.filter(pk=tool.pk).update(published_at=ago(hours=1))
    tool_with(tools_form, {"workflow": ["review"]}, name="Review Desk")

    block = section(home_of(reader), "home-searches")

    assert offline.name in block and "2 new matches" in block
    assert f'href="{reverse("discovery:catalogue")}?{offline.query.replace("&", "&amp;")}"' in block
    assert drones.name not in block


def test_a_tool_published_before_the_search_was_saved_is_not_a_new_match(forms):
    tools_form, _rai = forms
    reader = officer()
    visited(reader, ago(days=1))
    tool = tool_with(tools_form, {"workflow": ["triage"]}, name="Harbour Lens")
    type(tool).objects.filter(pk=tool.pk).update(published_at=ago(hours=2))
    SavedSearch.objects.create(user=reader, name="Triage", query="workflow=triage", created_at=ago(hours=1))

    assert section(home_of(reader), "home-searches") == ""


def test_new_matches_agree_with_the_saved_search_notifications(forms):
    """The start page reads matches in bulk; it must say what the notifications say (same rule)."""
    tools_form, _rai = forms
    reader = officer()
    tool = tool_with(
        tools_form, {"workflow": ["triage"], "offline": True, "summary": "Sorts seized images."}, name="Harbour Lens"
    )
    queries = [
        "",
        "workflow=triage&mode.workflow=required",
        "workflow=review&mode.workflow=required",
        "workflow=review&mode.workflow=preferred&offline=yes",
        "q=harb+seiz",
        "q=harbour+drones",
        "complete=responsible-ai",
        "workflow=no-such-value",
    ]
    for query in queries:
        SavedSearch.objects.create(user=reader, name=query or "all", query=query, created_at=ago(days=1))

    notified = {saved.query for saved in following.saved_searches_matching(tool)}
    on_home = {row["search"].query for row in following.new_matches(reader, [tool]) if row["count"]}

    assert on_home == notified
    assert notified  # not vacuous


def test_the_officer_home_needs_no_more_queries_for_more_follows_and_searches(forms):
    tools_form, _rai = forms

    def world(size):
        reader = officer()
        visited(reader, ago(days=1))
        for n in range(size):
            tool = tool_with(tools_form, {"workflow": ["triage"]}, name=f"Lens{size}q{n}")
            type(tool).objects.filter(pk=tool.pk).update(published_at=ago(hours=1))
            Follow.objects.create(user=reader, tool=tool, last_seen_at=ago(days=5))
            ToolVersion.objects.create(tool=tool, number=2, published_at=ago(days=2), changed=["name"])
            SavedSearch.objects.create(
                user=reader, name=f"Search {n}", query=f"q=lens{size}q{n}", created_at=ago(days=9)
            )
            factories.NoticeFactory(tool__name=f"Case {size}-{n}")
        return reader

    def queries(reader):
        client = sign_in(Client(), reader)
        client.get(HOME)  # warm caches (criteria index, questionnaires)
        client.session.flush()
        visited(reader, ago(days=1))
        client = sign_in(Client(), reader)
        with CaptureQueriesContext(connection) as captured:
            html = client.get(HOME).content.decode()
        return len(captured), html

    small, _html = queries(world(2))
    large, html = queries(world(10))

    assert section(html, "home-searches").count("1 new match<") == 10  # each search matches its own tool
    assert section(html, "home-followed").count("<li>") == 10
    assert section(html, "home-searches").count("<li>") == 10
    assert large == small, f"{small} queries with 2 of each, {large} with 10"


# --- providers -------------------------------------------------------------------------------------
@pytest.fixture
def world(personas):
    org_a = personas["provider_a"].membership.organisation
    org_b = personas["provider_b"].membership.organisation
    return personas, org_a, org_b


def asked_concern(tool, *, asked_at):
    return Concern.objects.create(
        tool=tool,
        reporter=officer(),
        category=Concern.Category.OTHER,
        description="Something is wrong.",
        status=Concern.Status.DECIDED,
        outcome=Concern.Outcome.PROVIDER_ASKED,
        provider_request="Please explain the accuracy figure.",
        provider_asked_at=asked_at,
    )


def tasks_html(user) -> str:
    return section(home_of(user), "home-tasks")


def test_a_concern_to_answer_shows_with_its_date_and_goes_once_answered(world):
    personas, org_a, _org_b = world
    tool = published("Harbour Lens", when=ago(days=30), organisation=org_a)
    concern = asked_concern(tool, asked_at=dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC))

    block = tasks_html(personas["provider_a"])
    assert "A concern about Harbour Lens to answer since Nov. 2, 2026" in block
    assert reverse("concerns:provider_detail", kwargs={"public_id": concern.public_id}) in block

    Concern.objects.filter(pk=concern.pk).update(provider_responded_at=timezone.now(), provider_response="Fixed.")
    block = tasks_html(personas["provider_a"])
    assert "Harbour Lens" not in block
    assert "Nothing awaits your organisation: all is done." in block


def test_dates_are_in_the_readers_time_zone(world):
    personas, org_a, _org_b = world
    tool = published("Harbour Lens", when=ago(days=30), organisation=org_a)
    asked_concern(tool, asked_at=dt.datetime(2026, 11, 1, 22, 30, tzinfo=dt.UTC))
    reader = personas["provider_a"]

    assert "since Nov. 1, 2026" in tasks_html(reader)
    reader.time_zone = "Asia/Dubai"  # UTC+4: already 2 November
    reader.save(update_fields=["time_zone"])
    assert "since Nov. 2, 2026" in tasks_html(reader)


def test_a_provider_never_sees_another_organisations_items(world):
    personas, org_a, org_b = world
    theirs = published("Their Lens", when=ago(days=30), organisation=org_b)
    asked_concern(theirs, asked_at=ago(days=1))
    factories.ToolFactory(organisation=org_b, name="Their Draft", state=ToolState.CHANGES_REQUESTED)

    assert "Their" not in tasks_html(personas["provider_a"])
    # Control: the same items are shown to their own organisation.
    block = tasks_html(personas["provider_b"])
    assert "A concern about Their Lens" in block and "Changes requested on Their Draft" in block


def test_suspension_changes_requested_and_overdue_confirmation_are_listed(world, settings):
    personas, org_a, _org_b = world
    settings.CONFIRMATION_INTERVAL_DAYS = 180
    notice = factories.NoticeFactory(tool__organisation=org_a, tool__name="Paused Lens")
    draft = factories.ToolFactory(organisation=org_a, name="Draft Lens", state=ToolState.CHANGES_REQUESTED)
    factories.ReviewFactory(tool=draft, decision=Review.Decision.REQUEST_CHANGES)
    stale = published("Stale Lens", when=ago(days=200), organisation=org_a)
    published("Fresh Lens", when=ago(days=10), organisation=org_a)

    block = tasks_html(personas["provider_a"])

    assert "Paused Lens is suspended since" in block
    assert reverse("moderation:provider_notice", kwargs={"public_id": notice.public_id}) in block
    assert "Changes requested on Draft Lens since" in block
    assert "Confirm that the entry of Stale Lens is still accurate" in block
    assert reverse("catalogue:provider_tool", kwargs={"slug": stale.slug}) in block
    assert "Fresh Lens" not in block


def enquiry_to(tool, *, last_from_officer: bool):
    reader = officer()
    enquiry = Enquiry.objects.create(tool=tool, organisation=tool.organisation, officer=reader, kind=Enquiry.Kind.TRIAL)
    EnquiryMessage.objects.create(enquiry=enquiry, sender=reader, from_officer=True, body="Could we try it?")
    if not last_from_officer:
        EnquiryMessage.objects.create(
            enquiry=enquiry, sender=tool.created_by or officer(), from_officer=False, body="Yes, next week."
        )
    return enquiry


def test_a_request_from_an_officer_awaiting_a_reply_is_listed_until_answered(world):
    personas, org_a, _org_b = world
    tool = published("Harbour Lens", when=ago(days=30), organisation=org_a)
    waiting = enquiry_to(tool, last_from_officer=True)
    answered = enquiry_to(tool, last_from_officer=False)

    block = tasks_html(personas["provider_a"])

    assert "A request for a trial of Harbour Lens awaits your reply since" in block
    assert reverse("enquiries:provider_detail", kwargs={"public_id": waiting.public_id}) in block
    assert str(answered.public_id) not in block


def test_the_provider_home_needs_no_more_queries_for_more_items(world):
    personas, org_a, _org_b = world

    def items(count):
        for n in range(count):
            tool = published(f"Lens {count}-{n}", when=ago(days=30), organisation=org_a)
            asked_concern(tool, asked_at=ago(days=1))
            enquiry_to(tool, last_from_officer=True)
            factories.NoticeFactory(tool__organisation=org_a, tool__name=f"Paused {count}-{n}")
            factories.ToolFactory(organisation=org_a, state=ToolState.CHANGES_REQUESTED)

    def queries():
        client = sign_in(Client(), personas["provider_a"])
        client.get(HOME)
        with CaptureQueriesContext(connection) as captured:
            html = client.get(HOME).content.decode()
        return len(captured), html

    items(2)
    small, _html = queries()
    items(8)
    large, html = queries()

    assert section(html, "home-tasks").count('class="home-task ') == 40
    assert large == small, f"{small} queries with 8 items, {large} with 40"


# --- coordinators ----------------------------------------------------------------------------------
def queue_row(html: str, key: str) -> tuple[int, str]:
    match = re.search(rf'<tr id="queue-{key}".*?<td class="home-count">(\d+)</td>\s*<td>(.*?)</td>', html, re.S)
    assert match, f"queue {key} missing"
    return int(match.group(1)), match.group(2)


def test_each_queue_shows_its_count_and_the_age_of_its_oldest_item(signed_in, coordinator):
    tool = published("Harbour Lens", when=ago(days=30))
    factories.ToolFactory(state=ToolState.SUBMITTED, submitted_at=ago(days=3, hours=1))
    factories.ToolFactory(state=ToolState.SUBMITTED, submitted_at=ago(days=1), revision_of=tool)
    Concern.objects.create(tool=tool, reporter=officer(), category="other", description="x", created_at=ago(days=4))
    Conversation.objects.create(author=officer(), category="other", last_post_at=ago(days=2, hours=2))
    factories.OutboxMessageFactory(state=OutboxMessage.State.DEAD, created_at=ago(days=6))
    factories.OutboxMessageFactory(state=OutboxMessage.State.PENDING, created_at=ago(days=9))

    html = signed_in(coordinator).get(HOME).content.decode()

    assert queue_row(html, "tool_reviews") == (1, "Oldest waiting 3 days")
    assert queue_row(html, "update_reviews") == (1, "Oldest waiting 1 day")
    assert queue_row(html, "concerns") == (1, "Oldest waiting 4 days")
    assert queue_row(html, "contact") == (1, "Oldest waiting 2 days")
    assert queue_row(html, "dead_outbox") == (1, "Oldest waiting 6 days")
    count, age = queue_row(html, "message_reports")
    assert count == 0 and "Nothing waiting" in age
    for queue in ("notifications:outbox", "contact:queue", "community:reports", "discussions:reports"):
        assert reverse(queue) in html


def test_a_queue_empties_when_its_items_are_dealt_with(signed_in, coordinator):
    message = factories.OutboxMessageFactory(state=OutboxMessage.State.DEAD, created_at=ago(days=6))
    client = signed_in(coordinator)
    assert queue_row(client.get(HOME).content.decode(), "dead_outbox")[0] == 1

    OutboxMessage.objects.filter(pk=message.pk).update(state=OutboxMessage.State.SENT)

    count, age = queue_row(client.get(HOME).content.decode(), "dead_outbox")
    assert count == 0 and "Nothing waiting" in age


def test_the_coordinator_home_needs_no_more_queries_for_more_items(signed_in, coordinator):
    client = signed_in(coordinator)

    def items(count):
        tool = published(f"Lens {count}", when=ago(days=30))
        for _n in range(count):
            factories.ToolFactory(state=ToolState.SUBMITTED, submitted_at=ago(days=2))
            Concern.objects.create(tool=tool, reporter=officer(), category="other", description="x")
            factories.OutboxMessageFactory(state=OutboxMessage.State.DEAD)
            factories.OfficerProfileFactory()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(HOME).status_code == 200
        return len(captured)

    items(1)
    queries()  # the first page of the session loads what the session keeps
    small = queries()
    items(9)
    large = queries()

    assert large == small, f"{small} queries with 1 of each, {large} with 10"


def test_the_last_visit_is_in_the_data_download_and_goes_with_the_account():
    reader = officer()
    home_of(reader)
    section_of_home = {item.name: item for item in personal_data.sections()}["home"]

    assert section_of_home.collect(reader)["last_visit_of_start_page"]
    section_of_home.erase(reader)
    assert not HomeVisit.objects.filter(user=reader).exists()
