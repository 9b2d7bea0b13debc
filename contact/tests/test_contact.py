"""The contact point: anyone signed in writes to the coordinators (with a PDF if needed) and follows
the answers in their inbox; coordinators work a shared queue (assign, answer, close); every change
is audited in its own transaction; files are checked and only ever downloaded."""

import json
import re
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import personal_data
from accounts import services as accounts_services
from audit.models import Action, AuditEvent
from catalogue import uploads
from catalogue.tests.test_provider_helpers import pdf_bytes, upload, working_member
from contact import services
from contact.models import Conversation, Post
from core import ratelimit as core_ratelimit
from notifications.models import Kind, Notification
from testkit import factories
from testkit.personas import reauthenticate, sign_in

pytestmark = pytest.mark.django_db

BODY = "Canary-body: my agency changed its email domain, how do I keep my account?"
WRITE = reverse("contact:write")


def client_for(user, *, confirmed=False) -> Client:
    client = sign_in(Client(), user)
    if confirmed:
        reauthenticate(client)
    return client


def own_url(conversation) -> str:
    return reverse("contact:conversation", args=[conversation.public_id])


def queue_url(conversation, name="detail") -> str:
    return reverse(f"contact:{name}", args=[conversation.public_id])


def write(client, **fields):
    data = {"category": "account", "body": BODY, **fields}
    return client.post(WRITE, data)


@pytest.fixture
def coordinators(db):
    return [
        factories.CoordinatorFactory(full_name="Coordinator Ada"),
        factories.CoordinatorFactory(full_name="Coordinator Bo"),
    ]


# --- writing and following the conversation ------------------------------------------------------
def test_a_pending_officer_writes_with_a_pdf_and_follows_the_answers_in_the_inbox(pending_officer, coordinators):
    ada, bo = coordinators
    author = client_for(pending_officer)
    form = author.get(WRITE)
    assert form.status_code == 200 and 'name="category"' in form.content.decode()
    mail.outbox.clear()

    response = write(author, file=upload("Our new domain (signed).pdf", pdf_bytes(), "application/pdf"))
    conversation = Conversation.objects.get()
    assert response.status_code == 302 and response["Location"] == own_url(conversation)
    post = conversation.posts.get()
    assert (post.author, post.body, post.by_coordinators) == (pending_officer, BODY, False)
    # The stored name is the server's, never the uploader's.
    assert re.fullmatch(r"contact/[0-9a-f]{32}\.pdf", post.file.name)
    # Every active coordinator is told that a message arrived: a link, never the text.
    told = Notification.objects.filter(kind=Kind.CONTACT_POINT, message_key="contact_point_new")
    assert {n.user for n in told} == {ada, bo}
    assert {n.link for n in told} == {queue_url(conversation)}
    assert len(mail.outbox) == 2 and not any(BODY in m.body or BODY in m.subject for m in mail.outbox)

    # A coordinator answers; the author is told in their inbox, with a link to the conversation.
    coordinator = client_for(ada, confirmed=True)
    answer = coordinator.post(queue_url(conversation, "answer"), {"body": "Update your email on your profile page."})
    assert answer.status_code == 302
    conversation.refresh_from_db()
    assert (conversation.awaiting, conversation.assignee) == (Conversation.Awaiting.AUTHOR, ada)
    note = Notification.objects.get(user=pending_officer)
    assert (note.kind, note.message_key, note.link) == (
        Kind.CONTACT_POINT,
        "contact_point_answered",
        own_url(conversation),
    )
    inbox = author.get(reverse("notifications:inbox")).content.decode()
    assert "The coordinators answered your message" in inbox
    page = author.get(own_url(conversation)).content.decode()
    assert "Update your email on your profile page." in page and "The coordinators" in page
    assert "Coordinator Ada" not in page  # the author deals with the team, not a named coordinator

    # The author writes again: the assigned coordinator is told, not the whole team.
    Notification.objects.all().delete()
    assert author.post(own_url(conversation), {"body": "Done, thank you."}).status_code == 302
    assert [n.user for n in Notification.objects.filter(message_key="contact_point_reply")] == [ada]
    conversation.refresh_from_db()
    assert conversation.awaiting == Conversation.Awaiting.COORDINATORS

    # Closed: the author is told, can no longer write in it, and is offered a new message instead.
    assert coordinator.post(queue_url(conversation, "close"), {"version": conversation.version}).status_code == 302
    assert Notification.objects.filter(user=pending_officer, message_key="contact_point_closed").exists()
    closed = author.get(own_url(conversation)).content.decode()
    assert "The coordinators closed this conversation." in closed and 'name="body"' not in closed
    refused = author.post(own_url(conversation), {"body": "One more thing."})
    assert refused.status_code == 409 and conversation.posts.count() == 3
    assert "write a new message" in refused.content.decode()


@pytest.mark.parametrize("persona", ["provider", "verified_officer", "coordinator"])
def test_every_role_reaches_the_contact_point(persona, verified_officer, coordinators):
    user = {
        "provider": factories.MembershipFactory(organisation__status="pending").user,  # awaiting approval
        "verified_officer": verified_officer,
        "coordinator": coordinators[0],
    }[persona]
    client = client_for(user)
    assert write(client, category="other").status_code == 302
    mine = client.get(reverse("contact:mine")).content.decode()
    assert own_url(Conversation.objects.get(author=user)) in mine


def test_the_about_page_and_every_footer_show_the_contact_point(client, pending_officer):
    about = client.get(reverse("core:about")).content.decode()
    assert f'href="{WRITE}"' in about and "Contact the coordinators" in about
    home = client_for(pending_officer).get(reverse("home:home")).content.decode()
    footer = home[home.index('<footer class="site-footer">') :]
    assert f'href="{WRITE}"' in footer


def test_a_message_without_category_or_text_is_refused_with_what_was_typed(pending_officer):
    client = client_for(pending_officer)
    response = write(client, category="", body="Still here")
    assert response.status_code == 400 and "Still here" in response.content.decode()
    assert not Conversation.objects.exists() and not AuditEvent.objects.filter(action=Action.CONTACT_POINT_WRITTEN)


def test_past_the_daily_limit_a_new_message_is_refused_with_what_was_typed(pending_officer, coordinators, settings):
    settings.CONTACT_POINT_MESSAGES_PER_DAY = 2
    client = client_for(pending_officer)
    assert write(client).status_code == 302 and write(client).status_code == 302
    refused = write(client, body="A third message, kept.")
    html = refused.content.decode()
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "written to the coordinators many times today" in html and "A third message, kept." in html
    assert Conversation.objects.count() == 2
    assert AuditEvent.objects.filter(action=Action.CONTACT_POINT_WRITTEN).count() == 2
    # The limit is the writer's own: someone else still writes.
    other = factories.OfficerProfileFactory(verified=True).user
    assert write(client_for(other)).status_code == 302


def test_when_the_cache_is_down_new_messages_are_refused_not_lost(pending_officer, coordinators):
    with mock.patch.object(core_ratelimit.cache, "incr", side_effect=ConnectionError("cache down")):
        refused = write(client_for(pending_officer), body="Kept while the cache is down.")
    assert refused.status_code == 429 and "Kept while the cache is down." in refused.content.decode()
    assert not Conversation.objects.exists()


# --- files ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name,data,message",
    [
        ("report.pdf", b"<html><script>alert(1)</script></html>", "must be a PDF"),
        ("report.pdf", pdf_bytes(javascript=True), "scripts are not accepted"),
        ("report.pdf", b"%PDF-1.4\n" + b"0" * uploads.PDF_MAX_BYTES, "at most 10 MB"),
    ],
    ids=["html-renamed", "javascript", "oversized"],
)
def test_a_file_is_checked_by_its_content_and_size(pending_officer, coordinators, name, data, message):
    response = write(client_for(pending_officer), file=upload(name, data, "application/pdf"))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Conversation.objects.exists()


def test_the_file_is_only_ever_a_download_for_the_author_and_the_coordinators(pending_officer, coordinators):
    author = client_for(pending_officer)
    write(author, file=upload("<b>x</b>.pdf", pdf_bytes(), "application/pdf"))
    post = Post.objects.get()
    url = reverse("contact:file", args=[post.public_id])
    for client in (author, client_for(coordinators[0])):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert f"message-{post.public_id.hex[:12]}.pdf" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    other = factories.OfficerProfileFactory(verified=True).user
    assert client_for(other).get(url).status_code == 404
    assert client_for(working_member()).get(url).status_code == 404


# --- the coordinators' queue -----------------------------------------------------------------------
def test_a_conversation_is_the_authors_and_the_coordinators_only(pending_officer, verified_officer, coordinators):
    conversation = services.write(pending_officer, category="account", body=BODY)
    assert client_for(verified_officer).get(own_url(conversation)).status_code == 404
    assert client_for(verified_officer).get(queue_url(conversation)).status_code == 403
    # Coordinators read it from the queue (after confirming their password), not from the author's page.
    coordinator = client_for(coordinators[0], confirmed=True)
    assert coordinator.get(own_url(conversation)).status_code == 404
    detail = coordinator.get(queue_url(conversation))
    assert detail.status_code == 200 and BODY in detail.content.decode()


def test_coordinators_assign_to_themselves_or_another_who_is_told(pending_officer, coordinators):
    ada, bo = coordinators
    conversation = services.write(pending_officer, category="terms", body=BODY)
    client = client_for(ada, confirmed=True)
    Notification.objects.all().delete()
    page = client.get(queue_url(conversation)).content.decode()
    assert "Assign to me" in page and "Coordinator Bo" in page

    mine = {"version": conversation.version, "assignee": str(ada.public_id)}
    assert client.post(queue_url(conversation, "assign"), mine).status_code == 302
    conversation.refresh_from_db()
    assert conversation.assignee == ada and not Notification.objects.exists()  # nobody else to tell
    queue = client.get(reverse("contact:queue"), {"show": "mine"}).content.decode()
    assert queue_url(conversation) in queue

    to_bo = {"version": conversation.version, "assignee": str(bo.public_id)}
    assert client.post(queue_url(conversation, "assign"), to_bo).status_code == 302
    conversation.refresh_from_db()
    assert conversation.assignee == bo
    told = Notification.objects.get()
    assert (told.user, told.message_key, told.link) == (bo, "contact_point_assigned", queue_url(conversation))
    events = AuditEvent.objects.filter(action=Action.CONTACT_POINT_ASSIGNED, target_id=str(conversation.public_id))
    assert [(e.before["assignee"], e.after["assignee"]) for e in events.order_by("id")] == [
        (None, str(ada.public_id)),
        (str(ada.public_id), str(bo.public_id)),
    ]
    # An officer is never a possible assignee, even when posted by hand.
    officer = {"version": conversation.version, "assignee": str(pending_officer.public_id)}
    assert client.post(queue_url(conversation, "assign"), officer).status_code == 400


def test_a_second_coordinator_acting_on_what_changed_meanwhile_is_told_and_nothing_is_saved(
    pending_officer, coordinators
):
    ada, bo = coordinators
    conversation = services.write(pending_officer, category="terms", body=BODY)
    seen = conversation.version
    services.assign(conversation, by=bo, to=bo, expected_version=seen)
    client = client_for(ada, confirmed=True)
    stale = client.post(queue_url(conversation, "assign"), {"version": seen, "assignee": str(ada.public_id)})
    assert stale.status_code == 409 and "changed meanwhile" in stale.content.decode()
    late_close = client.post(queue_url(conversation, "close"), {"version": seen})
    assert late_close.status_code == 409
    conversation.refresh_from_db()
    assert (conversation.assignee, conversation.state) == (bo, Conversation.State.OPEN)


def test_the_queue_shows_what_waits_for_the_coordinators_first(pending_officer, verified_officer, coordinators):
    answered = services.write(pending_officer, category="account", body="First")
    services.answer(answered, by=coordinators[0], body="Answered.")
    waiting = services.write(verified_officer, category="catalogue", body="Second")
    closed = services.write(verified_officer, category="other", body="Third")
    services.close(closed, by=coordinators[0], expected_version=closed.version)
    html = client_for(coordinators[1], confirmed=True).get(reverse("contact:queue")).content.decode()
    assert html.index(queue_url(waiting)) < html.index(queue_url(answered))
    assert queue_url(closed) not in html
    every = client_for(coordinators[1], confirmed=True).get(reverse("contact:queue"), {"show": "closed"})
    assert queue_url(closed) in every.content.decode() and queue_url(waiting) not in every.content.decode()


# --- audit -------------------------------------------------------------------------------------------
def test_every_change_is_audited_with_ids_never_the_text(pending_officer, coordinators):
    ada = coordinators[0]
    conversation = services.write(pending_officer, category="personal_data", body=BODY, file_content=pdf_bytes())
    services.answer(conversation, by=ada, body="Canary-answer text")
    services.reply(conversation, by=pending_officer, body="Canary-reply text")
    services.assign(conversation, by=ada, to=coordinators[1], expected_version=conversation.version)
    services.close(conversation, by=ada, expected_version=conversation.version)
    events = AuditEvent.objects.filter(target_id=str(conversation.public_id)).order_by("id")
    assert [(e.action, e.actor) for e in events] == [
        (Action.CONTACT_POINT_WRITTEN, pending_officer),
        (Action.CONTACT_POINT_ANSWERED, ada),
        (Action.CONTACT_POINT_REPLIED, pending_officer),
        (Action.CONTACT_POINT_ASSIGNED, ada),
        (Action.CONTACT_POINT_CLOSED, ada),
    ]
    assert events[0].after["file"] is True and events[0].after["length"] == len(BODY)
    assert (events[4].before["state"], events[4].after["state"]) == ("open", "closed")
    everything = str(list(AuditEvent.objects.values_list("before", "after", "target_label")))
    assert "Canary" not in everything


def test_a_failure_after_the_write_leaves_no_conversation_no_audit_event_and_no_email(pending_officer, coordinators):
    mail.outbox.clear()
    with (
        mock.patch.object(services, "notify_many", side_effect=RuntimeError("mail queue broke")),
        pytest.raises(RuntimeError),
    ):
        services.write(pending_officer, category="account", body=BODY)
    assert not Conversation.objects.exists() and not Post.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.CONTACT_POINT_WRITTEN).exists()
    assert mail.outbox == []


# --- query counts ----------------------------------------------------------------------------------
def _queries(client, url) -> int:
    client.get(url)  # the first request of a session settles what the middleware keeps in it
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_pages_take_the_same_number_of_queries_for_3_or_13_conversations(pending_officer, coordinators, settings):
    settings.CONTACT_POINT_MESSAGES_PER_DAY = 50
    officers = [factories.OfficerProfileFactory(verified=True).user for _ in range(13)]
    for officer in officers[:3]:
        services.write(officer, category="account", body=BODY)
        services.write(pending_officer, category="other", body=BODY)
    coordinator = client_for(coordinators[0], confirmed=True)
    author = client_for(pending_officer)
    urls = {
        coordinator: [reverse("contact:queue"), reverse("contact:queue") + "?show=all"],
        author: [reverse("contact:mine")],
    }
    before = {url: _queries(client, url) for client, pages in urls.items() for url in pages}
    for officer in officers[3:]:
        conversation = services.write(officer, category="technical", body=BODY)
        services.answer(conversation, by=coordinators[1], body="On it.")
        services.write(pending_officer, category="other", body=BODY)
    after = {url: _queries(client, url) for client, pages in urls.items() for url in pages}
    assert after == before


# --- personal data ---------------------------------------------------------------------------------
def test_the_data_download_holds_what_the_author_wrote_and_closing_the_account_closes_the_conversation(
    pending_officer, coordinators
):
    conversation = services.write(pending_officer, category="personal_data", body=BODY, file_content=pdf_bytes())
    services.answer(conversation, by=coordinators[0], body="Canary-answer of Coordinator Ada")
    section = personal_data.export_for(pending_officer)["messages_to_the_coordinators"]
    assert len(section) == 1 and section[0]["category"] == "personal_data" and section[0]["answers_received"] == 1
    assert [(m["text"], m["with_file"]) for m in section[0]["messages_written"]] == [(BODY, True)]
    assert "Canary-answer" not in json.dumps(section) and "Ada" not in json.dumps(section)
    # The coordinator's own download holds their answer, not the author's message.
    theirs = json.dumps(personal_data.export_for(coordinators[0])["messages_to_the_coordinators"])
    assert BODY not in theirs

    accounts_services.close_account(pending_officer)
    conversation.refresh_from_db()
    assert conversation.state == Conversation.State.CLOSED and conversation.closed_at is not None
    assert conversation.posts.count() == 2  # the coordinators' record stays, under the pseudonymous account
