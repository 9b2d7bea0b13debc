"""Comparing up to four published tools side by side, printable and as CSV."""

import csv
import io

import pytest
from django.urls import reverse

from core import csv_export

from .test_search_helpers import answer, make_questionnaires, tool_with

pytestmark = pytest.mark.django_db

URL = reverse("discovery:compare")
CSV_URL = reverse("discovery:compare_csv")


@pytest.fixture
def forms():
    return make_questionnaires()


@pytest.fixture
def pair(forms):
    tools_form, rai = forms
    first = tool_with(
        tools_form, {"workflow": ["triage", "review"], "offline": True, "summary": "Reads phones"}, name="First Tool"
    )
    second = tool_with(tools_form, {"deployment": "cloud", "cost": '=HYPERLINK("http://evil")'}, name="Second Tool")
    answer(second, rai, "rai-1", "Audited yearly")
    return first, second


def test_every_question_side_by_side_with_non_answers(signed_in, verified_officer, pair):
    first, second = pair
    response = signed_in(verified_officer).get(URL, {"tools": f"{first.slug},{second.slug}"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("First Tool") < body.index("Second Tool")  # the order the officer chose
    for key in ["workflow", "offline", "deployment", "summary", "cost", "rai-1", "rai-5"]:
        assert f"Question {key}?" in body
    assert "Reads phones" in body and "Audited yearly" in body
    assert "The decision to use a tool rests with your agency." in body
    assert "Triage" in body and "Review" in body  # option labels, not stored values
    # 10 questions x 2 tools = 20 cells; first answered 3, second 3.
    assert body.count("No reply provided by the provider") == 20 - 6
    assert reverse("discovery:compare_csv") + f"?tools={first.slug},{second.slug}" in body


def test_repeated_tools_parameter_works_too(signed_in, verified_officer, pair):
    first, second = pair
    response = signed_in(verified_officer).get(URL, {"tools": [first.slug, second.slug]})
    assert [column["tool"] for column in response.context["columns"]] == [first, second]


def test_more_than_four_is_a_clear_400(signed_in, verified_officer, forms):
    tools_form, _rai = forms
    tools = [tool_with(tools_form, {}) for _ in range(5)]
    response = signed_in(verified_officer).get(URL, {"tools": ",".join(t.slug for t in tools)})
    assert response.status_code == 400
    assert "up to 4 tools" in response.content.decode()
    assert signed_in(verified_officer).get(CSV_URL, {"tools": ",".join(t.slug for t in tools)}).status_code == 400


def test_four_is_fine(signed_in, verified_officer, forms):
    tools_form, _rai = forms
    tools = [tool_with(tools_form, {}) for _ in range(4)]
    assert signed_in(verified_officer).get(URL, {"tools": ",".join(t.slug for t in tools)}).status_code == 200


def test_malformed_identifiers_are_a_400_before_any_query(signed_in, verified_officer, pair):
    first, _second = pair
    client = signed_in(verified_officer)
    for slugs in (f"{first.slug},a\x00b", f"{first.slug},<script>", "x" * 300):
        response = client.get(URL, {"tools": slugs})
        assert response.status_code == 400 and "not tool identifiers" in response.content.decode()
        assert client.get(CSV_URL, {"tools": slugs}).status_code == 400


def test_no_tools_explains_how_to_choose(signed_in, verified_officer):
    response = signed_in(verified_officer).get(URL)
    assert response.status_code == 200
    assert "Choose up to 4 tools" in response.content.decode()


def test_csv_export(signed_in, verified_officer, pair):
    first, second = pair
    response = signed_in(verified_officer).get(CSV_URL, {"tools": f"{first.slug},{second.slug}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][3:] == ["First Tool", "Second Tool"]
    assert rows[1][3:] == [first.organisation.name, second.organisation.name]
    by_question = {row[2]: row[3:] for row in rows[2:]}
    assert by_question["Question summary?"] == ["Reads phones", "No reply provided by the provider"]
    assert by_question["Question offline?"] == ["Yes", "No reply provided by the provider"]
    assert by_question["Question cost?"][1].startswith("'=")  # formula neutralised
    assert len(rows) == 2 + 10


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\r=1+1"])
def test_csv_export_neutralises_spreadsheet_formulas(signed_in, verified_officer, forms, payload):
    """Provider-supplied text (an answer, the tool's name) never reaches a spreadsheet as a formula."""
    tools_form, _rai = forms
    tool = tool_with(tools_form, {"summary": payload}, name=payload + " Tool")
    response = signed_in(verified_officer).get(CSV_URL, {"tools": tool.slug})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert rows[0][3] == "'" + payload + " Tool"
    assert {row[2]: row[3] for row in rows[2:]}["Question summary?"] == "'" + payload


def test_control_without_neutralising_the_formula_reaches_the_file(signed_in, verified_officer, forms, monkeypatch):
    """The check above fails when the export stops neutralising."""
    monkeypatch.setattr(csv_export, "neutralise", lambda value: "" if value is None else str(value))
    tools_form, _rai = forms
    tool = tool_with(tools_form, {"summary": "=1+1"})
    response = signed_in(verified_officer).get(CSV_URL, {"tools": tool.slug})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert {row[2]: row[3] for row in rows[2:]}["Question summary?"] == "=1+1"


def test_print_styles_exist():
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()
    assert "@media print" in css and ".compare-table" in css


def test_constant_queries(signed_in, verified_officer, forms, django_assert_max_num_queries):
    tools_form, rai = forms
    tools = [tool_with(tools_form, {"workflow": ["triage"], "offline": True, "deployment": "cloud"}) for _ in range(4)]
    client = signed_in(verified_officer)
    slugs = ",".join(t.slug for t in tools)
    client.get(URL, {"tools": slugs})
    with django_assert_max_num_queries(25) as queries:
        assert client.get(URL, {"tools": slugs}).status_code == 200
    own = [q for q in queries.captured_queries if "catalogue_" in q["sql"] or "questionnaires_" in q["sql"]]
    assert len(own) <= 8


def test_providers_and_pending_officers_get_403(signed_in, provider_admin, pending_officer, pair):
    first, second = pair
    for user in (provider_admin, pending_officer):
        client = signed_in(user)
        for url in (URL, CSV_URL):
            response = client.get(url, {"tools": f"{first.slug},{second.slug}"})
            assert response.status_code == 403
            assert b"Reads phones" not in response.content


def test_the_catalogue_says_each_agency_decides(signed_in, verified_officer, pair):
    body = signed_in(verified_officer).get(reverse("discovery:catalogue")).content.decode()
    assert "Inclusion is not an endorsement" in body
    assert "The decision to use a tool rests with your agency." in body
