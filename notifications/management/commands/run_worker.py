"""The background worker: delivers the outbox and runs periodic jobs.

Its output names messages by id only: never an address, a subject or a body.
"""

import logging
import signal
import socket
import time
import uuid

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from notifications import jobs
from notifications.services import deliver_due

logger = logging.getLogger("notifications.worker")


class Command(BaseCommand):
    help = "Deliver queued email and run periodic jobs until stopped (or once with --once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one pass and exit.")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between passes.")

    def handle(self, *args, once=False, interval=2.0, **options):
        worker_id = f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}"
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        if not once:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Worker {worker_id} started.")
        while not stopping:
            if not connection.in_atomic_block:  # inside one only when called from a test
                # Drop a connection the database closed (restart) or that is too old.
                close_old_connections()
            sent = failed = 0
            try:
                sent, failed = deliver_due(worker_id)
            except Exception as exc:  # noqa: BLE001 - keep the worker alive; the rows stay queued
                # The exception text may quote addresses (SMTP errors do): type only.
                self._error(f"Delivery pass failed: {type(exc).__name__}")
            try:
                jobs.run_due_jobs()
            except Exception as exc:  # noqa: BLE001 - a failing job must not stop delivery
                self._error(f"Periodic jobs failed: {type(exc).__name__}")
            if sent or failed:
                self.stdout.write(f"Delivered {sent}, failed {failed}.")
            if once:
                break
            if not sent:
                time.sleep(interval)
        self.stdout.write(f"Worker {worker_id} stopped.")

    def _error(self, text: str) -> None:
        self.stderr.write(text)
        logger.error(text)
