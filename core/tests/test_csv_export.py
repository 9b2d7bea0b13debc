"""The one CSV writer every export uses: cells that a spreadsheet would run are neutralised."""

import csv
import io

import pytest

from core.csv_export import csv_response, neutralise


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_a_cell_a_spreadsheet_would_run_is_shown_as_text(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize(("value", "expected"), [("Plain text", "Plain text"), (None, ""), (42, "42"), (-3, "'-3")])
def test_other_cells_are_written_as_they_are(value, expected):
    assert neutralise(value) == expected


@pytest.mark.parametrize("stream", [False, True])
def test_the_response_is_a_neutralised_attachment_streamed_or_not(stream):
    response = csv_response("export.csv", ["=header"], [["=cell", "plain"]], stream=stream)
    body = b"".join(response.streaming_content) if stream else response.content
    assert response.streaming is stream
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="export.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""))) == [["'=header"], ["'=cell", "plain"]]


@pytest.mark.parametrize("stream", [False, True])
def test_every_file_starts_with_a_utf8_bom_and_keeps_any_script(stream):
    """Spreadsheet programs read a CSV with a BOM as UTF-8 in every language setting."""
    cells = ["أداة الفرز", "分类工具", "Ünïcödé", "=مرحبا"]
    response = csv_response("export.csv", ["Name"], [cells], stream=stream)
    body = b"".join(response.streaming_content) if stream else response.content
    assert body.startswith(b"\xef\xbb\xbf")
    assert body.count(b"\xef\xbb\xbf") == 1
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert rows == [["Name"], ["أداة الفرز", "分类工具", "Ünïcödé", "'=مرحبا"]]
