"""Six languages from the first page; right-to-left Arabic; logical CSS only."""

import ast
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED_LANGUAGES = {"ar": "ar", "zh-hans": "zh_Hans", "fr": "fr", "ru": "ru", "es": "es"}
# Every app (a folder with apps.py), the shared templates and the settings: a new app is checked
# without anyone remembering to list it.
SOURCE_DIRS = sorted(path.parent.name for path in ROOT.glob("*/apps.py")) + ["templates", "config"]

TEMPLATE_STRING = re.compile(r"""\{%\s*(?:translate|trans)\s+"([^"]+)"(?:\s+[^%]*)?%\}""")
# pgettext's first argument is the context; the message is the second.
PYTHON_STRING = re.compile(
    r"""\b(?:(?:_|gettext|gettext_lazy)\(|(?:pgettext|pgettext_lazy)\(\s*"(?:[^"\\]|\\.)+"\s*,)\s*"((?:[^"\\]|\\.)+)"\s*[,)]"""
)


def catalogue(code):
    return polib.pofile(str(ROOT / "locale" / code / "LC_MESSAGES" / "django.po"))


def source_strings():
    found = set()
    for folder in SOURCE_DIRS:
        for path in (ROOT / folder).rglob("*"):
            if "tests" in path.parts or "migrations" in path.parts or not path.is_file():
                continue
            if path.suffix in (".html", ".txt"):
                found.update(TEMPLATE_STRING.findall(path.read_text(encoding="utf-8")))
            elif path.suffix == ".py":
                found.update(
                    ast.literal_eval(f'"{s}"') for s in PYTHON_STRING.findall(path.read_text(encoding="utf-8"))
                )
    return found


def test_the_six_un_languages_are_offered():
    assert [code for code, _ in settings.LANGUAGES] == ["ar", "zh-hans", "en", "fr", "ru", "es"]


@pytest.mark.parametrize("language", sorted(TRANSLATED_LANGUAGES.values()))
def test_each_catalogue_is_at_least_95_percent_translated(language):
    po = catalogue(language)
    assert len(po) > 100, "the catalogue is suspiciously small"
    assert po.percent_translated() >= 95, f"{language}: {po.percent_translated()}% translated"


@pytest.mark.parametrize("language", sorted(TRANSLATED_LANGUAGES.values()))
def test_every_marked_string_of_the_code_is_in_the_catalogue(language):
    msgids = {entry.msgid for entry in catalogue(language)}
    missing = sorted(s for s in source_strings() if s not in msgids)
    assert not missing, f"{language}: run `make messages`; missing {missing[:10]} ({len(missing)} in all)"


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["ar", "zh-hans", "fr", "ru", "es"])
def test_language_switcher_changes_the_language_of_pages(client, code):
    response = client.post("/i18n/setlang/", {"language": code, "next": "/"}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{code}"' in html
    english = "Find, compare and learn to use AI tools against online child sexual exploitation"
    assert english not in html, "the landing page was not translated"
    assert ('dir="rtl"' in html) == (code == "ar")


PHYSICAL = re.compile(
    r"(?<![-\w])(margin|padding|border)-(left|right)\b|(?<![-\w])(left|right)\s*:|text-align\s*:\s*(left|right)|float\s*:\s*(left|right)"
)


def test_stylesheets_use_logical_properties_only():
    for css in (ROOT / "static" / "css").glob("*.css"):
        offending = [line for line in css.read_text().splitlines() if PHYSICAL.search(line)]
        assert not offending, f"{css.name} uses physical properties: {offending[:5]}"
