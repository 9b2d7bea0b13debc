"""Playwright (sync API) driving the system Chromium against pytest-django's live server.

Never runs `playwright install`: the browser is the distribution's /usr/bin/chromium. Tests
here are marked `browser`; they skip when Chromium is missing, and `.ci/run` installs it.
"""

import os
import shutil
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from .watch import watch_page

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def _playwright():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django would then refuse ORM
    # calls from the test body (they are synchronous and safe here).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser(_playwright):
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def expected_failures():
    """URL patterns (regular expressions) of failures a test expects, e.g. a background
    request refused with 403 on purpose. A test appends to it before causing the failure."""
    return []


@pytest.fixture
def page_problems():
    """Everything that went wrong in any page (see watch.watch_page)."""
    return []


@pytest.fixture
def new_page(browser, live_server, page_problems, expected_failures):
    """new_page() -> a page in a fresh browser context (its own cookies), watched for problems.

    The test fails on any console error, any CSP violation, any failed request and any
    response of 400 or more to a request the page made for itself (see watch.watch_page),
    unless its URL matches an entry of `expected_failures`.
    """
    contexts = []

    def _new_page(**context_options):
        context = browser.new_context(base_url=live_server.url, **context_options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return watch_page(context, page_problems, expected_failures)

    yield _new_page
    for context in contexts:
        context.close()
    assert not page_problems, "Problems in the browser:\n" + "\n".join(page_problems)


class TotpClock:
    """Current TOTP codes for a secret; never hands out a code from a window already used.

    Codes are single-use within their 30-second window (SECURITY.md AUTH-05), so a second
    sign-in by the same user waits for the next window. A code is only handed out with a
    few seconds of its window left, so it is still valid when the form is submitted.
    """

    def __init__(self):
        self.used: dict[str, int] = {}

    def code(self, secret: str) -> str:
        period = mfa_settings.TOTP_PERIOD
        while True:
            now = time.time()
            counter = int(now) // period
            left = period - (now % period)
            if counter > self.used.get(secret, -1) and left > 3:
                self.used[secret] = counter
                return format_hotp_value(hotp_value(secret, counter))
            time.sleep(min(left, 1.0) + 0.05)


@pytest.fixture
def totp():
    return TotpClock()
