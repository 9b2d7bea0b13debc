"""Headers, CSRF and production settings (SECURITY.md HDR-01, HDR-02, IN-01, DEP-01)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from testkit.personas import make_personas, sign_in
from testkit.urltable import all_expectations, build_world

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _responses(client, world):
    for name, expect in sorted(all_expectations().items()):
        url = reverse(name, kwargs=expect.kwargs(world) if expect.kwargs else None)
        yield url, client.get(url)


@pytest.mark.parametrize("persona", ["anonymous", "coordinator"])
def test_every_response_carries_the_security_headers(client, persona):
    users = make_personas()
    world = build_world(users)
    if users[persona] is not None:
        sign_in(client, users[persona])
    for url, response in _responses(client, world):
        csp = response.headers.get("Content-Security-Policy", "")
        assert csp, url
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
        for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert directive in csp, (url, directive)
        assert response.headers.get("X-Frame-Options") == "DENY", url
        assert response.headers.get("X-Content-Type-Options") == "nosniff", url
        assert response.headers.get("Referrer-Policy") == "same-origin", url
        assert "camera=()" in response.headers.get("Permissions-Policy", ""), url
        if persona != "anonymous":
            assert response.headers.get("Cache-Control") == "no-store", url


def test_no_page_loads_anything_from_another_origin(client):
    users = make_personas()
    world = build_world(users)
    sign_in(client, users["coordinator"])
    for url, response in _responses(client, world):
        if response.get("Content-Type", "").startswith("text/html"):
            body = response.content.decode()
            for marker in ('src="http', "src='http", 'href="//', 'src="//', "@import url(http"):
                assert marker not in body, (url, marker)


def test_post_without_csrf_token_is_refused_everywhere():
    """Every route that accepts POST refuses it without a CSRF token (IN-01)."""
    users = make_personas()
    world = build_world(users)
    for persona in ("anonymous", "coordinator"):
        client = Client(enforce_csrf_checks=True)
        if users[persona] is not None:
            sign_in(client, users[persona])
        for name, expect in sorted(all_expectations().items()):
            if name in ("account_logout",):
                continue
            url = reverse(name, kwargs=expect.kwargs(world) if expect.kwargs else None)
            response = client.post(url, {"x": "1"})
            assert response.status_code in (403, 405, 302, 404), (persona, url, response.status_code)
            if response.status_code == 302:
                # Only redirects to sign in or re-authenticate are acceptable: nothing ran.
                assert any(
                    part in response["Location"] for part in ("/accounts/login/", "/reauthenticate/", "/accounts/2fa/")
                ), (persona, url, response["Location"])


def test_requests_larger_than_the_limit_get_413(client, settings):
    settings.MAX_REQUEST_BYTES = 1000
    response = client.post("/accounts/login/", data="x" * 2000, content_type="text/plain")
    assert response.status_code == 413


def _production_check(extra_env=None):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "a-production-like-secret-key-for-the-deploy-check-0123456789-abcdefghij",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "hub.example.org",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    for key in ("DATABASE_URL", "SECURE_COOKIES", "SECURE_SSL_REDIRECT", "SINGLE_PROCESS"):
        env.pop(key, None)
    env.update(extra_env or {})
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_production_settings():
    result = _production_check()
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_are_secure_by_default():
    code = (
        "from django.conf import settings as s;"
        "print(s.PASSWORD_HASHERS[0], s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE,"
        " s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.SECURE_HSTS_SECONDS, s.DEBUG, s.SECURE_SSL_REDIRECT)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "x" * 60,
        "DEBUG": "0",
    }
    for key in ("SECURE_COOKIES", "SECURE_SSL_REDIRECT"):
        env.pop(key, None)
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", "import django; django.setup();" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
        "Lax",
        "31536000",
        "False",
        "True",
    ]


def _without_secret(code_or_args):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0"}
    for key in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "DATABASE_URL"):
        env.pop(key, None)
    args = [sys.executable, "-c", code_or_args] if isinstance(code_or_args, str) else [sys.executable, *code_or_args]
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)  # noqa: S603


def test_without_a_secret_key_the_web_application_refuses_to_start():
    result = _without_secret("import config.wsgi")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_without_a_secret_key_nothing_can_sign_or_encrypt():
    result = _without_secret(
        "import django; django.setup()\n"
        "from django.core.exceptions import ImproperlyConfigured\n"
        "from django.conf import settings\n"
        "from accounts import crypto\n"
        "for attempt in (lambda: settings.SECRET_KEY, lambda: crypto.encrypt('x')):\n"
        "    try:\n"
        "        attempt()\n"
        "    except ImproperlyConfigured:\n"
        "        print('refused')\n"
    )
    assert result.stdout.split() == ["refused", "refused"], result.stderr


def test_without_a_secret_key_the_deploy_check_fails_but_offline_commands_run():
    deploy = _without_secret(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert deploy.returncode != 0
    assert "security.W009" in deploy.stdout + deploy.stderr
    offline = _without_secret(["manage.py", "makemigrations", "--check", "--dry-run"])
    assert offline.returncode == 0, offline.stderr


# --- several processes need the shared cache (issue 13 hole 10) ---------------------------
def test_without_redis_the_deploy_check_fails_unless_one_process_is_declared():
    missing = _production_check({"REDIS_URL": ""})
    assert missing.returncode != 0
    assert "saferhub.E001" in missing.stdout + missing.stderr
    assert "REDIS_URL is not set" in missing.stdout + missing.stderr
    single = _production_check({"REDIS_URL": "", "SINGLE_PROCESS": "1"})
    assert single.returncode == 0, single.stdout + single.stderr


def test_without_redis_the_web_application_refuses_to_start():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60,
        "REDIS_URL": "",
        "ALLOWED_HOSTS": "hub.example.org",
    }
    env.pop("SINGLE_PROCESS", None)
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", "import config.wsgi"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "REDIS_URL is not set" in result.stderr
    started = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env={**env, "REDIS_URL": "redis://127.0.0.1:6379/0"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode == 0, started.stderr
