"""What discovery keeps: the free-text search index of each tool and the aggregate exposure counts.

Both tables were created by the catalogue app and keep their names (`Meta.db_table`): the move
to this app changed no row (migrations 0001 here and catalogue 0008 are state-only).
"""

from django.db import models
from django.utils import timezone

from catalogue.models import Tool


class ExposureCount(models.Model):
    """How often a tool was shown in a result-position bucket on a day: aggregate only, never per officer."""

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    position_bucket = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "catalogue_exposurecount"
        constraints = [
            models.UniqueConstraint(fields=["tool", "day", "position_bucket"], name="unique_exposure_bucket")
        ]

    def __str__(self) -> str:
        return f"{self.tool_id} {self.day} {self.position_bucket}: {self.count}"


class ToolSearchText(models.Model):
    """The words of a tool that free-text search looks at (name, descriptions, free-text answers).

    Kept up to date by `discovery.search.index_tool`. On SQLite, triggers mirror it into an FTS5
    table; on PostgreSQL a GIN index over its tsvector serves the search (catalogue migrations
    0002 and 0004, which created the table and whose raw SQL names it).
    """

    tool = models.OneToOneField(Tool, on_delete=models.CASCADE, primary_key=True, related_name="search_text")
    text = models.TextField(blank=True)
    # {questionnaire version id: questions of it the tool answered}, written with the text, so a
    # result card's completeness is one small row, not every answer of the tool.
    answered = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "catalogue_toolsearchtext"

    def __str__(self) -> str:
        return f"search text of {self.tool_id}"


class Concept(models.Model):
    """A concept of the field (e.g. hash matching) named by terms in several languages.

    A search whose words hold one of its terms also looks for the others (`discovery.thesaurus`);
    coordinators keep the list."""

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        first = next(iter(self.terms.all()), None)
        return first.text if first is not None else f"concept {self.pk}"


class Term(models.Model):
    """One name of a concept in one of the hub's languages."""

    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="terms")
    language = models.CharField(max_length=10)
    text = models.CharField(max_length=200)

    class Meta:
        ordering = ["concept", "language", "id"]
        constraints = [
            models.UniqueConstraint(fields=["concept", "language", "text"], name="unique_thesaurus_term"),
        ]

    def __str__(self) -> str:
        return self.text


class SearchTextStamp(models.Model):
    """One row whose `mark` a database trigger draws again whenever any search text is written or
    removed, by whatever path (signals, bulk loads, SQL by hand): the criteria indexes of the app
    servers compare it on every search, one read by primary key (migration 0006)."""

    mark = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"search texts stamp {self.mark}"
