"""A mail server for the worker-process test: records each delivery in a file, and can hang.

It runs inside a real `run_worker` process, so it talks to the test through a file
(`WORKER_TEST_RECORD`): "start <Message-ID>" when a delivery begins, "sent <Message-ID>" when
it is done. A message whose subject contains "HANG" stalls (like a stuck SMTP connection)
unless `WORKER_TEST_NO_HANG` is set, so the test can kill the worker in the middle of it.
A message whose subject contains "CRASH" kills the worker (SIGKILL, like a power cut)
right after it was delivered, before the worker could mark it sent, unless
`WORKER_TEST_NO_CRASH` is set.
"""

from __future__ import annotations

import os
import signal
import time

from django.core.mail.backends.base import BaseEmailBackend


def _record(line: str) -> None:
    with open(os.environ["WORKER_TEST_RECORD"], "a", encoding="utf-8") as record:
        record.write(line + "\n")


class RecordingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            message_id = message.extra_headers["Message-ID"]
            _record(f"start {message_id}")
            if "HANG" in message.subject and not os.environ.get("WORKER_TEST_NO_HANG"):
                time.sleep(600)
            _record(f"sent {message_id}")
            if "CRASH" in message.subject and not os.environ.get("WORKER_TEST_NO_CRASH"):
                os.kill(os.getpid(), signal.SIGKILL)
        return len(email_messages)
