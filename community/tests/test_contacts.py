"""Contact requests, private messages, email sharing, blocks, reports, suspensions, rate limits."""

from unittest import mock

import pytest
from django.core import mail
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import Action, AuditEvent
from community import ratelimit, services
from community.models import Connection, DirectoryProfile, Message, MessageReport
from core import ratelimit as core_ratelimit
from notifications.models import Notification
from testkit import factories
from testkit.personas import reauthenticate

from .helpers import client_for, connected, listed

pytestmark = pytest.mark.django_db


def officer_url(user):
    return reverse("community:officer", args=[DirectoryProfile.objects.get(user=user).public_id])


def connect_url(user):
    return reverse("community:connect", args=[DirectoryProfile.objects.get(user=user).public_id])


def conversation_url(connection):
    return reverse("community:conversation", args=[connection.public_id])


# --- requests -----------------------------------------------------------------------------------
def test_a_declined_request_reads_pending_to_its_requester():
    asker, other = listed("Asker"), listed("Other")
    asker_client = client_for(asker)
    response = asker_client.post(connect_url(other), {"note": "Could we talk about triage?"})
    assert response.status_code == 302
    connection = Connection.objects.get(requester=asker)
    assert connection.state == Connection.State.PENDING
    response = client_for(other).post(
        reverse("community:respond", args=[connection.public_id]), {"decision": "decline"}
    )
    assert response.status_code == 302
    connection.refresh_from_db()
    assert connection.state == Connection.State.DECLINED
    for page in (asker_client.get(reverse("community:contacts")), asker_client.get(officer_url(other))):
        html = page.content.decode()
        assert "Request pending" in html and "eclined" not in html
    # Nothing reached the requester about it.
    assert not Notification.objects.filter(user=asker).exists()
    # The decline itself is audited.
    assert AuditEvent.objects.filter(action=Action.CONTACT_DECLINED, actor=other).exists()


def test_only_after_acceptance_can_the_two_write():
    asker, other = listed("Asker"), listed("Other")
    connection = services.request_contact(asker, other, note="Hello")
    assert client_for(asker).get(conversation_url(connection)).status_code == 404
    with pytest.raises(services.NotAllowed):
        services.send_message(connection, sender=asker, body="Too early")
    services.respond(connection, by=other, accept=True)
    response = client_for(asker).post(conversation_url(connection), {"body": "Thank you for accepting."})
    assert response.status_code == 302
    page = client_for(other).get(conversation_url(connection)).content.decode()
    assert "Thank you for accepting." in page


def test_asking_back_accepts_the_waiting_request():
    first, second = listed("First"), listed("Second")
    services.request_contact(first, second, note="Hello")
    response = client_for(second).post(connect_url(first), {"note": "Hello to you"})
    connection = Connection.objects.get()
    assert connection.state == Connection.State.ACCEPTED
    assert response.headers["Location"] == conversation_url(connection)


def test_the_note_is_length_limited_and_kept_on_error():
    asker, other = listed("Asker"), listed("Other")
    note = "x" * 501
    response = client_for(asker).post(connect_url(other), {"note": note})
    assert response.status_code == 400 and note in response.content.decode()
    assert not Connection.objects.exists()


def test_an_officer_needs_a_display_name_to_ask():
    asker = factories.OfficerProfileFactory(verified=True).user
    other = listed("Other")
    response = client_for(asker).post(connect_url(other), {"note": "Hello there"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a display name" in html and "Hello there" in html
    assert not Connection.objects.exists()


# --- privacy of messages ------------------------------------------------------------------------
def test_messages_are_private_to_the_two():
    first, second, third = listed("First"), listed("Second"), listed("Third")
    connection = connected(first, second)
    message = services.send_message(connection, sender=first, body="Private words")
    assert client_for(third).get(conversation_url(connection)).status_code == 404
    assert client_for(third).post(conversation_url(connection), {"body": "Hi"}).status_code == 404
    assert client_for(third).get(reverse("community:report", args=[message.public_id])).status_code == 404
    # The sender cannot report their own message.
    assert client_for(first).get(reverse("community:report", args=[message.public_id])).status_code == 404
    coordinator = factories.CoordinatorFactory()
    assert client_for(coordinator).get(conversation_url(connection)).status_code == 403


def test_audit_events_never_carry_message_text_or_notes():
    first, second = listed("First"), listed("Second")
    connection = services.request_contact(first, second, note="secret-note-text")
    services.respond(connection, by=second, accept=True)
    message = services.send_message(connection, sender=first, body="secret-body-text")
    services.report_message(message, by=second, reason="secret-reason-text")
    for event in AuditEvent.objects.all():
        stored = f"{event.before} {event.after} {event.target_label}"
        assert "secret-note-text" not in stored and "secret-body-text" not in stored
        assert "First" not in stored and "Second" not in stored


def test_emails_say_only_that_something_arrived(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    first = listed("Sender Display Name")
    second = listed("Recipient Display Name")
    mail.outbox.clear()
    connection = services.request_contact(first, second, note="note-words-here")
    services.respond(connection, by=second, accept=True)
    services.send_message(connection, sender=first, body="body-words-here")
    services.send_message(connection, sender=first, body="second-body-words")
    subjects = [message.subject for message in mail.outbox]
    assert any("new contact request" in subject for subject in subjects)
    # One unread "new message" per conversation: the second message adds no email.
    assert sum("new message" in subject for subject in subjects) == 1
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        for secret in ("note-words-here", "body-words-here", "Sender Display Name", first.email, first.full_name):
            assert secret not in text, (secret, text)
    assert Notification.objects.filter(user=second, message_key="community_new_message").count() == 1


def test_htmx_sending_returns_the_conversation_fragment():
    first, second = listed("First"), listed("Second")
    connection = connected(first, second)
    response = client_for(first).post(
        conversation_url(connection), {"body": "Sent with htmx"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and "Sent with htmx" in html
    assert 'id="conversation"' in html


def test_messages_show_in_order_and_page():
    first, second = listed("First"), listed("Second")
    connection = connected(first, second)
    for index in range(55):
        Message.objects.create(connection=connection, sender=first, body=f"Message number {index:02d}")
    page = client_for(second).get(conversation_url(connection))
    thread = [message.body for message in page.context["thread"]]
    assert thread == [f"Message number {index:02d}" for index in range(5, 55)]
    older = client_for(second).get(conversation_url(connection), {"page": 2})
    assert [message.body for message in older.context["thread"]][0] == "Message number 00"


# --- email sharing and blocks -------------------------------------------------------------------
def test_email_is_shown_only_when_shared_and_can_be_unshared():
    first, second = listed("First"), listed("Second")
    connection = connected(first, second)
    share = reverse("community:share_email", args=[connection.public_id])
    assert first.email not in client_for(second).get(conversation_url(connection)).content.decode()
    assert client_for(first).post(share, {"share": "on"}).status_code == 302
    assert first.email in client_for(second).get(conversation_url(connection)).content.decode()
    assert client_for(first).post(share, {}).status_code == 302
    assert first.email not in client_for(second).get(conversation_url(connection)).content.decode()
    actions = list(AuditEvent.objects.filter(actor=first).values_list("action", flat=True))
    assert Action.COMMUNITY_EMAIL_SHARED in actions and Action.COMMUNITY_EMAIL_UNSHARED in actions


def test_blocking_closes_the_connection_and_stops_requests_without_telling():
    blocker, nuisance = listed("Alma"), listed("Nuisance")
    connection = connected(nuisance, blocker)
    response = client_for(blocker).post(reverse("community:block", args=[connection.public_id]))
    assert response.status_code == 302
    connection.refresh_from_db()
    assert connection.state == Connection.State.CLOSED
    # The blocked officer sees a closed conversation and cannot write.
    nuisance_client = client_for(nuisance)
    page = nuisance_client.get(conversation_url(connection)).content.decode()
    assert "This conversation is closed" in page
    assert "You blocked" not in page and "blocked you" not in page
    assert nuisance_client.post(conversation_url(connection), {"body": "Hello?"}).status_code == 302
    assert not Message.objects.exists()
    # A new request is taken, reads pending, and never reaches the blocker.
    Notification.objects.all().delete()
    assert nuisance_client.post(connect_url(blocker), {"note": "Please answer"}).status_code == 302
    new = Connection.objects.get(requester=nuisance, state=Connection.State.DECLINED)
    assert "Request pending" in nuisance_client.get(officer_url(blocker)).content.decode()
    assert not Notification.objects.filter(user=blocker).exists()
    assert new.pk != connection.pk


# --- reports and suspensions -------------------------------------------------------------------
def test_coordinators_see_the_reported_message_only_and_can_suspend(client):
    sender, recipient = listed("Sender"), listed("Recipient")
    connection = connected(sender, recipient)
    services.send_message(connection, sender=sender, body="An earlier, harmless message")
    bad = services.send_message(connection, sender=sender, body="The reported message")
    coordinator = factories.CoordinatorFactory()
    response = client_for(recipient).post(reverse("community:report", args=[bad.public_id]), {"reason": "Rude"})
    assert response.status_code == 302
    report = MessageReport.objects.get()
    assert Notification.objects.filter(user=coordinator, message_key="community_message_reported").exists()
    coordinator_client = client_for(coordinator)
    page = coordinator_client.get(reverse("community:report_detail", args=[report.public_id])).content.decode()
    assert "The reported message" in page and "harmless" not in page
    reauthenticate(coordinator_client)
    response = coordinator_client.post(
        reverse("community:report_detail", args=[report.public_id]),
        {"decision": "suspended", "reason": "Repeated insults", "ends_on": ""},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == MessageReport.State.SUSPENDED and report.decided_by == coordinator
    event = AuditEvent.objects.get(action=Action.COMMUNITY_SENDER_SUSPENDED)
    assert event.actor == coordinator and "The reported message" not in str(event.after)
    # The suspended officer is told why, and cannot use the community features.
    sender_client = client_for(sender)
    for url in (reverse("community:directory"), reverse("community:contacts"), conversation_url(connection)):
        response = sender_client.get(url)
        assert response.status_code == 403 and "Repeated insults" in response.content.decode(), url
    with pytest.raises(services.NotAllowed):
        services.send_message(connection, sender=sender, body="Still here")
    assert Notification.objects.filter(user=sender, message_key="community_suspended").exists()


def test_a_warning_tells_the_sender_and_keeps_access():
    sender, recipient = listed("Sender"), listed("Recipient")
    message = services.send_message(connected(sender, recipient), sender=sender, body="Hmm")
    report = services.report_message(message, by=recipient, reason="Pushy")
    coordinator = factories.CoordinatorFactory()
    with pytest.raises(ValueError):
        services.decide_report(report, by=coordinator, decision="warned", reason="")
    services.decide_report(report, by=coordinator, decision="warned", reason="Be courteous")
    notification = Notification.objects.get(user=sender, message_key="community_warned")
    assert notification.params["detail"] == "Be courteous"
    assert client_for(sender).get(reverse("community:directory")).status_code == 200
    with pytest.raises(services.StaleDecision):
        services.decide_report(report, by=coordinator, decision="dismissed")


# --- rate limits --------------------------------------------------------------------------------
def test_contact_requests_are_rate_limited_and_the_note_is_kept(settings):
    settings.COMMUNITY_CONTACT_REQUESTS_PER_DAY = 1
    asker = listed("Asker")
    others = [listed(f"Other {index}") for index in range(2)]
    client = client_for(asker)
    assert client.post(connect_url(others[0]), {"note": "First request"}).status_code == 302
    response = client.post(connect_url(others[1]), {"note": "Second request words"})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "Second request words" in html and "many contact requests" in html
    assert Connection.objects.count() == 1


def test_messages_are_rate_limited_and_the_text_is_kept(settings):
    settings.COMMUNITY_MESSAGES_PER_HOUR = 2
    first, second = listed("First"), listed("Second")
    connection = connected(first, second)
    client = client_for(first)
    for index in range(2):
        assert client.post(conversation_url(connection), {"body": f"Message {index}"}).status_code == 302
    response = client.post(conversation_url(connection), {"body": "Third words kept"})
    assert response.status_code == 429 and "Third words kept" in response.content.decode()
    htmx = client.post(conversation_url(connection), {"body": "Htmx words kept"}, headers={"HX-Request": "true"})
    assert "Htmx words kept" in htmx.content.decode() and "many messages" in htmx.content.decode()
    assert Message.objects.count() == 2


def test_directory_searches_are_rate_limited_and_keep_the_search(settings):
    settings.COMMUNITY_DIRECTORY_PAGES_PER_HOUR = 2
    viewer = listed("Viewer")
    client = client_for(viewer)
    for _ in range(2):
        assert client.get(reverse("community:directory")).status_code == 200
    response = client.get(reverse("community:directory"), {"q": "typed words"})
    assert response.status_code == 429 and 'value="typed words"' in response.content.decode()
    assert "Viewer" not in [entry.display_name for entry in response.context["entries"]]


def test_the_limits_are_counted_in_the_shared_cache_and_fail_closed(settings):
    settings.COMMUNITY_MESSAGES_PER_HOUR = 5
    user = listed("Counter")
    ratelimit.hit("message", user)
    with (
        mock.patch.object(core_ratelimit.cache, "incr", side_effect=ConnectionError("cache down")),
        pytest.raises(ratelimit.RateLimited),
    ):
        ratelimit.hit("message", user)


def test_contacts_and_conversation_queries_do_not_grow():
    me = listed("Me")
    client = client_for(me)
    peers = []

    def grow(count):
        for _ in range(count):
            peer = listed(f"Peer {len(peers)}")
            peers.append(peer)
            conversation = connected(peer, me)
            Message.objects.create(connection=conversation, sender=peer, body="Hello")

    def count_queries(url):
        client.get(url)
        with CaptureQueriesContext(db_connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    grow(3)
    first = Connection.objects.filter(recipient=me).order_by("pk").first()
    few = (count_queries(reverse("community:contacts")), count_queries(conversation_url(first)))
    grow(20)
    for _ in range(40):
        Message.objects.create(connection=first, sender=me, body="More")
    many = (count_queries(reverse("community:contacts")), count_queries(conversation_url(first)))
    assert many == few
