"""What the start pages remember: when an officer last looked at theirs."""

from django.conf import settings
from django.db import models


class HomeVisit(models.Model):
    """When the officer last opened their start page (`seen_at`, updated on every load).

    The page lists what is new since the *previous* visit: the session keeps that time from its
    first page load (home.services.since_last_visit), so reloading the page, or coming back to it
    within the same session, does not make the list vanish before it was read. A row of its own
    rather than a field on User: it changes on every load, and only this app reads it.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+")
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user_id} last saw home at {self.seen_at:%Y-%m-%d %H:%M}"
