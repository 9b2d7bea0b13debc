"""Reading the catalogue: a tool's page and the coordinators' review queue.

`tool_page` builds the context of `catalogue/_tool_entry.html`, used alike by the officers'
tool page, the coordinators' review and the providers' preview, so all three show the same
entry. Its query count does not depend on the number of questions or answers.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from questionnaires.models import Question
from questionnaires.selectors import current_versions

from . import history
from .answers import answers_by_key, completeness, format_answer
from .models import Review, Tool, ToolState


def _text_language(question: Question, display, original: str, names: dict[str, str]) -> dict:
    """The lang, dir and language name of a free-text answer as shown (empty for other answers)."""
    if not display.answered or question.type not in Question.TEXT_TYPES:
        return {"text_lang": "", "text_dir": "", "text_language_name": ""}
    code = display.language or original
    return {
        "text_lang": code,
        "text_dir": "rtl" if code.split("-")[0] == "ar" else "ltr",
        "text_language_name": names.get(code, code),
    }


# Answers that promise the details on request, in the hub's languages (casefolded phrases found
# in the displayed answer, also in option labels such as "Price on request for each agency").
ON_REQUEST_MARKERS = (
    "on request",
    "upon request",
    "on demand",
    "sur demande",
    "a petición",
    "bajo petición",
    "previa solicitud",
    "a consultar",
    "по запросу",
    "عند الطلب",
    "应要求",
    "按要求",
    "报价",
)


def details_on_request(display) -> bool:
    """Whether an answer says its details are given on request (officers then need a way to ask)."""
    if not display.answered or display.attachment_id:
        return False
    text = " ".join(display.text.casefold().split())
    return any(marker in text for marker in ON_REQUEST_MARKERS)


def provider_website(organisation) -> str:
    """The provider organisation's website as a link target, only for http(s) addresses."""
    website = (getattr(organisation, "website", "") or "").strip()
    return website if website.lower().startswith(("https://", "http://")) else ""


def _safe_link(question: Question, display) -> str:
    """A provider's web-address answer as a link target, only for http(s) addresses."""
    if question.type != Question.Type.URL or not display.answered:
        return ""
    return display.text if display.text.lower().startswith(("https://", "http://")) else ""


def tool_page(tool: Tool, *, language: str | None = None) -> dict:
    """Everything the tool entry shows: every question of the current questionnaire versions
    with its answer (or none), completeness per questionnaire, attachments, last updated.

    The organisation should be loaded with the tool (`select_related("organisation")`).
    """
    versions = current_versions()
    answers = answers_by_key(tool)
    attachments = list(tool.attachments.all())
    changes = history.change_history(tool, versions) if tool.published_at else []
    attachments_by_id = {str(attachment.public_id): attachment for attachment in attachments}
    counts = completeness(tool, versions, answers)
    # A free-text answer shown in another language than the reader's is marked with that
    # language's name, and carries its lang and dir (never a silent mix of languages).
    reader = (language or get_language() or settings.LANGUAGE_CODE).lower()
    names = {code: str(name) for code, name in settings.LANGUAGES}
    original = tool.text_language or settings.LANGUAGE_CODE

    questionnaires = []
    for version in versions:
        by_section: dict[int, list[Question]] = {}
        for question in version.questions.all():
            by_section.setdefault(question.section_id, []).append(question)
        sections = []
        for section in version.sections.all():
            items = []
            for question in by_section.get(section.pk, []):
                display = format_answer(
                    question, answers.get(question.key), language, original_language=tool.text_language
                )
                items.append(
                    {
                        "question": question,
                        "answer": display,
                        "attachment": attachments_by_id.get(display.attachment_id) if display.attachment_id else None,
                        "link": _safe_link(question, display),
                        "on_request": details_on_request(display),
                        "shown_in_original": bool(
                            display.answered
                            and question.type in Question.TEXT_TYPES
                            and display.is_original_language
                            and original.split("-")[0] != reader.split("-")[0]
                        ),
                        **_text_language(question, display, original, names),
                    }
                )
            if items:
                sections.append({"section": section, "items": items})
        answered, total = counts.get(version.questionnaire.key, (0, 0))
        questionnaires.append(
            {
                "version": version,
                "questionnaire": version.questionnaire,
                "answered": answered,
                "total": total,
                "sections": sections,
            }
        )

    return {
        "tool": tool,
        "organisation": tool.organisation,
        "provider_website": provider_website(tool.organisation),
        "versions": versions,
        "questionnaires": questionnaires,
        "attachments": attachments,
        "last_updated": history.last_updated(tool, changes),
        "last_confirmed": tool.confirmed_at if tool.published_at else None,
        "history": changes,
    }


# --- coordinators' review ---------------------------------------------------------
def review_queue() -> QuerySet[Tool]:
    """Tools awaiting a decision, the longest-waiting first."""
    return (
        Tool.objects.filter(state=ToolState.SUBMITTED)
        .select_related("organisation")
        .order_by("submitted_at", "updated_at", "pk")
    )


def waiting_days(tool: Tool, now: datetime.datetime | None = None) -> int:
    since = tool.submitted_at or tool.updated_at
    return max(0, ((now or timezone.now()) - since).days)


def reviews_of(tool: Tool) -> QuerySet[Review]:
    """Earlier decisions on a tool, newest first."""
    return Review.objects.filter(tool=tool).select_related("reviewer").order_by("-created_at", "-pk")
