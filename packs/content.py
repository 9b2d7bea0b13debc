"""What a decision pack says, as plain text in the chosen language: one structure that the PDF
and the DOCX both render, so the two files always carry the same answers and statements.

For each tool: every question of the current Tools Form and Responsible AI questionnaire versions
with the provider's answer or the catalogue's non-answer, completeness, the last updated and last
confirmed dates, any moderation notice, and the catalogue's statements (PRODUCT.md 3.6)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from catalogue.models import Tool
from catalogue.selectors import tool_page
from moderation.selectors import history as notice_history

RTL_LANGUAGES = {"ar"}


def no_reply() -> str:
    """The catalogue's words for a question the provider left unanswered."""
    return gettext("No reply provided by the provider")


@dataclass
class Row:
    question: str
    answered: bool
    lines: list[str]  # the answer, one item or paragraph a line; the non-answer when not answered
    text_language: str | None = None  # the provider's language when the lines are as written


@dataclass
class Section:
    title: str
    rows: list[Row]


@dataclass
class Questionnaire:
    name: str
    completeness: str
    sections: list[Section]


@dataclass
class Notice:
    heading: str  # decision and date
    reason: str
    summary: str
    guidance: str
    language: str = "en"  # the language summary and guidance were written in


@dataclass
class ToolPart:
    name: str
    provider: str
    short_description: str
    website: str
    last_updated: str
    last_confirmed: str
    questionnaires: list[Questionnaire]
    notices: list[Notice] = field(default_factory=list)
    text_language: str = "en"  # the provider's language: name, description and untranslated answers


@dataclass
class Pack:
    language: str
    direction: str  # "rtl" or "ltr"
    title: str
    made: str  # the date and hub version
    statements: list[str]
    tools: list[ToolPart]
    labels: dict[str, str]  # headings the renderers print, translated


def _date(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return date_format(value, "DATE_FORMAT")


def _answer_lines(item) -> list[str]:
    answer = item["answer"]
    if not answer.answered:
        return [no_reply()]
    if answer.items is not None:
        return [str(text) for text in answer.items]
    if answer.attachment_id:
        attachment = item["attachment"]
        if attachment is None:
            return [gettext("The file is no longer available.")]
        return [f"{attachment.title} ({gettext('PDF document')})"]
    return [line for line in answer.text.splitlines() if line.strip()] or [answer.text]


def _tool_part(tool: Tool, language: str) -> ToolPart:
    page = tool_page(tool, language=language)
    questionnaires = []
    for part in page["questionnaires"]:
        sections = [
            Section(
                title=block["section"].title,
                rows=[
                    Row(
                        question=item["question"].label,
                        answered=item["answer"].answered,
                        lines=_answer_lines(item),
                        text_language=item["answer"].text_language,
                    )
                    for item in block["items"]
                ],
            )
            for block in part["sections"]
        ]
        completeness = ngettext(
            "%(answered)s of %(total)s question answered",
            "%(answered)s of %(total)s questions answered",
            part["total"],
        ) % {"answered": part["answered"], "total": part["total"]}
        questionnaires.append(
            Questionnaire(name=part["questionnaire"].name, completeness=completeness, sections=sections)
        )
    last_confirmed = page["last_confirmed"]
    notices = [
        Notice(
            heading=f"{notice.get_action_display()} · {_date(notice.decided_at)}",
            reason=str(notice.get_reason_code_display()),
            summary=notice.summary,
            guidance=notice.officer_guidance,
            language=notice.language,
        )
        for notice in notice_history(tool)
    ]
    return ToolPart(
        name=tool.name,
        provider=gettext("Provided by %(name)s") % {"name": tool.organisation.name},
        short_description=tool.short_description,
        website=tool.website or "",
        last_updated=gettext("Last updated %(date)s") % {"date": _date(page["last_updated"])},
        last_confirmed=(
            gettext("Last confirmed accurate by the provider %(date)s") % {"date": _date(last_confirmed)}
            if last_confirmed
            else gettext("Not yet confirmed accurate by the provider")
        ),
        questionnaires=questionnaires,
        notices=notices,
        text_language=tool.text_language,
    )


def build(tools: list[Tool], language: str, *, today: datetime.date) -> Pack:
    """The pack for `tools` (published, organisation loaded) in `language`, one of LANGUAGES."""
    with translation.override(language):
        return Pack(
            language=language,
            direction="rtl" if language in RTL_LANGUAGES else "ltr",
            title=gettext("Decision pack: tools from the SaferHub catalogue"),
            made=gettext("Made on %(date)s by SaferHub version %(version)s.")
            % {"date": _date(today), "version": settings.HUB_VERSION},
            statements=[
                gettext(
                    "Inclusion in the catalogue is not an endorsement, assessment or certification by the "
                    "initiative or its coordinators."
                ),
                gettext("The decision to use a tool rests with your agency."),
                gettext("Everything about each tool was supplied by its provider."),
            ],
            tools=[_tool_part(tool, language) for tool in tools],
            labels={
                "contents": gettext("Tools in this pack"),
                "notices": gettext("Moderation notices"),
                "reason": gettext("Reason"),
                "guidance": gettext("Guidance for officers"),
                "question": gettext("Question"),
                "answer": gettext("Answer"),
                "page": gettext("Page"),
            },
        )
