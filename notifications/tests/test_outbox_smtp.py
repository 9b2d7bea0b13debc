"""Through a real SMTP conversation (Django's SMTP backend and a local server): a mail server that
is down, then refuses, then accepts loses nothing, and every attempt of a message carries the
same Message-ID on the wire, so a receiver can recognise a repeat (SECURITY.md REL-02, REL-03)."""

from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.core.mail import send_mail
from django.utils import timezone

from notifications import services
from notifications.models import OutboxMessage, new_message_id
from testkit import smtp_sink

pytestmark = pytest.mark.django_db


@pytest.fixture
def sink(settings):
    server = smtp_sink.SmtpSink().start()
    settings.EMAIL_BACKEND = "notifications.backends.OutboxEmailBackend"
    settings.DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    settings.OUTBOX_MAX_ATTEMPTS = 8
    yield server
    server.stop()


def deliver_through_an_outage(sink) -> list[OutboxMessage]:
    """Three messages: the server is down for the first pass, refuses each message on the second,
    accepts on the third."""
    for n in range(3):
        send_mail(f"Notice {n}", "Body", "hub@example.org", [f"officer{n}@police.example.org"])
    start = timezone.now()
    sink.stop()  # down: connections refused
    with time_machine.travel(start, tick=False):
        assert services.deliver_due("w") == (0, 3)
    sink.start()
    sink.mode = smtp_sink.REFUSE  # reads each message, then 451
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        assert services.deliver_due("w") == (0, 3)
    sink.mode = smtp_sink.ACCEPT
    with time_machine.travel(start + timedelta(minutes=3), tick=False):
        assert services.deliver_due("w") == (3, 0)
    return list(OutboxMessage.objects.order_by("id"))


def test_a_retried_message_carries_the_same_message_id_and_nothing_is_lost(sink):
    rows = deliver_through_an_outage(sink)
    assert [(row.state, row.attempts) for row in rows] == [(OutboxMessage.State.SENT, 3)] * 3
    refused = [item for item in sink.received if not item.accepted]
    accepted = sink.accepted()
    assert len(refused) == len(accepted) == 3
    # On the wire, the refused attempt and the accepted retry of each row carry the row's Message-ID.
    assert Counter(item.message_id for item in refused) == Counter(row.message_id for row in rows)
    assert Counter(item.message_id for item in accepted) == Counter(row.message_id for row in rows)
    assert {item.recipients for item in accepted} == {(f"officer{n}@police.example.org",) for n in range(3)}


def test_control_a_message_id_made_per_attempt_is_caught(sink, monkeypatch):
    """Were the Message-ID made per attempt (as Django does when none is given), the receiver
    could not tell a retry from a new message, and the check above fails."""
    monkeypatch.setattr(services, "message_id_for", lambda message: new_message_id())
    rows = deliver_through_an_outage(sink)
    refused_ids = {item.message_id for item in sink.received if not item.accepted}
    accepted_ids = {item.message_id for item in sink.accepted()}
    assert refused_ids.isdisjoint(accepted_ids)
    assert accepted_ids.isdisjoint(row.message_id for row in rows)
