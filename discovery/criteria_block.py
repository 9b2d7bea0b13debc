"""The catalogue's criteria inputs, drawn once and ticked per search.

The criteria block is the heaviest part of the catalogue page (some 150 inputs), yet without a
selection it is the same for every officer reading the same questionnaire versions in the same
language. Each criterion is rendered once per process without a selection (by the template
`_criterion.html`, like any other), and a search's chosen values and modes are then ticked in
that HTML. A form with errors, or a collapsed criterion showing its chosen values, is rendered
in full, as are inputs that cannot be found to tick: the result is always what the template
alone would give (tested on random searches in every language).
"""

from __future__ import annotations

import html
import threading

from cachetools import LRUCache
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from . import search
from .forms import CatalogueForm, mode_name, with_default_modes

MAX_DRAWN = 2000  # languages x questionnaire versions x criteria x 2: far more than in use
# {(questionnaires token, version ids, language, criterion key, collapsed, opened on request):
#  HTML without a selection}
_drawn: LRUCache[tuple, str] = LRUCache(MAX_DRAWN)
_lock = threading.Lock()


def block_key(token: str, versions, key: str, collapsed: bool, expanded_on_request: bool) -> tuple:
    """What a criterion's HTML without a selection depends on: the questionnaires' generation
    token and versions the request read at its start, never later (a request that spans a
    publication must not store what it drew under the new versions), and the language."""
    return (token, tuple(version.pk for version in versions), get_language(), key, collapsed, expanded_on_request)


def render_criteria(form: CatalogueForm, versions, token: str) -> SafeString:
    """The criteria fieldsets of a bound, validated search form, as `_criteria_fieldsets.html`."""
    if form.errors:
        return render_to_string("discovery/_criteria_fieldsets.html", {"form": form})
    parts = []
    blank_blocks = None
    for question, collapsed, expanded_on_request in form.criteria_layout():
        chosen = form.cleaned_data.get(question.key) or []
        if collapsed and chosen:
            parts.append(_render(form.criteria_fields(only=question.key)[0]))
            continue
        key = block_key(token, versions, question.key, collapsed, expanded_on_request)
        with _lock:
            drawn = _drawn.get(key)
        if drawn is None:
            if blank_blocks is None:
                blank_blocks = _blank_blocks(form, versions)
            drawn = _render(blank_blocks[question.key])
            with _lock:
                _drawn[key] = drawn
        ticked = _ticked(drawn, form, question.key, chosen)
        parts.append(ticked if ticked is not None else _render(form.criteria_fields(only=question.key)[0]))
    # The fieldsets template ends with a line break after its loop.
    return mark_safe("".join(parts) + "\n")  # noqa: S308 - rendered by the template engine, ticked with escaped names


def _render(block) -> str:
    return render_to_string("discovery/_criterion.html", {"criterion": block})


def _blank_blocks(form: CatalogueForm, versions) -> dict:
    """The form's criteria with nothing chosen, opened as the search's are."""
    blank = CatalogueForm(
        with_default_modes(QueryDict(), form.questions),
        questions=form.questions,
        versions=versions,
        expanded=form.expanded,
    )
    blank.is_valid()
    return {block.question.key: block for block in blank.criteria_fields()}


def _input(type_: str, name: str, value: str, input_id: str, checked: bool) -> str:
    # As forms._FastOptions writes it: type, name, value, id, then `checked` (Django's order).
    tag = f'<input type="{type_}" name="{html.escape(name)}" value="{html.escape(value)}" id="{html.escape(input_id)}"'
    return tag + (" checked>" if checked else ">")


def _set_checked(html_: str, type_: str, name: str, value: str, input_id: str, checked: bool) -> str | None:
    """`html_` with that input ticked (or unticked); None when it is not there to change."""
    before = _input(type_, name, value, input_id, checked=not checked)
    if before not in html_:
        return None
    return html_.replace(before, _input(type_, name, value, input_id, checked=checked), 1)


def _ticked(drawn: str, form: CatalogueForm, key: str, chosen: list[str]) -> str | None:
    """`drawn` with the chosen values and the chosen mode ticked; None when an input is missing."""
    positions = {value: position for position, (value, _label) in enumerate(form.fields[key].choices)}
    result = drawn
    for value in chosen:
        if value not in positions or result is None:
            return None
        result = _set_checked(result, "checkbox", key, value, f"id_{key}_{positions[value]}", checked=True)
    mode = form.cleaned_data.get(mode_name(key)) or search.REQUIRED
    if mode != search.REQUIRED and result is not None:
        name = mode_name(key)
        modes = [value for value, _label in form.fields[name].choices]
        required_id, wanted_id = f"id_{name}_{modes.index(search.REQUIRED)}", f"id_{name}_{modes.index(mode)}"
        result = _set_checked(result, "radio", name, search.REQUIRED, required_id, checked=False)
        if result is not None:
            result = _set_checked(result, "radio", name, mode, wanted_id, checked=True)
    return result
