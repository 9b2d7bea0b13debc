"""Officers follow tools and keep catalogue searches; providers never learn of either."""

import datetime
import json
from urllib.parse import parse_qs

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import OfficerProfile
from api.tests.helpers import api_client
from audit.models import Action, AuditEvent
from catalogue.models import ToolState, ToolVersion
from discovery.tests.test_search_helpers import answer, make_questionnaires, tool_with
from following import services as following
from following.models import Follow, SavedSearch
from moderation import services as moderation
from moderation.models import Notice, NoticeAction
from notifications.models import Kind, Notification, NotificationPreference
from testkit import factories
from testkit.personas import sign_in

pytestmark = pytest.mark.django_db

SUSPENSION = {
    "reason_code": "misleading_information",
    "summary": "The entry claims 99% accuracy; the attached report shows 71%.",
    "officer_guidance": "Verify every match by hand until the provider corrects its entry.",
    "provider_guidance": "Correct the accuracy figure and attach the full evaluation.",
}


@pytest.fixture
def forms(db):
    return make_questionnaires()


@pytest.fixture
def tool(forms, organisation, provider_admin):
    tools_form, _rai = forms
    return tool_with(
        tools_form,
        {"workflow": ["triage"], "offline": True, "summary": "Sorts seized images by scene.", "cost": "Free"},
        organisation=organisation,
        name="Harbour Lens",
        slug="harbour-lens",
    )


@pytest.fixture
def officer_client(verified_officer):
    return sign_in(Client(), verified_officer)


def tool_url(tool):
    return reverse("catalogue:tool_detail", kwargs={"slug": tool.slug})


def follow_url(tool):
    return reverse("following:follow", kwargs={"slug": tool.slug})


def unfollow_url(tool):
    return reverse("following:unfollow", kwargs={"slug": tool.slug})


def officer(**kwargs):
    return factories.OfficerProfileFactory(verified=True, **kwargs).user


def follower(tool, user=None, *, days_ago=10):
    user = user or officer()
    Follow.objects.create(user=user, tool=tool, last_seen_at=timezone.now() - datetime.timedelta(days=days_ago))
    return user


def reinstate(tool, *, by):
    """Publish the suspended tool again, as a coordinator would (on its current version)."""
    tool.refresh_from_db()
    return moderation.decide(
        tool,
        action=NoticeAction.REINSTATED,
        by=by,
        expected_version=tool.version,
        reason_code="concerns_addressed",
        summary="The provider corrected the figure.",
        officer_guidance="No further action needed.",
    )


def version(tool, number, changed, *, days_ago=1):
    return ToolVersion.objects.create(
        tool=tool,
        number=number,
        published_at=timezone.now() - datetime.timedelta(days=days_ago),
        changed=changed,
    )


# --- follow / unfollow ------------------------------------------------------------------------
def test_officer_follows_and_unfollows_a_tool_without_javascript(officer_client, verified_officer, tool):
    page = officer_client.get(tool_url(tool)).content.decode()
    assert "Follow this tool" in page and f'action="{follow_url(tool)}"' in page

    response = officer_client.post(follow_url(tool), {"next": tool_url(tool)})
    assert response.status_code == 302 and response["Location"] == tool_url(tool)
    assert Follow.objects.filter(user=verified_officer, tool=tool).exists()
    page = officer_client.get(tool_url(tool)).content.decode()
    assert "You follow Harbour Lens" in page  # the message after the redirect
    assert "Stop following" in page and f'action="{unfollow_url(tool)}"' in page

    # Following twice changes nothing and writes no second event.
    officer_client.post(follow_url(tool))
    assert Follow.objects.filter(user=verified_officer).count() == 1
    assert AuditEvent.objects.filter(action=Action.TOOL_FOLLOWED, actor=verified_officer).count() == 1

    response = officer_client.post(unfollow_url(tool), {"next": "https://elsewhere.example/"})
    assert response.status_code == 302 and response["Location"] == tool_url(tool)  # no open redirect
    assert not Follow.objects.exists()
    event = AuditEvent.objects.get(action=Action.TOOL_UNFOLLOWED)
    assert event.actor == verified_officer and event.target_id == tool.slug
    for odd in ("x", "-1", "a\x00b", "//elsewhere.example/"):  # not paths: never a view name or a 500
        response = officer_client.post(follow_url(tool), {"next": odd})
        assert response.status_code == 302 and response["Location"] == tool_url(tool)
        officer_client.post(unfollow_url(tool))


def test_follow_with_htmx_swaps_the_button_in_place(officer_client, tool):
    response = officer_client.post(follow_url(tool), {"next": tool_url(tool)}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<form") and f'id="follow-{tool.slug}"' in html
    assert f'hx-post="{unfollow_url(tool)}"' in html and "Stop following" in html
    assert "<html" not in html

    response = officer_client.post(unfollow_url(tool), {"next": tool_url(tool)}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and f'hx-post="{follow_url(tool)}"' in response.content.decode()
    assert not Follow.objects.exists()


def test_only_verified_officers_follow_and_only_published_tools(
    client, coordinator, provider_admin, pending_officer, officer_client, tool, organisation
):
    for user in (coordinator, provider_admin, pending_officer):
        assert sign_in(Client(), user).post(follow_url(tool)).status_code == 403
    assert officer_client.get(follow_url(tool)).status_code == 405
    draft = factories.ToolFactory(organisation=organisation, state=ToolState.SUBMITTED)
    assert officer_client.post(follow_url(draft)).status_code == 404
    assert officer_client.post(unfollow_url(draft)).status_code == 404
    assert not Follow.objects.exists()
    # Coordinators see the tool page but no follow button.
    assert "Follow this tool" not in sign_in(Client(), coordinator).get(tool_url(tool)).content.decode()


# --- the followed tools page ------------------------------------------------------------------------
def test_followed_tools_page_shows_states_changes_and_notices_in_few_queries(
    officer_client, verified_officer, forms, coordinator, django_assert_max_num_queries
):
    tools_form, _rai = forms
    tools = [tool_with(tools_form, {"summary": f"Tool {n}"}, name=f"Followed {n:02d}") for n in range(20)]
    for tool in tools:
        follower(tool, verified_officer)
    version(tools[0], 2, ["summary", "website"], days_ago=2)
    version(tools[0], 3, ["summary", "cost"], days_ago=1)
    version(tools[1], 2, ["summary"], days_ago=30)  # before the last visit: not counted
    for tool in tools[2:5]:
        tool.refresh_from_db()
        moderation.decide(
            tool, action=NoticeAction.SUSPENDED, by=coordinator, expected_version=tool.version, **SUSPENSION
        )
    tools[5].refresh_from_db()
    moderation.decide(
        tools[5], action=NoticeAction.REMOVED, by=coordinator, expected_version=tools[5].version, **SUSPENSION
    )

    officer_client.get(reverse("following:followed"))  # the session's first request does more
    # Session, user, officer profile, unread count; then follows, versions and notices: 3 queries.
    with django_assert_max_num_queries(10):
        response = officer_client.get(reverse("following:followed"))
    assert response.status_code == 200
    html = response.content.decode()
    assert all(f"Followed {n:02d}" in html for n in range(20))
    assert "3 changes since your last visit" in html  # summary, website, cost
    assert html.count("No change since your last visit.") == 15
    assert html.count('class="status status-suspended"') == 3 and html.count('class="status status-removed"') == 1
    assert html.count("Read the notice") == 4
    assert f'href="{tool_url(tools[2])}"' in html
    # The link of a suspended tool leads to its notice page.
    notice_page = officer_client.get(tool_url(tools[2])).content.decode()
    assert "This tool is suspended" in notice_page and SUSPENSION["officer_guidance"] in notice_page


def test_followed_page_is_empty_for_a_new_officer(officer_client):
    assert "You follow no tool yet" in officer_client.get(reverse("following:followed")).content.decode()


# --- changes since the last visit -----------------------------------------------------------------------
def _changed_rows(html):
    """Question labels whose row carries the "changed" mark."""
    return {
        part.split("</dt>")[0].split(" <span")[0]
        for part in html.split("<dt>")[1:]
        if 'class="changed-mark"' in part.split("</dt>")[0]
    }


def test_tool_page_marks_what_changed_since_the_last_visit_then_clears(officer_client, verified_officer, tool):
    follower(tool, verified_officer, days_ago=10)
    version(tool, 1, [], days_ago=20)
    version(tool, 2, ["cost"], days_ago=15)  # seen already
    version(tool, 3, ["summary", "website"], days_ago=5)
    version(tool, 4, ["offline"], days_ago=2)
    before = timezone.now()

    html = officer_client.get(tool_url(tool)).content.decode()
    assert _changed_rows(html) == {"Question summary?", "Question offline?"}
    assert "Changed since your last visit on" in html
    summary = html.split('class="notice changes-summary"')[1].split("</section>")[0]
    assert "Website" in summary and "Question summary?" in summary and "Question offline?" in summary
    assert "Question cost?" not in summary
    # The header marks the changed website.
    assert "Changed since your last visit on" in html.split('class="card tool-header"')[1].split("</header>")[0]
    assert Follow.objects.get().last_seen_at >= before

    # Seen: the next visit has no marks.
    html = officer_client.get(tool_url(tool)).content.decode()
    assert _changed_rows(html) == set() and "changes-summary" not in html and "changed-mark" not in html


def test_the_page_of_a_follower_needs_only_a_few_more_queries(
    officer_client, verified_officer, tool, django_assert_max_num_queries
):
    for number in range(1, 6):
        version(tool, number, ["summary"], days_ago=number)
    officer_client.get(tool_url(tool))  # warm the per-process caches
    with django_assert_max_num_queries(100) as plain:
        officer_client.get(tool_url(tool))
    follower(tool, verified_officer)
    with django_assert_max_num_queries(100) as followed:
        response = officer_client.get(tool_url(tool))
    assert "changed-mark" in response.content.decode()
    # The follow, the versions since the last visit, and one UPDATE of the last visit.
    assert len(followed.captured_queries) <= len(plain.captured_queries) + 3
    updates = [q["sql"] for q in followed.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1 and "catalogue_follow" in updates[0]


def test_non_followers_see_no_marks(officer_client, tool):
    version(tool, 2, ["summary"], days_ago=1)
    html = officer_client.get(tool_url(tool)).content.decode()
    assert "changed-mark" not in html and "changes-summary" not in html


# --- notifications to followers ----------------------------------------------------------------------
def test_followers_are_told_of_an_approved_update(tool, provider_admin):
    active = follower(tool)
    other = follower(tool)
    inactive = follower(tool)
    inactive.is_active = False
    inactive.save()
    expired = follower(tool)
    OfficerProfile.objects.filter(user=expired).update(status=OfficerProfile.Status.EXPIRED)
    unrelated = officer()
    update = version(tool, 2, ["summary", "website"], days_ago=0)
    mail.outbox.clear()

    assert following.notify_followers_of_update(tool, update) == 2

    entries = Notification.objects.filter(kind=Kind.TOOL_UPDATE)
    assert sorted(entry.user_id for entry in entries) == sorted([active.pk, other.pk])
    assert {entry.link for entry in entries} == {tool_url(tool)}
    assert "Question summary?" in entries[0].params["detail"] and "Website" in entries[0].params["detail"]
    assert sorted(message.to[0] for message in mail.outbox) == sorted([active.email, other.email])
    body = mail.outbox[0].body
    assert "Harbour Lens" in mail.outbox[0].subject
    assert "Question summary?" in body and "Website" in body and tool_url(tool) in body
    for user in (inactive, expired, unrelated, provider_admin):
        assert not Notification.objects.filter(user=user).exists()


def test_update_email_follows_the_followers_preference(tool):
    user = follower(tool)
    NotificationPreference.objects.create(user=user, kind=Kind.TOOL_UPDATE, email=False)
    mail.outbox.clear()
    following.notify_followers_of_update(tool, version(tool, 2, ["cost"], days_ago=0))
    assert Notification.objects.filter(user=user, kind=Kind.TOOL_UPDATE).exists()
    assert mail.outbox == []


def test_suspension_tells_followers_with_the_officer_guidance_only(tool, coordinator, provider_admin):
    user = follower(tool)
    # Safety notices go out by email whatever the stored preference says.
    NotificationPreference.objects.create(user=user, kind=Kind.TOOL_SUSPENDED, email=False)
    mail.outbox.clear()

    notice = moderation.decide(
        tool, action=NoticeAction.SUSPENDED, by=coordinator, expected_version=tool.version, **SUSPENSION
    )

    entry = Notification.objects.get(user=user)
    assert entry.kind == Kind.TOOL_SUSPENDED and entry.link == tool_url(tool)
    assert entry.params["detail"] == SUSPENSION["summary"]
    emails = [message for message in mail.outbox if message.to == [user.email]]
    assert len(emails) == 1
    body = emails[0].body
    assert "suspended" in emails[0].subject and "Harbour Lens" in emails[0].subject
    assert SUSPENSION["summary"] in body and SUSPENSION["officer_guidance"] in body
    assert SUSPENSION["provider_guidance"] not in body
    assert tool_url(tool) in body and str(notice.public_id) not in body
    # The provider's members still get theirs, with their guidance, and nothing about followers.
    provider_mail = [message for message in mail.outbox if message.to == [provider_admin.email]]
    assert len(provider_mail) == 1 and SUSPENSION["provider_guidance"] in provider_mail[0].body
    assert user.email not in provider_mail[0].body


def test_safety_notices_reach_followers_whose_verification_lapsed(tool, coordinator):
    lapsed = follower(tool)
    OfficerProfile.objects.filter(user=lapsed).update(status=OfficerProfile.Status.EXPIRED)
    disabled = follower(tool)
    disabled.is_active = False
    disabled.save()
    dormant = follower(tool)  # disabled by the worker after 90 days without use
    dormant.is_active = False
    dormant.disabled_for_inactivity_at = timezone.now()
    dormant.save()
    mail.outbox.clear()
    moderation.decide(tool, action=NoticeAction.SUSPENDED, by=coordinator, expected_version=tool.version, **SUSPENSION)
    told = Notification.objects.get(user=lapsed, kind=Kind.TOOL_SUSPENDED)
    (email,) = [message for message in mail.outbox if message.to == [lapsed.email]]
    assert not Notification.objects.filter(user=disabled).exists()
    # The tool's page is closed to them: the guidance travels with the message, and the link
    # leads to a page they can open, their account, where renewal is asked for.
    assert told.link == reverse("accounts:profile")
    assert SUSPENSION["officer_guidance"] in told.params["detail"]
    assert "verification as an officer has lapsed" in email.body and tool_url(tool) not in email.body
    assert SUSPENSION["officer_guidance"] in email.body
    assert sign_in(Client(), lapsed).get(told.link).status_code == 200
    # Someone who stopped signing in may still use the tool: the safety notice reaches them too,
    # by email with the guidance, and waits in their inbox for when their account is enabled again.
    (dormant_email,) = [message for message in mail.outbox if message.to == [dormant.email]]
    assert SUSPENSION["officer_guidance"] in dormant_email.body
    assert "disabled after a long time without use" in dormant_email.body
    assert Notification.objects.get(user=dormant, kind=Kind.TOOL_SUSPENDED).link == ""
    # A reinstatement is not a safety notice: only followers who can read the hub hear of it.
    reinstate(tool, by=coordinator)
    assert not Notification.objects.filter(user=lapsed, kind=Kind.TOOL_REINSTATED).exists()


def test_reinstatement_and_removal_reach_followers(tool, coordinator):
    user = follower(tool)
    NotificationPreference.objects.create(user=user, kind=Kind.TOOL_REINSTATED, email=False)
    moderation.decide(tool, action=NoticeAction.SUSPENDED, by=coordinator, expected_version=tool.version, **SUSPENSION)
    tool.refresh_from_db()
    mail.outbox.clear()
    reinstate(tool, by=coordinator)
    assert Notification.objects.filter(user=user, kind=Kind.TOOL_REINSTATED).exists()
    assert not [message for message in mail.outbox if message.to == [user.email]]  # preference respected

    tool.refresh_from_db()
    moderation.decide(tool, action=NoticeAction.REMOVED, by=coordinator, expected_version=tool.version, **SUSPENSION)
    removed = Notification.objects.get(user=user, kind=Kind.TOOL_REMOVED)
    assert removed.link == tool_url(tool)
    assert [message for message in mail.outbox if message.to == [user.email]]
    assert Notice.objects.filter(tool=tool).count() == 3


# --- saved searches ------------------------------------------------------------------------------------
def test_save_the_current_search_from_the_catalogue(officer_client, verified_officer, tool):
    response = officer_client.get(
        reverse("discovery:catalogue"),
        {"q": "seized", "workflow": ["triage", "review"], "offline": "yes", "mode.offline": "preferred", "page": "1"},
    )
    html = response.content.decode()
    assert "Save this search" in html and reverse("following:save_search") in html
    form = response.context["save_search_form"]
    query = form.initial["query"]
    assert parse_qs(query) == {
        "q": ["seized"],
        "workflow": ["triage", "review"],
        "mode.workflow": ["required"],
        "offline": ["yes"],
        "mode.offline": ["preferred"],
    }
    assert "seized" in form.initial["name"] and "Question workflow?" in form.initial["name"]

    response = officer_client.post(reverse("following:save_search"), {"name": "Triage, offline", "query": query})
    assert response.status_code == 302 and response["Location"] == reverse("following:saved_searches")
    saved = SavedSearch.objects.get(user=verified_officer)
    assert saved.name == "Triage, offline" and parse_qs(saved.query) == parse_qs(query)
    event = AuditEvent.objects.get(action=Action.SEARCH_SAVED)
    assert event.actor == verified_officer

    page = officer_client.get(reverse("following:saved_searches")).content.decode()
    assert "Triage, offline" in page
    assert f'href="{reverse("discovery:catalogue")}?{saved.query.replace("&", "&amp;")}"' in page
    # Opening it runs the same search.
    assert officer_client.get(f"{reverse('discovery:catalogue')}?{saved.query}").context["count"] == 1


def test_coordinators_get_no_save_form_and_invalid_searches_none(client, coordinator, officer_client, tool):
    page = sign_in(Client(), coordinator).get(reverse("discovery:catalogue")).content.decode()
    assert "Save this search" not in page
    response = officer_client.get(reverse("discovery:catalogue"), {"workflow": "no-such-value"})
    assert response.status_code == 400 and "Save this search" not in response.content.decode()


def test_save_search_errors_keep_what_was_typed(officer_client, verified_officer, tool):
    response = officer_client.post(reverse("following:save_search"), {"name": "", "query": "workflow=triage"})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    response = officer_client.post(
        reverse("following:save_search"), {"name": "Withdrawn option", "query": "workflow=no-such-value"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "no longer has" in html and 'value="Withdrawn option"' in html
    assert not SavedSearch.objects.exists()


def test_saved_searches_are_limited_to_50_with_a_clear_message(officer_client, verified_officer, tool):
    SavedSearch.objects.bulk_create(
        [SavedSearch(user=verified_officer, name=f"Search {n}", query="q=seized") for n in range(50)]
    )
    response = officer_client.post(reverse("following:save_search"), {"name": "One more", "query": "q=lens"})
    assert response.status_code == 400
    assert "You already keep 50 saved searches" in response.content.decode()
    assert SavedSearch.objects.filter(user=verified_officer).count() == 50
    # Another officer is not affected by that limit.
    other = sign_in(Client(), officer())
    assert other.post(reverse("following:save_search"), {"name": "Mine", "query": "q=lens"}).status_code == 302


def test_delete_a_saved_search_only_ones_own(officer_client, verified_officer):
    mine = SavedSearch.objects.create(user=verified_officer, name="Mine", query="q=lens")
    theirs = SavedSearch.objects.create(user=officer(), name="Theirs", query="q=lens")
    delete = "following:delete_saved_search"
    assert officer_client.post(reverse(delete, kwargs={"public_id": theirs.public_id})).status_code == 404
    assert officer_client.get(reverse(delete, kwargs={"public_id": mine.public_id})).status_code == 405
    response = officer_client.post(reverse(delete, kwargs={"public_id": mine.public_id}))
    assert response.status_code == 302
    assert list(SavedSearch.objects.values_list("name", flat=True)) == ["Theirs"]
    event = AuditEvent.objects.get(action=Action.SEARCH_DELETED)
    assert event.actor == verified_officer and event.before["name"] == "Mine"
    assert "Theirs" not in officer_client.get(reverse("following:saved_searches")).content.decode()


# --- matching newly published tools -------------------------------------------------------------------------
def saved(query, user=None, name=None):
    return SavedSearch.objects.create(user=user or officer(), name=name or query, query=query)


def test_saved_search_matching_required_preferred_words_and_completeness(forms, tool):
    _tools_form, rai = forms
    searches = {
        "all": saved(""),
        "required-hit": saved("workflow=triage&workflow=review&mode.workflow=required"),
        "required-miss": saved("workflow=review&mode.workflow=required"),
        "default-mode-miss": saved("workflow=victim-id"),  # no mode: required
        "and-across-miss": saved("workflow=triage&deployment=cloud"),
        "preferred-miss": saved("workflow=review&mode.workflow=preferred&offline=yes"),
        "words-hit": saved("q=harb+seiz"),  # prefixes of "harbour" and "seized"
        "words-miss": saved("q=harbour+drones"),
        "inner-word-miss": saved("q=arbour"),
        "complete-miss": saved("complete=responsible-ai"),
        "invalid-value": saved("workflow=no-such-value"),
        "invalid-questionnaire": saved("complete=gone"),
    }
    matching = {search.query for search in following.saved_searches_matching(tool)}
    expected = {"all", "required-hit", "preferred-miss", "words-hit"}
    assert matching == {searches[name].query for name in expected}

    # Answering the Responsible AI questionnaire (4 of 5 = 80%) makes the completeness filter pass.
    for n in range(1, 5):
        answer(tool, rai, f"rai-{n}", "Documented.")
    assert searches["complete-miss"] in following.saved_searches_matching(tool)


def test_only_active_verified_owners_searches_match(forms, tool):
    active = saved("workflow=triage")
    inactive_user = officer()
    inactive_user.is_active = False
    inactive_user.save()
    saved("workflow=triage", user=inactive_user)
    expired_user = officer()
    OfficerProfile.objects.filter(user=expired_user).update(verified_until=timezone.now() - datetime.timedelta(days=1))
    saved("workflow=triage", user=expired_user)
    assert following.saved_searches_matching(tool) == [active]
    tool.state = ToolState.SUSPENDED
    assert following.saved_searches_matching(tool) == []


def test_notify_saved_searches_tells_each_owner_once(forms, tool, provider_admin):
    owner = officer()
    first = saved("workflow=triage", user=owner, name="Triage")
    second = saved("offline=yes", user=owner, name="Offline")
    other = saved("q=harbour", name="Harbour")
    missed = saved("workflow=review", name="Review")
    mail.outbox.clear()

    assert following.notify_saved_searches(tool) == 2

    entries = Notification.objects.filter(kind=Kind.SAVED_SEARCH_MATCH)
    assert sorted(entry.user_id for entry in entries) == sorted([owner.pk, other.user_id])
    mine = entries.get(user=owner)
    assert mine.link == tool_url(tool) and "Triage" in mine.params["search"] and "Offline" in mine.params["search"]
    assert sorted(message.to[0] for message in mail.outbox) == sorted([owner.email, other.user.email])
    body = next(message.body for message in mail.outbox if message.to == [owner.email])
    assert "Harbour Lens" in body and "Triage" in body and tool_url(tool) in body
    for search in (first, second, other):
        search.refresh_from_db()
        assert search.last_notified_at is not None
    missed.refresh_from_db()
    assert missed.last_notified_at is None
    assert not Notification.objects.filter(user=provider_admin).exists()


# --- providers never learn who follows or saved what ----------------------------------------------------------
def test_providers_see_no_follower_information(tool, provider_admin, coordinator, verified_officer, officer_client):
    officer_client.post(follow_url(tool))
    follower(tool)
    SavedSearch.objects.create(user=verified_officer, name="Harbour", query="q=harbour")
    moderation.decide(tool, action=NoticeAction.SUSPENDED, by=coordinator, expected_version=tool.version, **SUSPENSION)
    notice = Notice.objects.get()
    provider = sign_in(Client(), provider_admin)
    pages = [
        reverse("catalogue:my_tools"),
        reverse("catalogue:provider_tool", kwargs={"slug": tool.slug}),
        reverse("catalogue:preview", kwargs={"slug": tool.slug}),
        reverse("moderation:provider_notices"),
        reverse("moderation:provider_notice", kwargs={"public_id": notice.public_id}),
        reverse("notifications:inbox"),
    ]
    for url in pages:
        response = provider.get(url)
        assert response.status_code == 200, url
        html = response.content.decode().lower()
        for word in ("follower", "followed", "follows this", "saved search", verified_officer.email.lower()):
            assert word not in html, (url, word)
    # The audit log, where following is recorded, is for coordinators only.
    assert provider.get(reverse("audit:log")).status_code == 403
    # Nor does the provider's own mail mention followers.
    assert all("follow" not in message.body.lower() for message in mail.outbox if message.to == [provider_admin.email])


def test_the_api_tool_payload_has_no_follower_field(tool, verified_officer):
    follower(tool)
    follower(tool, verified_officer)
    client = api_client(factories.make_api_token(verified_officer))

    def keys(data):
        if isinstance(data, dict):
            return set(data) | {key for value in data.values() for key in keys(value)}
        if isinstance(data, list):
            return {key for value in data for key in keys(value)}
        return set()

    for url in (reverse("api:tool", args=[tool.slug]), reverse("api:tools")):
        response = client.get(url)
        assert response.status_code == 200
        payload = json.loads(response.content)
        assert not [key for key in keys(payload) if "follow" in key.lower() or "saved" in key.lower()]


def test_follow_paths_do_not_shadow_the_catalogue_pages():
    from django.urls import resolve

    assert resolve("/tools/logos/follow/").url_name == "logo"  # the logo of a tool whose slug is "follow"
    assert resolve("/tools/harbour-lens/follow/").url_name == "follow"
    assert resolve("/tools/followed/").url_name == "followed"
