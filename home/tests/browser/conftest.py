# The browser fixtures (Chromium, the watched pages, TOTP codes) are the core journeys' own.
from core.tests.browser.conftest import (  # noqa: F401
    _playwright,
    browser,
    expected_failures,
    new_page,
    page_problems,
    totp,
)
