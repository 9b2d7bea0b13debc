"""The fonts a PDF pack needs, and whether this machine has them (asked of fontconfig).

WeasyPrint draws text through Pango, which falls back to any font it finds: without the right
one, Arabic or Chinese would come out as empty boxes. So the pack is refused with a clear message
instead, and `manage.py check` warns. The Debian packages are installed by .ci/run (README)."""

from __future__ import annotations

import shutil
import subprocess

# Family name -> the Debian package that installs it.
BASE_FONT = "DejaVu Sans"  # Latin and Cyrillic: en, fr, es, ru
ARABIC_FONT = "Amiri"
CHINESE_FONT = "WenQuanYi Micro Hei"
PACKAGES = {
    BASE_FONT: "fonts-dejavu-core",
    ARABIC_FONT: "fonts-hosny-amiri",
    CHINESE_FONT: "fonts-wqy-microhei",
}
LANGUAGE_FONTS = {"ar": ARABIC_FONT, "zh-hans": CHINESE_FONT}

# Families found once stay found for the life of the process; missing ones are asked again, so
# installing a package takes effect without a restart.
_found: set[str] = set()


def required(language: str) -> list[str]:
    families = [BASE_FONT]
    if language in LANGUAGE_FONTS:
        families.append(LANGUAGE_FONTS[language])
    return families


def installed_families() -> set[str]:
    """Every font family fontconfig knows (empty when fontconfig's fc-list is missing)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return set()
    try:
        output = subprocess.run(  # noqa: S603 - a fixed program and arguments
            [fc_list, ":", "family"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {name.strip() for line in output.splitlines() for name in line.split(",") if name.strip()}


def missing(language: str) -> list[str]:
    """The families a PDF pack in `language` needs that are not installed."""
    wanted = [family for family in required(language) if family not in _found]
    if not wanted:
        return []
    present = installed_families()
    _found.update(family for family in wanted if family in present)
    return [family for family in wanted if family not in present]


def packages_for(families: list[str]) -> list[str]:
    return [PACKAGES[family] for family in families]
