"""Readable names for a browser's User-Agent header ("Chrome on Windows"), for the sessions page.

People recognise their own devices by browser and system, not by the raw header. A small
ordered table covers the browsers and systems officers use; anything else reads "Unknown
browser", which is honest and never wrong.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# Longer headers are not real browsers; looking at the start is enough and bounds the work.
MAX_LENGTH = 512

# Order matters: browsers built on Chromium also announce "Chrome" and "Safari", and Chrome
# announces "Safari", so the most specific token is tried first.
BROWSERS: list[tuple[str, re.Pattern[str]]] = [
    (gettext_noop("Edge"), re.compile(r"\bEdg(?:e|A|iOS)?/")),
    (gettext_noop("Opera"), re.compile(r"\bOPR/|\bOpera\b")),
    (gettext_noop("Samsung Internet"), re.compile(r"\bSamsungBrowser/")),
    (gettext_noop("Firefox"), re.compile(r"\bFirefox/|\bFxiOS/")),
    (gettext_noop("Internet Explorer"), re.compile(r"\bMSIE |\bTrident/")),
    (gettext_noop("Chrome"), re.compile(r"\bChrome/|\bCriOS/|\bChromium/")),
    (gettext_noop("Safari"), re.compile(r"\bSafari/")),
]

# iOS headers say "like Mac OS X" and Android headers say "Linux": check those first.
SYSTEMS: list[tuple[str, re.Pattern[str]]] = [
    (gettext_noop("iPhone"), re.compile(r"\biPhone\b")),
    (gettext_noop("iPad"), re.compile(r"\biPad\b")),
    (gettext_noop("Android"), re.compile(r"\bAndroid\b")),
    (gettext_noop("ChromeOS"), re.compile(r"\bCrOS\b")),
    (gettext_noop("Windows"), re.compile(r"\bWindows\b")),
    (gettext_noop("macOS"), re.compile(r"\bMacintosh\b|\bMac OS X\b")),
    (gettext_noop("Linux"), re.compile(r"\bLinux\b|\bX11\b")),
]

# Only real browsers say "Mozilla/5.0"; a script that borrows a browser's name ("curl/8 Chrome/1") does not.
BROWSER_PREFIX = re.compile(r"^(?:Mozilla|Opera)/")


@dataclass(frozen=True)
class Device:
    """The browser and system named by a User-Agent header; None when not recognised.

    The names are the untranslated ones; `describe_user_agent` translates them.
    """

    browser: str | None
    system: str | None


def _first_match(table: list[tuple[str, re.Pattern[str]]], value: str) -> str | None:
    return next((name for name, pattern in table if pattern.search(value)), None)


def parse_user_agent(value: str | None) -> Device:
    """Which browser and system a User-Agent header names."""
    value = (value or "")[:MAX_LENGTH]
    browser = _first_match(BROWSERS, value) if BROWSER_PREFIX.match(value) else None
    return Device(browser=browser, system=_first_match(SYSTEMS, value))


def describe_user_agent(value: str | None) -> str:
    """'Chrome on Windows', 'Firefox', 'Unknown browser on Linux' or 'Unknown browser', translated."""
    device = parse_user_agent(value)
    if device.browser and device.system:
        return _("%(browser)s on %(os)s") % {"browser": _(device.browser), "os": _(device.system)}
    if device.browser:
        return _(device.browser)
    if device.system:
        return _("Unknown browser on %(os)s") % {"os": _(device.system)}
    return _("Unknown browser")
