"""The catalogue under a real server (`make bench-server`, `make load`).

    DEBUG=0 .venv/bin/python bench/server.py                        # 1,000 and 10,000 tools, 40 officers
    DEBUG=0 .venv/bin/python bench/server.py --tools 200 --duration 12   # a quick run
    DEBUG=0 .venv/bin/python bench/server.py --load                 # locust (bench/locustfile.py)

What it starts, all on this machine and stopped at the end: gunicorn with deploy/gunicorn.conf.py
(DEBUG off, sync workers, bench.settings), on PostgreSQL in a private database `bench_server`
(created at the start and dropped at the end) and on Redis database 8 (flushed at the start).
gunicorn is reached directly with the headers nginx adds (X-Forwarded-Proto, X-Forwarded-For).

This script is a Django process on the same database and Redis: it migrates, adds published
tools in bulk (bench/run.py's population code), creates the officers and signs them in by
writing their sessions server-side, as a sign-in with password and second factor would leave
them (testkit.personas.sign_in: django's login plus the MFA mark). Every officer is a distinct
account, so every officer has a distinct fair order, as in real use.

Per catalogue size, with N officers (threads with `requests`, one session each), each phase
bounded in time:

    think       the officers' mix with 0.5-2 s think time between requests
    saturation  the same mix without think time
    catalogue   catalogue searches only, without think time (catalogue throughput)
    health      /health/ only, same concurrency, without think time: the floor of the stack
    cold        a submitted tool is published through the production service
                (catalogue.review.publish_tool), then the next catalogue request is timed; 5 times

The mix: catalogue searches (each with different criteria: random real values of the published
questionnaires' criterion questions, random modes, sometimes search words and a second page),
tool pages and comparisons of 2-4 tools. Rows with "mode": "server" replace the previous server
rows of bench/results.json (the in-process rows of bench/run.py are kept).
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import json
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urlencode

import requests

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import percentile  # noqa: E402 - the script is run as a file

DEFAULT_OUTPUT = ROOT / "bench" / "results.json"
DEFAULT_SIZES = (1000, 10000)
PORT = 8401
# make bench-server and make load can run at the same time: each has its database and port.
DATABASES = {"bench": "bench_server", "load": "bench_load"}
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/{}"
LOAD_PORT = 8402
REDIS_URL = "redis://127.0.0.1:6379/8"
HOST = "127.0.0.1"
# Shares of --duration per phase (60 s: 20 + 15 + 15 + 10).
PHASES = {"think": 20 / 60, "saturation": 15 / 60, "catalogue": 15 / 60, "health": 10 / 60}
THINK_SECONDS = (0.5, 2.0)
MIX = (("catalogue", 0.5), ("tool", 0.3), ("compare", 0.2))
COLD_REPEATS = 5
# Goals of issue 13 at 10,000 tools on PostgreSQL with 40 officers.
GOAL_P95_MS = 400
GOAL_COLD_MS = 150
GOAL_CATALOGUE_SHARE_OF_HEALTH = 0.25


# --- pure parts: the request mix and the statistics ---------------------------------------
@dataclass(frozen=True)
class World:
    """What officers can ask for: criteria [(key, [values])], published slugs, search words."""

    criteria: list[tuple[str, list[str]]]
    slugs: list[str]
    words: list[str]


@dataclass(frozen=True)
class Request:
    page: str
    path: str
    params: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"{self.path}?{urlencode(self.params, doseq=True)}" if self.params else self.path


def catalogue_request(rng: random.Random, world: World) -> Request:
    """A catalogue search as an officer composes it: 0-4 criteria, each with 1-2 real values and a
    mode, words half of the time (sometimes only the start of a word), the second page at times."""
    params: dict[str, list[str] | str] = {}
    count = min(len(world.criteria), rng.choice((0, 1, 2, 2, 3, 3, 4)))
    for key, values in rng.sample(world.criteria, count):
        params[key] = sorted(rng.sample(values, min(len(values), rng.choice((1, 1, 2)))))
        params[f"mode.{key}"] = rng.choice(("required", "preferred", "preferred"))
    if world.words and rng.random() < 0.5:
        word = rng.choice(world.words)
        params["q"] = word if rng.random() < 0.7 else word[: max(3, len(word) // 2)]
    if rng.random() < 0.15:
        params["page"] = "2"
    return Request("catalogue", "/tools/", params)


def officer_request(rng: random.Random, world: World, pages=MIX) -> Request:
    """The next request of an officer: a catalogue search, a tool's page or a comparison."""
    page = rng.choices([name for name, _weight in pages], weights=[weight for _name, weight in pages])[0]
    if page == "catalogue" or not world.slugs:
        return catalogue_request(rng, world)
    if page == "tool":
        return Request("tool", f"/tools/{rng.choice(world.slugs)}/")
    picks = rng.sample(world.slugs, min(len(world.slugs), rng.randint(2, 4)))
    return Request("compare", "/tools/compare/", {"tools": ",".join(picks)})


def summarise(samples_ms: list[float], errors: int, seconds: float) -> dict:
    """Throughput (answered requests per second), p50/p95/p99 in ms (nearest rank), errors."""
    result = {
        "requests": len(samples_ms),
        "errors": errors,
        "throughput_rps": round(len(samples_ms) / seconds, 2) if seconds > 0 else 0.0,
    }
    for name, share in (("p50_ms", 0.5), ("p95_ms", 0.95), ("p99_ms", 0.99)):
        result[name] = round(percentile(samples_ms, share), 1) if samples_ms else None
    return result


def merge_rows(existing: list[dict], new: list[dict]) -> list[dict]:
    """The in-process rows as they were, then the new server rows (old server rows dropped)."""
    return [row for row in existing if row.get("mode") != "server"] + new


def collapsed_profile(lines, *, top: int = 20, prefix: str = str(ROOT)) -> list[tuple[str, float, float]]:
    """From py-spy's raw (collapsed) stacks: [(function, inclusive share, self share)] of the
    project's and Django's frames, most inclusive first."""
    inclusive: collections.Counter = collections.Counter()
    own: collections.Counter = collections.Counter()
    total = 0
    for line in lines:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack or not count.isdigit():
            continue
        total += int(count)
        frames = stack.split(";")
        seen = set()
        for frame in frames:
            name = _frame_name(frame, prefix)
            if name not in seen:
                inclusive[name] += int(count)
                seen.add(name)
        own[_frame_name(frames[-1], prefix)] += int(count)
    if not total:
        return []
    return [(name, count / total, own[name] / total) for name, count in inclusive.most_common(top)]


def _frame_name(frame: str, prefix: str) -> str:
    # py-spy writes "function (path/to/file.py:line)"; lines differ per sample, files do not.
    match = re.match(r"(.*) \((.*?)(?::\d+)?\)$", frame)
    if not match:
        return frame
    function, path = match.groups()
    path = path.replace(prefix + "/", "")
    path = re.sub(r".*/site-packages/", "", path)
    return f"{function} ({path})"


# --- the stack: PostgreSQL database, Redis, gunicorn ---------------------------------------
def _admin_connection():
    import psycopg

    return psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True)


def database(name: str, create: bool) -> None:
    from psycopg import sql

    with _admin_connection() as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if create:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def environment(secret_key: str, media: Path, port: int, name: str) -> dict:
    """The app servers' environment (as deploy/saferhub.env.example, with bench.settings)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "GUNICORN_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="0",
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS=f"{HOST},localhost",
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}:{port}",
        SITE_URL=f"https://{HOST}:{port}",
        DATABASE_URL=POSTGRES_URL.format(name),
        REDIS_URL=REDIS_URL,
        BEHIND_PROXY="1",
        TRUSTED_PROXY_COUNT="1",
        MEDIA_ROOT=str(media),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        GUNICORN_BIND=f"{HOST}:{port}",
    )
    return env


class Gunicorn:
    def __init__(self, env: dict, log: Path, workers: int | None):
        self.env = {**env, **({"GUNICORN_WORKERS": str(workers)} if workers else {})}
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self, port: int) -> None:
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        argv = [gunicorn, "-c", "deploy/gunicorn.conf.py", "config.wsgi:application"]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own server
                argv, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        # Each worker imports the hub on its first start: slow on a busy machine.
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log}:\n{self.log.read_text()[-2000:]}")
            try:
                if requests.get(f"http://{HOST}:{port}/health/", headers=PROXY_HEADERS, timeout=10).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer /health/ within 240 s; see {self.log}")

    @property
    def workers(self) -> list[int]:
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7", "Accept-Language": "en"}


# --- Django side: this process on the same database --------------------------------------
def setup_django(env: dict) -> None:
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False, skip_checks=True)


def session_cookie(user, *, reauthenticated: bool = False) -> str:
    """Sign `user` in server-side (password and second factor passed) and return the cookie
    value: the session row is what a real sign-in leaves."""
    from django.conf import settings
    from django.test import Client

    from testkit.personas import sign_in

    client = Client()
    sign_in(client, user)
    if reauthenticated:
        # Coordinators' decisions ask for a recent password (allauth's reauthentication).
        session = client.session
        session["account_authentication_methods"] = [{"method": "password", "at": time.time()}]
        session.save()
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def cookie_name() -> str:
    from django.conf import settings

    return settings.SESSION_COOKIE_NAME


def make_officers(count: int) -> list[str]:
    from testkit import factories

    return [session_cookie(factories.OfficerProfileFactory(verified=True).user) for _ in range(count)]


def build_world(versions) -> World:
    from catalogue.models import Tool, ToolState
    from demo.catalogue import _STEMS, _TOOL_NOUNS
    from discovery.search import allowed_values, criterion_questions

    criteria = [(q.key, [value for value, _label in allowed_values(q)]) for q in criterion_questions(versions)]
    slugs = list(Tool.objects.filter(state=ToolState.PUBLISHED).values_list("slug", flat=True))
    words = sorted({word.lower() for word in (*_STEMS, *_TOOL_NOUNS) if word.isalpha()} | {"seized", "hash"})
    return World([(key, values) for key, values in criteria if values], slugs, words)


def grow(size: int, have: int, organisations, versions) -> float:
    from bench.run import _grow

    started = time.perf_counter()
    _grow(size, have, organisations, versions)
    return time.perf_counter() - started


def publish_one(number: int, organisation, versions, coordinator) -> str:
    """A submitted tool with full answers, published by a coordinator through the production
    service (signals, search text, criteria generation, audit, notifications)."""
    from catalogue import review
    from catalogue.models import ToolState
    from demo.catalogue import ToolSpec, build_tools

    slug = f"bench-cold-{number:03d}-{secrets.token_hex(3)}"
    spec = ToolSpec(slug, f"Bench Cold Tool {number}", organisation, ToolState.SUBMITTED, f"{slug}.example")
    (tool,) = build_tools([spec], versions, full=True)
    review.publish_tool(tool, by=coordinator, expected_version=tool.version)
    return slug


# --- the officers under load --------------------------------------------------------------
@dataclass
class Tally:
    samples: dict = field(default_factory=lambda: collections.defaultdict(list))
    errors: collections.Counter = field(default_factory=collections.Counter)
    examples: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, page: str, ms: float | None, problem: str = "") -> None:
        with self.lock:
            if problem:
                self.errors[page] += 1
                if len(self.examples) < 5:
                    self.examples.append(f"{page}: {problem}")
            else:
                self.samples[page].append(ms)


def http_session():
    """A requests session that keeps no cookies of its own (the session cookie is sent as a
    header; the server's cookies are Secure, for HTTPS behind nginx) and ignores proxy settings."""
    http = requests.Session()
    http.trust_env = False
    http.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    return http


def fetch(http, base: str, request: Request, cookie: str | None) -> tuple[float, str]:
    """(milliseconds, problem or ""): anything but 200 is an error (a redirect to sign-in too)."""
    headers = dict(PROXY_HEADERS)
    if cookie:
        headers["Cookie"] = cookie
    started = time.perf_counter()
    try:
        response = http.get(base + request.url, headers=headers, allow_redirects=False, timeout=30)
        response.content  # noqa: B018 - the whole body, as a browser reads it
    except Exception as exc:  # noqa: BLE001 - counted and reported
        return (time.perf_counter() - started) * 1000, f"{type(exc).__name__}: {exc}"[:200]
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        return elapsed, f"HTTP {response.status_code} {request.url[:120]}"
    return elapsed, ""


def run_phase(phase: str, base: str, cookies: list[str], world: World, seconds: float, seed: int) -> tuple:
    """Every officer loops until the phase ends; returns (Tally, elapsed seconds)."""
    tally = Tally()
    deadline = time.monotonic() + seconds

    def officer(index: int) -> None:
        rng = random.Random(f"{seed}:{phase}:{index}")
        with http_session() as http:
            if phase in ("think",):
                # Officers do not all arrive in the same instant.
                time.sleep(rng.uniform(0, THINK_SECONDS[1]))
            while time.monotonic() < deadline:
                if phase == "health":
                    request, cookie = Request("health", "/health/"), None
                elif phase == "catalogue":
                    request, cookie = catalogue_request(rng, world), cookies[index]
                else:
                    request, cookie = officer_request(rng, world), cookies[index]
                ms, problem = fetch(http, base, request, cookie)
                tally.add(request.page, ms, problem)
                if phase == "think":
                    time.sleep(min(rng.uniform(*THINK_SECONDS), max(0.0, deadline - time.monotonic())))

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(cookies)) as pool:
        for future in [pool.submit(officer, index) for index in range(len(cookies))]:
            future.result()
    return tally, time.monotonic() - started


def phase_rows(phase: str, tally: Tally, elapsed: float, base_row: dict) -> list[dict]:
    rows = []
    pages = sorted(
        set(tally.samples) | set(tally.errors), key=lambda page: ("catalogue", "tool", "compare", "health").index(page)
    )
    for page in pages:
        rows.append(
            {**base_row, "phase": phase, "page": page, **summarise(tally.samples[page], tally.errors[page], elapsed)}
        )
    if len(pages) > 1:
        everything = [ms for page in pages for ms in tally.samples[page]]
        rows.append(
            {**base_row, "phase": phase, "page": "all", **summarise(everything, sum(tally.errors.values()), elapsed)}
        )
    return rows


def profile(master: int, seconds: float, out: Path) -> subprocess.Popen | None:
    """py-spy samples the gunicorn workers while the catalogue phase runs (None without py-spy)."""
    spy = Path(sys.executable).with_name("py-spy")
    if not spy.exists():
        return None
    argv = [str(spy), "record", "--subprocesses", "--nonblocking", "--format", "raw", "--rate", "50"]
    argv += ["--duration", str(max(1, int(seconds))), "--pid", str(master), "-o", str(out)]
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603


# --- the run ------------------------------------------------------------------------------
def _table(rows: list[dict]) -> str:
    header = (
        f"{'tools':>6} {'phase':<10} {'page':<9} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} {'requests':>8}  load at start"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        if row["phase"] == "cold":
            samples = ", ".join(f"{ms:.0f}" for ms in row["samples_ms"])
            lines.append(
                f"{row['tools']:>6} {'cold':<10} {row['page']:<9} {'-':>7} {row['p50_ms']:>7.1f} {'-':>7} "
                f"{row['max_ms']:>7.1f} {row['errors']:>6} {len(row['samples_ms']):>8}  {row['load_avg_start'][0]:.2f}"
                f"  (each: {samples} ms; max in the p99 column)"
            )
            continue
        cells = [
            f"{row[name]:>7.1f}" if row[name] is not None else f"{'-':>7}" for name in ("p50_ms", "p95_ms", "p99_ms")
        ]
        lines.append(
            f"{row['tools']:>6} {row['phase']:<10} {row['page']:<9} {row['throughput_rps']:>7.1f} {' '.join(cells)} "
            f"{row['errors']:>6} {row['requests']:>8}  {row['load_avg_start'][0]:.2f}"
        )
    return "\n".join(lines)


def goals(rows: list[dict], size: int) -> list[str]:
    """The issue's goals at `size` tools, each as a line saying whether it was met."""
    at = [row for row in rows if row["tools"] == size]
    lines = []
    # Reported apart: officers at a human pace, and the same officers without pauses, where every
    # request waits for the others (p95 is then at least officers / throughput, Little's law).
    for label, phases in (("at the officers' pace", ("think",)), ("without pauses", ("saturation", "catalogue"))):
        pages = [row for row in at if row["phase"] in phases and row["page"] != "all"]
        worst = max(pages, key=lambda row: row["p95_ms"] or 0, default=None)
        if worst:
            verdict = "met" if worst["p95_ms"] <= GOAL_P95_MS else "NOT met"
            floor = ""
            if worst["phase"] != "think" and worst.get("throughput_rps"):
                share = next((r for r in at if r["phase"] == worst["phase"] and r["page"] == "all"), worst)
                floor = f"; {worst.get('officers', '?')} officers / {share['throughput_rps']} req/s"
            lines.append(
                f"p95 <= {GOAL_P95_MS} ms for every page {label}: {verdict} "
                f"(worst {worst['page']} in {worst['phase']}: {worst['p95_ms']} ms{floor})"
            )
    errors = sum(row["errors"] for row in at if row["page"] != "all")
    lines.append(f"0 errors: {'met' if errors == 0 else 'NOT met'} ({errors})")
    catalogue = next((row for row in at if row["phase"] == "catalogue" and row["page"] == "catalogue"), None)
    health = next((row for row in at if row["phase"] == "health"), None)
    if catalogue and health and health["throughput_rps"]:
        share = catalogue["throughput_rps"] / health["throughput_rps"]
        verdict = "met" if share >= GOAL_CATALOGUE_SHARE_OF_HEALTH else "NOT met"
        lines.append(
            f"catalogue throughput >= 1/4 of /health/: {verdict} ({catalogue['throughput_rps']} vs "
            f"{health['throughput_rps']} req/s, {share:.2f})"
        )
    cold = next((row for row in at if row["phase"] == "cold"), None)
    if cold:
        verdict = "met" if cold["max_ms"] <= GOAL_COLD_MS else "NOT met"
        lines.append(f"cold catalogue after a publish <= {GOAL_COLD_MS} ms: {verdict} (max {cold['max_ms']} ms)")
    return [f"{size} tools: {line}" for line in lines]


def save(output: Path, rows: list[dict]) -> None:
    existing = json.loads(output.read_text(encoding="utf-8")) if output.exists() else []
    output.write_text(json.dumps(merge_rows(existing, rows), indent=2) + "\n", encoding="utf-8")


def _load_avg() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def bench(args, env: dict, server: Gunicorn, run_dir: Path) -> list[dict]:
    from questionnaires.selectors import current_versions
    from testkit import factories

    base = f"http://{HOST}:{args.port}"
    versions = current_versions()
    organisations = _organisations(max(10, min(200, max(args.tools) // 25)))
    coordinator = factories.CoordinatorFactory()
    cookies = [f"{cookie_name()}={value}" for value in make_officers(args.officers)]
    rows: list[dict] = []
    have = 0
    for size in args.tools:
        print(f"Adding published tools up to {size} ...", flush=True)
        server.stop()
        seconds = grow(size, have, organisations, versions)
        have = size
        print(f"  {size} tools in {seconds:.1f} s; starting gunicorn", flush=True)
        server.start(args.port)
        world = build_world(versions)
        base_row = {"mode": "server", "db": "postgresql", "tools": size, "officers": args.officers}
        base_row["workers"] = len(server.workers)
        # Warm-up, not recorded: every worker reads the criteria index once, as a live server has.
        run_phase("saturation", base, cookies, world, 3, seed=0)
        for phase, share in PHASES.items():
            seconds = max(1.0, args.duration * share)
            row = {**base_row, "load_avg_start": _load_avg(), "seconds": round(seconds, 1)}
            print(f"  {phase}: {args.officers} officers for {seconds:.0f} s", flush=True)
            spy = None
            if args.profile and phase == "catalogue" and size == max(args.tools):
                spy = profile(server.process.pid, seconds, run_dir / "profile.txt")
            tally, elapsed = run_phase(phase, base, cookies, world, seconds, seed=size)
            rows += phase_rows(phase, tally, elapsed, row)
            for example in tally.examples:
                print(f"    error: {example}", flush=True)
            if spy is not None:
                spy.wait(timeout=120)
                report_profile(run_dir / "profile.txt", args.profile)
        rows.append(
            cold_path(
                base,
                cookies[0],
                world,
                organisations[0],
                versions,
                coordinator,
                {**base_row, "load_avg_start": _load_avg()},
                args.cold,
            )
        )
        # Written after each size: a failure at 10,000 tools keeps the 1,000 rows.
        save(args.output, rows)
    return rows


def cold_path(base, cookie, world, organisation, versions, coordinator, row, repeats) -> dict:
    """Publish a tool, then time the next catalogue request; `repeats` times."""
    rng = random.Random("cold")
    samples, errors = [], 0
    with http_session() as http:
        for number in range(repeats):
            publish_one(number, organisation, versions, coordinator)
            ms, problem = fetch(http, base, catalogue_request(rng, world), cookie)
            samples.append(round(ms, 1))
            errors += bool(problem)
            time.sleep(0.5)
    return {
        **row,
        "phase": "cold",
        "page": "catalogue",
        "samples_ms": samples,
        "p50_ms": round(percentile(samples, 0.5), 1),
        "max_ms": max(samples),
        "errors": errors,
    }


def report_profile(path: Path, out: Path | None) -> None:
    if not path.exists():
        print("  (py-spy wrote no profile)")
        return
    # The frames every request passes through (gunicorn, the middleware chain) say nothing: from
    # the view down only.
    lines = collapsed_profile(path.read_text(encoding="utf-8").splitlines(), top=120)
    lines = [line for line in lines if line[1] < 0.9][:40]
    text = ["Where the gunicorn workers spend their time in the catalogue phase (py-spy, inclusive / self):"]
    text += [f"  {inclusive:6.1%} {own:6.1%}  {name}" for name, inclusive, own in lines]
    print("\n".join(text))
    if isinstance(out, Path):
        out.write_text("\n".join(text) + "\n", encoding="utf-8")


def _organisations(count: int):
    from bench.run import _organisations as make

    return make(count)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tools", type=int, nargs="+", help="catalogue sizes (default 1000 10000; --load: 1000)")
    parser.add_argument("--officers", type=int, default=40, help="concurrent officers, distinct accounts (40)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load per size (default 60)")
    parser.add_argument("--cold", type=int, default=COLD_REPEATS, help="publish-then-search repeats (5)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: deploy/gunicorn.conf.py's)")
    parser.add_argument("--port", type=int, help=f"gunicorn's port ({PORT}; --load: {LOAD_PORT})")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="the JSON rows (bench/results.json)")
    parser.add_argument(
        "--profile", nargs="?", const=True, type=Path, help="py-spy the catalogue phase at the largest size [to FILE]"
    )
    parser.add_argument("--load", action="store_true", help="run locust (bench/locustfile.py) instead")
    parser.add_argument("--providers", type=int, default=5, help="--load: providers editing drafts (5)")
    parser.add_argument("--coordinators", type=int, default=3, help="--load: coordinators reviewing (3)")
    args = parser.parse_args(argv)
    args.tools = sorted(set(args.tools or ((1000,) if args.load else DEFAULT_SIZES)))

    secret_key = secrets.token_urlsafe(50)
    run_dir = Path(tempfile.mkdtemp(prefix="saferhub-bench-server-"))
    (run_dir / "media").mkdir()
    name = DATABASES["load" if args.load else "bench"]
    args.port = args.port or (LOAD_PORT if args.load else PORT)
    env = environment(secret_key, run_dir / "media", args.port, name)
    database(name, create=True)
    flush_redis()
    server = Gunicorn(env, run_dir / "gunicorn.log", args.workers)
    failed = True
    try:
        setup_django(env)
        if args.load:
            code = load(args, server, run_dir)
            failed = code != 0
            return code
        rows = bench(args, env, server, run_dir)
        print(_table(rows))
        for size in args.tools:
            print("\n".join(goals(rows, size)))
        print(f"Wrote {len(rows)} server rows to {args.output}")
        failed = False
        return 0
    finally:
        server.stop()
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        database(name, create=False)
        if failed:
            print(f"Logs kept in {run_dir}")
        else:
            shutil.rmtree(run_dir, ignore_errors=True)


# --- make load: locust with officers, providers and coordinators --------------------------
def provider_section(version) -> tuple[str, list[str]]:
    """The section whose answers providers edit under load, and its text questions: answers are
    edited one section per page, so a section of text questions only (then the one with the most),
    whose edited fields are all its page posts."""
    from questionnaires.models import Question

    def text_first(item):
        questions = item[1]
        texts = sum(question.type in Question.TEXT_TYPES for question in questions)
        return (bool(questions) and texts == len(questions), texts)

    sections = {
        section.key: [question for question in version.questions.all() if question.section_id == section.pk]
        for section in version.sections.all()
    }
    key, questions = max(sections.items(), key=text_first)
    return key, [question.key for question in questions if question.type in Question.TEXT_TYPES]


def load(args, server: Gunicorn, run_dir: Path) -> int:
    from catalogue.models import ToolState
    from demo.catalogue import ToolSpec, build_tools
    from questionnaires.selectors import current_versions
    from testkit import factories

    versions = current_versions()
    organisations = _organisations(max(10, args.tools[0] // 25))
    grow(args.tools[0], 0, organisations, versions)
    # Providers: each the admin of an organisation with a draft tool whose answers they edit.
    version = versions[0]
    section, text_keys = provider_section(version)
    providers = []
    for number in range(args.providers):
        membership = factories.MembershipFactory(is_admin=True)
        spec = ToolSpec(
            f"bench-draft-{number:03d}",
            f"Bench Draft {number}",
            membership.organisation,
            ToolState.DRAFT,
            f"draft{number}.example",
        )
        build_tools([spec], versions, full=True, created_by={membership.organisation.pk: membership.user})
        path = f"/tools/mine/{spec.slug}/questionnaires/{version.questionnaire.key}/{section}/"
        providers.append({"session": session_cookie(membership.user), "answers": path, "fields": text_keys[:3]})
    # Coordinators: each reviews submitted tools of their own (no two decide the same tool).
    coordinators = []
    for number in range(args.coordinators):
        specs = [
            ToolSpec(
                f"bench-review-{number}-{n:03d}",
                f"Bench Review {number} {n}",
                organisations[n % len(organisations)],
                ToolState.SUBMITTED,
                f"review{number}-{n}.example",
            )
            for n in range(40)
        ]
        build_tools(specs, versions, full=True)
        coordinator = factories.CoordinatorFactory()
        coordinators.append(
            {"session": session_cookie(coordinator, reauthenticated=True), "tools": [spec.slug for spec in specs]}
        )
    world = build_world(versions)
    data = {
        "cookie_name": cookie_name(),
        "origin": f"https://{HOST}:{args.port}",
        "criteria": world.criteria,
        "slugs": world.slugs,
        "words": world.words,
        "officers": [{"session": value} for value in make_officers(args.officers)],
        "providers": providers,
        "coordinators": coordinators,
    }
    (run_dir / "load.json").write_text(json.dumps(data), encoding="utf-8")
    server.start(args.port)
    users = args.officers + args.providers + args.coordinators
    locust = str(Path(sys.executable).with_name("locust"))
    argv = [locust, "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--only-summary"]
    argv += ["--users", str(users), "--spawn-rate", str(users), "--run-time", f"{int(args.duration)}s"]
    argv += ["--host", f"http://{HOST}:{args.port}", "--stop-timeout", "10", "--loglevel", "WARNING"]
    print(
        f"locust: {args.officers} officers, {args.providers} providers, {args.coordinators} coordinators for {int(args.duration)} s on {args.tools[0]} tools",
        flush=True,
    )
    env = {**os.environ, "BENCH_LOAD_JSON": str(run_dir / "load.json")}
    result = subprocess.run(argv, env=env, cwd=ROOT, check=False)  # noqa: S603 - our own locustfile
    print(f"locust exited with {result.returncode} ({'no errors' if result.returncode == 0 else 'errors, see above'})")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
