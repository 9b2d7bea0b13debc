"""Reading answers against the current questionnaire versions.

Answers are matched to the current versions' questions by `question_key`: an answer
given to an older version of the same question still counts, a question added later shows
as not answered.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from questionnaires.models import Question

from .models import Answer, Tool


def answers_by_key(tool: Tool) -> dict[str, Answer]:
    """The newest answer per question key (one query)."""
    latest: dict[str, Answer] = {}
    for answer in tool.answers.order_by("answered_at", "id"):
        latest[answer.question_key] = answer
    return latest


def is_answered(answer: Answer | None) -> bool:
    if answer is None:
        return False
    value = answer.value
    if value is None:
        return False
    return not (isinstance(value, (str, list, dict)) and not value)


def localised_text(answer: Answer, language: str | None = None) -> tuple[str, bool]:
    """A free-text answer in the reader's language if the provider gave one.
    Returns (text, is_original) so pages can say when they fall back to the original."""
    language = (language or get_language() or "en").lower()
    translations = answer.translations or {}
    for code in (language, language.split("-")[0]):
        if translations.get(code):
            return translations[code], False
    return str(answer.value), True


@dataclass
class DisplayAnswer:
    """What a page or export shows for one question."""

    question: Question
    answered: bool
    text: str = ""
    items: list[str] | None = None
    is_original_language: bool = True
    attachment_id: str | None = None
    # The language of a translated free-text answer shown ("" for the original).
    language: str = ""
    # The language `text` is written in when it is not the reader's: free text shown as the
    # provider wrote it. None for a translation, an option label, yes/no or a number.
    text_language: str | None = None


OPTION_LABELS = "_option_labels"


def option_labels(question: Question) -> dict[str, str]:
    """{value: label in the active language} of the question's options, kept on the question per
    language: a comparison asked for them once per cell (some 300 times a page, every label
    translated each time), and the current versions' questions live only as long as their
    questionnaire token."""
    kept = question.__dict__.setdefault(OPTION_LABELS, {})
    language = get_language()
    labels = kept.get(language)
    if labels is None:
        labels = kept[language] = {option.value: option.label for option in question.options.all()}
    return labels


def format_answer(
    question: Question, answer: Answer | None, language: str | None = None, *, original_language: str | None = None
) -> DisplayAnswer:
    """Turn a stored answer into display text for `question` (of the current version).
    `original_language` is the tool's `text_language`, given to mark untranslated free text."""
    if not is_answered(answer):
        return DisplayAnswer(question=question, answered=False)
    value = answer.value
    labels = option_labels(question) if question.has_options else {}
    if question.type == Question.Type.MULTIPLE_CHOICE:
        values = value if isinstance(value, list) else [value]
        items = [labels.get(v, v) for v in values]
        return DisplayAnswer(
            question=question,
            answered=True,
            text=pgettext("separator between items of a list", ", ").join(items),
            items=items,
        )
    if question.type == Question.Type.SINGLE_CHOICE:
        return DisplayAnswer(question=question, answered=True, text=labels.get(value, str(value)))
    if question.type == Question.Type.YES_NO:
        return DisplayAnswer(question=question, answered=True, text=_("Yes") if value else _("No"))
    if question.type == Question.Type.DATE:
        try:
            text = datetime.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            text = str(value)
        return DisplayAnswer(question=question, answered=True, text=text)
    if question.type == Question.Type.NUMBER:
        return DisplayAnswer(question=question, answered=True, text=str(number_value(value)))
    if question.type == Question.Type.FILE:
        return DisplayAnswer(question=question, answered=True, text=str(value), attachment_id=str(value))
    if question.type in Question.TEXT_TYPES:
        text, original = localised_text(answer, language)
        code = "" if original else (language or get_language() or "en").lower()
        return DisplayAnswer(
            question=question,
            answered=True,
            text=text,
            is_original_language=original,
            language=code,
            text_language=original_language if original else None,
        )
    return DisplayAnswer(question=question, answered=True, text=str(value))


def number_value(value):
    """A stored number as people read it: 12, not 12.0 (a JSON number may come back as a float)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def api_value(question: Question, answer: Answer | None):
    """The answer as scripts get it: null when unanswered, a list for multiple choice."""
    if not is_answered(answer):
        return None
    if question.type == Question.Type.MULTIPLE_CHOICE:
        return answer.value if isinstance(answer.value, list) else [answer.value]
    if question.type == Question.Type.NUMBER:
        return number_value(answer.value)
    return answer.value


def completeness(tool: Tool, versions, answers: dict[str, Answer] | None = None) -> dict[str, tuple[int, int]]:
    """{questionnaire key: (answered, total)} against the given (current) versions."""
    answers = answers if answers is not None else answers_by_key(tool)
    result = {}
    for version in versions:
        questions = list(version.questions.all())
        answered = sum(1 for question in questions if is_answered(answers.get(question.key)))
        result[version.questionnaire.key] = (answered, len(questions))
    return result


@dataclass
class SectionProgress:
    """How far the provider got in one section of a questionnaire version."""

    section: object
    questions: list[Question]
    answered: int
    missing_required: list[Question]

    @property
    def total(self) -> int:
        return len(self.questions)

    @property
    def complete(self) -> bool:
        return self.answered == self.total


def section_progress(version, answers: dict[str, Answer]) -> list[SectionProgress]:
    """The version's sections that have questions, in order, with their progress (no query
    when the version comes from `current_versions`)."""
    by_section: dict[int, list[Question]] = {}
    for question in version.questions.all():
        by_section.setdefault(question.section_id, []).append(question)
    result = []
    for section in version.sections.all():
        questions = by_section.get(section.pk)
        if not questions:
            continue
        answered = [question for question in questions if is_answered(answers.get(question.key))]
        missing = [question for question in questions if question.required and question not in answered]
        result.append(SectionProgress(section, questions, len(answered), missing))
    return result
