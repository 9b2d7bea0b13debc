"""The background worker: delivers the outbox and runs periodic jobs."""

import signal
import socket
import time
import uuid

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from notifications import jobs
from notifications.services import deliver_due


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

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Worker {worker_id} started.")
        while not stopping:
            close_old_connections()
            try:
                sent, failed = deliver_due(worker_id)
                jobs.run_due_jobs()
            except Exception as exc:  # noqa: BLE001 - keep the worker alive; the row stays queued
                self.stderr.write(f"Worker pass failed: {type(exc).__name__}: {exc}")
                sent = failed = 0
            if sent or failed:
                self.stdout.write(f"Delivered {sent}, failed {failed}.")
            if once:
                break
            if not sent:
                time.sleep(interval)
        self.stdout.write(f"Worker {worker_id} stopped.")
