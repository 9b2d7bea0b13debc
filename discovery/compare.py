"""Comparing tools: which requested tools can be shown, the rows that differ, and the officer's
selection tray (kept in the session across result pages).

The tray is the officer's own working state, like a form being filled in: it lives in the
session only, is never read by the search, and so can neither change the catalogue's fair
order nor its exposure statistics.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.validators import slug_re
from django.utils.translation import gettext, ngettext

from catalogue.models import Tool, ToolState, ToolVersion

MAX_COMPARE = 4
TRAY_KEY = "discovery.compare_tray"
# Tools officers could see before: a link to them names them in the notice. Any other tool
# (a draft, a submission, a rejected entry) is never named, not even that it exists.
ONCE_PUBLISHED_STATES = (ToolState.SUSPENDED, ToolState.WITHDRAWN, ToolState.REMOVED)


class CompareError(Exception):
    pass


class TrayFull(Exception):
    """More than MAX_COMPARE tools chosen; `tools` holds them all so none is lost."""

    def __init__(self, tools: list[Tool]):
        super().__init__(too_many_message(len(tools)))
        self.tools = tools


def too_many_message(count: int) -> str:
    return gettext("You can compare up to %(max)s tools. You chose %(count)s: untick the ones you do not need.") % {
        "max": MAX_COMPARE,
        "count": count,
    }


def split_slugs(values: list[str]) -> list[str]:
    """Slugs from repeated and/or comma-separated values, first occurrence first."""
    slugs: list[str] = []
    for part in values:
        for slug in part.split(","):
            slug = slug.strip()
            if slug and slug not in slugs:
                slugs.append(slug)
    return slugs


def check_well_formed(slugs: list[str]) -> None:
    malformed = [slug for slug in slugs if len(slug) > 100 or not slug_re.fullmatch(slug)]
    if malformed:
        # Never sent to the database (PostgreSQL refuses NUL bytes with an error).
        raise CompareError(
            gettext("These are not tool identifiers: %(slugs)s.")
            % {"slugs": ", ".join(repr(slug)[:60] for slug in malformed[:4])}
        )


@dataclass
class Selection:
    tools: list[Tool]
    # Names officers saw when the tool was in the catalogue (its last published version).
    unavailable_names: list[str] = field(default_factory=list)
    # Slugs that name no tool officers ever saw: counted, never named.
    unknown: int = 0


def resolve(slugs: list[str]) -> Selection:
    """The published tools among `slugs` in the requested order, and what is missing (2 queries)."""
    check_well_formed(slugs)
    found = {tool.slug: tool for tool in Tool.objects.select_related("organisation").filter(slug__in=slugs)}
    tools = [found[slug] for slug in slugs if slug in found and found[slug].state == ToolState.PUBLISHED]
    gone = [found[slug] for slug in slugs if slug in found and found[slug].state in ONCE_PUBLISHED_STATES]
    names = last_published_names(gone)
    unavailable = [names[tool.pk] for tool in gone if tool.pk in names]
    return Selection(tools=tools, unavailable_names=unavailable, unknown=len(slugs) - len(tools) - len(unavailable))


def last_published_names(tools: list[Tool]) -> dict[int, str]:
    """{tool id: its name in its last published version}; tools never published are left out."""
    if not tools:
        return {}
    rows = (
        ToolVersion.objects.filter(tool__in=tools)
        .order_by("tool_id", "-number")
        .values_list("tool_id", "snapshot__fields__name")
    )
    names: dict[int, str] = {}
    for tool_id, name in rows:
        if tool_id not in names and name:
            names[tool_id] = str(name)
    return names


def unavailable_notice(selection: Selection) -> str:
    parts = []
    names = selection.unavailable_names
    if names:
        parts.append(
            ngettext(
                "%(names)s is no longer in the catalogue and is not shown.",
                "%(names)s are no longer in the catalogue and are not shown.",
                len(names),
            )
            % {"names": ", ".join(names)}
        )
    if selection.unknown:
        parts.append(
            ngettext("One tool is not available.", "%(count)s tools are not available.", selection.unknown)
            % {"count": selection.unknown}
        )
    return " ".join(parts)


# --- show only differences -----------------------------------------------------------------
def _cell_value(cell) -> tuple:
    return (cell.answered, cell.text, getattr(cell, "attachment_id", None), tuple(getattr(cell, "items", None) or ()))


def row_differs(row) -> bool:
    return len({_cell_value(cell) for cell in row["cells"]}) > 1


def only_differences(questionnaires: list[dict]) -> list[dict]:
    """The same structure with only the rows whose values differ between the tools;
    sections and questionnaires left empty are dropped."""
    kept = []
    for block in questionnaires:
        sections = []
        for section in block["sections"]:
            rows = [row for row in section["rows"] if row_differs(row)]
            if rows:
                sections.append({**section, "rows": rows})
        if sections:
            kept.append({**block, "sections": sections})
    return kept


def count_rows(questionnaires: list[dict]) -> int:
    return sum(len(section["rows"]) for block in questionnaires for section in block["sections"])


# --- the tray ------------------------------------------------------------------------------
def tray_slugs(session) -> list[str]:
    value = session.get(TRAY_KEY)
    if not isinstance(value, list):
        return []
    return [slug for slug in value if isinstance(slug, str)][:MAX_COMPARE]


def tray_tools(session) -> list[Tool]:
    """The tray's tools still in the catalogue, in the order chosen (one query)."""
    slugs = tray_slugs(session)
    if not slugs:
        return []
    found = {tool.slug: tool for tool in Tool.objects.filter(slug__in=slugs, state=ToolState.PUBLISHED)}
    return [found[slug] for slug in slugs if slug in found]


def _published(slugs: list[str]) -> dict[str, Tool]:
    if not slugs:
        return {}
    return {tool.slug: tool for tool in Tool.objects.filter(slug__in=slugs, state=ToolState.PUBLISHED)}


def update_tray(session, *, shown: list[str], ticked: list[str]) -> list[str]:
    """Take a results page's checkboxes into the tray: the tools `shown` on that page are in
    it exactly when `ticked`; tools chosen on other pages stay. Raises TrayFull (the tray
    unchanged) when that makes more than MAX_COMPARE."""
    check_well_formed(shown + ticked)
    current = tray_slugs(session)
    wanted = [slug for slug in current if slug not in shown or slug in ticked]
    wanted += [slug for slug in ticked if slug not in wanted]
    return set_tray(session, wanted)


def set_tray(session, slugs: list[str]) -> list[str]:
    """Replace the tray with the published tools among `slugs` (TrayFull when too many)."""
    check_well_formed(slugs)
    found = _published(slugs)
    tools = [found[slug] for slug in slugs if slug in found]
    if len(tools) > MAX_COMPARE:
        raise TrayFull(tools)
    session[TRAY_KEY] = [tool.slug for tool in tools]
    return session[TRAY_KEY]


def remove_from_tray(session, slug: str) -> list[str]:
    session[TRAY_KEY] = [item for item in tray_slugs(session) if item != slug]
    return session[TRAY_KEY]
