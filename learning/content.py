"""Pure helpers for the texts of learning items: lessons, the check, rendering, languages.

A module's lessons are the parts of its body that each start with a level-2 heading
("## Lesson title"); the text before the first one is the module's introduction. Its check is
written in plain text, one block per question:

    ? Which statement is true?
    - A wrong answer
    * The right answer
    - Another wrong answer

A question has at least two answers and exactly one right one (marked "*").
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _

from core.links import site_url
from core.markdown import render_rich_markdown

_FENCE = re.compile(r"^\s*(```|~~~)")
MAX_QUESTIONS = 20


@dataclass
class Lesson:
    number: int
    title: str
    body: str


def split_lessons(body: str) -> tuple[str, list[Lesson]]:
    """(introduction, lessons) of a module body; headings inside code blocks do not count."""
    intro: list[str] = []
    lessons: list[Lesson] = []
    fenced = False
    for line in (body or "").splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            lessons.append(Lesson(len(lessons) + 1, line[3:].strip(), ""))
            continue
        if lessons:
            lessons[-1].body += line + "\n"
        else:
            intro.append(line)
    return "\n".join(intro), lessons


@dataclass
class Question:
    number: int
    text: str
    answers: list[str] = field(default_factory=list)
    correct: int = -1


def parse_check(text: str) -> list[Question]:
    """The questions of a check, or ValidationError naming the first problem."""
    questions: list[Question] = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("?"):
            questions.append(Question(len(questions) + 1, line[1:].strip()))
        elif line[:1] in ("-", "*") and questions:
            if line[0] == "*":
                if questions[-1].correct != -1:
                    raise ValidationError(
                        _("Question %(number)s has more than one right answer."), params={"number": len(questions)}
                    )
                questions[-1].correct = len(questions[-1].answers)
            questions[-1].answers.append(line[1:].strip())
        else:
            raise ValidationError(
                _("Start each line with “?” for a question, “-” for an answer or “*” for the right answer.")
            )
    for question in questions:
        if not question.text or len(question.answers) < 2 or question.correct == -1:
            raise ValidationError(
                _("Question %(number)s needs a text, at least two answers and one right answer."),
                params={"number": question.number},
            )
    if len(questions) > MAX_QUESTIONS:
        raise ValidationError(_("A check has at most %(count)s questions."), params={"count": MAX_QUESTIONS})
    return questions


def render_text(text: str, top_level: int = 2) -> str:
    """An item's Markdown as safe HTML: images only from this hub's learning images, links to
    other sites marked as external."""
    host = site_url().split("://", 1)[-1]
    html = render_rich_markdown(
        text,
        top_level=top_level,
        image_prefix=reverse("learning:image", args=[uuid.UUID(int=0)]).rsplit("/", 2)[0] + "/",
        own_host=host,
        external_label=gettext("(link to another site)"),
    )
    # Safe to mark: rendered without raw HTML, then cleaned by nh3's allow-list (core.markdown).
    return mark_safe(html)  # noqa: S308


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in its own script: "العربية", "Français"
    dir: str


def language(code: str) -> Language:
    info = get_language_info(code)
    return Language(code=code, name=info["name_local"], dir="rtl" if info["bidi"] else "ltr")
