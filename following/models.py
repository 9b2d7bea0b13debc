"""Officers' follows of tools and their saved catalogue searches.

Both tables were created by the catalogue app and keep their names (`Meta.db_table`): the move
to this app changed no row (migrations 0001 here and catalogue 0007 are state-only).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Tool


class Follow(models.Model):
    """An officer follows a tool. Never shown to providers: interest is not a business signal."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)
    # The officer's last look at the tool page: changes published after it are marked.
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # The table and constraint keep their names from when catalogue owned the model (no data moved).
        db_table = "catalogue_follow"
        constraints = [models.UniqueConstraint(fields=["user", "tool"], name="unique_follow")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.tool_id}"


class SavedSearch(models.Model):
    """An officer's catalogue search (its query string), notified of newly published matches."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(_("name"), max_length=120)
    query = models.TextField(max_length=4000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "catalogue_savedsearch"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name
