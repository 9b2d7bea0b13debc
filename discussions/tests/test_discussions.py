"""Officers discuss by topic and by tool; coordinators moderate with reasons the author reads."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from catalogue import review
from catalogue.models import ToolState
from community import services as community
from discussions import selectors
from discussions import services as discussions
from discussions.models import Post, PostReport, Space, Subscription, Thread
from discussions.topics import RESPONSIBLE_AI, WELLBEING
from moderation import services as moderation
from moderation.models import NoticeAction
from notifications.models import Kind, Notification
from questionnaires.selectors import workflow_steps
from testkit import factories
from testkit.personas import sign_in

pytestmark = pytest.mark.django_db

SUSPENSION = {
    "reason_code": "misleading_information",
    "summary": "The accuracy figure on the entry could not be reproduced.",
    "officer_guidance": "Check every result by hand until further notice.",
    "provider_guidance": "Publish the evaluation behind the figure.",
}


def officer(name="Officer Example", **kwargs):
    user = factories.OfficerProfileFactory(verified=True, user__full_name=name, **kwargs).user
    # Officers appear in discussions under the display name they chose in Meet other officers.
    community.save_listing(user, listed=False, display_name=name, shown={})
    return user


@pytest.fixture
def topic(coordinator):
    return discussions.create_space(coordinator, slug="triage-talk", names={"en": "Triage talk"}, descriptions={})


@pytest.fixture
def author():
    return officer("Amal Author")


@pytest.fixture
def reader():
    return officer("Rui Reader")


@pytest.fixture
def thread(author, topic):
    return discussions.start_thread(author, topic, title="Loading hash sets", body="Which **hash sets** do you load?")


def client_for(user):
    return sign_in(Client(), user)


def thread_url(thread):
    return reverse("discussions:thread", kwargs={"public_id": thread.public_id})


# --- spaces --------------------------------------------------------------------------------------
def test_topic_spaces_are_seeded_from_the_workflow_steps_and_two_topics():
    steps = workflow_steps()
    assert steps and steps[0].value == "referral-intake"  # the shipped Tools Form's options
    slugs = set(Space.objects.filter(kind=Space.Kind.TOPIC).values_list("slug", flat=True))
    assert {option.value for option in steps} | {WELLBEING, RESPONSIBLE_AI} <= slugs
    triage = Space.objects.get(slug="triage")
    assert triage.names == {option.value: option.labels for option in steps}["triage"]  # named as the option
    # Seeding again creates nothing, and never renames a space a coordinator edited.
    Space.objects.filter(slug="triage").update(names={"en": "Triage (renamed)"})
    assert discussions.ensure_topic_spaces(steps) == 0
    assert Space.objects.get(slug="triage").names == {"en": "Triage (renamed)"}


def test_workflow_steps_is_empty_without_the_question():
    factories.clear_questionnaires()
    assert workflow_steps() == []


def test_coordinator_creates_and_renames_a_space_in_several_languages(coordinator):
    client = client_for(coordinator)
    response = client.post(
        reverse("discussions:space_create"), {"slug": "hotlines", "order": 20, "name_en": "Hotlines", "name_fr": ""}
    )
    space = Space.objects.get(slug="hotlines")
    assert response.status_code == 302 and space.names == {"en": "Hotlines"}
    response = client.post(
        reverse("discussions:space_edit", args=["hotlines"]),
        {"order": 20, "name_en": "Hotlines", "name_fr": "Lignes d’urgence"},
    )
    space.refresh_from_db()
    assert space.names == {"en": "Hotlines", "fr": "Lignes d’urgence"}
    assert AuditEvent.objects.filter(action=Action.SPACE_EDITED, target_id=str(space.public_id)).exists()
    client.cookies["django_language"] = "fr"
    assert "Lignes d’urgence" in client.get(reverse("discussions:index"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # A missing English name is refused, and what was typed is kept.
    response = client.post(reverse("discussions:space_create"), {"slug": "x-y", "order": 1, "name_fr": "Sans nom"})
    assert response.status_code == 400 and "Sans nom" in response.content.decode()


# --- threads and posts ---------------------------------------------------------------------------
def test_officer_starts_a_thread_and_another_replies_without_javascript(author, reader, topic):
    client = client_for(author)
    response = client.post(
        reverse("discussions:new_thread", args=[topic.public_id]),
        {"title": "  Offline   tools ", "body": "Which tools run *offline*?"},
    )
    thread = Thread.objects.get(title="Offline tools")
    assert response.status_code == 302 and response["Location"] == thread_url(thread)
    html = client.get(thread_url(thread)).content.decode()
    assert "<em>offline</em>" in html and "Amal Author" in html
    response = client_for(reader).post(reverse("discussions:reply", args=[thread.public_id]), {"body": "Ours does."})
    assert response.status_code == 302
    assert [post.body for post in thread.posts.order_by("created_at", "id")] == [
        "Which tools run *offline*?",
        "Ours does.",
    ]
    assert AuditEvent.objects.filter(action=Action.THREAD_STARTED).count() == 1
    assert AuditEvent.objects.filter(action=Action.POST_WRITTEN).count() == 1


def test_empty_posts_are_refused_and_what_was_typed_is_kept(author, topic, thread):
    client = client_for(author)
    response = client.post(
        reverse("discussions:new_thread", args=[topic.public_id]), {"title": "Kept title", "body": "  "}
    )
    assert response.status_code == 400 and "Kept title" in response.content.decode()
    response = client.post(reverse("discussions:reply", args=[thread.public_id]), {"body": "", "reply_to": "nonsense"})
    assert response.status_code == 400


def test_markdown_is_sanitised(author, thread):
    payload = "<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)> **ok**"
    discussions.reply(author, thread, body=payload)
    html = client_for(author).get(thread_url(thread)).content.decode()
    assert "<script>alert(1)" not in html and 'href="javascript' not in html and "<img" not in html
    assert "<strong>ok</strong>" in html


def test_quote_prefills_a_blockquote_and_reply_keeps_the_reference(author, reader, thread):
    first = thread.posts.get()
    client = client_for(reader)
    html = client.get(thread_url(thread), {"quote": str(first.public_id)}).content.decode()
    assert "&gt; **Amal Author wrote:**" in html and "&gt; Which **hash sets** do you load?" in html
    assert f'value="{first.public_id}"' in html  # the hidden reply_to field
    client.post(
        reverse("discussions:reply", args=[thread.public_id]),
        {"body": "> Which hash sets\n\nThe national one.", "reply_to": str(first.public_id)},
    )
    answer = Post.objects.get(body__startswith="> Which")
    assert answer.reply_to == first
    html = client.get(thread_url(thread)).content.decode()
    assert "<blockquote>" in html and "in reply to Amal Author" in html
    # A malformed or foreign id is ignored, never a 500.
    assert client.get(thread_url(thread), {"quote": "not-a-uuid"}).status_code == 200


def test_author_edits_within_30_minutes_only_and_edits_are_audited(author, reader, thread):
    post = thread.posts.get()
    client = client_for(author)
    edit = reverse("discussions:post_edit", args=[post.public_id])
    assert client.post(edit, {"body": "Which hash sets do you load first?"}).status_code == 302
    post.refresh_from_db()
    assert post.body == "Which hash sets do you load first?" and post.edited_at
    event = AuditEvent.objects.get(action=Action.POST_EDITED)
    assert event.before == {"body": "Which **hash sets** do you load?"}
    # Another officer cannot edit it (it does not exist for them as an editable post).
    assert client_for(reader).get(edit).status_code == 404
    # 31 minutes later the server refuses, whatever the form says; the text typed is shown back.
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=31))
    response = client.post(edit, {"body": "Too late"})
    assert response.status_code == 403 and "Too late" in response.content.decode()
    post.refresh_from_db()
    assert post.body == "Which hash sets do you load first?"
    with pytest.raises(discussions.EditWindowClosed):
        discussions.edit_post(author, post, body="Through the service")
    assert edit not in client.get(thread_url(thread)).content.decode()


# --- subscriptions -------------------------------------------------------------------------------
def test_subscribers_get_inbox_and_email_naming_only_the_thread(author, reader, topic, thread):
    both = officer("Bea Both")
    client_for(reader).post(reverse("discussions:thread_subscription", args=[thread.public_id]), {"subscribed": "1"})
    discussions.set_subscription(both, subscribed=True, thread=thread)
    discussions.set_subscription(both, subscribed=True, space=topic)
    discussions.set_subscription(author, subscribed=True, thread=thread)
    mail.outbox.clear()
    secret = "The suspect's handle is canary-handle-77"
    discussions.reply(author, thread, body=secret)
    for user in (reader, both):
        assert Notification.objects.filter(user=user, kind=Kind.DISCUSSION_POST).count() == 1  # once each
    assert not Notification.objects.filter(user=author, kind=Kind.DISCUSSION_POST).exists()  # not the author
    assert sorted(message.to[0] for message in mail.outbox) == sorted([reader.email, both.email])
    for message in mail.outbox:
        assert "Loading hash sets" in message.subject + message.body
        assert "canary-handle-77" not in message.body and "Amal Author" not in message.body
        assert author.email not in message.body
    # Leaving: no more notifications.
    client_for(reader).post(reverse("discussions:thread_subscription", args=[thread.public_id]), {"subscribed": "0"})
    assert not Subscription.objects.filter(user=reader).exists()
    assert AuditEvent.objects.filter(action=Action.DISCUSSION_UNSUBSCRIBED).count() == 1


def test_space_subscribers_hear_of_new_threads_and_lapsed_officers_do_not(author, reader, topic):
    lapsed = officer("Lapsed Officer")
    discussions.set_subscription(reader, subscribed=True, space=topic)
    discussions.set_subscription(lapsed, subscribed=True, space=topic)
    lapsed.officer.status = "expired"
    lapsed.officer.save()
    discussions.start_thread(author, topic, title="New thread", body="Hello")
    assert Notification.objects.filter(user=reader, kind=Kind.DISCUSSION_POST).count() == 1
    assert not Notification.objects.filter(user=lapsed).exists()


# --- reports and moderation ----------------------------------------------------------------------
def test_reported_post_is_hidden_with_a_reason_the_author_reads(author, reader, coordinator, thread):
    post = discussions.reply(author, thread, body="The suspect lives at canary-street 12.")
    response = client_for(reader).post(
        reverse("discussions:post_report", args=[post.public_id]), {"reason": "It gives an address."}
    )
    assert response.status_code == 302
    report = PostReport.objects.get()
    assert Notification.objects.filter(user=coordinator, kind=Kind.DISCUSSION_REPORT).exists()
    coordinator_client = client_for(coordinator)
    queue = coordinator_client.get(reverse("discussions:reports")).content.decode()
    assert "It gives an address." in queue and "canary-street" in queue
    response = coordinator_client.post(
        reverse("discussions:post_moderate", args=[post.public_id]),
        {"action": "hide", "reason": "Addresses identify people: please remove them."},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.outcome == PostReport.Outcome.HIDDEN
    # Others read only that it was hidden; the author reads the reason, on the page and in the inbox.
    other = client_for(reader).get(thread_url(thread)).content.decode()
    assert "hidden by the coordinators" in other and "canary-street" not in other and "Addresses identify" not in other
    own = client_for(author).get(thread_url(thread)).content.decode()
    assert "Addresses identify people" in own and "canary-street" not in own
    told = Notification.objects.get(user=author, kind=Kind.DISCUSSION_MODERATION)
    assert told.params["detail"] == "Addresses identify people: please remove them."
    assert AuditEvent.objects.filter(action=Action.POST_HIDDEN, actor=coordinator).count() == 1
    # Restored with a reason: visible again.
    coordinator_client.post(
        reverse("discussions:post_moderate", args=[post.public_id]), {"action": "restore", "reason": "Edited by us."}
    )
    assert "canary-street" in client_for(reader).get(thread_url(thread)).content.decode()
    assert AuditEvent.objects.filter(action=Action.POST_RESTORED).count() == 1


def test_dismissing_a_report_leaves_the_post(author, reader, coordinator, thread):
    report = discussions.report_post(reader, thread.posts.get(), reason="Not sure")
    client_for(coordinator).post(reverse("discussions:report_dismiss", args=[report.public_id]))
    report.refresh_from_db()
    assert report.outcome == PostReport.Outcome.DISMISSED
    assert not thread.posts.get().is_hidden
    assert "No post is waiting" in client_for(coordinator).get(reverse("discussions:reports")).content.decode()


def test_locked_thread_refuses_posts_and_reopens(author, reader, coordinator, thread):
    client = client_for(coordinator)
    client.post(reverse("discussions:thread_moderate", args=[thread.public_id]), {"action": "lock", "reason": "Done."})
    response = client_for(reader).post(reverse("discussions:reply", args=[thread.public_id]), {"body": "Late reply"})
    assert response.status_code == 403 and "Late reply" in response.content.decode()
    assert Notification.objects.get(user=author, kind=Kind.DISCUSSION_MODERATION).params["detail"] == "Done."
    with pytest.raises(discussions.Closed):
        discussions.reply(reader, thread, body="Through the service")
    client.post(
        reverse("discussions:thread_moderate", args=[thread.public_id]), {"action": "unlock", "reason": "Open."}
    )
    assert (
        client_for(reader).post(reverse("discussions:reply", args=[thread.public_id]), {"body": "Now"}).status_code
        == 302
    )


def test_coordinator_moves_threads_and_posts(author, coordinator, topic, thread):
    wellbeing = Space.objects.get(slug=WELLBEING)
    client = client_for(coordinator)
    response = client.post(
        reverse("discussions:thread_moderate", args=[thread.public_id]),
        {"action": "move", "reason": "Better there.", "space": str(wellbeing.public_id)},
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.space == wellbeing
    other = discussions.start_thread(author, topic, title="Other", body="Start")
    stray = discussions.reply(author, other, body="Belongs to the hash-set thread")
    response = client.post(
        reverse("discussions:post_moderate", args=[stray.public_id]),
        {"action": "move", "reason": "Wrong thread.", "target": f"https://hub.example{thread_url(thread)}"},
    )
    stray.refresh_from_db()
    assert response.status_code == 302 and stray.thread == thread
    response = client.post(
        reverse("discussions:post_moderate", args=[stray.public_id]),
        {"action": "move", "reason": "x", "target": "nope"},
    )
    assert response.status_code == 400
    assert AuditEvent.objects.filter(action__in=[Action.THREAD_MOVED, Action.POST_MOVED]).count() == 2


# --- a tool's space ------------------------------------------------------------------------------------
def test_suspended_tool_space_shows_the_notice_and_is_locked_until_reinstated(
    author, reader, coordinator, organisation
):
    tool = factories.ToolFactory(organisation=organisation, published=True)
    space = discussions.ensure_tool_space(tool)
    thread = discussions.start_thread(author, space, title="Using it on phones", body="Works well.")
    url = reverse("discussions:tool_space", args=[tool.slug])
    assert reverse("discussions:new_thread", args=[space.public_id]) in client_for(reader).get(url).content.decode()
    moderation.decide(tool, action=NoticeAction.SUSPENDED, by=coordinator, expected_version=tool.version, **SUSPENSION)
    space.refresh_from_db()
    assert space.is_locked and AuditEvent.objects.filter(action=Action.SPACE_LOCKED).exists()
    html = client_for(reader).get(url).content.decode()
    assert "This tool is suspended" in html and SUSPENSION["officer_guidance"] in html
    assert SUSPENSION["provider_guidance"] not in html
    assert reverse("discussions:new_thread", args=[space.public_id]) not in html
    assert (
        client_for(reader).post(reverse("discussions:reply", args=[thread.public_id]), {"body": "x"}).status_code == 403
    )
    response = client_for(reader).post(
        reverse("discussions:new_thread", args=[space.public_id]), {"title": "t", "body": "b"}
    )
    assert response.status_code == 403
    tool.refresh_from_db()
    moderation.decide(
        tool,
        action=NoticeAction.REINSTATED,
        by=coordinator,
        expected_version=tool.version,
        reason_code="concerns_addressed",
        summary="Corrected.",
        officer_guidance="No further action needed.",
    )
    space.refresh_from_db()
    assert not space.is_locked
    assert (
        client_for(reader).post(reverse("discussions:reply", args=[thread.public_id]), {"body": "ok"}).status_code
        == 302
    )


def test_tool_spaces_open_when_a_tool_is_published_and_hide_unpublished_tools(reader, organisation, coordinator):
    draft = factories.ToolFactory(organisation=organisation, state=ToolState.DRAFT)
    assert client_for(reader).get(reverse("discussions:tool_space", args=[draft.slug])).status_code == 404
    assert client_for(coordinator).get(reverse("discussions:tool_space", args=[draft.slug])).status_code == 404
    assert not Space.objects.filter(tool=draft).exists()
    # The space comes with publication (catalogue.signals.tool_published).
    submitted = factories.ToolFactory(organisation=organisation, state=ToolState.SUBMITTED)
    review.publish_tool(submitted, by=coordinator, expected_version=submitted.version)
    assert Space.objects.filter(tool=submitted, kind=Space.Kind.TOOL).exists()


# --- query counts ---------------------------------------------------------------------------------------
def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_thread_page_queries_do_not_grow_with_posts(author, reader, topic):
    client = client_for(reader)
    small = discussions.start_thread(author, topic, title="Small", body="first")
    big = discussions.start_thread(author, topic, title="Big", body="first")
    for thread, count in ((small, 10), (big, 200)):
        previous = None
        for index in range(count - 1):
            previous = Post.objects.create(
                thread=thread, author=author if index % 2 else reader, body=f"post {index}", reply_to=previous
            )
    Post.objects.filter(pk=big.posts.order_by("id").last().pk).update(is_hidden=True, hidden_reason="r")
    client.get(thread_url(small))  # warm the per-process caches
    assert _queries(client, thread_url(small)) == _queries(client, thread_url(big))
    assert _queries(client, thread_url(big) + "?page=4") == _queries(client, thread_url(small))


def test_space_page_queries_do_not_grow_with_threads(author, reader, coordinator):
    few = discussions.create_space(coordinator, slug="few", names={"en": "Few"}, descriptions={})
    many = discussions.create_space(coordinator, slug="many", names={"en": "Many"}, descriptions={})
    for space, count in ((few, 10), (many, 200)):
        for index in range(count):
            thread = Thread.objects.create(space=space, title=f"T{index}", author=author if index % 2 else reader)
            Post.objects.create(thread=thread, author=author, body="x")
    client = client_for(reader)

    def url(space):
        return reverse("discussions:space", args=[space.slug])

    client.get(url(few))
    assert _queries(client, url(few)) == _queries(client, url(many))
    index = reverse("discussions:index")
    client.get(index)
    before = _queries(client, index)
    for number in range(30):
        discussions.create_space(coordinator, slug=f"extra-{number}", names={"en": f"Extra {number}"}, descriptions={})
    assert _queries(client, index) == before


def test_providers_and_pending_officers_reach_nothing(thread, provider_admin, pending_officer, organisation):
    tool = factories.ToolFactory(organisation=organisation, published=True)
    urls = [
        reverse("discussions:index"),
        thread_url(thread),
        reverse("discussions:tool_space", args=[tool.slug]),
        reverse("discussions:field_reports", args=[tool.slug]),
    ]
    for user in (provider_admin, pending_officer):
        client = client_for(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code in (403, 404), (user, url)
            assert "Loading hash sets" not in response.content.decode()
    assert "discussions" not in client_for(provider_admin).get(reverse("home:home")).content.decode()
    assert selectors.display_name(thread.author) == "Amal Author"
