"""The languages an officer can say they speak: every language Django knows a name for."""

from django.conf.locale import LANG_INFO
from django.utils.translation import gettext


def codes() -> list[str]:
    # Plain codes only: regional variants ("pt-br") and aliases without a name are left out.
    return sorted(code for code, info in LANG_INFO.items() if "name" in info and "-" not in code)


def name(code: str) -> str:
    """The language's name in the reader's language (Django translates its own language names)."""
    info = LANG_INFO.get(code)
    return gettext(info["name"]) if info and "name" in info else code


def choices() -> list[tuple[str, str]]:
    return sorted(((code, name(code)) for code in codes()), key=lambda pair: pair[1].casefold())
