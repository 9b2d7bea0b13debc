"""The browser fixtures of core/tests/browser (Chromium, the strict page watch, TOTP codes)."""

from core.tests.browser.conftest import (  # noqa: F401 - pytest finds fixtures by name
    _playwright,
    browser,
    expected_failures,
    new_page,
    page_problems,
    totp,
)
