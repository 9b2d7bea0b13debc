"""Questionnaires as data: versions, sections, questions and options, translated per language.

Coordinators define new versions without a deploy. Texts are stored per language as
{"en": ..., "fr": ...}; a missing language falls back to English (see `translated`).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def translated(texts: dict | None, language: str | None = None) -> str:
    """The text in the active language, else English, else any."""
    if not texts:
        return ""
    language = (language or get_language() or "en").lower()
    for code in (language, language.split("-")[0], "en"):
        if texts.get(code):
            return texts[code]
    return next((value for value in texts.values() if value), "")


class Questionnaire(models.Model):
    """A named questionnaire (the Tools Form, the Responsible AI Questionnaire)."""

    key = models.SlugField(unique=True)
    names = models.JSONField(default=dict)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.key

    @property
    def name(self) -> str:
        return translated(self.names)

    def current_version(self):
        return self.versions.filter(status=QuestionnaireVersion.Status.PUBLISHED).order_by("-number").first()


class QuestionnaireVersion(models.Model):
    """One version of a questionnaire. Only drafts can be edited; the newest published one is current."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["questionnaire", "number"], name="unique_questionnaire_version")]
        ordering = ["questionnaire", "-number"]

    def __str__(self) -> str:
        return f"{self.questionnaire.key} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Section(models.Model):
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField()
    order = models.PositiveSmallIntegerField(default=0)
    titles = models.JSONField(default=dict)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_section_key")]

    def __str__(self) -> str:
        return f"{self.version} / {self.key}"

    @property
    def title(self) -> str:
        return translated(self.titles)


class Question(models.Model):
    """A question of one version. Its `key` is stable across versions and names a criterion."""

    class Type(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        SINGLE_CHOICE = "single_choice", _("Single choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
        YES_NO = "yes_no", _("Yes or no")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        URL = "url", _("Web address")
        FILE = "file", _("PDF file")

    CHOICE_TYPES = {Type.SINGLE_CHOICE, Type.MULTIPLE_CHOICE}
    TEXT_TYPES = {Type.SHORT_TEXT, Type.LONG_TEXT}

    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=80)
    order = models.PositiveSmallIntegerField(default=0)
    type = models.CharField(max_length=20, choices=Type.choices)
    labels = models.JSONField(default=dict)
    help_texts = models.JSONField(default=dict, blank=True)
    required = models.BooleanField(default=False)
    is_criterion = models.BooleanField(default=False)
    # Number questions only: counts (how many agencies) refuse 12.5; measures allow decimals.
    # db_default: rows written through older historical models (the first data migration) read False.
    whole_number = models.BooleanField(default=False, db_default=False)

    class Meta:
        ordering = ["section__order", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_question_key_per_version")]

    def __str__(self) -> str:
        return f"{self.version} / {self.key}"

    @property
    def label(self) -> str:
        return translated(self.labels)

    @property
    def help_text(self) -> str:
        return translated(self.help_texts)

    @property
    def has_options(self) -> bool:
        return self.type in self.CHOICE_TYPES


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    value = models.SlugField(max_length=80)
    order = models.PositiveSmallIntegerField(default=0)
    labels = models.JSONField(default=dict)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["question", "value"], name="unique_option_value")]

    def __str__(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        return translated(self.labels)
