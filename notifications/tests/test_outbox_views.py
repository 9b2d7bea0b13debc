"""The coordinators' outbox page and dead-letter retry."""

import pytest
from django.urls import reverse

from audit.models import Action, AuditEvent
from notifications.models import OutboxMessage
from testkit import factories

pytestmark = pytest.mark.django_db

OFFICER_ADDRESS = "hidden.officer@police.example.org"
BODY = "Confidential body 91b2"


def dead_message(**kwargs):
    payload = {
        "subject": "Your application",
        "body": BODY,
        "from_email": "hub@example.org",
        "to": [OFFICER_ADDRESS],
        "cc": ["cc.officer@police.example.org"],
        "bcc": [],
        "reply_to": [],
        "alternatives": [],
        "headers": {},
    }
    defaults = {"state": OutboxMessage.State.DEAD, "attempts": 8, "last_error": "SMTPServerDisconnected: gone"}
    return factories.OutboxMessageFactory(payload=payload, **{**defaults, **kwargs})


@pytest.fixture
def coordinator_client(signed_in, coordinator):
    return signed_in(coordinator)


@pytest.mark.parametrize("name", ["notifications:outbox"])
def test_only_coordinators_see_the_outbox(client, signed_in, verified_officer, provider_admin, name):
    assert "/accounts/login/" in client.get(reverse(name)).headers["Location"]
    for user in (verified_officer, provider_admin):
        assert signed_in(user).get(reverse(name)).status_code == 403


def test_only_coordinators_retry(client, signed_in, verified_officer, provider_admin):
    message = dead_message()
    assert client.post(reverse("notifications:outbox_retry"), {"all": "on"}).status_code == 302
    for user in (verified_officer, provider_admin):
        response = signed_in(user).post(reverse("notifications:outbox_retry"), {"all": "on"})
        assert response.status_code == 403
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.DEAD


def test_page_shows_counts_and_dead_letters_without_content_or_addresses(coordinator_client):
    dead_message()
    dead_message(last_error="SMTPDataError: [address removed] refused")
    factories.OutboxMessageFactory(state=OutboxMessage.State.SENT)
    factories.OutboxMessageFactory()
    response = coordinator_client.get(reverse("notifications:outbox"))
    assert response.status_code == 200
    assert dict(response.context["counts"]) == {"Waiting": 1, "Being delivered": 0, "Sent": 1, "Gave up": 2}
    html = response.content.decode()
    assert "SMTPServerDisconnected: gone" in html
    assert "Retry all undelivered messages" in html
    for secret in (OFFICER_ADDRESS, "cc.officer", BODY, "Your application"):
        assert secret not in html
    rows = response.context["page"].object_list
    assert [m.recipient_count for m in rows] == [2, 2]
    assert [m.attempts for m in rows] == [8, 8]


def test_outbox_page_has_no_n_plus_one(coordinator_client, django_assert_max_num_queries):
    dead_message()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        coordinator_client.get(reverse("notifications:outbox"))
    for _ in range(25):
        dead_message()
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = coordinator_client.get(reverse("notifications:outbox"))
    assert len(response.context["page"].object_list) == 26


def test_retry_one_message(coordinator_client, coordinator):
    chosen, other = dead_message(), dead_message()
    response = coordinator_client.post(reverse("notifications:outbox_retry"), {"messages": [chosen.id]})
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("notifications:outbox")
    chosen.refresh_from_db()
    other.refresh_from_db()
    assert (chosen.state, chosen.attempts) == (OutboxMessage.State.PENDING, 0)
    assert other.state == OutboxMessage.State.DEAD
    event = AuditEvent.objects.get(action=Action.OUTBOX_RETRIED)
    assert event.actor == coordinator
    assert event.after["count"] == 1
    page = coordinator_client.get(reverse("notifications:outbox"))
    assert "1 message was queued for delivery again." in page.content.decode()


def test_retry_all(coordinator_client):
    messages = [dead_message() for _ in range(3)]
    sent = factories.OutboxMessageFactory(state=OutboxMessage.State.SENT)
    coordinator_client.post(reverse("notifications:outbox_retry"), {"all": "on"})
    assert all(m.state == "pending" for m in OutboxMessage.objects.filter(id__in=[m.id for m in messages]))
    sent.refresh_from_db()
    assert sent.state == OutboxMessage.State.SENT


@pytest.mark.parametrize(
    "data",
    [{}, {"messages": "abc"}, {"messages": "99999999999999999999999"}, {"messages": "-1"}, {"messages": "sent"}],
)
def test_bad_retry_requests_answer_400_and_change_nothing(coordinator_client, data):
    message = dead_message()
    sent = factories.OutboxMessageFactory(state=OutboxMessage.State.SENT)
    if data.get("messages") == "sent":
        data = {"messages": sent.id}  # not dead: cannot be retried
    response = coordinator_client.post(reverse("notifications:outbox_retry"), data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.DEAD
    assert not AuditEvent.objects.filter(action=Action.OUTBOX_RETRIED).exists()


def test_retry_needs_post(coordinator_client):
    message = dead_message()
    assert coordinator_client.get(reverse("notifications:outbox_retry"), {"all": "on"}).status_code == 405
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.DEAD


def test_coordinator_home_links_to_the_outbox(coordinator_client):
    html = coordinator_client.get(reverse("home:home")).content.decode()
    assert reverse("notifications:outbox") in html
