"""Readable device names on the sessions page ("Chrome on Windows") from real User-Agent headers."""

import pytest
from django.utils import translation

from accounts.user_agents import MAX_LENGTH, Device, describe_user_agent, parse_user_agent

CASES = [
    # Desktop
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Chrome on Windows",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        "Edge on Windows",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0",
        "Opera on Windows",
    ),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Windows"),
    ("Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko", "Internet Explorer on Windows"),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        "Safari on macOS",
    ),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on macOS"),
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Chrome on Linux",
    ),
    ("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Linux"),
    (
        "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Chrome on ChromeOS",
    ),
    # Phones and tablets
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Safari on iPhone",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
        "Chrome on iPhone",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/133.0 Mobile/15E148 Safari/605.1.15",
        "Firefox on iPhone",
    ),
    (
        "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.7 Mobile/15E148 Safari/604.1",
        "Safari on iPad",
    ),
    (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
        "Chrome on Android",
    ),
    ("Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0", "Firefox on Android"),
    (
        "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/27.0 Chrome/125.0.0.0 Mobile Safari/537.36",
        "Samsung Internet on Android",
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 EdgA/131.0.0.0",
        "Edge on Android",
    ),
    # Not recognised: honest, never a guess
    ("", "Unknown browser"),
    ("curl/8.5.0", "Unknown browser"),
    ("python-requests/2.32.3", "Unknown browser"),
    ("Elsewhere Browser 1.0", "Unknown browser"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) SomethingNew/1.0", "Unknown browser on Windows"),
    ("Mozilla/5.0 (compatible) Firefox/133.0", "Firefox"),
]


@pytest.mark.parametrize(("user_agent", "expected"), CASES, ids=[expected for _, expected in CASES])
def test_describe_user_agent(user_agent, expected):
    with translation.override("en"):
        assert describe_user_agent(user_agent) == expected


def test_none_is_an_unknown_browser():
    assert parse_user_agent(None) == Device(browser=None, system=None)


def test_a_script_borrowing_a_browser_name_is_not_taken_for_the_browser():
    assert parse_user_agent("curl/8.5.0 Chrome/131.0 (Windows)") == Device(browser=None, system="Windows")


def test_only_the_start_of_a_huge_header_is_read():
    padding = "x" * MAX_LENGTH
    assert parse_user_agent(f"Mozilla/5.0 {padding} Firefox/133.0").browser is None
    assert parse_user_agent(f"Mozilla/5.0 (Windows NT 10.0) Firefox/133.0 {padding * 100}").browser == "Firefox"


def test_the_phrase_is_translated(monkeypatch):
    """The phrase and the names go through gettext, so translators can word them for their language."""
    asked = []

    def fake_gettext(message):
        asked.append(message)
        return f"«{message}»"

    monkeypatch.setattr("accounts.user_agents._", fake_gettext)
    described = describe_user_agent(CASES[0][0])
    assert set(asked) == {"Chrome", "Windows", "%(browser)s on %(os)s"}
    assert described == "««Chrome» on «Windows»»"
