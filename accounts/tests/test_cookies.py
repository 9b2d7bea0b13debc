"""SES-02: session and CSRF cookies are Secure, HttpOnly (session), SameSite=Lax, __Host- prefixed."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from testkit import factories

from .helpers import full_login

ROOT = Path(__file__).resolve().parents[2]
NAMES = [
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_NAME",
    "SESSION_COOKIE_DOMAIN",
    "CSRF_COOKIE_DOMAIN",
    "SESSION_COOKIE_PATH",
    "CSRF_COOKIE_PATH",
]


def production_settings(**env):
    code = (
        "import json, config.settings as s\n"
        "from django.conf import global_settings as g\n"
        f"print(json.dumps({{n: getattr(s, n, getattr(g, n)) for n in {NAMES!r}}}))"
    )
    environment = {"SECRET_KEY": "p" * 50, "DEBUG": "0", "PATH": "/usr/bin:/bin", **env}
    out = subprocess.run(  # noqa: S603 - fixed code, our own interpreter
        [sys.executable, "-c", code], env=environment, cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_production_cookies_are_secure_and_host_prefixed():
    s = production_settings()
    assert s["SESSION_COOKIE_SECURE"] is True
    assert s["CSRF_COOKIE_SECURE"] is True
    assert s["SESSION_COOKIE_HTTPONLY"] is True
    assert s["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert s["CSRF_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert s["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert s["CSRF_COOKIE_NAME"].startswith("__Host-")
    # __Host- cookies must have no Domain and Path=/.
    assert s["SESSION_COOKIE_DOMAIN"] is None and s["CSRF_COOKIE_DOMAIN"] is None
    assert s["SESSION_COOKIE_PATH"] == "/" and s["CSRF_COOKIE_PATH"] == "/"


def test_only_an_explicit_switch_turns_secure_cookies_off():
    s = production_settings(SECURE_COOKIES="0")
    assert s["SESSION_COOKIE_SECURE"] is False
    assert not s["SESSION_COOKIE_NAME"].startswith("__Host-")


@pytest.mark.django_db
@override_settings(
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
    SESSION_COOKIE_NAME="__Host-sessionid",
    CSRF_COOKIE_NAME="__Host-csrftoken",
)
def test_cookies_sent_at_login_carry_the_flags():
    user = factories.OfficerProfileFactory(verified=True).user
    client = Client()
    csrf = client.get(reverse("account_login")).cookies["__Host-csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax" and csrf["path"] == "/" and not csrf["domain"]
    response = full_login(client, user)
    session = response.cookies["__Host-sessionid"]
    assert session["secure"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
    assert session["path"] == "/" and not session["domain"]
