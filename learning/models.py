"""The Learning Centre: articles, modules and PDF resources, per language, with their review.

An `Item` carries what does not depend on the language (kind, section, topics, workflow steps,
audience level, reading time, last review, owner, original language). Each language has one
`ItemText`: the working copy an author edits, with its own status (draft → in review →
published), and the latest published copy that readers see. Every publication is also kept
whole as a `PublishedVersion`, with its date, so readers see the history and coordinators can
open any old version.

Workflow steps are the options of the catalogue's "workflow-steps" question
(`questionnaires.selectors.workflow_steps`): an `ItemStep` stores the option's value, which is
what stays the same across questionnaire versions. Topics are coordinator-edited rows.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from questionnaires.models import translated

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class Kind(models.TextChoices):
    ARTICLE = "article", _("Article")
    MODULE = "module", _("Module")
    RESOURCE = "resource", _("Resource (PDF)")


class Section(models.TextChoices):
    """Where an item sits on the Learning Centre's front page."""

    GENERAL = "general", _("Investigations")
    RESPONSIBLE_AI = "responsible_ai", _("Responsible use of AI")
    WELLBEING = "wellbeing", _("Investigator wellbeing")


class Level(models.TextChoices):
    INTRODUCTORY = "introductory", _("Introductory")
    PRACTITIONER = "practitioner", _("Practitioner")
    SPECIALIST = "specialist", _("Specialist")


class TextStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")


# Which status may follow which; checked by the services that move a text.
TRANSITIONS = {
    TextStatus.DRAFT: {TextStatus.IN_REVIEW},
    TextStatus.IN_REVIEW: {TextStatus.PUBLISHED, TextStatus.DRAFT},
    TextStatus.PUBLISHED: {TextStatus.DRAFT},
}


class Topic(models.Model):
    """A subject an item is about; names per language, edited by coordinators."""

    slug = models.SlugField(unique=True)
    names = models.JSONField(default=dict)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.slug

    @property
    def name(self) -> str:
        return translated(self.names)


def resource_path(instance, filename):
    # Server-generated names only: nothing the uploader typed reaches the file system.
    return f"learning/resources/{uuid.uuid4().hex}.pdf"


def image_path(instance, filename):
    return f"learning/images/{uuid.uuid4().hex}.{instance.extension}"


class Item(models.Model):
    """One piece of learning content, whatever its languages."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ARTICLE)
    section = models.CharField(max_length=20, choices=Section.choices, default=Section.GENERAL)
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.INTRODUCTORY)
    reading_minutes = models.PositiveSmallIntegerField(default=5)
    original_language = models.CharField(max_length=10, choices=settings.LANGUAGES, default="en")
    topics = models.ManyToManyField(Topic, blank=True, related_name="items")
    distressing = models.BooleanField(
        default=False, help_text=_("The item discusses distressing material: readers pass a notice first.")
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    resource = models.FileField(upload_to=resource_path, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Set when the original-language text is first published: from then on readers see the item.
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_reviewed_on = models.DateField(null=True, blank=True, db_index=True)
    review_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return f"learning item {self.slug}"


class ItemStep(models.Model):
    """An item is about a workflow step: the value of an option of the "workflow-steps" question."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="steps")
    step = models.SlugField(max_length=80, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "step"], name="unique_learning_item_step")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.step}"


class ItemText(models.Model):
    """An item in one language: the working copy, its status, and what readers see now."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(max_length=10, choices=TextStatus.choices, default=TextStatus.DRAFT)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=400, blank=True)
    body = models.TextField(blank=True)
    check_text = models.TextField(blank=True)
    review_comment = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The latest publication, copied here so that list pages read one row per language.
    published_title = models.CharField(max_length=200, blank=True)
    published_summary = models.CharField(max_length=400, blank=True)
    published_number = models.PositiveIntegerField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["item_id", "language"]
        constraints = [models.UniqueConstraint(fields=["item", "language"], name="unique_learning_item_language")]

    def __str__(self) -> str:
        return f"{self.item_id} [{self.language}]"

    @property
    def is_published(self) -> bool:
        return self.published_number is not None


class PublishedVersion(models.Model):
    """One publication of an item in one language, kept whole and never changed."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=400, blank=True)
    body = models.TextField(blank=True)
    check_text = models.TextField(blank=True)
    published_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["item_id", "language", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "language", "number"], name="unique_learning_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} [{self.language}] v{self.number}"


class ItemSearchText(models.Model):
    """The words of one published language version, for the hub's free-text search.

    On SQLite, triggers mirror it into an FTS5 table; on PostgreSQL a stored tsvector column
    with a GIN index serves the search (migration 0002), as for the catalogue's tools."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "language"], name="unique_learning_search_language")]

    def __str__(self) -> str:
        return f"search text of {self.item_id} [{self.language}]"


class Image(models.Model):
    """An image for an item's text, re-encoded without metadata when uploaded."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to=image_path)
    content_type = models.CharField(max_length=20)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"learning image {self.public_id}"

    @property
    def extension(self) -> str:
        return "jpg" if self.content_type == "image/jpeg" else "png"


class Contributor(models.Model):
    """A verified officer a coordinator allowed to write learning content."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_contributor")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"contributor {self.user_id}"


class ItemView(models.Model):
    """An officer opened an item (once per officer and item): for the coordinators' aggregates."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    first_viewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="unique_learning_view")]

    def __str__(self) -> str:
        return f"view of {self.item_id}"


class LessonDone(models.Model):
    """An officer marked a lesson of a module (or an article, lesson 0) as done."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lesson = models.PositiveSmallIntegerField()
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "user", "lesson"], name="unique_learning_lesson_done")]

    def __str__(self) -> str:
        return f"lesson {self.lesson} of {self.item_id}"


class Completion(models.Model):
    """An officer completed an item (read an article, did every lesson of a module)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="unique_learning_completion")]

    def __str__(self) -> str:
        return f"completion of {self.item_id}"


class CheckResult(models.Model):
    """The score of an officer's latest attempt at a module's check."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()
    total = models.PositiveSmallIntegerField()
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="unique_learning_check_result")]

    def __str__(self) -> str:
        return f"check of {self.item_id}: {self.score}/{self.total}"
