"""Helpers for the accounts tests: real sign-in through allauth, TOTP codes."""

import re
import time
from importlib import import_module

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.urls import reverse

from accounts import crypto
from testkit.factories import DEFAULT_PASSWORD, add_totp

LOGIN_URL = reverse("account_login")
MFA_URL = reverse("mfa_authenticate")


def totp_secret(user) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return crypto.decrypt(authenticator.data["secret"])


def totp_code(secret: str, at: float | None = None) -> str:
    moment = at if at is not None else _time_clear_of_window_edge()
    return format_hotp_value(hotp_value(secret, int(moment) // 30))


def ensure_totp(user) -> str:
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        return totp_secret(user)
    return add_totp(user)


def post_password(client, email, password=DEFAULT_PASSWORD, **extra):
    return client.post(LOGIN_URL, {"login": email, "password": password}, **extra)


def post_code(client, code, **extra):
    return client.post(MFA_URL, {"code": code}, **extra)


def full_login(client, user, password=DEFAULT_PASSWORD, code=None):
    """Sign in through the real forms: password, then the TOTP code. Returns the last response."""
    secret = ensure_totp(user)
    response = post_password(client, user.email, password)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].startswith(MFA_URL), response["Location"]
    return post_code(client, code or totp_code(secret))


def _time_clear_of_window_edge(margin: float = 3.0) -> float:
    """A code computed just before its 30-second window closes is stale when the server checks it
    (allauth allows no drift by default), which made sign-ins fail at random; wait for a fresh window."""
    now = time.time()
    remaining = 30 - now % 30
    if remaining < margin:
        time.sleep(remaining + 0.05)
        now = time.time()
    return now


def is_signed_in(client) -> bool:
    """Whether the client's session cookie names a signed-in session (without creating one)."""
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if cookie is None or not cookie.value:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=cookie.value)
    return store.get("_auth_user_id") is not None


def normalise(html: str) -> str:
    """Remove per-response tokens (CSRF tokens, nonces) so two pages can be compared."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken" value=""', html)
    html = re.sub(r'nonce="[^"]*"', 'nonce=""', html)
    html = re.sub(r'"X-CSRFToken": "[^"]*"', '"X-CSRFToken": ""', html)
    return html
