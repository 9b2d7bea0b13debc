"""The criteria inputs drawn once and ticked per search are exactly what the template renders for
that search, in every language, for random searches on the shipped questionnaires; and a search
ticks them without rendering its criteria again."""

import random

import pytest
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import translation

from discovery import criteria_block, search
from discovery.forms import CatalogueForm, mode_name, with_default_modes
from questionnaires.selectors import current_versions, generation

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "ar", "zh-hans", "fr", "ru", "es")


def random_query(rng: random.Random, questions) -> QueryDict:
    query = QueryDict(mutable=True)
    for question in rng.sample(questions, rng.randint(0, 4)):
        values = [value for value, _label in search.allowed_values(question)]
        for value in rng.sample(values, min(len(values), rng.randint(0, 3))):
            query.appendlist(question.key, value)
        if rng.random() < 0.6:
            query[mode_name(question.key)] = rng.choice((search.REQUIRED, search.PREFERRED))
        if rng.random() < 0.2:
            query.appendlist("expand", question.key)
    return query


def searched_form(query, questions, versions):
    form = CatalogueForm(
        with_default_modes(query, questions),
        questions=questions,
        versions=versions,
        expanded=frozenset(query.getlist("expand")),
    )
    assert form.is_valid(), form.errors
    return form


def both_renders(rng, questions, versions):
    form = searched_form(random_query(rng, questions), questions, versions)
    fast = criteria_block.render_criteria(form, versions, generation())
    return fast, render_to_string("discovery/_criteria_fieldsets.html", {"form": form})


@pytest.mark.parametrize("language", LANGUAGES)
def test_ticked_inputs_are_what_the_template_renders(language):
    versions = current_versions()
    questions = search.criterion_questions(versions)
    assert any(len(search.allowed_values(question)) > 12 for question in questions)  # a collapsed list
    rng = random.Random(language)
    with translation.override(language):
        for _search in range(40):
            fast, template = both_renders(rng, questions, versions)
            assert fast == template


def test_control_a_forgotten_tick_is_caught(monkeypatch):
    original = criteria_block._ticked

    def without_the_mode(drawn, form, key, chosen):
        form.cleaned_data[mode_name(key)] = search.REQUIRED  # the officer's "preferred" is lost
        return original(drawn, form, key, chosen)

    monkeypatch.setattr(criteria_block, "_ticked", without_the_mode)
    versions = current_versions()
    questions = search.criterion_questions(versions)
    rng = random.Random("control")
    assert any(fast != template for fast, template in (both_renders(rng, questions, versions) for _ in range(40)))


def test_a_search_ticks_the_drawn_inputs_without_rendering_its_criteria(monkeypatch):
    versions = current_versions()
    questions = search.criterion_questions(versions)
    short = next(question for question in questions if len(search.allowed_values(question)) <= 12)
    value = search.allowed_values(short)[0][0]
    token = generation()
    criteria_block.render_criteria(searched_form(QueryDict(), questions, versions), versions, token)
    rendered = []
    monkeypatch.setattr(criteria_block, "_render", lambda block: rendered.append(block) or "")
    query = QueryDict(f"{short.key}={value}&{mode_name(short.key)}=preferred")
    html = criteria_block.render_criteria(searched_form(query, questions, versions), versions, token)
    assert rendered == []
    assert f'value="{value}" id="id_{short.key}_0" checked>' in html
