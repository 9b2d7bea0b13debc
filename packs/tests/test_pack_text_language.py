"""In an Arabic pack, the provider's English is marked English, left to right."""

import datetime

from django.template.loader import render_to_string
from django.utils import timezone

from catalogue.models import ToolState
from packs.content import build
from packs.render import font_stack, language_tag
from testkit import factories


def pack_html(tool, language):
    pack = build([tool], language, today=datetime.date(2026, 12, 3))
    context = {"pack": pack, "font_stack": font_stack(language), "lang": language_tag(language)}
    return render_to_string("packs/pack.html", context)


def test_provider_english_in_an_arabic_pack_is_marked(db):
    tool = factories.ToolFactory(
        state=ToolState.PUBLISHED, published_at=timezone.now(), short_description="Finds servers."
    )
    html = pack_html(tool, "ar")
    assert '<html lang="ar" dir="rtl">' in html
    assert '<p lang="en" dir="ltr">Finds servers.</p>' in html
    assert f'<h2 lang="en" dir="ltr">{tool.name}</h2>' in html
    # Control: the same text in an English pack needs no mark.
    html = pack_html(tool, "en")
    assert "<p>Finds servers.</p>" in html and 'lang="en" dir="ltr">Finds' not in html
