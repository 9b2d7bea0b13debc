"""Tools answering part of the shipped Tools Form and Responsible AI questionnaires, and the
text each question must show in a pack (computed from the catalogue, not from the pack code)."""

from __future__ import annotations

import io
import re
import unicodedata

import docx
import pypdf
from django.utils import translation
from django.utils.translation import gettext

from catalogue.answers import answers_by_key, format_answer
from catalogue.models import Tool
from questionnaires.selectors import current_versions
from testkit import factories

ARABIC_TEXT = "نص عربي للإجابة"


def _value(question, index: int):
    kind = question.type
    options = [option.value for option in question.options.all()]
    if kind == "multiple_choice":
        return options[:2]
    if kind == "single_choice":
        return options[0]
    if kind == "yes_no":
        return index % 2 == 0
    if kind == "date":
        return "2025-01-31"
    if kind == "number":
        return 12
    if kind == "url":
        return "https://evidence.example.org/report"
    if kind == "file":
        return None  # left unanswered: its file is shown by title, not as an answer text
    return f"Answer {index} to {question.key}"


def answered_tool(name: str, *, every: int, offset: int = 0) -> Tool:
    """A published tool answering every `every`-th question (from `offset`) of the current
    versions; free-text answers also come in Arabic, as a provider may translate them."""
    tool = factories.ToolFactory(published=True, name=name)
    questions = [question for version in current_versions() for question in version.questions.all()]
    for index, question in enumerate(questions):
        if (index + offset) % every:
            continue
        value = _value(question, index)
        if value is None:
            continue
        translations = {"ar": f"{ARABIC_TEXT} {index}"} if question.type in ("long_text", "short_text") else {}
        factories.AnswerFactory(tool=tool, question=question, value=value, translations=translations)
    return Tool.objects.select_related("organisation").get(pk=tool.pk)


def expected_rows(tool: Tool, language: str) -> list[tuple[str, str, bool]]:
    """(question label, answer text or non-answer, answered) for every current question."""
    rows = []
    answers = answers_by_key(tool)
    with translation.override(language):
        for version in current_versions():
            for question in version.questions.all():
                display = format_answer(question, answers.get(question.key), language)
                if display.answered:
                    text = "\n".join(display.items) if display.items is not None else display.text
                else:
                    text = gettext("No reply provided by the provider")
                rows.append((str(question.label), text, display.answered))
    return rows


def docx_rows(data: bytes) -> list[tuple[str, str]]:
    """(question, answer) of every answers table in a DOCX, in document order."""
    document = docx.Document(io.BytesIO(data))
    rows = []
    for table in document.tables:
        for row in table.rows:
            question, answer = row.cells
            rows.append((question.text, answer.text))
    return rows


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_fonts(data: bytes) -> set[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def squeeze(text: str) -> str:
    """Text without any whitespace: line wrapping inside table cells does not matter then."""
    return re.sub(r"\s+", "", text)


def arabic_letters(text: str) -> str:
    """Only the Arabic letters of `text`, in order: presentation forms (which a PDF's text may map
    shaped glyphs to) folded back to letters, vowel marks left out (text extraction may repeat a
    mark drawn on a combined glyph, e.g. a shadda), and a doubled letter counted once (pypdf may
    repeat the letter of a ligature glyph: the "لل" of Amiri's lam-lam can come out "للل")."""
    folded = unicodedata.normalize("NFKC", text)
    letters = "".join(char for char in folded if "\u0600" <= char <= "\u06ff" and unicodedata.category(char) != "Mn")
    return re.sub(r"(.)\1+", r"\1", letters)
