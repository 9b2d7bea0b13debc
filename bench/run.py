"""The catalogue benchmark (`make bench`): p50/p95 and SQL queries per page, in process.

    DEBUG=0 SECRET_KEY=bench .venv/bin/python bench/run.py            # 1,000 and 10,000 tools
    DEBUG=0 SECRET_KEY=bench .venv/bin/python bench/run.py --tools 200   # a quick run

For each database (a fresh temporary SQLite file always; PostgreSQL too when DATABASE_URL
points at one, in a dedicated `<name>_bench` database that is created and dropped) and each
catalogue size, a worker process migrates the empty database, generates that many published
tools answering every question of the current questionnaires (demo.catalogue.build_tools
with full=True), signs a verified officer in with django.test.Client and measures:

    catalogue  the catalogue page with 3 required and 3 preferred criteria and a search word
    tool       a tool's page
    compare    a comparison of 4 tools
    health     /health/, the floor

Each page gets warm-up requests, then timed ones (p50, p95 in milliseconds), then one request
under CaptureQueriesContext for the number of SQL queries. Rows go to bench/results.json as
{"db", "tools", "page", "p50_ms", "p95_ms", "queries"}; a page that does not exist (yet) or
does not answer 200 is shown as skipped in the table and left out of the JSON.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "bench" / "results.json"
DEFAULT_SIZES = (1000, 10000)
PAGES = ("catalogue", "tool", "compare", "health")
# Goals of issue 3 at 10,000 tools (shown next to the numbers; the benchmark is not a test).
GOALS_P95_MS = {"catalogue": 40, "tool": 20}
MAX_QUERIES = 12
SEARCH_WORD = "seized"
CHUNK = 500


# --- the parent: one worker process per database ----------------------------------------
def _databases(only: str | None) -> list[tuple[str, str | None]]:
    """(label, DATABASE_URL) pairs; the SQLite URL is filled in by the worker's caller."""
    result: list[tuple[str, str | None]] = []
    if only in (None, "sqlite"):
        result.append(("sqlite", None))
    url = os.environ.get("DATABASE_URL", "")
    if only in (None, "postgresql") and url.startswith(("postgres://", "postgresql://", "pgsql://")):
        result.append(("postgresql", url))
    elif only == "postgresql":
        raise SystemExit("--db postgresql needs DATABASE_URL pointing at a PostgreSQL server")
    return result


def _postgres_admin(url: str):
    """(connect kwargs of the server's maintenance database, the bench database name)."""
    import dj_database_url

    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_bench"
    kwargs = {
        "dbname": "postgres",
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
    }
    return {k: v for k, v in kwargs.items() if v is not None}, name


def _postgres_database(url: str, *, create: bool) -> str:
    """Create (or drop) the dedicated bench database; returns its URL."""
    import psycopg
    from psycopg import sql

    kwargs, name = _postgres_admin(url)
    with psycopg.connect(**kwargs, autocommit=True) as connection:
        # FORCE (PostgreSQL 13+): a worker that died mid-query may leave its session behind.
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if create:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    base, _, _old = url.rpartition("/")
    query = ""
    if "?" in _old:
        query = "?" + _old.split("?", 1)[1]
    return f"{base}/{name}{query}"


def _run_worker(label: str, url: str, args) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-secret-key-not-for-production-0123456789",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }
    with tempfile.TemporaryDirectory(prefix="saferhub-bench-") as folder:
        out = Path(folder) / "rows.json"
        env.setdefault("MEDIA_ROOT", str(Path(folder) / "media"))
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--worker",
            label,
            "--out",
            str(out),
            "--requests",
            str(args.requests),
            "--warmup",
            str(args.warmup),
            "--tools",
            *[str(size) for size in args.tools],
        ]
        if url.startswith("sqlite"):
            env["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        subprocess.run(command, env=env, cwd=ROOT, check=True)  # noqa: S603 - our own script
        return json.loads(out.read_text(encoding="utf-8"))


def _table(rows: list[dict], skipped: list[dict], notes: list[dict]) -> str:
    lines = [f"{'db':<11} {'tools':>6}  {'page':<10} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}  note"]
    lines.append("-" * len(lines[0]))
    everything = [(row, "") for row in rows] + [(row, row["reason"]) for row in skipped]
    everything.sort(key=lambda item: (item[0]["db"], item[0]["tools"], PAGES.index(item[0]["page"])))
    for row, reason in everything:
        if reason:
            lines.append(
                f"{row['db']:<11} {row['tools']:>6}  {row['page']:<10} {'-':>8} {'-':>8} {'-':>8}  skipped: {reason}"
            )
            continue
        note = []
        goal = GOALS_P95_MS.get(row["page"])
        if goal and row["p95_ms"] > goal:
            note.append(f"p95 over the {goal} ms goal")
        if row["queries"] > MAX_QUERIES:
            note.append(f"more than {MAX_QUERIES} queries")
        lines.append(
            f"{row['db']:<11} {row['tools']:>6}  {row['page']:<10} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
            f"{row['queries']:>8}  {'; '.join(note)}"
        )
    for note in notes:
        lines.append(f"{note['db']} {note['tools']} tools: {note['text']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--tools", type=int, nargs="+", default=list(DEFAULT_SIZES), help="catalogue sizes (default 1000 10000)"
    )
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up requests per page (default 3)")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), help="measure only this database")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write the JSON rows")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.tools = sorted(set(args.tools))
    if args.worker:
        worker(args)
        return []

    rows, skipped, notes = [], [], []
    for label, url in _databases(args.db):
        print(f"Benchmarking {label} with {', '.join(map(str, args.tools))} tools ...", flush=True)
        if label == "postgresql":
            bench_url = _postgres_database(url, create=True)
            try:
                result = _run_worker(label, bench_url, args)
            finally:
                _postgres_database(url, create=False)
        else:
            result = _run_worker(label, "sqlite", args)
        rows += result["rows"]
        skipped += result["skipped"]
        notes += result["notes"]
    # bench/server.py's rows ("mode": "server") are kept; the in-process rows are replaced.
    existing = json.loads(args.output.read_text(encoding="utf-8")) if args.output.exists() else []
    kept = [row for row in existing if row.get("mode") == "server"]
    args.output.write_text(json.dumps(rows + kept, indent=2) + "\n", encoding="utf-8")
    print(_table(rows, skipped, notes))
    print(f"Wrote {len(rows)} rows to {args.output}")
    return rows


# --- the worker: runs inside Django, on its own database ------------------------------------
def percentile(samples: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.management import call_command

    # Checks are skipped: they test the project, not its speed.
    call_command("migrate", verbosity=0, interactive=False, skip_checks=True)


def _officer():
    from django.test import Client

    from testkit import factories
    from testkit.personas import sign_in

    officer = factories.OfficerProfileFactory(verified=True).user
    client = Client()
    sign_in(client, officer)
    return client


def _organisations(count: int):
    from providers.models import Organisation

    Organisation.objects.bulk_create(
        Organisation(
            name=f"Bench Provider {n} (fictitious)",
            kind=Organisation.Kind.COMPANY,
            country="DE",
            website=f"https://provider{n}.example",
            contact_name="Bench Contact",
            contact_email=f"contact{n}@provider.example",
            status=Organisation.Status.APPROVED,
        )
        for n in range(count)
    )
    return list(Organisation.objects.order_by("pk"))


def _grow(target: int, have: int, organisations, versions) -> None:
    """Add published tools with full answers until there are `target` of them."""
    from django.db import connection, transaction

    from catalogue.models import ToolState
    from demo.catalogue import _STEMS, _TOOL_NOUNS, ToolSpec, build_tools

    for start in range(have, target, CHUNK):
        specs = []
        for n in range(start, min(target, start + CHUNK)):
            organisation = organisations[n % len(organisations)]
            name = f"Bench {_STEMS[n % len(_STEMS)]} {_TOOL_NOUNS[n % len(_TOOL_NOUNS)]} {n}"
            specs.append(ToolSpec(f"bench-{n:05d}", name, organisation, ToolState.PUBLISHED, f"tool{n}.example"))
        with transaction.atomic():
            build_tools(specs, versions, full=True)
    if connection.vendor == "postgresql":
        # A live database has planner statistics (autovacuum); a bulk load has none until ANALYZE.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _criteria(versions) -> tuple[list[tuple[str, list[str]]], list[tuple[str, list[str]]]]:
    """3 required and 3 preferred criteria, (key, values), as an officer might choose them:
    two choice criteria and one yes/no each; required ones accept half of their options (OR)."""
    try:
        from discovery.search import allowed_values, criterion_questions
    except ImportError:
        return [], []
    questions = [q for q in criterion_questions(versions) if len(allowed_values(q)) <= 12]
    choice = [q for q in questions if q.type != "yes_no"]
    yes_no = [q for q in questions if q.type == "yes_no"]

    def values(question, required):
        options = [value for value, _label in allowed_values(question)]
        if question.type == "yes_no":
            return ["yes"]
        return options[: max(1, (len(options) + 1) // 2)] if required else options[:2]

    required = [(q.key, values(q, True)) for q in choice[0:2] + yes_no[0:1]]
    preferred = [(q.key, values(q, False)) for q in choice[2:4] + yes_no[1:2]]
    return required, preferred


def _catalogue_query(required, preferred) -> dict:
    query: dict[str, list[str] | str] = {"q": SEARCH_WORD}
    for key, values in required:
        query[key] = values
        query[f"mode.{key}"] = "required"
    for key, values in preferred:
        query[key] = values
        query[f"mode.{key}"] = "preferred"
    return query


def _page_requests(size: int, versions) -> tuple[dict, list[str], str]:
    """{page: (url, params) or a reason it is skipped}, and a note."""
    from django.urls import NoReverseMatch, reverse

    from catalogue.models import Tool, ToolState

    required, preferred = _criteria(versions)
    query = _catalogue_query(required, preferred)
    note = ""
    matches: list[str] = []
    try:
        from discovery import search

        selection = {key: search.Criterion(search.REQUIRED, frozenset(values)) for key, values in required}
        selection.update({key: search.Criterion(search.PREFERRED, frozenset(values)) for key, values in preferred})
        results = search.search(selection, seed="bench", q=SEARCH_WORD, versions=versions)
        matches = [result.slug for result in results]
        note = (
            f"catalogue query matches {len(matches)} tools "
            f"(required {[k for k, _ in required]}, preferred {[k for k, _ in preferred]}, q={SEARCH_WORD!r})"
        )
    except (ImportError, AttributeError) as exc:
        note = f"could not count matches: {exc}"
    published = list(Tool.objects.filter(state=ToolState.PUBLISHED).order_by("pk").values_list("slug", flat=True)[:8])
    picks = (matches + [slug for slug in published if slug not in matches])[:4]
    pages: dict = {}

    def route(page, name, params=None, **kwargs):
        try:
            pages[page] = (reverse(name, kwargs=kwargs or None), params or {})
        except NoReverseMatch:
            pages[page] = f"no URL named {name}"

    route("catalogue", "discovery:catalogue", query)
    if picks:
        route("tool", "catalogue:tool_detail", slug=picks[len(picks) // 2])
        route("compare", "discovery:compare", {"tools": ",".join(picks)})
    else:
        pages["tool"] = pages["compare"] = "no published tool"
    pages["health"] = ("/health/", {})
    return pages, note


def _measure(client, url: str, params: dict, requests: int, warmup: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(url, params)
        if response.status_code != 200:
            return f"HTTP {response.status_code}"
    samples = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(url, params)
        samples.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(url, params)
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(percentile(samples, 0.95), 2),
        "queries": len(captured.captured_queries),
    }


def worker(args) -> None:
    _setup_django()
    from questionnaires.selectors import current_versions

    versions = current_versions()
    client = _officer()
    organisations = _organisations(max(10, min(200, max(args.tools) // 25)))
    rows, skipped, notes = [], [], []
    have = 0
    for size in args.tools:
        started = time.perf_counter()
        _grow(size, have, organisations, versions)
        have = size
        pages, note = _page_requests(size, versions)
        notes.append({"db": args.worker, "tools": size, "text": f"generated in {time.perf_counter() - started:.1f} s"})
        if note:
            notes.append({"db": args.worker, "tools": size, "text": note})
        for page in PAGES:
            spec = pages[page]
            base = {"db": args.worker, "tools": size, "page": page}
            if isinstance(spec, str):
                skipped.append({**base, "reason": spec})
                continue
            measured = _measure(client, spec[0], spec[1], args.requests, args.warmup)
            if isinstance(measured, str):
                skipped.append({**base, "reason": measured})
            else:
                rows.append({**base, **measured})
    args.out.write_text(json.dumps({"rows": rows, "skipped": skipped, "notes": notes}), encoding="utf-8")


if __name__ == "__main__":
    main()
