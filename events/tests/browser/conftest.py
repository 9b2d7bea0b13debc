"""The browser fixtures of core/tests/browser (Chromium, the strict page watcher, TOTP codes)."""

from core.tests.browser.conftest import _playwright, browser, expected_failures, new_page, page_problems, totp  # noqa: F401
