"""Periodic jobs run by the worker. Each is idempotent and safe to run on several workers.

`notifications` is platform and imports no domain app: each app registers its own jobs
from its `AppConfig.ready()` with `register_periodic_job`, and the worker runs whatever
is registered, in the order it was registered.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

JOB_INTERVAL = timedelta(minutes=10)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    func: Callable  # called as func(now=...)
    every: timedelta


_JOBS: dict[str, PeriodicJob] = {}


def register_periodic_job(name: str, func: Callable, *, every: timedelta = JOB_INTERVAL) -> None:
    """Have the worker call `func(now=...)` at most once per `every` across all workers.

    Registering the same name again replaces the job (ready() may run more than once in tests);
    the name is also its lock's key, so two different jobs may not share one."""
    existing = _JOBS.get(name)
    if existing is not None and existing.func is not func:
        raise ValueError(f"A different periodic job is already registered as {name!r}.")
    _JOBS[name] = PeriodicJob(name=name, func=func, every=every)


def registered_jobs() -> dict[str, PeriodicJob]:
    return dict(_JOBS)


def run_due_jobs(now=None, force=False) -> list[str]:
    """Run each job at most once per its interval across all workers (a cache lock).

    One failing job neither stops the others nor holds its lock: it is tried again on
    the next pass. Failures are logged by exception type only (messages may hold
    personal data).
    """
    now = now or timezone.now()
    ran = []
    for name, job in registered_jobs().items():
        key = f"job-lock:{name}"
        if force or cache.add(key, now.isoformat(), timeout=int(job.every.total_seconds())):
            try:
                job.func(now=now)
            except Exception as exc:  # noqa: BLE001 - the next pass retries
                cache.delete(key)
                logger.error("Periodic job %s failed: %s", name, type(exc).__name__)
                continue
            ran.append(name)
    return ran
