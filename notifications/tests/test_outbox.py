"""The durable outbox (SECURITY.md REL-01, REL-02): written with the change; claimed by one
worker at a time; delivered at least once, every attempt with the row's one Message-ID, so a
message sent again after a crash can be recognised as a duplicate by the receiver."""

import logging
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from notifications import services
from notifications.models import OutboxMessage, new_message_id
from notifications.tests.flaky_backend import BrokenBackend, FlakyBackend
from testkit import factories

pytestmark = pytest.mark.django_db

OFFICER_ADDRESS = "canary.officer@police.example.org"
BODY = "Canary body text 7f3a"


@pytest.fixture
def outbox_settings(settings):
    settings.EMAIL_BACKEND = "notifications.backends.OutboxEmailBackend"
    settings.DELIVERY_EMAIL_BACKEND = "notifications.tests.flaky_backend.FlakyBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 4
    settings.OUTBOX_CLAIM_TIMEOUT = timedelta(minutes=5)
    FlakyBackend.reset()
    BrokenBackend.reset()
    return settings


def queue(n=1, to=OFFICER_ADDRESS):
    for i in range(n):
        send_mail(f"Subject {i}", BODY, "hub@example.org", [to])


def run_passes(times=20, step=timedelta(minutes=2)):
    """Worker passes with the clock moving on, so retries with backoff come due."""
    start = timezone.now()
    for i in range(times):
        with time_machine.travel(start + step * i, tick=False):
            services.deliver_due("worker-test")


# --- REL-01: written in the caller's transaction -------------------------------------
class Boom(Exception):
    pass


def test_an_error_after_send_mail_leaves_no_message(outbox_settings):
    with pytest.raises(Boom), transaction.atomic():
        queue()
        assert OutboxMessage.objects.count() == 1
        raise Boom
    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []


def test_a_commit_leaves_exactly_one_message(outbox_settings):
    with transaction.atomic():
        queue()
    message = OutboxMessage.objects.get()
    assert message.state == OutboxMessage.State.PENDING
    assert message.payload["to"] == [OFFICER_ADDRESS]
    assert message.payload["body"] == BODY
    # Nothing was sent by the request itself: that is the worker's job.
    assert FlakyBackend.calls == 0


def test_html_alternatives_and_attachments_survive_the_queue(outbox_settings):
    email = EmailMultiAlternatives("Hi", "text", "hub@example.org", ["a@example.org"], cc=["c@example.org"])
    email.attach_alternative("<p>html</p>", "text/html")
    email.attach("note.txt", b"attached bytes", "text/plain")
    email.send()
    services.deliver_due("w")
    [sent] = FlakyBackend.messages
    assert sent.alternatives[0][0] == "<p>html</p>"
    filename, content, mimetype = sent.attachments[0]
    assert (filename, mimetype) == ("note.txt", "text/plain")
    assert content in ("attached bytes", b"attached bytes")
    assert sent.cc == ["c@example.org"]


# --- REL-02: exclusive claims, at-least-once delivery, one Message-ID per row --------
def test_a_failing_mail_server_then_recovery_delivers_every_message_once(outbox_settings):
    queue(5)
    FlakyBackend.reset(failures=7)  # the first pass fails all five, the next two more
    run_passes()
    assert OutboxMessage.objects.filter(state=OutboxMessage.State.SENT).count() == 5
    assert len(FlakyBackend.delivered) == 5
    assert set(FlakyBackend.delivered.values()) == {1}
    assert sorted(FlakyBackend.delivered) == sorted(
        services.message_id_for(message) for message in OutboxMessage.objects.all()
    )
    # The ones that failed were tried again, and the error was kept meanwhile but cleared.
    assert OutboxMessage.objects.filter(attempts__gte=2).count() == 5
    assert not OutboxMessage.objects.exclude(last_error="").exists()


def test_failures_back_off_before_the_next_attempt(outbox_settings):
    queue()
    FlakyBackend.reset(failures=100)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert services.deliver_due("w") == (0, 1)
        # Not due again right away.
        assert services.deliver_due("w") == (0, 0)
    with time_machine.travel(start + timedelta(seconds=31), tick=False):
        assert services.deliver_due("w") == (0, 1)
    message = OutboxMessage.objects.get()
    assert message.attempts == 2
    assert message.due_at >= start + timedelta(seconds=31) + timedelta(seconds=60)


def test_a_message_that_keeps_failing_goes_dead_after_the_maximum(outbox_settings):
    outbox_settings.DELIVERY_EMAIL_BACKEND = "notifications.tests.flaky_backend.BrokenBackend"
    queue()
    run_passes(times=30, step=timedelta(hours=1))
    message = OutboxMessage.objects.get()
    assert message.state == OutboxMessage.State.DEAD
    assert message.attempts == 4
    assert BrokenBackend.calls == 4  # no attempt after it gave up
    assert message.last_error.startswith("SMTPRecipientsRefused")
    # The refused address quoted by the server does not reach the dead-letter record.
    assert OFFICER_ADDRESS not in message.last_error


def test_a_message_left_by_a_worker_that_crashed_before_sending_is_reclaimed_and_sent_once(outbox_settings):
    queue()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        [claimed] = services.claim_batch("crashed-worker")
        # The crashed worker counted its attempt and then died mid-send.
        OutboxMessage.objects.filter(id=claimed.id).update(attempts=1)
        assert services.deliver_due("healthy-worker") == (0, 0)  # still claimed
    with time_machine.travel(start + timedelta(minutes=4), tick=False):
        assert services.deliver_due("healthy-worker") == (0, 0)  # not stale yet
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        assert services.deliver_due("healthy-worker") == (1, 0)
    run_passes(times=3, step=timedelta(minutes=10))
    message = OutboxMessage.objects.get()
    assert message.state == OutboxMessage.State.SENT
    assert message.attempts == 2
    assert list(FlakyBackend.delivered.values()) == [1]


def test_a_slow_worker_whose_claim_was_taken_over_does_not_send_again(outbox_settings):
    queue()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        [slow] = services.claim_batch("slow-worker")
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        [fast] = services.claim_batch("fast-worker")
        assert services.deliver(fast)
        # The slow worker wakes up with its stale copy of the row.
        assert not services.deliver(slow)
    assert list(FlakyBackend.delivered.values()) == [1]
    assert OutboxMessage.objects.get().state == OutboxMessage.State.SENT


def test_a_message_that_crashes_every_worker_ends_dead_not_in_a_loop(outbox_settings):
    queue()
    start = timezone.now()
    for i in range(4):
        with time_machine.travel(start + timedelta(minutes=10 * i), tick=False):
            [message] = services.claim_batch(f"worker-{i}")
            # Counts its attempt, then dies before the send finishes.
            OutboxMessage.objects.filter(id=message.id).update(attempts=message.attempts + 1)
    with time_machine.travel(start + timedelta(minutes=60), tick=False):
        assert services.deliver_due("healthy-worker") == (0, 1)
    message = OutboxMessage.objects.get()
    assert message.state == OutboxMessage.State.DEAD
    assert message.attempts == 4
    assert "worker stopped" in message.last_error
    assert FlakyBackend.calls == 0


def test_two_workers_never_claim_the_same_row(outbox_settings):
    queue(5)
    first = services.claim_batch("worker-a", limit=3)
    second = services.claim_batch("worker-b", limit=10)
    assert len(first) == 3
    assert len(second) == 2
    assert not {m.id for m in first} & {m.id for m in second}
    assert services.claim_batch("worker-c") == []
    assert set(OutboxMessage.objects.values_list("claimed_by", flat=True)) == {"worker-a", "worker-b"}


def test_a_claim_based_on_a_stale_read_loses(outbox_settings):
    """Both workers read the same due rows; only the first conditional update wins."""
    queue(2)
    read_by_b = services.due_candidates()
    claimed_by_a = services.claim_batch("worker-a")
    assert len(claimed_by_a) == 2
    assert [services.try_claim(candidate, "worker-b") for candidate in read_by_b] == [None, None]
    assert set(OutboxMessage.objects.values_list("claimed_by", flat=True)) == {"worker-a"}


def test_future_messages_wait(outbox_settings):
    queue()
    OutboxMessage.objects.update(due_at=timezone.now() + timedelta(minutes=1))
    assert services.deliver_due("w") == (0, 0)


def test_delivering_through_the_outbox_itself_is_refused(outbox_settings):
    outbox_settings.DELIVERY_EMAIL_BACKEND = "notifications.backends.OutboxEmailBackend"
    queue()
    with pytest.raises(Exception, match="DELIVERY_EMAIL_BACKEND"):
        services.deliver_due("w")
    assert OutboxMessage.objects.count() == 1


# --- the crash window: sent, but not yet marked sent ----------------------------------
class WorkerDied(Exception):
    """Stands for the worker process dying (SIGKILL, power loss) at that point."""


def test_the_message_id_is_fixed_when_the_row_is_created_and_unique(outbox_settings):
    outbox_settings.DEFAULT_FROM_EMAIL = "SaferHub <no-reply@hub.example.org>"
    email = EmailMultiAlternatives("Hi", "text", None, ["a@example.org"], headers={"Message-ID": "<caller@x.example>"})
    email.send()
    queue(2)
    ids = list(OutboxMessage.objects.values_list("message_id", flat=True))
    assert len(set(ids)) == 3
    assert all(id_.startswith("<") and id_.endswith("@hub.example.org>") for id_ in ids)
    services.deliver_due("w")
    # What goes on the wire is the row's Message-ID, whatever the caller set.
    assert sorted(message.message()["Message-ID"] for message in FlakyBackend.messages) == sorted(ids)


def crash_between_send_and_mark_sent(monkeypatch) -> OutboxMessage:
    """One message; the first worker dies right after the mail server accepted it; the
    worker passes that follow (before and after the claim timeout) deliver it."""
    queue()
    row = OutboxMessage.objects.get()
    start = timezone.now()

    def die(message):
        raise WorkerDied

    with monkeypatch.context() as patch, time_machine.travel(start, tick=False):
        # The mail server accepts the message, then the worker dies before recording it.
        patch.setattr(services, "_mark_sent", die)
        err = StringIO()
        call_command("run_worker", "--once", stdout=StringIO(), stderr=err)
    assert "Delivery pass failed: WorkerDied" in err.getvalue()
    assert len(FlakyBackend.messages) == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == (OutboxMessage.State.CLAIMED, 1)

    with time_machine.travel(start + timedelta(minutes=4), tick=False):
        call_command("run_worker", "--once", stdout=StringIO(), stderr=StringIO())
    assert len(FlakyBackend.messages) == 1  # the claim still holds: nobody sends it meanwhile
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        out = StringIO()
        call_command("run_worker", "--once", stdout=out, stderr=StringIO())
    assert "Delivered 1, failed 0." in out.getvalue()
    run_passes(times=3, step=timedelta(minutes=10))
    row.refresh_from_db()
    return row


def test_a_worker_that_dies_after_the_send_before_marking_it_sent_causes_a_duplicate_with_the_same_message_id(
    outbox_settings, monkeypatch
):
    row = crash_between_send_and_mark_sent(monkeypatch)
    # Delivered twice (at least once), both times with the identical Message-ID header.
    assert [message.message()["Message-ID"] for message in FlakyBackend.messages] == [row.message_id] * 2
    assert FlakyBackend.delivered == {row.message_id: 2}
    assert (row.state, row.attempts) == (OutboxMessage.State.SENT, 2)
    assert OutboxMessage.objects.filter(state=OutboxMessage.State.SENT).count() == 1


def test_control_a_message_id_made_per_attempt_would_be_caught(outbox_settings, monkeypatch):
    """If each attempt made up its own Message-ID, the duplicate could not be recognised,
    and the check of the test above sees it."""
    monkeypatch.setattr(services, "message_id_for", lambda message: new_message_id())
    row = crash_between_send_and_mark_sent(monkeypatch)
    headers = [message.message()["Message-ID"] for message in FlakyBackend.messages]
    assert len(headers) == 2
    assert headers != [row.message_id] * 2
    assert len(set(headers)) == 2


def test_a_send_that_outlasts_its_claim_is_duplicated_with_the_same_message_id(outbox_settings, caplog):
    queue()
    row = OutboxMessage.objects.get()
    start = timezone.now()

    class SlowServer(FlakyBackend):
        """Takes so long that the claim expires and another worker sends the row too."""

        def send_messages(self, email_messages):
            with time_machine.travel(start + timedelta(minutes=6), tick=False):
                assert services.deliver_due("fast-worker") == (1, 0)
            return super().send_messages(email_messages)

    with time_machine.travel(start, tick=False):
        [slow] = services.claim_batch("slow-worker")
        with caplog.at_level(logging.WARNING):
            services.deliver(slow, connection=SlowServer())
    assert FlakyBackend.delivered == {row.message_id: 2}
    assert "claim had been taken over" in caplog.text
    row.refresh_from_db()
    assert (row.state, row.claimed_by) == (OutboxMessage.State.SENT, "fast-worker")


# --- the worker command -----------------------------------------------------------------
def test_run_worker_once_delivers_and_exits(outbox_settings):
    queue(2)
    out, err = StringIO(), StringIO()
    call_command("run_worker", "--once", stdout=out, stderr=err)
    assert "Delivered 2, failed 0." in out.getvalue()
    assert OutboxMessage.objects.filter(state=OutboxMessage.State.SENT).count() == 2
    assert len(FlakyBackend.delivered) == 2


def test_the_worker_never_logs_addresses_or_bodies(outbox_settings, caplog):
    outbox_settings.DELIVERY_EMAIL_BACKEND = "notifications.tests.flaky_backend.BrokenBackend"
    queue(2)
    out, err = StringIO(), StringIO()
    with caplog.at_level(logging.DEBUG):
        call_command("run_worker", "--once", stdout=out, stderr=err)
        run_passes(times=10, step=timedelta(hours=1))
    assert "failed 2" in out.getvalue()
    assert caplog.records, "the failures are logged"
    captured = out.getvalue() + err.getvalue() + "\n".join(r.getMessage() for r in caplog.records)
    assert OFFICER_ADDRESS not in captured
    assert "police.example.org" not in captured
    assert BODY not in captured
    assert "Subject 0" not in captured


def test_a_failing_delivery_pass_keeps_the_worker_quiet_about_details(outbox_settings, monkeypatch, caplog):
    queue()

    def explode(*args, **kwargs):
        raise RuntimeError(f"connection to {OFFICER_ADDRESS} failed")

    monkeypatch.setattr("notifications.management.commands.run_worker.deliver_due", explode)
    out, err = StringIO(), StringIO()
    call_command("run_worker", "--once", stdout=out, stderr=err)
    assert "Delivery pass failed: RuntimeError" in err.getvalue()
    assert OFFICER_ADDRESS not in err.getvalue() + "\n".join(r.getMessage() for r in caplog.records)
    assert OutboxMessage.objects.get().state == OutboxMessage.State.PENDING


def test_describe_error_removes_addresses():
    text = services.describe_error(ValueError("refused <a.b@x.example> and 'c@d.org', \"e@f.org\""))
    assert "@" not in text
    assert text.startswith("ValueError")


# --- retrying dead messages ---------------------------------------------------------
def test_retry_dead_requeues_only_dead_messages_and_records_it(outbox_settings):
    coordinator = factories.CoordinatorFactory()
    dead = factories.OutboxMessageFactory(state=OutboxMessage.State.DEAD, attempts=4, last_error="X")
    sent = factories.OutboxMessageFactory(state=OutboxMessage.State.SENT, attempts=1)
    assert services.retry_dead([dead.id, sent.id], by=coordinator) == 1
    dead.refresh_from_db()
    sent.refresh_from_db()
    assert (dead.state, dead.attempts) == (OutboxMessage.State.PENDING, 0)
    assert sent.state == OutboxMessage.State.SENT
    services.deliver_due("w")
    assert len(FlakyBackend.delivered) == 1
    from audit.models import Action, AuditEvent

    event = AuditEvent.objects.get(action=Action.OUTBOX_RETRIED)
    assert event.actor == coordinator
    assert event.after == {"count": 1, "message_ids": [dead.id]}


# --- periodic jobs ----------------------------------------------------------------
@pytest.fixture
def only_these_jobs(monkeypatch):
    """An empty job registry for the test; the apps' own jobs are back afterwards."""
    from notifications import jobs

    monkeypatch.setattr(jobs, "_JOBS", {})
    return jobs


def test_periodic_jobs_run_once_per_interval_and_a_failure_does_not_stop_the_others(only_these_jobs, caplog):
    jobs = only_these_jobs
    calls = []

    def failing(now):
        calls.append("failing")
        raise RuntimeError(f"could not reach {OFFICER_ADDRESS}")

    jobs.register_periodic_job("failing", failing)
    jobs.register_periodic_job("fine", lambda now: calls.append("fine"))
    assert jobs.run_due_jobs() == ["fine"]
    # The fine job holds its lock for the interval; the failed one is tried again.
    assert jobs.run_due_jobs() == []
    assert calls == ["failing", "fine", "failing"]
    assert OFFICER_ADDRESS not in caplog.text
    assert "RuntimeError" in caplog.text


def test_each_job_keeps_its_own_interval(only_these_jobs):
    jobs = only_these_jobs
    calls = []
    jobs.register_periodic_job("hourly", lambda now: calls.append("hourly"), every=timedelta(hours=1))
    jobs.register_periodic_job("default", lambda now: calls.append("default"))
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert jobs.run_due_jobs() == ["hourly", "default"]
    with time_machine.travel(start + jobs.JOB_INTERVAL + timedelta(seconds=1), tick=False):
        assert jobs.run_due_jobs() == ["default"]
    with time_machine.travel(start + timedelta(hours=1, seconds=1), tick=False):
        assert jobs.run_due_jobs() == ["hourly", "default"]


def test_two_different_jobs_cannot_share_a_name_and_lock(only_these_jobs):
    jobs = only_these_jobs
    jobs.register_periodic_job("reminders", print)
    jobs.register_periodic_job("reminders", print)  # ready() run again: harmless
    with pytest.raises(ValueError, match="reminders"):
        jobs.register_periodic_job("reminders", repr)


def test_the_apps_register_their_jobs_every_ten_minutes():
    from accounts.services import delete_disused_accounts, disable_inactive_accounts, expire_verifications
    from catalogue.updates import send_confirmation_reminders
    from events.jobs import remind_registrants
    from learning.services import remind_overdue_reviews
    from notifications.jobs import registered_jobs
    from withdrawals.services import pseudonymise_departed_organisations

    registered = {name: (job.func, job.every) for name, job in registered_jobs().items()}
    assert registered == {
        "expire_verifications": (expire_verifications, timedelta(minutes=10)),
        "disable_inactive_accounts": (disable_inactive_accounts, timedelta(minutes=10)),
        "delete_disused_accounts": (delete_disused_accounts, timedelta(minutes=10)),
        "confirmation_reminders": (send_confirmation_reminders, timedelta(minutes=10)),
        "events.reminders": (remind_registrants, timedelta(minutes=10)),
        "learning_overdue_reviews": (remind_overdue_reviews, timedelta(minutes=10)),
        "pseudonymise_departed_organisations": (pseudonymise_departed_organisations, timedelta(minutes=10)),
        "prune_outbox": (services.prune_outbox, timedelta(minutes=10)),
    }


def test_the_worker_runs_every_periodic_job_and_then_delivers_what_they_send(outbox_settings):
    """Verification expiry, 90-day inactivity and confirmation reminders, all from `run_worker`."""
    from accounts.models import OfficerProfile
    from catalogue.models import Tool
    from notifications.models import Kind, Notification

    long_ago = timezone.now() - timedelta(days=200)
    expired = factories.OfficerProfileFactory(verified=True, user__last_login=timezone.now())
    OfficerProfile.objects.filter(pk=expired.pk).update(verified_until=timezone.now() - timedelta(days=1))
    with time_machine.travel(long_ago, tick=False):
        idle = factories.OfficerProfileFactory(verified=True).user
    member = factories.MembershipFactory().user
    tool = factories.ToolFactory(organisation=member.membership.organisation, published=True)
    Tool.objects.filter(pk=tool.pk).update(last_confirmed_at=long_ago)

    call_command("run_worker", "--once", stdout=StringIO(), stderr=StringIO())
    expired.refresh_from_db()
    idle.refresh_from_db()
    assert expired.status == OfficerProfile.Status.EXPIRED
    assert not idle.is_active and idle.disabled_for_inactivity_at is not None
    assert Notification.objects.filter(user=member, kind=Kind.TOOL_CONFIRMATION).count() == 1
    queued = OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING).count()
    assert queued >= 2  # the expiry notice and the reminder, at least

    out = StringIO()
    call_command("run_worker", "--once", stdout=out, stderr=StringIO())
    assert f"Delivered {queued}, failed 0." in out.getvalue()
    delivered_to = {address for message in FlakyBackend.messages for address in message.to}
    assert {expired.user.email, member.email} <= delivered_to
