"""The officer's visits to their start page: what counts as "new since your last visit"."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .models import HomeVisit

# The session keeps the time of the previous visit from its first page load: the start page
# shows the same news until the session ends (30 minutes idle at most, config/settings.py).
SESSION_KEY = "home_previous_visit"
# Someone who never opened the page sees what is new in the last few weeks, not the whole catalogue.
FIRST_VISIT_WINDOW = datetime.timedelta(days=30)
FIRST_VISIT = "first"


def since_last_visit(user, session, *, now: datetime.datetime | None = None) -> tuple[datetime.datetime, bool]:
    """(the time news is counted from, whether the officer visited before) and record this visit.

    Not audited: like a followed tool's last-seen time it records that a page was read, and
    changes nothing anyone decides on."""
    now = now or timezone.now()
    stored = session.get(SESSION_KEY)
    if stored is None:
        previous = HomeVisit.objects.filter(user=user).values_list("seen_at", flat=True).first()
        stored = previous.isoformat() if previous else FIRST_VISIT
        session[SESSION_KEY] = stored
    if not HomeVisit.objects.filter(user=user).update(seen_at=now):
        # The first visit; two tabs at once: the second one's row is already there.
        HomeVisit.objects.get_or_create(user=user, defaults={"seen_at": now})
    if stored == FIRST_VISIT:
        return now - FIRST_VISIT_WINDOW, False
    since = parse_datetime(stored)
    if since is None:  # a session written by another version: start afresh
        return now - FIRST_VISIT_WINDOW, False
    return since, True
