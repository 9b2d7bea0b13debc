"""The officers' catalogue: criteria search, comparison, and the exposure-fairness report."""

from __future__ import annotations

import datetime
import hashlib
import html
from typing import NamedTuple

from django import forms
from django.core.paginator import Paginator
from django.core.validators import slug_re
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from catalogue.answers import completeness, format_answer
from catalogue.models import Tool, ToolState
from core import policy
from core.csv_export import csv_response
from core.policy import permission_required
from questionnaires.selectors import current_versions, generation

from . import exposure, search, signals

PAGE_SIZE = 20
MAX_COMPARE = 4
NO_REPLY = _("No reply provided by the provider")


# --- the catalogue -----------------------------------------------------------------
class _FastOptions:
    """Renders each checkbox or radio button in Python, as Django's option template would.

    The filter form has some 400 options; through the template engine they alone took
    about 30 ms per catalogue page."""

    def _render(self, template_name, context, renderer=None):
        if template_name != self.option_template_name:
            return super()._render(template_name, context, renderer)
        widget = context["widget"]
        attrs = widget["attrs"]
        parts = [f'<input type="{_escape(widget["type"])}" name="{_escape(widget["name"])}"']
        if widget["value"] is not None:
            parts.append(f' value="{_escape(widget["value"])}"')
        for name, value in attrs.items():
            if value is True:
                parts.append(f" {_escape(name)}")
            elif value is not False:
                parts.append(f' {_escape(name)}="{_escape(value)}"')
        parts.append(">")
        tag = "".join(parts)
        if not widget.get("wrap_label"):
            return mark_safe(tag)  # noqa: S308 - every part is escaped above
        label_for = f' for="{_escape(attrs["id"])}"' if attrs.get("id") else ""
        return mark_safe(f"<label{label_for}>{tag} {_escape(widget['label'])}</label>")  # noqa: S308


def _escape(value) -> str:
    """Django's conditional_escape without its lazy-string wrapper (called ~2,000 times a page)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class FastCheckboxes(_FastOptions, forms.CheckboxSelectMultiple):
    pass


class FastRadios(_FastOptions, forms.RadioSelect):
    pass


# A criterion with more values than this shows only the chosen ones until asked for all: the
# countries alone (some 250) were 40% of the catalogue page.
SHOWN_OPTIONS = 12


class CriterionBlock(NamedTuple):
    question: object
    values: forms.BoundField
    mode: forms.BoundField
    choices: list  # the checkboxes to render: all, or only the chosen ones while collapsed
    total: int
    collapsed: bool
    expanded_on_request: bool


class CatalogueForm(forms.Form):
    """The search form: words, one set of values and a mode per criterion, completeness."""

    q = forms.CharField(label=_("Search words"), max_length=200, required=False)

    def __init__(self, *args, questions, versions, expanded=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.expanded = expanded
        choices = _criterion_choices(questions)
        for question in questions:
            self.fields[question.key] = forms.MultipleChoiceField(
                label=question.label,
                choices=choices[question.pk],
                required=False,
                widget=FastCheckboxes,
            )
            self.fields[mode_name(question.key)] = forms.ChoiceField(
                label=_("How it counts"),
                choices=[(search.REQUIRED, _("Required")), (search.PREFERRED, _("Preferred"))],
                required=False,
                widget=FastRadios,
            )
        percent = round(search.COMPLETENESS_THRESHOLD * 100)
        self.fields["complete"] = forms.MultipleChoiceField(
            label=_("Completeness"),
            choices=[
                (
                    version.questionnaire.key,
                    _("Answered at least %(percent)s%% of the questions of the %(name)s")
                    % {"percent": percent, "name": version.questionnaire.name},
                )
                for version in versions
            ],
            required=False,
            widget=FastCheckboxes,
        )

    def criteria_fields(self, only=None) -> list[CriterionBlock]:
        """Each criterion (or only the one keyed `only`) as the template shows it. A long list
        is collapsed to its chosen values, unless the officer asked for all of it or one of its
        values is in error; a value never chosen is never sent, so collapsing loses nothing."""
        blocks = []
        for question in self.questions:
            if only is not None and question.key != only:
                continue
            values = self[question.key]
            options = list(values)
            long = len(options) > SHOWN_OPTIONS
            collapsed = long and question.key not in self.expanded and not values.errors
            shown = [option for option in options if option.data["selected"]] if collapsed else options
            blocks.append(
                CriterionBlock(
                    question,
                    values,
                    self[mode_name(question.key)],
                    shown,
                    len(options),
                    collapsed,
                    long and question.key in self.expanded,
                )
            )
        return blocks

    def selection(self) -> dict[str, search.Criterion]:
        selection = {}
        for question in self.questions:
            values = self.cleaned_data.get(question.key) or []
            if values:
                mode = self.cleaned_data.get(mode_name(question.key)) or search.REQUIRED
                selection[question.key] = search.Criterion(mode, frozenset(values))
        return selection


_choices_cache: dict = {}


def _criterion_choices(questions) -> dict[int, list[tuple[str, str]]]:
    """{question id: [(value, label)]}, kept per process for the current questionnaires and
    language (the labels of some 400 options are otherwise translated on every page)."""
    key = (generation(), get_language(), tuple(question.pk for question in questions))
    cached = _choices_cache.get("criteria")
    if cached is None or cached[0] != key:
        cached = (
            key,
            {question.pk: [(v, str(label)) for v, label in search.allowed_values(question)] for question in questions},
        )
        _choices_cache["criteria"] = cached
    return cached[1]


def mode_name(key: str) -> str:
    return f"mode.{key}"


def _with_default_modes(query, questions):
    """A criterion whose mode was not chosen counts as required (and shows so)."""
    data = query.copy()
    for question in questions:
        if not data.get(mode_name(question.key)):
            data[mode_name(question.key)] = search.REQUIRED
    return data


@require_safe
@permission_required("hub.use")
def catalogue(request):
    """Published tools that fit the officer's criteria, in a fair order (PRODUCT.md 3.3, 3.4)."""
    versions = current_versions()
    questions = search.criterion_questions(versions)
    expanded = frozenset(request.GET.getlist("expand"))
    partial = request.headers.get("HX-Request") == "true"
    criterion = request.GET.get("criterion", "") if partial else ""
    if criterion:
        expanded |= {criterion}
    form = CatalogueForm(
        _with_default_modes(request.GET, questions), questions=questions, versions=versions, expanded=expanded
    )
    if criterion:
        # htmx asked for one criterion's full list ("Show all N options"), with what is chosen.
        form.is_valid()
        blocks = form.criteria_fields(only=criterion)
        if not blocks:
            return HttpResponse(gettext("There is no such criterion."), status=400, content_type="text/plain")
        if blocks[0].choices:
            # The button that was clicked is gone: focus goes to the list it opened.
            blocks[0].choices[0].data["attrs"]["autofocus"] = True
        return render(request, "discovery/_criterion.html", {"criterion": blocks[0]})
    template = "discovery/catalogue_results.html" if partial else "discovery/catalogue.html"
    context = {
        "form": form,
        "page": None,
        "results": [],
        "threshold": round(search.COMPLETENESS_THRESHOLD * 100),
        "partial": partial,
    }
    if not form.is_valid():
        return render(request, template, context, status=400)
    results = search.search(
        form.selection(),
        seed=search.fairness_seed(request.user),
        q=form.cleaned_data["q"],
        complete=form.cleaned_data["complete"],
        versions=versions,
    )
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    page_results = search.attach_tools(list(page.object_list))
    labels = {question.key: question.label for question in questions}
    scores = search.page_completeness([result.tool_id for result in page_results], versions)
    names = {version.questionnaire.key: version.questionnaire.name for version in versions}
    totals = {version.questionnaire.key: len(version.questions.all()) for version in versions}
    for result in page_results:
        result.matched_labels = [labels[key] for key in result.matched]
        result.missed_labels = [labels[key] for key in result.missed]
        tool_scores = scores.get(result.tool_id, {})
        result.completeness = [(names[key], tool_scores.get(key, (0, totals[key]))[0], totals[key]) for key in names]
    if policy.can(request.user, "catalogue.count_exposure"):
        # Aggregate only (per tool, day and position bucket); coordinators' checks are not counted.
        exposure.record([result.tool_id for result in page_results], first_position=page.start_index())
    context.update({"page": page, "results": page_results, "count": len(results)})
    # Apps above the catalogue add to the page (following: officers may keep this search).
    for _receiver, extra in signals.catalogue_page_shown.send(sender=Tool, request=request, form=form):
        context.update(extra)
    if not partial:
        context["criteria_cache_key"] = criteria_fragment_key(request, versions)
    return render(request, template, context)


def criteria_fragment_key(request, versions) -> str:
    """What the rendered criteria inputs depend on: the questionnaire versions this request drew
    them from (published versions never change), the language and the criteria selected (not the
    page or the search words, rendered outside the fragment). Keyed by the versions read at the
    start of the request, a request that spans a publication stores what it drew under the old
    versions, never under the new ones."""
    selection = sorted(
        (key, value) for key, values in request.GET.lists() if key not in ("page", "q") for value in values
    )
    raw = f"{[version.pk for version in versions]}|{get_language()}|{selection}"
    return hashlib.sha256(raw.encode()).hexdigest()


# --- comparison ------------------------------------------------------------------------
class CompareError(Exception):
    pass


def _requested_slugs(request) -> list[str]:
    slugs: list[str] = []
    for part in request.GET.getlist("tools"):
        for slug in part.split(","):
            slug = slug.strip()
            if slug and slug not in slugs:
                slugs.append(slug)
    return slugs


def _compare_tools(slugs: list[str]) -> list[Tool]:
    malformed = [slug for slug in slugs if len(slug) > 100 or not slug_re.fullmatch(slug)]
    if malformed:
        # Never sent to the database (PostgreSQL refuses NUL bytes with an error).
        raise CompareError(
            gettext("These are not tool identifiers: %(slugs)s.")
            % {"slugs": ", ".join(repr(slug)[:60] for slug in malformed[:4])}
        )
    if len(slugs) > MAX_COMPARE:
        raise CompareError(
            gettext("You can compare up to %(max)s tools at once; you chose %(count)s.")
            % {"max": MAX_COMPARE, "count": len(slugs)}
        )
    tools = Tool.objects.select_related("organisation").filter(slug__in=slugs, state=ToolState.PUBLISHED)
    by_slug = {tool.slug: tool for tool in tools}
    missing = [slug for slug in slugs if slug not in by_slug]
    if missing:
        raise CompareError(
            gettext("These tools are not in the catalogue: %(slugs)s.") % {"slugs": ", ".join(missing)[:500]}
        )
    return [by_slug[slug] for slug in slugs]


def comparison(tools: list[Tool], versions) -> dict:
    """Every question of the current versions, with each tool's answer or a visible non-answer."""
    answers = search.answers_by_key_bulk(tools)
    questionnaires = []
    for version in versions:
        sections = []
        by_section: dict[int, list] = {}
        for question in version.questions.all():
            by_section.setdefault(question.section_id, []).append(question)
        for section in version.sections.all():
            rows = [
                {
                    "question": question,
                    "cells": [format_answer(question, answers.get(tool.pk, {}).get(question.key)) for tool in tools],
                }
                for question in by_section.get(section.pk, [])
            ]
            if rows:
                sections.append({"section": section, "rows": rows})
        questionnaires.append({"version": version, "sections": sections})
    columns = [
        {"tool": tool, "completeness": completeness(tool, versions, answers=answers.get(tool.pk, {}))} for tool in tools
    ]
    return {"questionnaires": questionnaires, "columns": columns}


@require_safe
@permission_required("hub.use")
def compare(request):
    """Up to four published tools side by side; printable (see the print styles in app.css)."""
    slugs = _requested_slugs(request)
    if not slugs:
        return render(request, "discovery/compare.html", {"tools": [], "error": None})
    try:
        tools = _compare_tools(slugs)
    except CompareError as exc:
        return render(request, "discovery/compare.html", {"tools": [], "error": str(exc)}, status=400)
    versions = current_versions()
    context = {"tools": tools, "error": None, "csv_query": "tools=" + ",".join(tool.slug for tool in tools)}
    context.update(comparison(tools, versions))
    # Apps above the catalogue add to the page (packs: the decision pack for the officer's agency).
    context["panels"] = []
    for _receiver, extra in signals.compare_page_shown.send(sender=Tool, request=request, tools=tools):
        context["panels"].extend(extra.get("panels", []))
    return render(request, "discovery/compare.html", context)


@require_safe
@permission_required("hub.use")
def compare_csv(request):
    """The comparison as CSV: one row per question, one column per tool."""
    slugs = _requested_slugs(request)
    try:
        if not slugs:
            raise CompareError(gettext("Choose between 1 and %(max)s tools to compare.") % {"max": MAX_COMPARE})
        tools = _compare_tools(slugs)
    except CompareError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    data = comparison(tools, current_versions())
    header = [gettext("Questionnaire"), gettext("Section"), gettext("Question"), *(tool.name for tool in tools)]
    rows = [["", "", gettext("Provider"), *(tool.organisation.name for tool in tools)]]
    for block in data["questionnaires"]:
        name = block["version"].questionnaire.name
        for section in block["sections"]:
            for row in section["rows"]:
                cells = [cell.text if cell.answered else str(NO_REPLY) for cell in row["cells"]]
                rows.append([name, section["section"].title, row["question"].label, *cells])
    return csv_response("tools-comparison.csv", header, rows)


# --- exposure fairness -------------------------------------------------------------------
REPORT_PERIODS = (7, 30, 90, 365)
DEFAULT_REPORT_PERIOD = 30


class ExposurePeriodForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Period"),
        coerce=int,
        initial=DEFAULT_REPORT_PERIOD,
        error_messages={"invalid_choice": _("Choose one of the listed periods.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Named in the reader's language, hence built per request.
        self.fields["days"].choices = [
            (period, ngettext("Last %(counter)s day", "Last %(counter)s days", period) % {"counter": period})
            for period in REPORT_PERIODS
        ]


CHART_WIDTH = 400
CHART_LABEL_WIDTH = 200


@require_safe
@permission_required("catalogue.exposure_report")
def exposure_report(request):
    """How often each tool was shown first and on the first page, with a bar chart."""
    form = ExposurePeriodForm(request.GET if "days" in request.GET else None)
    status = 400 if form.is_bound and not form.is_valid() else 200
    days = form.cleaned_data["days"] if status == 200 and form.is_bound else DEFAULT_REPORT_PERIOD
    end = search.utc_today()
    start = end - datetime.timedelta(days=days - 1)
    report = exposure.report(start, end)
    most = max((row.first_page_share for row in report.rows), default=0) or 1
    bar_height, gap = 18, 6
    bars = [
        {
            "row": row,
            "y": index * (bar_height + gap),
            "text_y": index * (bar_height + gap) + bar_height - 4,
            "width": round(CHART_WIDTH * row.first_page_share / most, 1),
            "value_x": round(CHART_LABEL_WIDTH + 5 + CHART_WIDTH * row.first_page_share / most, 1),
            "percent": round(row.first_page_share * 100, 1),
        }
        for index, row in enumerate(report.rows)
    ]
    expected_x = round(CHART_LABEL_WIDTH + CHART_WIDTH * report.expected_first_page_share / most, 1)
    context = {
        "report": report,
        "days": days,
        "periods": REPORT_PERIODS,
        "bars": bars,
        "bar_height": bar_height,
        "chart_label_width": CHART_LABEL_WIDTH,
        "view_width": CHART_LABEL_WIDTH + CHART_WIDTH + 60,
        "chart_height": max(len(bars) * (bar_height + gap), bar_height),
        "expected_x": expected_x,
        "expected_percent": round(report.expected_first_page_share * 100, 1),
        "form": form,
    }
    return render(request, "discovery/catalogue_exposure_report.html", context, status=status)
