"""Periodic jobs run by the worker. Each is idempotent and safe to run on several workers."""

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

JOB_INTERVAL = timedelta(minutes=10)


def _registered_jobs():
    from accounts.services import disable_inactive_accounts, expire_verifications

    return {"expire_verifications": expire_verifications, "disable_inactive_accounts": disable_inactive_accounts}


def run_due_jobs(now=None, force=False) -> list[str]:
    """Run each job at most once per interval across all workers (a cache lock)."""
    now = now or timezone.now()
    ran = []
    for name, job in _registered_jobs().items():
        if force or cache.add(f"job-lock:{name}", now.isoformat(), timeout=int(JOB_INTERVAL.total_seconds())):
            job(now=now)
            ran.append(name)
    return ran
