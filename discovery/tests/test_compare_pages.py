"""The comparison page as a comparison: only the differences, tools that left the catalogue,
the printed page, the CSV in any script, and a constant number of queries."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue import history
from catalogue.models import ToolState
from discovery import compare
from testkit import factories

from .test_search_helpers import answer, make_questionnaires, tool_with

pytestmark = pytest.mark.django_db

URL = reverse("discovery:compare")
CSV_URL = reverse("discovery:compare_csv")
NO_REPLY = "No reply provided by the provider"


@pytest.fixture
def forms():
    return make_questionnaires()


@pytest.fixture
def pair(forms):
    tools_form, rai = forms
    # Same: offline, deployment, rai-2..5 (both unanswered). Different: workflow, summary, cost, rai-1.
    first = tool_with(
        tools_form,
        {"workflow": ["triage"], "offline": True, "deployment": "cloud", "summary": "Reads phones"},
        name="First Tool",
    )
    second = tool_with(
        tools_form,
        {"workflow": ["review"], "offline": True, "deployment": "cloud", "cost": "Free"},
        name="Second Tool",
    )
    answer(second, rai, "rai-1", "Audited yearly")
    return first, second


def row_labels(response) -> list[str]:
    return re.findall(r'<th scope="row">([^<]+)</th>', response.content.decode())


# --- show only differences ------------------------------------------------------------------
def test_show_only_differences_keeps_the_rows_whose_answers_differ(signed_in, verified_officer, pair):
    first, second = pair
    client = signed_in(verified_officer)
    tools = f"{first.slug},{second.slug}"
    full = client.get(URL, {"tools": tools})
    body = full.content.decode()
    # A plain link (no script needed) re-renders the page with the parameter.
    assert f'href="?tools={tools}&amp;differences=1"' in body
    assert len(row_labels(full)) == 10

    response = client.get(URL, {"tools": tools, "differences": "1"})
    assert response.status_code == 200
    assert row_labels(response) == ["Question workflow?", "Question summary?", "Question cost?", "Question rai-1?"]
    body = response.content.decode()
    assert "Showing the 4 questions whose answers differ, of 10." in body
    assert f'href="?tools={tools}"' in body and "Show all questions" in body
    # The CSV of that view has the same rows.
    rows = list(
        csv.reader(io.StringIO(client.get(CSV_URL, {"tools": tools, "differences": "1"}).content.decode("utf-8-sig")))
    )
    assert [row[2] for row in rows[2:]] == [
        "Question workflow?",
        "Question summary?",
        "Question cost?",
        "Question rai-1?",
    ]


def test_identical_tools_show_that_nothing_differs(signed_in, verified_officer, forms):
    tools_form, _rai = forms
    a, b = (tool_with(tools_form, {"offline": True}) for _ in range(2))
    response = signed_in(verified_officer).get(URL, {"tools": f"{a.slug},{b.slug}", "differences": "1"})
    assert response.status_code == 200
    assert row_labels(response) == []
    assert "These tools give the same answer to every question." in response.content.decode()


def test_differences_are_told_by_value_not_by_position(pair):
    """The row filter itself: equal display values are equal, one unanswered cell differs."""
    cell = type("Cell", (), {})

    def make(answered, text="", items=None):
        c = cell()
        c.answered, c.text, c.items, c.attachment_id = answered, text, items, None
        return c

    assert not compare.row_differs({"cells": [make(True, "Yes"), make(True, "Yes")]})
    assert compare.row_differs({"cells": [make(True, "Yes"), make(False)]})
    assert not compare.row_differs({"cells": [make(False), make(False)]})


# --- tools that left the catalogue ----------------------------------------------------------
def once_published(version, name, state):
    """A tool officers saw in the catalogue (a published version), since taken out."""
    tool = tool_with(version, {"summary": "Gone now"}, name=name)
    history.record_version(tool)
    tool.state = state
    tool.save(update_fields=["state"])
    return tool


def notice_of(response) -> str:
    return response.context["notice"]


@pytest.mark.parametrize("state", [ToolState.SUSPENDED, ToolState.WITHDRAWN, ToolState.REMOVED])
def test_a_tool_that_left_the_catalogue_is_named_and_the_others_shown(signed_in, verified_officer, pair, state):
    first, second = pair
    tools_form = first.answers.first().question.version
    gone = once_published(tools_form, "Harbour Sorter", state)
    response = signed_in(verified_officer).get(URL, {"tools": f"{first.slug},{gone.slug},{second.slug}"})
    assert response.status_code == 200
    assert [column["tool"] for column in response.context["columns"]] == [first, second]
    assert notice_of(response) == "Harbour Sorter is no longer in the catalogue and is not shown."
    assert gone.slug not in notice_of(response)
    assert "Gone now" not in response.content.decode()


def test_the_notice_uses_the_name_officers_saw_not_a_later_one(signed_in, verified_officer, pair):
    first, _second = pair
    gone = once_published(first.answers.first().question.version, "Public Name", ToolState.SUSPENDED)
    gone.name = "Unpublished New Name"
    gone.save(update_fields=["name"])
    response = signed_in(verified_officer).get(URL, {"tools": f"{first.slug},{gone.slug}"})
    assert "Public Name" in notice_of(response)
    assert "Unpublished New Name" not in response.content.decode()


def draft_name_shown(client, first, hidden) -> bool:
    """Whether any comparison output for a link holding `hidden` shows its name."""
    page = client.get(URL, {"tools": f"{first.slug},{hidden.slug}"})
    assert page.status_code == 200 and [c["tool"] for c in page.context["columns"]] == [first]
    csv_body = client.get(CSV_URL, {"tools": f"{first.slug},{hidden.slug}"}).content.decode("utf-8-sig")
    return "Secret Draft" in page.content.decode() or "Secret Draft" in csv_body


# A withdrawn draft (its organisation left the hub) was never in the catalogue either.
@pytest.mark.parametrize("state", [ToolState.DRAFT, ToolState.SUBMITTED, ToolState.REJECTED, ToolState.WITHDRAWN])
def test_a_tool_never_published_is_not_named(signed_in, verified_officer, pair, state):
    first, _second = pair
    hidden = factories.ToolFactory(state=state, name="Secret Draft")
    client = signed_in(verified_officer)
    assert not draft_name_shown(client, first, hidden)
    response = client.get(URL, {"tools": f"{first.slug},{hidden.slug}"})
    assert notice_of(response) == "One tool is not available."
    # An unknown slug reads exactly the same: nothing tells a draft from nothing.
    unknown = client.get(URL, {"tools": f"{first.slug},no-such-tool"})
    assert notice_of(unknown) == "One tool is not available."


def test_control_naming_every_requested_tool_leaks_the_draft(signed_in, verified_officer, pair, monkeypatch):
    """The check above fails when the page names tools by their current row."""
    first, _second = pair
    hidden = factories.ToolFactory(state=ToolState.DRAFT, name="Secret Draft")
    monkeypatch.setattr(compare, "ONCE_PUBLISHED_STATES", tuple(ToolState))
    monkeypatch.setattr(compare, "last_published_names", lambda tools: {tool.pk: tool.name for tool in tools})
    assert draft_name_shown(signed_in(verified_officer), first, hidden)


def test_only_unavailable_tools_shows_the_notice_and_how_to_choose(signed_in, verified_officer, forms):
    response = signed_in(verified_officer).get(URL, {"tools": "no-such-tool,another-one"})
    assert response.status_code == 200
    assert notice_of(response) == "2 tools are not available."
    assert "Choose up to 4 tools" in response.content.decode()


# --- the cells (discovery/compare_rows.py) --------------------------------------------------
def cells_of(response, label: str) -> list[str]:
    """The cells of the row headed `label`, as HTML."""
    html = response.content.decode()
    row = re.search(r'<tr><th scope="row">' + re.escape(label) + r"</th>(.*?)</tr>", html, re.S)
    assert row, f"no row {label!r}"
    return re.findall(r"<td(?:[^>]*)>(.*?)</td>", row.group(1), re.S)


def test_each_kind_of_answer_is_shown_escaped_in_its_cell(signed_in, verified_officer, forms):
    tools_form, _rai = forms
    first = tool_with(
        tools_form,
        {"workflow": ["triage", "review"], "summary": 'Reads <b>phones</b> & "tablets"\nSecond line'},
        name="First Tool",
    )
    second = tool_with(tools_form, {"offline": False}, name="Second Tool")
    response = signed_in(verified_officer).get(URL, {"tools": f"{first.slug},{second.slug}"})
    assert response.status_code == 200
    labels = {question.key: question.label for question in tools_form.questions.all()}
    summary, no_summary = cells_of(response, labels["summary"])
    assert summary == "Reads &lt;b&gt;phones&lt;/b&gt; &amp; &quot;tablets&quot;<br>Second line"
    assert no_summary == f'<span class="no-reply">{NO_REPLY}</span>'
    workflow, _none = cells_of(response, labels["workflow"])
    assert workflow == '<ul class="compare-items"><li>Triage</li><li>Review</li></ul>'
    assert cells_of(response, labels["offline"])[1] == "No"
    assert "<b>phones" not in response.content.decode()


def test_a_file_answer_links_to_its_download(signed_in, verified_officer):
    factories.clear_questionnaires()
    version = factories.make_questionnaire("evidence", [{"key": "audit", "type": "file"}])
    tool = tool_with(version, {}, name="Filed Tool")
    attachment = factories.AttachmentFactory(tool=tool)
    answer(tool, version, "audit", str(attachment.public_id))
    response = signed_in(verified_officer).get(URL, {"tools": tool.slug})
    (cell,) = cells_of(response, version.questions.get().label)
    url = reverse("catalogue:attachment_download", args=[str(attachment.public_id)])
    assert cell == f'<a href="{url}">PDF document</a>'


def test_provider_text_in_another_language_is_marked_as_such(signed_in, verified_officer, forms):
    tools_form, _rai = forms
    tool = tool_with(tools_form, {"summary": "Lit les téléphones"}, name="Outil", text_language="fr")
    response = signed_in(verified_officer).get(URL, {"tools": tool.slug}, HTTP_ACCEPT_LANGUAGE="en")
    label = tools_form.questions.get(key="summary").label
    html = response.content.decode()
    assert re.search(r'<th scope="row">' + re.escape(label) + r'</th><td lang="fr" dir="ltr">Lit les', html)


# --- the page on screen and on paper --------------------------------------------------------
def compare_css() -> str:
    css = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()
    start = css.index("/* --- compare:")
    return css[start : css.index("/* Questionnaire editor */", start)]


def test_equal_columns_sticky_header_and_print_styles():
    css = compare_css()
    assert "table-layout: fixed" in css
    assert re.search(r"\.compare-table thead th \{[^}]*position: sticky", css)
    assert re.search(r"\.compare-scroll \{[^}]*overflow: auto", css)
    printed = css[css.index("@media print") :]
    assert "min-inline-size: 0" in printed and "display: table-header-group" in printed
    assert "tfoot.print-only { display: table-footer-group; }" in printed
    assert not re.search(r"(margin|padding|border)-(left|right)|\bleft:|\bright:", css)  # logical properties only


def test_every_printed_page_carries_date_source_and_statement(signed_in, verified_officer, pair):
    first, second = pair
    response = signed_in(verified_officer).get(URL, {"tools": f"{first.slug},{second.slug}"})
    body = response.content.decode()
    thead = body[body.index("<thead>") : body.index("</thead>")]
    stamp = re.search(r'<tr class="compare-stamp print-only">\s*<td colspan="3">(.*?)</td>', thead, re.S).group(1)
    assert re.search(r"SaferHub tools comparison, \d{4}-\d{2}-\d{2}", stamp)
    assert f"http://testserver{URL}?tools=" in stamp
    tfoot = body[body.index('<tfoot class="print-only">') : body.index("</tfoot>")]
    assert "not an endorsement" in tfoot and "The decision to use a tool rests with your agency." in tfoot
    assert '<col class="compare-col-tool">' * 2 in body and "compare-cols-2" in body


# --- CSV in every script --------------------------------------------------------------------
def test_csv_starts_with_a_bom_and_arabic_and_chinese_round_trip(signed_in, verified_officer, forms):
    tools_form, _rai = forms
    arabic = tool_with(tools_form, {"summary": "يفرز الصور المضبوطة"}, name="أداة الفرز")
    chinese = tool_with(tools_form, {"summary": "对图像进行分类"}, name="分类工具")
    response = signed_in(verified_officer).get(CSV_URL, {"tools": f"{arabic.slug},{chinese.slug}"})
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert rows[0][3:] == ["أداة الفرز", "分类工具"]
    assert {row[2]: row[3:] for row in rows[2:]}["Question summary?"] == ["يفرز الصور المضبوطة", "对图像进行分类"]


# --- queries -------------------------------------------------------------------------------
def test_queries_do_not_grow_with_the_tools_or_the_tray(signed_in, verified_officer, forms):
    tools_form, _rai = forms
    tools = [tool_with(tools_form, {"workflow": ["triage"], "offline": True}) for _ in range(4)]
    gone = [once_published(tools_form, f"Gone {n}", ToolState.SUSPENDED) for n in range(2)]
    client = signed_in(verified_officer)
    client.post(reverse("discovery:compare_tray"), {"action": "set", "tools": [t.slug for t in tools]})

    def count(slugs):
        client.get(URL, {"tools": ",".join(slugs)})  # warm caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"tools": ",".join(slugs)}).status_code == 200
        return len(queries)

    one = count([tools[0].slug, gone[0].slug])
    four = count([t.slug for t in tools] + [g.slug for g in gone])
    assert one == four
    assert four <= 25
