"""What the outbox keeps of people's addresses: delivered and dead messages are pruned after
their retention, and closing an account takes its address out of every row not in flight."""

from datetime import timedelta

import pytest
from django.core.mail import send_mail
from django.utils import timezone

from accounts import services as accounts_services
from notifications import services
from notifications.jobs import registered_jobs
from notifications.models import OutboxMessage
from testkit import factories

pytestmark = pytest.mark.django_db

CLOSING = "closing.officer@police.example.org"
STAYING = "staying.officer@police.example.org"


@pytest.fixture
def outbox(settings):
    settings.EMAIL_BACKEND = "notifications.backends.OutboxEmailBackend"
    settings.OUTBOX_SENT_RETENTION_DAYS = 30
    settings.OUTBOX_DEAD_RETENTION_DAYS = 90
    return settings


def queue(to, *, subject="A subject", body="A body", state=OutboxMessage.State.PENDING, age=timedelta(0)):
    send_mail(subject, body, "hub@example.org", to)
    message = OutboxMessage.objects.latest("id")
    when = timezone.now() - age
    sent_at = when if state == OutboxMessage.State.SENT else None
    OutboxMessage.objects.filter(pk=message.pk).update(state=state, created_at=when, sent_at=sent_at)
    return message.pk


def recipients() -> list[list[str]]:
    return [message.payload["to"] for message in OutboxMessage.objects.order_by("id")]


def test_delivered_and_dead_messages_go_after_their_retention_waiting_ones_never(outbox):
    sent_old = queue([STAYING], state=OutboxMessage.State.SENT, age=timedelta(days=31))
    sent_new = queue([STAYING], state=OutboxMessage.State.SENT, age=timedelta(days=29))
    dead_old = queue([STAYING], state=OutboxMessage.State.DEAD, age=timedelta(days=91))
    dead_new = queue([STAYING], state=OutboxMessage.State.DEAD, age=timedelta(days=89))
    waiting_old = queue([STAYING], age=timedelta(days=400))
    assert services.prune_outbox() == 2
    left = set(OutboxMessage.objects.values_list("pk", flat=True))
    assert left == {sent_new, dead_new, waiting_old}
    assert not {sent_old, dead_old} & left
    # The worker runs it as a periodic job.
    assert registered_jobs()["prune_outbox"].func is services.prune_outbox


def test_closing_an_account_takes_its_address_out_of_the_outbox(outbox):
    officer = factories.OfficerProfileFactory(verified=True, user__email=CLOSING).user
    queue([CLOSING])  # waiting: must never go to a closed account
    queue([CLOSING], state=OutboxMessage.State.SENT)
    queue(["Closing Officer <Closing.Officer@police.example.org>", STAYING])  # shared with someone
    queue([STAYING], body=f"Write to {CLOSING} for the minutes.")  # named in a text, not a recipient
    claimed = queue([CLOSING], state=OutboxMessage.State.CLAIMED)  # a worker holds it: left alone
    accounts_services.close_account(officer)
    assert recipients() == [[STAYING], [STAYING], [CLOSING]]
    assert OutboxMessage.objects.get(state=OutboxMessage.State.CLAIMED).pk == claimed
    # The claimed row is still pruned with the others once delivered.
    OutboxMessage.objects.filter(pk=claimed).update(
        state=OutboxMessage.State.SENT, sent_at=timezone.now() - timedelta(days=31)
    )
    services.prune_outbox()
    assert all(CLOSING not in str(message.payload["to"]).lower() for message in OutboxMessage.objects.all())


def test_control_without_forgetting_the_closed_account_stays_in_the_outbox(outbox, monkeypatch):
    officer = factories.OfficerProfileFactory(verified=True, user__email=CLOSING).user
    queue([CLOSING])
    monkeypatch.setattr(accounts_services, "forget_recipient", lambda address: 0)
    accounts_services.close_account(officer)
    assert recipients() == [[CLOSING]]
