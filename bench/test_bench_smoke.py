"""The benchmark harness runs end to end on a small SQLite catalogue and writes its JSON rows."""

import json
import re

from bench import run

PAGES = {"catalogue", "tool", "compare", "health"}


def test_bench_writes_rows_for_every_page(tmp_path, capsys):
    output = tmp_path / "results.json"
    returned = run.main(
        ["--tools", "50", "--db", "sqlite", "--requests", "3", "--warmup", "1", "--output", str(output)]
    )
    rows = json.loads(output.read_text(encoding="utf-8"))
    assert rows == returned
    assert isinstance(rows, list) and rows
    for row in rows:
        assert set(row) == {"db", "tools", "page", "p50_ms", "p95_ms", "queries"}
        assert row["db"] == "sqlite" and row["tools"] == 50
        assert row["page"] in PAGES
        assert 0 < row["p50_ms"] <= row["p95_ms"]
        assert isinstance(row["queries"], int) and row["queries"] > 0
    pages = {row["page"] for row in rows}
    # /health/ is always there; the catalogue pages are measured once they exist.
    assert "health" in pages
    table = capsys.readouterr().out
    for page in PAGES:
        assert page in table
    # The catalogue query is chosen so that tools match: the page shows results, not an empty list.
    matches = re.search(r"catalogue query matches (\d+) tools", table)
    assert matches and int(matches.group(1)) > 0


def test_percentile_is_nearest_rank():
    samples = [float(n) for n in range(1, 101)]
    assert run.percentile(samples, 0.95) == 95.0
    assert run.percentile(samples, 0.5) == 50.0
    assert run.percentile([7.0], 0.95) == 7.0
