# The browser fixtures (new_page, totp) are the project's own, in core/tests/browser.
from core.tests.browser.conftest import _playwright, browser, expected_failures, new_page, page_problems, totp  # noqa: F401
