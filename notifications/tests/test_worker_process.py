"""REL-02 with real processes: a worker killed (SIGKILL) in the middle of a delivery leaves
nothing undelivered, and what it had already marked sent is not sent again; a worker killed
after the mail server accepted a message but before marking it sent causes one repeated
delivery, with the same Message-ID (at least once, recognisable as a duplicate).

The workers run as `manage.py run_worker` subprocesses on their own SQLite file, so the test
does not use the test database and runs the same way in the SQLite and PostgreSQL CI runs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 5
HUNG = 2  # the third message stalls in the mail server while the worker is killed


def _manage(env, *args, timeout=120):
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def _lines(record: Path, kind: str) -> Counter:
    if not record.exists():
        return Counter()
    return Counter(line.split(" ", 1)[1] for line in record.read_text().splitlines() if line.startswith(kind + " "))


def make_hub(tmp_path, subjects):
    record = tmp_path / "deliveries.txt"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'hub.sqlite3'}",
        "REDIS_URL": "",
        "DELIVERY_EMAIL_BACKEND": "notifications.tests.recording_backend.RecordingBackend",
        "WORKER_TEST_RECORD": str(record),
        "OUTBOX_CLAIM_TIMEOUT_SECONDS": "2",
    }
    migrated = _manage(env, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    queue = (
        "from django.core.mail import send_mail\n"
        f"for i, subject in enumerate({subjects!r}):\n"
        "    send_mail(subject, 'Body', None, [f'officer{i}@example.org'])\n"
    )
    queued = _manage(env, "shell", "-c", queue)
    assert queued.returncode == 0, queued.stderr[-2000:]
    return env, record


def _states(env) -> list[str]:
    states = _manage(
        env,
        "shell",
        "-c",
        "from notifications.models import OutboxMessage\n"
        "print(sorted(OutboxMessage.objects.values_list('state', flat=True)))",
    )
    return states.stdout.strip().splitlines()[-1]


@pytest.fixture
def hub(tmp_path):
    return make_hub(tmp_path, [("HANG " if i == HUNG else "") + f"Message {i}" for i in range(MESSAGES)])


def test_a_worker_killed_mid_delivery_leaves_nothing_undelivered(hub):
    env, record = hub
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while len(_lines(record, "start")) <= HUNG and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(_lines(record, "start")) == HUNG + 1, "the worker never reached the stalled message"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    sent_before = _lines(record, "sent")
    assert len(sent_before) == HUNG  # killed mid-delivery: the stalled message was not sent

    time.sleep(2.5)  # the dead worker's claims go stale
    recovered = {**env, "WORKER_TEST_NO_HANG": "1"}
    for _ in range(3):
        result = _manage(recovered, "run_worker", "--once")
        assert result.returncode == 0, result.stderr[-2000:]
        if len(_lines(record, "sent")) == MESSAGES:
            break

    sent = _lines(record, "sent")
    assert len(sent) == MESSAGES and set(sent.values()) == {1}, sent  # every message, each once
    assert set(sent_before) <= set(sent)
    assert _states(env) == str(["sent"] * MESSAGES)


def test_a_worker_killed_after_the_send_before_marking_it_sent_delivers_it_again_with_the_same_message_id(tmp_path):
    env, record = make_hub(tmp_path, ["CRASH Message"])
    crashed = _manage(env, "run_worker", "--once")
    assert crashed.returncode == -signal.SIGKILL
    [(message_id, count)] = _lines(record, "sent").items()
    assert count == 1

    time.sleep(2.5)  # the dead worker's claim goes stale
    result = _manage({**env, "WORKER_TEST_NO_CRASH": "1"}, "run_worker", "--once")
    assert result.returncode == 0, result.stderr[-2000:]
    # Delivered again, with the identical Message-ID, and the row is now done.
    assert _lines(record, "sent") == {message_id: 2}
    assert _states(env) == str(["sent"])
