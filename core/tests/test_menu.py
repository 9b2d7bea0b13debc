"""The main menu is rendered once per language and per policy answer (core/menu.py): every
persona, in English and Arabic, gets exactly the menu its own answers render, and the pages
show it. The control keeps one menu per language and shows a coordinator's menu to others."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core import menu
from testkit.personas import PERSONAS, make_personas, sign_in

pytestmark = pytest.mark.django_db

SIGNED_IN = [name for name in PERSONAS if name != "anonymous"]


def rendered_afresh(user) -> str:
    return render_to_string(menu.TEMPLATE, {"menu": menu.MenuQuestions(user)})


def mismatches(shown_menu) -> list[str]:
    """Personas (twice each, so the second comes from the kept tree) whose menu differs."""
    personas = make_personas()
    wrong = []
    for language in ("en", "ar"):
        with translation.override(language):
            for name in [*SIGNED_IN, *reversed(SIGNED_IN)]:
                if shown_menu(personas[name]) != rendered_afresh(personas[name]):
                    wrong.append(f"{language}:{name}")
    return wrong


def test_every_persona_gets_the_menu_of_its_own_answers():
    menu._trees.clear()
    assert mismatches(menu.main_menu) == []


def test_the_pages_show_each_role_its_menu():
    personas = make_personas()
    coordinator = sign_in(Client(), personas["coordinator"]).get(reverse("home:home")).content.decode()
    officer = sign_in(Client(), personas["verified_officer"]).get(reverse("home:home")).content.decode()
    assert reverse("accounts:vetting_queue") in coordinator
    assert reverse("accounts:vetting_queue") not in officer
    assert reverse("following:followed") in officer


def test_control_one_menu_per_language_shows_others_the_wrong_menu():
    kept = {}

    def kept_by_language_only(user):
        language = translation.get_language()
        if language not in kept:
            kept[language] = menu.main_menu(user)
        return kept[language]

    assert mismatches(kept_by_language_only)
