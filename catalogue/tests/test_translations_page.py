"""Providers translate their free-text answers on a page of their own; officers read their
language, or the original marked with its language name and its lang/dir; search finds both."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from audit.models import Action, AuditEvent
from catalogue.models import ToolState
from catalogue.tests.test_provider_helpers import make_forms, working_member
from discovery import search
from testkit import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def forms(db):
    return make_forms()


@pytest.fixture
def member(db):
    return working_member()


@pytest.fixture
def tool(member, forms):
    tools_form, _rai = forms
    tool = factories.ToolFactory(organisation=member.membership.organisation, name="Answering Tool")
    factories.AnswerFactory(tool=tool, question=tools_form.questions.get(key="purpose"), value="Finds known images.")
    return tool


def url(tool, language=None):
    base = reverse("catalogue:provider_translations", args=[tool.slug])
    return f"{base}?language={language}" if language else base


def test_a_provider_adds_a_translation_and_it_is_audited(signed_in, member, tool):
    client = signed_in(member)
    assert url(tool) in client.get(reverse("catalogue:provider_tool", args=[tool.slug])).content.decode()
    html = client.get(url(tool, "ar")).content.decode()
    assert "Finds known images." in html and 'lang="ar" dir="rtl"' in html
    response = client.post(url(tool, "ar"), {"original": "en", "purpose": "يجد الصور المعروفة"})
    assert response.status_code == 302
    tool.refresh_from_db()
    assert tool.answers.get(question_key="purpose").translations == {"ar": "يجد الصور المعروفة"}
    event = AuditEvent.objects.get(action=Action.TOOL_TRANSLATIONS_SAVED)
    assert event.after["questions"] == ["purpose"] and "يجد" not in str(event.after)  # keys, not texts
    # Emptying the box removes the translation.
    client.post(url(tool, "ar"), {"original": "en", "purpose": ""})
    assert tool.answers.get(question_key="purpose").translations == {}


def test_bad_input_keeps_what_was_typed(signed_in, member, tool):
    client = signed_in(member)
    response = client.post(url(tool, "fr"), {"original": "fr", "purpose": "Trouve des images."})
    assert response.status_code == 400
    assert "Trouve des images." in response.content.decode()
    assert client.get(url(tool, "xx")).status_code == 400
    assert tool.answers.get(question_key="purpose").translations == {}


def test_others_cannot_translate(signed_in, tool, verified_officer):
    other = working_member()
    assert signed_in(other).get(url(tool)).status_code == 404
    assert signed_in(verified_officer).get(url(tool)).status_code == 403


def test_a_published_tool_is_translated_through_an_update_not_directly(signed_in, member, tool):
    tool.state = ToolState.PUBLISHED
    tool.save()
    response = signed_in(member).post(url(tool, "fr"), {"original": "en", "purpose": "Trouve."})
    assert response.status_code == 302
    assert tool.answers.get(question_key="purpose").translations == {}


def test_officers_read_their_language_or_the_marked_original(signed_in, verified_officer, tool):
    tool.answers.filter(question_key="purpose").update(translations={"fr": "Trouve les images connues."})
    tool.state = ToolState.PUBLISHED
    tool.save()
    client = signed_in(verified_officer)
    page = reverse("catalogue:tool_detail", kwargs={"slug": tool.slug})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    html = client.get(page).content.decode()
    # In the page's language: no lang of its own.
    assert re.search(r"<dd>\s*Trouve les images connues\.", html)
    assert 'class="help original-language"' not in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    html = client.get(page).content.decode()
    assert re.search(r'<dd lang="en" dir="ltr">\s*Finds known images\.', html)  # not a silent mix
    assert 'class="help original-language"' in html
    # The translation is searched too.
    assert {result.slug for result in search.search({}, seed="s", q="connue")} == {tool.slug}


def test_the_original_language_is_named_and_its_direction_kept(signed_in, member, verified_officer, tool):
    signed_in(member).post(url(tool, "en"), {"original": "ar", "purpose": "Finds known images."})
    tool.refresh_from_db()
    assert tool.text_language == "ar"
    tool.answers.filter(question_key="purpose").update(value="يجد الصور", translations={})
    tool.state = ToolState.PUBLISHED
    tool.save()
    client = signed_in(verified_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("catalogue:tool_detail", kwargs={"slug": tool.slug})).content.decode()
    assert re.search(r'<dd lang="ar" dir="rtl">\s*يجد الصور', html)
    assert "Shown in Arabic" in html
