"""Locust users for `make load` (started by bench/server.py --load, which writes the accounts).

Every locust user is a distinct, signed-in account taken from BENCH_LOAD_JSON:
officers (the bench-server mix: catalogue searches, tool pages, comparisons, with think time),
providers (open their draft tool's questionnaire and save edited answers) and coordinators
(open the review queue and a submitted tool of their own, and request changes on it). Posts
carry the CSRF token of the form they came from, the CSRF cookie and an Origin header, as a
browser's do. Anything but the expected status is a failure (locust then exits with 1).
"""

from __future__ import annotations

import http.cookies
import itertools
import json
import os
import random
import re
import sys
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path

from locust import HttpUser, between, task

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.server import PROXY_HEADERS, THINK_SECONDS, World, officer_request  # noqa: E402

DATA = json.loads(Path(os.environ["BENCH_LOAD_JSON"]).read_text(encoding="utf-8"))
WORLD = World([(key, values) for key, values in DATA["criteria"]], DATA["slugs"], DATA["words"])
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION_FIELD = re.compile(r'name="version" value="(\d+)"')
_taken = {kind: itertools.count() for kind in ("officers", "providers", "coordinators")}


class Account(HttpUser):
    abstract = True
    kind = ""
    wait_time = between(*THINK_SECONDS)

    def on_start(self):
        # IndexError here means more users of this kind than accounts: never share one.
        self.account = DATA[self.kind][next(_taken[self.kind])]
        self.rng = random.Random(self.account["session"])
        self.cookies = {DATA["cookie_name"]: self.account["session"]}
        self.client.trust_env = False
        # The server's cookies are Secure (HTTPS behind nginx): kept here, sent as a header.
        self.client.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))

    def _headers(self, post_from: str | None = None) -> dict:
        headers = {**PROXY_HEADERS, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if post_from:
            headers["Origin"] = DATA["origin"]
            headers["Referer"] = DATA["origin"] + post_from
        return headers

    def _keep(self, response) -> None:
        for header in response.raw.headers.getlist("Set-Cookie") if response.raw is not None else []:
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def get(self, url: str, name: str) -> str:
        with self.client.get(
            url, headers=self._headers(), name=name, allow_redirects=False, catch_response=True
        ) as response:
            self._keep(response)
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return ""
            return response.text

    def post(self, url: str, data: dict, name: str, came_from: str) -> bool:
        with self.client.post(
            url, data=data, headers=self._headers(came_from), name=name, allow_redirects=False, catch_response=True
        ) as response:
            self._keep(response)
            if response.status_code != 302:
                response.failure(f"HTTP {response.status_code}")
                return False
            return True


class Officer(Account):
    kind = "officers"
    fixed_count = len(DATA["officers"])

    @task
    def browse(self):
        request = officer_request(self.rng, WORLD)
        self.get(request.url, name=request.page)


class Provider(Account):
    kind = "providers"
    fixed_count = len(DATA["providers"])

    @task
    def edit_answers(self):
        path = self.account["answers"]
        page = self.get(path, name="provider answers")
        token = CSRF_FIELD.search(page)
        if not token:
            return
        fields = {key: f"Edited under load {self.rng.randrange(10**6)}" for key in self.account["fields"]}
        if self.post(path, {"csrfmiddlewaretoken": token.group(1), **fields}, "provider save answers", path):
            self.get(path, name="provider answers")


class Coordinator(Account):
    kind = "coordinators"
    fixed_count = len(DATA["coordinators"])

    @task
    def review(self):
        self.get("/tools/review/", name="review queue")
        if not self.account["tools"]:
            return
        slug = self.account["tools"].pop()
        path = f"/tools/review/{slug}/"
        page = self.get(path, name="review tool")
        token, version = CSRF_FIELD.search(page), VERSION_FIELD.search(page)
        if not (token and version):
            return
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "decision": "request_changes",
            "comment": "Please describe the data retention period in more detail.",
            "version": version.group(1),
        }
        self.post(f"{path}decide/", data, "review decide", path)
