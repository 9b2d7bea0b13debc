"""`make cluster-test`: SaferHub's production layout, started on this machine and put under pressure.

It starts, each on a port of its own and in a temporary directory: a private PostgreSQL, a private
Redis, a local SMTP sink, two gunicorn app servers (deploy/gunicorn.conf.py), one background
worker and nginx in front of them (deploy/nginx.conf.template, TLS with a throw-away
certificate). Then it checks, against the running servers:

  cluster  an officer signs in on server A and goes on with the same session cookie on server B;
           a TOTP code accepted by A is refused by B; the per-address sign-in rate limit and the
           account lockout count attempts made on both; a PDF uploaded through A is read through
           B; server A is killed (SIGKILL to its process group) during a load run through nginx:
           only requests in flight on it may fail, the rest go on.
  faults   PostgreSQL stopped and started during a load run: requests in between get the 503
           "briefly unavailable" page (never a 500), then the same app processes serve again;
           Redis stopped: pages keep working, /health/ says "degraded", sign-ins wait with a
           503; the mail server down: actions succeed, every message goes out once it is back;
           the worker killed in the middle of a send: the message is delivered again, once, with
           the same Message-ID.

It prints a PASS/FAIL line per check with its numbers and a summary, exits non-zero on a failure,
and always stops everything it started (also on Ctrl-C, SIGTERM or its time limit). Logs stay in
the temporary directory when something failed (its path is printed).

    python deploy/cluster_test.py [--sections cluster,faults] [--time-limit 1200] [--keep-logs]

Needs nginx, redis-server and PostgreSQL's server binaries from Debian's packages; when they are
missing and the script runs as root it installs them with apt-get (else it says how).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import http.cookies
import io
import ipaddress
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402 - the project's own venv provides these
import requests  # noqa: E402
from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402
from pypdf import PdfWriter  # noqa: E402

from testkit.smtp_sink import ACCEPT, SLOW, SmtpSink  # noqa: E402 - standard library only

# Ports of this script (8200-8299), all on 127.0.0.1.
APP_A, APP_B = 8201, 8202
HTTPS, HTTP = 8243, 8280
POSTGRES, REDIS, SMTP = 8250, 8251, 8252
PUBLIC_HOST = f"127.0.0.1:{HTTPS}"
PUBLIC_ORIGIN = f"https://{PUBLIC_HOST}"
DATABASE = "h_cluster_hub"
GUNICORN_WORKERS = 2
# Test-only: a killed worker's claim is taken over after 8 s instead of 5 minutes.
CLAIM_TIMEOUT_SECONDS = 8

UNAVAILABLE_TEXT = "The hub is briefly unavailable"
SIGN_IN_WAITS_TEXT = "Signing in is briefly unavailable"
WRONG_PASSWORD_TEXT = "The email address and/or password you specified are not correct."
WRONG_CODE_TEXT = "Incorrect code."
# Pages an officer sees: the catalogue's navigation.
OFFICER_MARKER = "Followed tools"


class CheckFailed(Exception):
    pass


class TimeLimit(Exception):
    pass


# --- results ----------------------------------------------------------------------------------
@dataclass
class Report:
    rows: list[tuple[str, bool, str]] = field(default_factory=list)

    def check(self, name: str, ok: bool, detail: str) -> bool:
        self.rows.append((name, ok, detail))
        print(f"  {'PASS' if ok else 'FAIL'}  {name}: {detail}", flush=True)
        return ok

    def error(self, name: str, exc: BaseException) -> None:
        self.check(name, False, f"{type(exc).__name__}: {exc}")

    @property
    def passed(self) -> bool:
        return bool(self.rows) and all(ok for _name, ok, _detail in self.rows)

    def summary(self) -> str:
        width = max(len(name) for name, _ok, _detail in self.rows) if self.rows else 10
        lines = ["", "=" * 78, "SaferHub cluster test: summary", "=" * 78]
        lines += [f"{'PASS' if ok else 'FAIL'}  {name.ljust(width)}  {detail}" for name, ok, detail in self.rows]
        failed = sum(1 for _name, ok, _detail in self.rows if not ok)
        verdict = "PASS" if self.passed else "FAIL"
        lines += ["-" * 78, f"{verdict}: {len(self.rows) - failed} of {len(self.rows)} checks passed"]
        return "\n".join(lines)


def fetch(url: str, cert: Path) -> requests.Response:
    """A plain GET (the health probe), trusting only this run's certificate."""
    with requests.Session() as session:
        session.trust_env = False
        return session.get(url, verify=str(cert), timeout=10)


def step(text: str) -> None:
    print(f"\n== {text}", flush=True)


def note(text: str) -> None:
    print(f"   {text}", flush=True)


# --- prerequisites ----------------------------------------------------------------------------
def postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


def ensure_packages() -> Path:
    """nginx, redis-server and PostgreSQL's server; installed with apt-get as root if missing."""
    missing = []
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        missing.append("nginx-light")
    if not shutil.which("redis-server"):
        missing.append("redis-server")
    if postgres_bin() is None:
        missing.append("postgresql")
    if missing:
        command = ["apt-get", "install", "-y", "--no-install-recommends", *missing]
        if os.geteuid() != 0 or not shutil.which("apt-get"):
            raise SystemExit(
                f"Missing Debian packages: {' '.join(missing)}. Install them with:\n"
                f"  sudo {' '.join(command)}\nthen run `make cluster-test` again."
            )
        step(f"Installing {' '.join(missing)} with apt-get")
        for attempt in range(5):  # another apt-get may hold the lock for a while
            if subprocess.run(command, check=False).returncode == 0:
                break
            time.sleep(10 * (attempt + 1))
        else:
            raise SystemExit(f"apt-get could not install {' '.join(missing)}.")
    pg = postgres_bin()
    if pg is None:
        raise SystemExit("PostgreSQL's server binaries were not found under /usr/lib/postgresql/*/bin.")
    return pg


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def wait_port(port: int, timeout: float, closed: bool = False) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                if not closed:
                    return True
        except OSError:
            if closed:
                return True
        time.sleep(0.2)
    return False


# --- processes --------------------------------------------------------------------------------
class Proc:
    """A child in a process group of its own, so that it and every process it forks can be
    signalled together (gunicorn's master and its workers)."""

    def __init__(self, name: str, argv: list[str], env: dict, log: Path, cwd: Path = ROOT):
        self.name, self.argv, self.env, self.log, self.cwd = name, argv, env, log, cwd
        self.popen: subprocess.Popen | None = None

    def start(self) -> Proc:
        with open(self.log, "ab") as log:
            self.popen = subprocess.Popen(
                self.argv, env=self.env, cwd=self.cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    @property
    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal_group(self, sig: int) -> None:
        if self.popen is None:
            return
        try:
            os.killpg(self.popen.pid, sig)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        """A crash: SIGKILL to the whole group, nothing may finish."""
        self.signal_group(signal.SIGKILL)
        if self.popen is not None:
            self.popen.wait(timeout=10)

    def stop(self, sig: int = signal.SIGTERM, grace: float = 15) -> None:
        if self.popen is None:
            return
        if self.popen.poll() is None:
            self.signal_group(sig)
            try:
                self.popen.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
        # Whatever is left of the group (a worker that outlived its master) goes too.
        self.signal_group(signal.SIGKILL)
        try:
            self.popen.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "saferhub cluster test")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "tls.pem", directory / "tls.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_path.chmod(0o600)
    return cert_path, key_path


def render_nginx_conf(run_dir: Path, cert: Path, key: Path) -> Path:
    """deploy/nginx.conf.template with this run's values (only SAFERHUB_* names are replaced)."""
    values = {
        "SAFERHUB_RUN_DIR": str(run_dir / "nginx"),
        "SAFERHUB_NGINX_USER": "nobody nogroup" if os.geteuid() == 0 else "nobody",
        "SAFERHUB_LISTEN": f"127.0.0.1:{HTTPS}",
        "SAFERHUB_HTTP_LISTEN": f"127.0.0.1:{HTTP}",
        "SAFERHUB_SERVER_NAME": "127.0.0.1",
        "SAFERHUB_TLS_CERT": str(cert),
        "SAFERHUB_TLS_KEY": str(key),
        "SAFERHUB_APP_A": f"127.0.0.1:{APP_A}",
        "SAFERHUB_APP_B": f"127.0.0.1:{APP_B}",
    }
    text = (ROOT / "deploy" / "nginx.conf.template").read_text()
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    left = re.findall(r"\$\{SAFERHUB_[A-Z_]+\}", text)
    if left:
        raise CheckFailed(f"nginx template variables without a value: {left}")
    (run_dir / "nginx").mkdir(exist_ok=True)
    path = run_dir / "nginx" / "nginx.conf"
    path.write_text(text)
    return path


class Stack:
    def __init__(self, run_dir: Path, pg_bin: Path):
        self.run_dir = run_dir
        self.pg_bin = pg_bin
        self.python = sys.executable
        self.gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.procs: dict[str, Proc] = {}
        self.pg_data = run_dir / "pg"
        self.pg_started = False
        self.sink = SmtpSink(port=SMTP)
        self.media = run_dir / "media"
        self.media.mkdir()
        self.cert, self.key = self_signed_certificate(run_dir)
        self.secret_key = secrets.token_urlsafe(50)
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    # The one environment of every process, as in deploy/saferhub.env.example.
    def env(self, **extra) -> dict:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "GUNICORN_"))}
        env.update(
            DEBUG="0",
            SECRET_KEY=self.secret_key,
            FIELD_ENCRYPTION_KEY=self.secret_key[::-1],
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SITE_URL=PUBLIC_ORIGIN,
            CSRF_TRUSTED_ORIGINS=PUBLIC_ORIGIN,
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{POSTGRES}/{DATABASE}",
            REDIS_URL=f"redis://127.0.0.1:{REDIS}/0",
            BEHIND_PROXY="1",
            TRUSTED_PROXY_COUNT="1",
            MEDIA_ROOT=str(self.media),
            DELIVERY_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(SMTP),
            EMAIL_USE_TLS="0",
            DEFAULT_FROM_EMAIL="SaferHub <no-reply@cluster-test.invalid>",
            OUTBOX_CLAIM_TIMEOUT_SECONDS=str(CLAIM_TIMEOUT_SECONDS),
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        env.update(extra)
        return env

    def log(self, name: str) -> Path:
        return self.run_dir / f"{name}.log"

    def manage(self, *args: str, timeout: float = 600, env: dict | None = None) -> str:
        result = subprocess.run(
            [self.python, "manage.py", *args],
            cwd=ROOT,
            env=env or self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        with open(self.log("manage"), "a") as log:
            log.write(f"$ manage.py {' '.join(args)}\n{result.stdout}\n{result.stderr}\n")
        if result.returncode != 0:
            raise CheckFailed(f"manage.py {' '.join(args)} failed:\n{result.stderr[-2000:]}")
        return result.stdout

    # PostgreSQL ------------------------------------------------------------------------------
    def init_postgres(self) -> None:
        self.run_dir.chmod(0o755)  # the postgres user walks into it
        self.pg_data.mkdir()
        (self.run_dir / "pgsock").mkdir()
        self.log("postgres").touch()
        if os.geteuid() == 0:
            for path in (self.pg_data, self.run_dir / "pgsock", self.log("postgres")):
                shutil.chown(path, "postgres", "postgres")
        subprocess.run(
            [*self.as_postgres, str(self.pg_bin / "initdb"), "-D", str(self.pg_data), "-U", "postgres"]
            + ["--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start_postgres(self) -> None:
        options = f"-p {POSTGRES} -k {self.run_dir / 'pgsock'} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            [*self.as_postgres, str(self.pg_bin / "pg_ctl"), "-D", str(self.pg_data), "-l", str(self.log("postgres"))]
            + ["-o", options, "-w", "-t", "60", "start"],
            check=True,
            capture_output=True,
            timeout=90,
        )
        self.pg_started = True

    def stop_postgres(self, mode: str = "fast") -> None:
        subprocess.run(
            [*self.as_postgres, str(self.pg_bin / "pg_ctl"), "-D", str(self.pg_data), "-m", mode, "-w", "stop"],
            check=False,
            capture_output=True,
            timeout=60,
        )
        self.pg_started = False

    def db(self):
        return psycopg.connect(f"postgresql://postgres@127.0.0.1:{POSTGRES}/{DATABASE}", autocommit=True)

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self.db() as conn:
            return conn.execute(sql, params).fetchall()

    # Redis, app servers, worker, nginx -------------------------------------------------------
    def start_redis(self) -> None:
        argv = ["redis-server", "--port", str(REDIS), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        argv += ["--daemonize", "no", "--dir", str(self.run_dir)]
        self.procs["redis"] = Proc("redis", argv, self.env(), self.log("redis")).start()
        if not wait_port(REDIS, 15):
            raise CheckFailed("Redis did not start")

    def start_app(self, name: str, port: int) -> None:
        env = self.env(GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS=str(GUNICORN_WORKERS))
        argv = [self.gunicorn, "-c", "deploy/gunicorn.conf.py", "config.wsgi:application"]
        self.procs[name] = Proc(name, argv, env, self.log(name)).start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if not self.procs[name].alive:
                raise CheckFailed(f"{name} exited; see {self.log(name)}")
            try:
                if fetch(f"http://127.0.0.1:{port}/health/", self.cert).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise CheckFailed(f"{name} did not answer /health/ within 60 s")

    def start_worker(self) -> None:
        argv = [self.python, "manage.py", "run_worker", "--interval", "1"]
        self.procs["worker"] = Proc("worker", argv, self.env(), self.log("worker")).start()

    def start_nginx(self) -> None:
        conf = render_nginx_conf(self.run_dir, self.cert, self.key)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        early = ["-e", str(self.run_dir / "nginx" / "early-error.log")]
        test = subprocess.run([nginx, *early, "-t", "-c", str(conf)], capture_output=True, text=True, check=False)
        if test.returncode != 0:
            raise CheckFailed(f"nginx -t refused the configuration:\n{test.stderr}")
        argv = [nginx, *early, "-c", str(conf), "-g", "daemon off;"]
        self.procs["nginx"] = Proc("nginx", argv, self.env(), self.log("nginx")).start()
        if not wait_port(HTTPS, 15):
            raise CheckFailed("nginx did not start")

    def stop_all(self) -> None:
        for name in ("nginx", "app_a", "app_b", "worker", "redis"):
            proc = self.procs.get(name)
            if proc is not None:
                proc.stop()
        if self.sink.running:
            self.sink.stop()
        if self.pg_data.exists() and (self.pg_data / "postmaster.pid").exists():
            self.stop_postgres("fast")
            if (self.pg_data / "postmaster.pid").exists():
                self.stop_postgres("immediate")


# --- a browser of our own ---------------------------------------------------------------------
def totp_code(secret: str, at: float | None = None) -> str:
    """RFC 6238, as authenticator apps compute it (30 s, 6 digits, SHA-1)."""
    counter = int(at if at is not None else time.time()) // 30
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def seconds_left_in_window() -> float:
    return 30 - time.time() % 30


CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Page:
    status: int
    path: str
    text: str
    headers: dict


class Browser:
    """Keeps its own cookies, so the same session can be taken from one server to another.

    Through nginx it speaks HTTPS like a browser. Directly to an app server's port it adds what
    nginx adds (X-Forwarded-Proto, X-Forwarded-For), as the app trusts one proxy."""

    def __init__(self, server: int | str, cert: Path, client_ip: str = "198.51.100.7"):
        self.server = server
        self.client_ip = client_ip
        self.cookies: dict[str, str] = {}
        self.http = requests.Session()
        self.http.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))  # ours, not requests'
        # Our certificate, whatever REQUESTS_CA_BUNDLE says; no proxy from the environment.
        self.http.trust_env = False
        self.http.verify = str(cert)

    def use(self, server: int | str) -> Browser:
        self.server = server
        return self

    def _url(self, path: str) -> str:
        if self.server == "nginx":
            return f"https://{PUBLIC_HOST}{path}"
        return f"http://127.0.0.1:{self.server}{path}"

    def _headers(self, method: str, path: str) -> dict:
        headers = {
            "Host": PUBLIC_HOST,
            "Accept": "text/html,application/xhtml+xml",
            "Accept-Language": "en",
            "User-Agent": "saferhub-cluster-test",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if method == "POST":
            headers["Origin"] = PUBLIC_ORIGIN
            headers["Referer"] = PUBLIC_ORIGIN + path
        if self.server != "nginx":
            headers["X-Forwarded-Proto"] = "https"
            headers["X-Forwarded-For"] = self.client_ip
        return headers

    def _keep_cookies(self, response: requests.Response) -> None:
        for header in response.raw.headers.getlist("Set-Cookie"):
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def request(self, method: str, path: str, *, data=None, files=None, follow: bool = True, timeout=30) -> Page:
        for _hop in range(6):
            response = self.http.request(
                method,
                self._url(path),
                data=data,
                files=files,
                headers=self._headers(method, path),
                allow_redirects=False,
                timeout=timeout,
            )
            self._keep_cookies(response)
            if follow and response.status_code in (301, 302, 303) and "Location" in response.headers:
                location = urlsplit(response.headers["Location"])
                path = location.path + (f"?{location.query}" if location.query else "")
                method, data, files = "GET", None, None
                continue
            return Page(response.status_code, path, response.text, dict(response.headers))
        raise CheckFailed(f"too many redirects from {path}")

    def get(self, path: str, **kwargs) -> Page:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, fields: dict, *, files=None, token_from: str | None = None, **kwargs) -> Page:
        form = self.get(token_from or path)
        token = CSRF_FIELD.search(form.text)
        if token is None:
            raise CheckFailed(f"no form on {token_from or path} (status {form.status})")
        return self.request("POST", path, data={"csrfmiddlewaretoken": token.group(1), **fields}, files=files, **kwargs)


def password_step(browser: Browser, email: str, password: str) -> Page:
    return browser.post("/accounts/login/", {"login": email, "password": password}, follow=False)


def sign_in(browser: Browser, account: dict, code: str | None = None) -> str:
    """Password, then the TOTP code; returns the code used."""
    first = password_step(browser, account["email"], account["password"])
    if first.status != 302:
        raise CheckFailed(f"password step for {account['email']} answered {first.status}")
    code = code or totp_code(account["totp_secret"])
    second = browser.post("/accounts/2fa/authenticate/", {"code": code}, follow=False)
    if second.status != 302:
        raise CheckFailed(f"code step for {account['email']} answered {second.status}")
    return code


def wait_for_fresh_window(minimum: float = 12) -> None:
    """Start a TOTP exchange early in a 30-second window, so its code stays valid throughout."""
    if seconds_left_in_window() < minimum:
        time.sleep(seconds_left_in_window() + 0.5)


# --- load -------------------------------------------------------------------------------------
@dataclass
class Outcome:
    started: float
    ended: float
    kind: str
    status: int | None  # None: no HTTP answer at all (connection reset, timeout)
    unavailable_page: bool = False
    trace: bool = False
    error: str = ""  # why there was no HTTP answer

    @property
    def answer(self) -> str:
        return str(self.status) if self.status is not None else self.error


def run_load(
    template: Browser,
    cert: Path,
    requests_mix: list[tuple[str, str]],
    *,
    threads: int,
    seconds: float,
    csrf_token: str = "",
    during=None,
) -> list[Outcome]:
    """`threads` clients through nginx for `seconds`, each cycling through `requests_mix`
    ((method, path); POSTs carry the CSRF token). `during()` runs meanwhile (the fault)."""
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(index: int) -> None:
        browser = Browser("nginx", cert)
        browser.cookies = dict(template.cookies)
        n = index
        while time.monotonic() < stop_at:
            method, path = requests_mix[n % len(requests_mix)]
            n += 1
            started = time.monotonic()
            status, text, error = None, "", ""
            try:
                data = {"csrfmiddlewaretoken": csrf_token, "language": "en", "next": "/health/"}
                response = browser.http.request(
                    method,
                    browser._url(path),
                    data=data if method == "POST" else None,
                    headers=browser._headers(method, path),
                    allow_redirects=False,
                    timeout=20,
                )
                status, text = response.status_code, response.text
            except requests.RequestException as exc:
                error = f"{type(exc).__name__}: {exc}"[:160]
            with lock:
                outcomes.append(
                    Outcome(
                        started,
                        time.monotonic(),
                        f"{method} {path}",
                        status,
                        unavailable_page=UNAVAILABLE_TEXT in text,
                        trace="Traceback" in text or "OperationalError" in text,
                        error=error,
                    )
                )

    with ThreadPoolExecutor(max_workers=threads + 1) as pool:
        futures = [pool.submit(client, i) for i in range(threads)]
        if during is not None:
            during()
        for future in futures:
            future.result()
    return sorted(outcomes, key=lambda outcome: outcome.started)


def ok_status(status: int | None) -> bool:
    return status is not None and status < 400


def nginx_upstreams(stack: Stack, since_line: int) -> tuple[Counter, int]:
    """Which app server answered the requests logged after `since_line`, and how many nginx
    retried on the other server."""
    lines = (stack.run_dir / "nginx" / "nginx-access.log").read_text().splitlines()[since_line:]
    served: Counter = Counter()
    retried = 0
    for line in lines:
        match = re.search(r"upstream=(\S+(?:, \S+)*) upstream_status=", line)
        if not match:
            continue
        upstreams = match.group(1).split(", ")
        retried += len(upstreams) > 1
        served[upstreams[-1]] += 1
    return served, retried


def access_log_lines(stack: Stack) -> int:
    path = stack.run_dir / "nginx" / "nginx-access.log"
    return len(path.read_text().splitlines()) if path.exists() else 0


# --- the checks -------------------------------------------------------------------------------
@dataclass
class World:
    stack: Stack
    report: Report
    accounts: dict[str, dict]
    tool_slug: str = ""
    tool_name: str = ""
    officer: Browser | None = None  # signed in, used by the later checks
    page_mix: list[tuple[str, str]] = field(default_factory=list)


def account(world: World, email_start: str, domain: bool = True) -> dict:
    if not domain:  # a provider's address: "admin@harbourline" -> admin@harbourline.demo.invalid
        return world.accounts[f"{email_start}.demo.invalid"]
    return world.accounts[f"{email_start}@demo.saferhub.invalid"]


def check_session_across_servers(world: World) -> None:
    stack, report = world.stack, world.report
    officer = account(world, "officer")
    browser = Browser(APP_A, stack.cert, client_ip="198.51.100.10")
    wait_for_fresh_window()
    code = sign_in(browser, officer)
    home_a = browser.get("/home/")
    home_b = browser.use(APP_B).get("/home/")
    report.check(
        "session: signed in on A, same cookie on B",
        home_a.status == home_b.status == 200
        and OFFICER_MARKER in home_b.text
        and not home_b.path.startswith("/accounts/login"),
        f"A /home/ {home_a.status}, B /home/ {home_b.status} ({home_b.path}), officer pages on B",
    )
    # A write on B with the CSRF token of a page rendered by A; read back on A.
    tool_page_on_a = browser.use(APP_A).get(f"/tools/{world.tool_slug}/")
    token = CSRF_FIELD.search(tool_page_on_a.text)
    follow = browser.use(APP_B).request(
        "POST",
        f"/tools/{world.tool_slug}/follow/",
        data={"csrfmiddlewaretoken": token.group(1) if token else ""},
        follow=False,
    )
    followed_on_a = browser.use(APP_A).get("/tools/followed/")
    report.check(
        "session: form from A posted to B, result seen on A",
        follow.status == 302 and world.tool_name in followed_on_a.text,
        f"follow on B {follow.status}, '{world.tool_name}' listed on A: {world.tool_name in followed_on_a.text}",
    )
    world.officer = browser.use("nginx")

    # The code A accepted is refused by B (used codes live in Redis), then the next code works.
    second = Browser(APP_B, stack.cert, client_ip="198.51.100.11")
    step_one = password_step(second, officer["email"], officer["password"])
    replay = second.post("/accounts/2fa/authenticate/", {"code": code}, follow=False)
    refused = replay.status == 200 and WRONG_CODE_TEXT in replay.text
    waited = seconds_left_in_window() + 0.5
    time.sleep(waited)
    fresh = second.post("/accounts/2fa/authenticate/", {"code": totp_code(officer["totp_secret"])}, follow=False)
    report.check(
        "TOTP: code accepted by A is refused by B",
        step_one.status == 302 and refused and fresh.status == 302,
        f"same code on B: {replay.status} '{WRONG_CODE_TEXT}' {refused}; next window's code on B: {fresh.status}"
        f" (waited {waited:.0f} s)",
    )


def check_rate_limit_across_servers(world: World) -> None:
    stack, report = world.stack, world.report
    # allauth: 5 password-reset requests a minute per address (counted in Redis). 3 on A, 2 on B,
    # then the 6th on B is refused. (Cheap requests: the sign-in limits cost a password hash each.)
    ip = "203.0.113.21"
    address = account(world, "admin@harbourline", domain=False)["email"]
    start = time.monotonic()
    answers = [
        Browser(APP_A if n < 3 else APP_B, stack.cert, client_ip=ip)
        .post("/accounts/password/reset/", {"email": address}, follow=False)
        .status
        for n in range(5)
    ]
    sixth = Browser(APP_B, stack.cert, client_ip=ip).post("/accounts/password/reset/", {"email": address}, follow=False)
    other = Browser(APP_B, stack.cert, client_ip=ip).post(
        "/accounts/password/reset/", {"email": account(world, "admin@brightpath", domain=False)["email"]}, follow=False
    )
    elapsed = time.monotonic() - start
    report.check(
        "rate limit: requests on A and B counted together",
        answers == [302] * 5 and sixth.status == 429 and other.status == 302 and elapsed < 60,
        f"password resets for one address: 3 on A and 2 on B answered {answers}; the 6th on B: {sixth.status}"
        f" (B alone had seen 2); another address on B: {other.status}; {elapsed:.0f} s",
    )

    # Lockout: 3 wrong passwords on A and 2 on B lock the account; the right one is then refused.
    victim = account(world, "officer-ke")
    lock_ip = "203.0.113.31"
    for n in range(5):
        server = APP_A if n < 3 else APP_B
        password_step(Browser(server, stack.cert, client_ip=lock_ip), victim["email"], f"wrong-guess-{n}-abcdefgh")
    right = password_step(Browser(APP_A, stack.cert, client_ip=lock_ip), victim["email"], victim["password"])
    [(locked_until,)] = stack.query("SELECT locked_until FROM accounts_user WHERE email = %s", (victim["email"],))
    control = password_step(Browser(APP_A, stack.cert, client_ip="203.0.113.32"), *_credentials(world, "officer-br"))
    report.check(
        "lockout: 3 failures on A + 2 on B lock the account",
        right.status == 200
        and WRONG_PASSWORD_TEXT in right.text
        and locked_until is not None
        and control.status == 302,
        f"right password afterwards on A: {right.status}, refused like a wrong one; locked_until set:"
        f" {locked_until is not None};"
        f" control account's right password: {control.status} (to the code step)",
    )


def check_client_address_behind_nginx(world: World) -> None:
    """TRUSTED_PROXY_COUNT=1: the address nginx saw is the one audited and rate-limited; an
    X-Forwarded-For the client made up itself changes nothing."""
    stack, report = world.stack, world.report
    browser = Browser("nginx", stack.cert)
    form = browser.get("/accounts/login/")
    token = CSRF_FIELD.search(form.text)
    marker = f"forged-{secrets.token_hex(3)}@unknown.invalid"
    headers = browser._headers("POST", "/accounts/login/") | {"X-Forwarded-For": "192.0.2.66"}
    browser.http.post(
        browser._url("/accounts/login/"),
        data={"csrfmiddlewaretoken": token.group(1) if token else "", "login": marker, "password": "wrong-1234567"},
        headers=headers,
        allow_redirects=False,
        timeout=30,
    )
    rows = stack.query(
        "SELECT host(ip_address) FROM audit_auditevent WHERE action = 'auth.login_failed' ORDER BY id DESC LIMIT 1"
    )
    direct = stack.query(
        "SELECT DISTINCT host(ip_address) FROM audit_auditevent a JOIN accounts_user u ON u.public_id::text = a.target_id"
        " WHERE a.action = 'auth.login_failed' AND u.email = %s",
        (account(world, "officer-ke")["email"],),
    )
    seen = rows[0][0] if rows else None
    report.check(
        "proxy: the client address is nginx's, a forged X-Forwarded-For is ignored",
        seen == "127.0.0.1" and [row[0] for row in direct] == ["203.0.113.31"],
        f"failed sign-in through nginx with 'X-Forwarded-For: 192.0.2.66' audited from {seen};"
        f" the lockout's attempts (proxy address 203.0.113.31) audited from {[row[0] for row in direct]}",
    )


def _credentials(world: World, email_start: str) -> tuple[str, str]:
    item = account(world, email_start)
    return item["email"], item["password"]


def make_pdf(marker: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": marker})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def check_upload_across_servers(world: World) -> None:
    stack, report = world.stack, world.report
    officer = world.officer.use(APP_A)
    marker = f"cluster-test-{secrets.token_hex(4)}"
    pdf = make_pdf(marker)
    report_url = f"/moderation/tools/{world.tool_slug}/concern/"
    form = officer.get(report_url)
    select = form.text.partition('name="category"')[2]
    category = re.search(r'<option value="([a-z_]+)"', select)
    sent = officer.post(
        report_url,
        {
            "category": category.group(1) if category else "",
            "description": f"Cluster test upload {marker}",
            "sources": "",
        },
        files={"file": (f"{marker}.pdf", pdf, "application/pdf")},
        follow=False,
    )
    rows = stack.query("SELECT public_id, file FROM moderation_concern WHERE description LIKE %s", (f"%{marker}%",))
    coordinator = Browser(APP_B, stack.cert, client_ip="198.51.100.20")
    wait_for_fresh_window()
    sign_in(coordinator, account(world, "coordinator"))
    fetched = None
    if rows:
        response = coordinator.http.get(
            coordinator._url(f"/moderation/concerns/{rows[0][0]}/file/"),
            headers=coordinator._headers("GET", "/"),
            timeout=20,
        )
        fetched = response.content if response.status_code == 200 else None
    on_disk = (stack.media / rows[0][1]).exists() if rows else False
    report.check(
        "upload: PDF sent through A, read through B",
        sent.status == 302 and fetched == pdf,
        f"upload on A {sent.status}; coordinator on B got {len(fetched or b'')} of {len(pdf)} bytes, identical:"
        f" {fetched == pdf}; file in the shared MEDIA_ROOT: {on_disk}",
    )
    officer.use("nginx")


def check_crash_during_load(world: World) -> None:
    stack, report = world.stack, world.report
    officer = world.officer.use("nginx")
    page = officer.get("/tools/")
    token = CSRF_FIELD.search(page.text)
    mix = world.page_mix + [("POST", "/i18n/setlang/")]
    log_start = access_log_lines(stack)
    kill_at: dict[str, float] = {}

    def crash() -> None:
        time.sleep(5)
        kill_at["t"] = time.monotonic()
        stack.procs["app_a"].kill()
        kill_at["done"] = time.monotonic()

    outcomes = run_load(
        officer, stack.cert, mix, threads=6, seconds=15, csrf_token=token.group(1) if token else "", during=crash
    )
    killed = kill_at["t"]
    before = [o for o in outcomes if o.ended < killed]
    in_flight = [o for o in outcomes if o.started <= kill_at["done"] and o.ended >= killed]
    after = [o for o in outcomes if o.started > kill_at["done"]]
    failed = [o for o in outcomes if not ok_status(o.status)]
    failed_in_flight = [o for o in in_flight if not ok_status(o.status)]
    failed_after = [o for o in after if not ok_status(o.status)]
    served, retried = nginx_upstreams(stack, log_start)
    report.check(
        "crash: app server A killed during a load run",
        len(failed) == len(failed_in_flight)
        and not failed_after
        and len(after) > 20
        and all(ok_status(o.status) for o in before),
        f"{len(outcomes)} requests through nginx (6 clients, 15 s): {len(before)} before the kill all OK;"
        f" {len(in_flight)} in flight at the kill (on A or B), {len(failed_in_flight)} of them failed"
        f" {[f'{o.kind}: {o.answer}' for o in failed_in_flight]}; {len(after)} after it, {len(failed_after)} failed;"
        f" nginx retried {retried} page loads on B; served by {dict(served)}",
    )

    # A comes back and takes its share again.
    stack.start_app("app_a", APP_A)
    time.sleep(11)  # nginx's fail_timeout
    log_start = access_log_lines(stack)
    answers = Counter(officer.get(path).status for _ in range(10) for _method, path in world.page_mix[:2])
    served, _retried = nginx_upstreams(stack, log_start)
    report.check(
        "crash: A restarted rejoins the pool",
        answers == Counter({200: 20}) and len(served) == 2,
        f"20 page loads after the restart: {dict(answers)}; served by {dict(served)}",
    )


def check_postgres_restart(world: World) -> None:
    stack, report = world.stack, world.report
    officer = world.officer.use("nginx")
    pids_before = {name: stack.procs[name].popen.pid for name in ("app_a", "app_b", "worker")}
    times: dict[str, float] = {}

    def restart() -> None:
        time.sleep(4)
        times["stop"] = time.monotonic()
        stack.stop_postgres("fast")
        times["stopped"] = time.monotonic()
        time.sleep(4)
        stack.start_postgres()
        times["back"] = time.monotonic()

    outcomes = run_load(officer, stack.cert, world.page_mix, threads=4, seconds=22, during=restart)
    statuses = Counter(o.status for o in outcomes)
    during = [o for o in outcomes if o.started >= times["stopped"] and o.ended <= times["back"]]
    unavailable = [o for o in outcomes if o.status == 503]
    pages_503 = [o for o in unavailable if o.kind != "GET /health/"]
    first_ok_after = next((o.ended for o in outcomes if o.started >= times["back"] and o.status == 200), None)
    settled = [o for o in outcomes if o.started >= times["back"] + 1]
    report.check(
        "PostgreSQL restarted during load: 503 page, never a 500",
        statuses.get(500, 0) == 0
        and not any(o.trace for o in outcomes)
        and len(pages_503) > 0
        and all(o.unavailable_page for o in pages_503)
        and all(o.status == 503 for o in during),
        f"{len(outcomes)} requests: {dict(sorted(statuses.items(), key=lambda item: str(item[0])))};"
        f" {len(during)} sent while it was down, all 503; {len(pages_503)} page 503s all show"
        f" '{UNAVAILABLE_TEXT}'; 500s: {statuses.get(500, 0)}; traces: {sum(o.trace for o in outcomes)}",
    )
    pids_after = {name: stack.procs[name].popen.pid for name in ("app_a", "app_b", "worker")}
    report.check(
        "PostgreSQL restarted: the same processes serve again",
        first_ok_after is not None
        and settled
        and all(o.status == 200 for o in settled)
        and pids_after == pids_before
        and all(stack.procs[name].alive for name in pids_after),
        f"first 200 {first_ok_after - times['back']:.2f} s after PostgreSQL was back;"
        f" {len(settled)} requests from 1 s after: {dict(Counter(o.status for o in settled))};"
        f" app servers and worker not restarted (same pids, alive)"
        if first_ok_after
        else "no successful request after PostgreSQL came back",
    )


def check_redis_stopped(world: World) -> None:
    stack, report = world.stack, world.report
    officer = world.officer.use("nginx")
    stack.procs["redis"].stop()
    wait_port(REDIS, 5, closed=True)
    try:
        pages = {path: officer.get(path).status for _method, path in world.page_mix if path != "/health/"}
        health = fetch(f"https://{PUBLIC_HOST}/health/", stack.cert)
        sign_in_page = Browser("nginx", stack.cert)
        login = password_step(sign_in_page, *_credentials(world, "officer-br"))
    finally:
        stack.start_redis()
    time.sleep(5.5)  # the cache's probe interval (core/cache.py)
    health_after = fetch(f"https://{PUBLIC_HOST}/health/", stack.cert).json()
    report.check(
        "Redis stopped: pages work, /health/ degraded, sign-in waits",
        all(status == 200 for status in pages.values())
        and health.status_code == 200
        and health.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}
        and login.status == 503
        and SIGN_IN_WAITS_TEXT in login.text
        and health_after["status"] == "ok",
        f"pages {pages}; /health/ {health.status_code} {health.json()}; sign-in POST {login.status}"
        f" '{SIGN_IN_WAITS_TEXT}'; after restart /health/ {health_after['status']}",
    )


def outbox_rows_since(stack: Stack, since: datetime) -> list[tuple]:
    return stack.query(
        "SELECT id, message_id, state, attempts FROM notifications_outboxmessage WHERE created_at >= %s ORDER BY id",
        (since,),
    )


def wait_until_sent(stack: Stack, since: datetime, count: int, timeout: float) -> list[tuple]:
    deadline = time.monotonic() + timeout
    rows = outbox_rows_since(stack, since)
    while time.monotonic() < deadline:
        rows = outbox_rows_since(stack, since)
        if len(rows) >= count and all(row[2] == "sent" for row in rows):
            break
        time.sleep(1)
    return rows


def request_password_resets(world: World, emails: list[str]) -> list[int]:
    browser = Browser("nginx", world.stack.cert)
    return [browser.post("/accounts/password/reset/", {"email": email}, follow=False).status for email in emails]


def check_smtp_down(world: World) -> None:
    stack, report = world.stack, world.report
    sink = stack.sink
    since = datetime.now(UTC) - timedelta(seconds=1)
    sink.stop()
    emails = [account(world, name)["email"] for name in ("officer-br", "officer-ph", "officer-ca", "coordinator2")]
    statuses = request_password_resets(world, emails)
    # The worker tries, fails and schedules a retry.
    deadline = time.monotonic() + 20
    rows = []
    while time.monotonic() < deadline:
        rows = outbox_rows_since(stack, since)
        if len(rows) >= len(emails) and all(row[3] >= 1 for row in rows):
            break
        time.sleep(0.5)
    tried_while_down = sum(1 for row in rows if row[3] >= 1 and row[2] == "pending")
    down_for = time.monotonic()
    sink.start()
    rows = wait_until_sent(stack, since, len(emails), timeout=75)
    waited = time.monotonic() - down_for
    received = Counter(item.message_id for item in sink.accepted())
    ids = [row[1] for row in rows]
    report.check(
        "SMTP down: actions succeed, mail goes out after recovery",
        statuses == [302] * len(emails)
        and len(rows) == len(emails)
        and tried_while_down == len(emails)
        and all(row[2] == "sent" for row in rows)
        and all(received[message_id] == 1 for message_id in ids),
        f"{len(emails)} password resets while the mail server was down: {statuses};"
        f" {tried_while_down} messages failed and waited; after it came back all {len(rows)} sent in"
        f" {waited:.0f} s (retry backoff 30 s), each received once: {[received[m] for m in ids]}",
    )


def check_worker_crash_mid_send(world: World) -> None:
    stack, report = world.stack, world.report
    sink = stack.sink
    since = datetime.now(UTC) - timedelta(seconds=1)
    before = Counter(item.message_id for item in sink.accepted())
    sink.slow_message_received.clear()
    sink.mode = SLOW  # takes the message, then waits 4 s before saying so
    emails = [account(world, name)["email"] for name in ("officer-no", "officer")]
    statuses = request_password_resets(world, emails)
    got_one = sink.slow_message_received.wait(timeout=20)
    stack.procs["worker"].kill()  # between the server's acceptance and the worker's record of it
    sink.mode = ACCEPT
    stack.start_worker()
    rows = wait_until_sent(stack, since, len(emails), timeout=CLAIM_TIMEOUT_SECONDS + 40)
    received = Counter(item.message_id for item in sink.accepted()) - before
    ids = [row[1] for row in rows]
    duplicates = {message_id: count for message_id, count in received.items() if count > 1}
    same_message = all(
        len({(item.subject, item.recipients) for item in sink.accepted() if item.message_id == message_id}) == 1
        for message_id in duplicates
    )
    report.check(
        "worker killed mid-send: nothing lost, one duplicate, same Message-ID",
        statuses == [302] * len(emails)
        and got_one
        and len(rows) == len(emails)
        and all(row[2] == "sent" for row in rows)
        and all(received[message_id] >= 1 for message_id in ids)
        and len(duplicates) <= 1
        and same_message,
        f"{len(emails)} messages, worker SIGKILLed during a send; all sent: {all(row[2] == 'sent' for row in rows)};"
        f" received per Message-ID {[received[m] for m in ids]}; {len(duplicates)} duplicate(s), each with the"
        f" same Message-ID, subject and recipient: {same_message}",
    )


# --- setting up ------------------------------------------------------------------------------
def set_up(stack: Stack, report: Report) -> World:
    step("Starting PostgreSQL, Redis and the SMTP sink")
    stack.init_postgres()
    stack.start_postgres()
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:{POSTGRES}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {DATABASE}")
    stack.start_redis()
    stack.sink.start()
    step("Preparing the release: translations, static files, migrations, checks, demo data")
    stack.manage("compile_translations")
    stack.manage("collectstatic", "--noinput")
    started = time.monotonic()
    stack.manage("migrate", "--noinput")
    note(f"migrate: {time.monotonic() - started:.0f} s")
    deploy_check = subprocess.run(
        [stack.python, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=stack.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    report.check(
        "setup: check --deploy passes with this layout's settings",
        deploy_check.returncode == 0,
        (deploy_check.stdout + deploy_check.stderr).strip().splitlines()[-1]
        if deploy_check.returncode
        else "no issues",
    )
    started = time.monotonic()
    accounts_json = stack.run_dir / "demo-accounts.json"
    stack.manage("seed_demo", "--force", "--accounts-json", str(accounts_json))
    note(f"seed_demo: {time.monotonic() - started:.0f} s")
    accounts = {item["email"]: item for item in json.loads(accounts_json.read_text())}
    step(f"Starting two app servers (:{APP_A}, :{APP_B}), the worker and nginx (https://{PUBLIC_HOST})")
    stack.start_app("app_a", APP_A)
    stack.start_app("app_b", APP_B)
    stack.start_worker()
    stack.start_nginx()
    health = fetch(f"https://{PUBLIC_HOST}/health/", stack.cert)
    report.check(
        "setup: stack up behind nginx (TLS)",
        health.status_code == 200 and health.json()["status"] == "ok",
        f"/health/ through nginx: {health.status_code} {health.json()}",
    )
    [(slug, name)] = stack.query(
        "SELECT t.slug, t.name FROM catalogue_tool t JOIN accounts_user u ON u.email = %s"
        " WHERE t.state = 'published' AND NOT EXISTS"
        " (SELECT 1 FROM catalogue_follow f WHERE f.tool_id = t.id AND f.user_id = u.id) ORDER BY t.id LIMIT 1",
        ("officer@demo.saferhub.invalid",),
    )
    world = World(stack=stack, report=report, accounts=accounts, tool_slug=slug, tool_name=name)
    world.page_mix = [
        ("GET", "/tools/"),
        ("GET", f"/tools/{slug}/"),
        ("GET", "/tools/?q=image"),
        ("GET", "/home/"),
        ("GET", "/health/"),
    ]
    return world


def sign_in_officer_through_nginx(world: World) -> None:
    if world.officer is None:
        browser = Browser("nginx", world.stack.cert)
        wait_for_fresh_window()
        sign_in(browser, account(world, "officer"))
        world.officer = browser


SECTIONS = {
    "cluster": [
        check_session_across_servers,
        check_rate_limit_across_servers,
        check_client_address_behind_nginx,
        check_upload_across_servers,
        check_crash_during_load,
    ],
    "faults": [
        check_postgres_restart,
        check_redis_stopped,
        check_smtp_down,
        check_worker_crash_mid_send,
    ],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", default="cluster,faults", help="comma-separated: cluster, faults")
    parser.add_argument("--time-limit", type=int, default=1200, help="seconds before everything is stopped")
    parser.add_argument("--keep-logs", action="store_true", help="keep the temporary directory even on success")
    args = parser.parse_args()
    sections = [name.strip() for name in args.sections.split(",") if name.strip()]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")

    pg_bin = ensure_packages()
    busy = [port for port in (APP_A, APP_B, HTTPS, HTTP, POSTGRES, REDIS, SMTP) if not port_free(port)]
    if busy:
        print(f"Ports in use: {busy}. Is another cluster test running?", file=sys.stderr)
        return 2

    run_dir = Path(tempfile.mkdtemp(prefix="saferhub-cluster-"))
    report = Report()
    stack = Stack(run_dir, pg_bin)

    def interrupted(signum, frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    def out_of_time(signum, frame):
        raise TimeLimit(f"time limit of {args.time_limit} s reached")

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(args.time_limit)
    started = time.monotonic()
    print(f"SaferHub cluster test ({', '.join(sections)}); logs in {run_dir}", flush=True)
    try:
        world = set_up(stack, report)
        for section in sections:
            step(f"Section: {section}")
            if section == "faults":
                sign_in_officer_through_nginx(world)
            for check in SECTIONS[section]:
                name = check.__name__.removeprefix("check_").replace("_", " ")
                try:
                    check(world)
                except (KeyboardInterrupt, TimeLimit):
                    raise
                except Exception as exc:  # noqa: BLE001 - one failed check must not stop the others
                    report.error(name, exc)
                    traceback.print_exc()
    except (KeyboardInterrupt, TimeLimit) as exc:
        report.check("run completed", False, f"stopped: {exc}")
    except Exception as exc:  # noqa: BLE001 - reported, then everything is stopped
        traceback.print_exc()
        report.error("setup", exc)
    finally:
        signal.alarm(0)
        for sig in (signal.SIGTERM, signal.SIGINT):  # finish cleaning up, whatever comes
            signal.signal(sig, signal.SIG_IGN)
        step("Stopping everything")
        stack.stop_all()
        left = [port for port in (APP_A, APP_B, HTTPS, HTTP, POSTGRES, REDIS, SMTP) if not port_free(port)]
        note(f"all stopped; ports still bound: {left or 'none'}")
    print(report.summary())
    print(f"({time.monotonic() - started:.0f} s)")
    if report.passed and not args.keep_logs:
        shutil.rmtree(run_dir, ignore_errors=True)
    else:
        print(f"Logs: {run_dir}")
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
