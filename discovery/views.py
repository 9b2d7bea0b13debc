"""The officers' catalogue: criteria search, comparison, and the exposure-fairness report."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from catalogue.answers import completeness, format_answer
from catalogue.models import Tool
from core import policy
from core.csv_export import csv_response
from core.links import posted_next
from core.policy import permission_required
from questionnaires.selectors import current_versions, generation

from . import cards, compare, compare_rows, criteria_block, exposure, results, search, signals
from .forms import CatalogueForm, with_default_modes

PAGE_SIZE = 20
MAX_COMPARE = compare.MAX_COMPARE
NO_REPLY = _("No reply provided by the provider")


# --- the catalogue -----------------------------------------------------------------
@require_safe
@permission_required("hub.use")
def catalogue(request):
    """Published tools that fit the officer's criteria, in a fair order (PRODUCT.md 3.3, 3.4)."""
    token = generation()  # read before the versions: what the criteria inputs are drawn from
    versions = current_versions()
    questions = search.criterion_questions(versions)
    expanded = frozenset(request.GET.getlist("expand"))
    htmx = request.headers.get("HX-Request") == "true"
    criterion = request.GET.get("criterion", "") if htmx else ""
    if criterion:
        expanded |= {criterion}
    form = CatalogueForm(
        with_default_modes(request.GET, questions), questions=questions, versions=versions, expanded=expanded
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
    # The form and the pages swap the results only; links that change the criteria (removing
    # one, clearing all) swap the whole page, so that the form shows the same search.
    partial = htmx and request.headers.get("HX-Target") != "main"
    template = "discovery/catalogue_results.html" if partial else "discovery/catalogue.html"
    context = {
        "form": form,
        # Only ticks the checkboxes of tools already chosen: the search never reads the tray.
        "tray_slugs": compare.tray_slugs(request.session),
        "page": None,
        "results": [],
        "threshold": round(search.COMPLETENESS_THRESHOLD * 100),
        "partial": partial,
    }
    if not partial:
        context.update(_tray_context(request, on_compare_page=False))
    if not form.is_valid():
        return render(request, template, context, status=400)
    # The address carries only what the officer chose (the form also sends every default mode).
    clean = results.clean_query(form, request.GET)
    if clean is not None and not htmx:
        return redirect(results.catalogue_url(clean))
    found = search.search(
        form.selection(),
        seed=search.fairness_seed(request.user),
        q=form.cleaned_data["q"],
        complete=form.cleaned_data["complete"],
        versions=versions,
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    page_results = search.attach_card_tools(list(page.object_list), versions)
    scores = search.page_completeness([result.tool_id for result in page_results], versions)
    names = {version.questionnaire.key: version.questionnaire.name for version in versions}
    totals = {version.questionnaire.key: len(version.questions.all()) for version in versions}
    for result in page_results:
        tool_scores = scores.get(result.tool_id, {})
        result.completeness = [(names[key], tool_scores.get(key, (0, totals[key]))[0], totals[key]) for key in names]
    results.describe_cards(page_results, form, versions)
    pairs = results.canonical(form)
    # The tool pages' "Back to results" returns to this very page of this search.
    back_query = urlencode({"from": results.page_url(pairs, page.number)})
    cards.render_cards(page_results, back_query=back_query, tray_slugs=context["tray_slugs"])
    if policy.can(request.user, "catalogue.count_exposure"):
        # Aggregate only (per tool, day and position bucket); coordinators' checks are not counted.
        exposure.record([result.tool_id for result in page_results], first_position=page.start_index())
    pages = {
        "previous_url": results.page_url(pairs, page.previous_page_number()) if page.has_previous() else "",
        "next_url": results.page_url(pairs, page.next_page_number()) if page.has_next() else "",
    }
    active = results.active_criteria(form)
    context.update(
        {
            "page": page,
            "results": page_results,
            "count": len(found),
            "active_criteria": active,
            **pages,
            "suggestions": results.suggestions(form, active, versions) if not found else [],
            # An empty result's advice: criteria to relax, or only the words to change.
            "has_criteria": any(item.key != results.QUERY for item in active),
        }
    )
    # Tools chosen on other pages count towards the limit the page's script warns about.
    shown = {result.tool.slug for result in page_results}
    context["tray_elsewhere"] = len([slug for slug in context["tray_slugs"] if slug not in shown])
    # Apps above the catalogue add to the page (following: officers may keep this search).
    for _receiver, extra in signals.catalogue_page_shown.send(sender=Tool, request=request, form=form):
        context.update(extra)
    if not partial:
        context["criteria_html"] = criteria_block.render_criteria(form, versions, token)
    response = render(request, template, context)
    if clean is not None:
        # htmx swaps in place: the address bar shows the clean search.
        response["HX-Push-Url"] = results.catalogue_url(clean)
    return response


# --- comparison ------------------------------------------------------------------------
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
                    "cells": [
                        format_answer(
                            question, answers.get(tool.pk, {}).get(question.key), original_language=tool.text_language
                        )
                        for tool in tools
                    ],
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


def _differences_only(request) -> bool:
    return request.GET.get("differences") == "1"


def _tray_context(request, *, on_compare_page: bool) -> dict:
    return {"tray": compare.tray_tools(request.session), "tray_on_compare_page": on_compare_page}


def _render_compare(request, context: dict, status: int = 200):
    base = {"tools": [], "error": None, "notice": "", "overflow": [], "max_compare": MAX_COMPARE}
    base.update(_tray_context(request, on_compare_page=True))
    base.update(context)
    return render(request, "discovery/compare.html", base, status=status)


@require_safe
@permission_required("hub.use")
def compare_view(request):
    """Up to four published tools side by side; printable (see the compare block in app.css).

    A link naming a tool that left the catalogue shows the others with a notice; only names
    officers saw in the catalogue are named."""
    slugs = compare.split_slugs(request.GET.getlist("tools"))
    if not slugs:
        return _render_compare(request, {})
    try:
        selection = compare.resolve(slugs)
    except compare.CompareError as exc:
        return _render_compare(request, {"error": str(exc)}, status=400)
    tools = selection.tools
    if len(tools) > MAX_COMPARE:
        # Keep every chosen tool on screen, ticked, so the officer only unticks the extra ones.
        return _render_compare(request, {"error": compare.too_many_message(len(tools)), "overflow": tools}, status=400)
    notice = compare.unavailable_notice(selection)
    if not tools:
        return _render_compare(request, {"notice": notice})
    versions = current_versions()
    differences = _differences_only(request)
    data = comparison(tools, versions)
    total_rows = compare.count_rows(data["questionnaires"])
    if differences:
        data["questionnaires"] = compare.only_differences(data["questionnaires"])
    tools_query = "tools=" + ",".join(tool.slug for tool in tools)
    context = {
        "tools": tools,
        "notice": notice,
        "tools_query": tools_query,
        "csv_query": tools_query + ("&differences=1" if differences else ""),
        "differences": differences,
        "total_rows": total_rows,
        "shown_rows": compare.count_rows(data["questionnaires"]),
        "page_url": request.build_absolute_uri(),
        "printed_on": timezone.localdate(),
    }
    context.update(data)
    context["compare_body"] = compare_rows.body_html(data["questionnaires"], len(data["columns"]))
    # Apps above the catalogue add to the page (packs: the decision pack for the officer's agency).
    context["panels"] = []
    for _receiver, extra in signals.compare_page_shown.send(sender=Tool, request=request, tools=tools):
        context["panels"].extend(extra.get("panels", []))
    return _render_compare(request, context)


@require_safe
@permission_required("hub.use")
def compare_csv(request):
    """The comparison as CSV: one row per question, one column per tool (tools no longer in the
    catalogue left out, as on the page)."""
    slugs = compare.split_slugs(request.GET.getlist("tools"))
    try:
        if not slugs:
            raise compare.CompareError(gettext("Choose between 1 and %(max)s tools to compare.") % {"max": MAX_COMPARE})
        tools = compare.resolve(slugs).tools
        if not tools:
            raise compare.CompareError(gettext("None of these tools is in the catalogue."))
        if len(tools) > MAX_COMPARE:
            raise compare.CompareError(compare.too_many_message(len(tools)))
    except compare.CompareError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    data = comparison(tools, current_versions())
    questionnaires = data["questionnaires"]
    if _differences_only(request):
        questionnaires = compare.only_differences(questionnaires)
    header = [gettext("Questionnaire"), gettext("Section"), gettext("Question"), *(tool.name for tool in tools)]
    rows = [["", "", gettext("Provider"), *(tool.organisation.name for tool in tools)]]
    for block in questionnaires:
        name = block["version"].questionnaire.name
        for section in block["sections"]:
            for row in section["rows"]:
                cells = [cell.text if cell.answered else str(NO_REPLY) for cell in row["cells"]]
                rows.append([name, section["section"].title, row["question"].label, *cells])
    return csv_response("tools-comparison.csv", header, rows)


def _compare_url(slugs: list[str]) -> str:
    url = reverse("discovery:compare")
    return url + "?tools=" + ",".join(slugs) if slugs else url


@require_POST
@permission_required("hub.use")
def compare_tray(request):
    """Change the officer's selection (kept in the session across result pages).

    `action`: "update" takes a results page's checkboxes (`shown` on it, `tools` ticked),
    "set" replaces the selection, "remove" takes out `tool`, "clear" empties it. With
    `go=compare` the officer goes on to the comparison, otherwise back to `next`."""
    action = request.POST.get("action", "update")
    try:
        if action == "update":
            slugs = compare.update_tray(
                request.session,
                shown=compare.split_slugs(request.POST.getlist("shown")),
                ticked=compare.split_slugs(request.POST.getlist("tools")),
            )
        elif action == "set":
            slugs = compare.set_tray(request.session, compare.split_slugs(request.POST.getlist("tools")))
        elif action == "remove":
            slugs = compare.remove_from_tray(request.session, request.POST.get("tool", ""))
        elif action == "clear":
            slugs = compare.set_tray(request.session, [])
        else:
            raise compare.CompareError(gettext("Unknown action."))
    except compare.TrayFull as exc:
        # Nothing is dropped: every tool chosen comes back ticked with the message.
        return _render_compare(request, {"error": str(exc), "overflow": exc.tools}, status=400)
    except compare.CompareError as exc:
        return _render_compare(request, {"error": str(exc)}, status=400)
    if request.POST.get("go") == "compare":
        return redirect(_compare_url(slugs))
    return redirect(posted_next(request, reverse("discovery:catalogue")))


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
