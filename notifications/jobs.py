"""Periodic jobs run by the worker. Each is idempotent and safe to run on several workers."""

import logging
from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

JOB_INTERVAL = timedelta(minutes=10)

logger = logging.getLogger(__name__)


def _registered_jobs():
    from accounts.services import disable_inactive_accounts, expire_verifications
    from catalogue.updates import send_confirmation_reminders

    return {
        "expire_verifications": expire_verifications,
        "disable_inactive_accounts": disable_inactive_accounts,
        "confirmation_reminders": send_confirmation_reminders,
    }


def run_due_jobs(now=None, force=False) -> list[str]:
    """Run each job at most once per interval across all workers (a cache lock).

    One failing job neither stops the others nor holds its lock: it is tried again on
    the next pass. Failures are logged by exception type only (messages may hold
    personal data).
    """
    now = now or timezone.now()
    ran = []
    for name, job in _registered_jobs().items():
        key = f"job-lock:{name}"
        if force or cache.add(key, now.isoformat(), timeout=int(JOB_INTERVAL.total_seconds())):
            try:
                job(now=now)
            except Exception as exc:  # noqa: BLE001 - the next pass retries
                cache.delete(key)
                logger.error("Periodic job %s failed: %s", name, type(exc).__name__)
                continue
            ran.append(name)
    return ran
