"""Option labels are kept on the question per language (`catalogue.answers.option_labels`): the
same question object shows each reader their own language; the control keeps one language."""

import pytest
from django.utils import translation

from catalogue import answers
from catalogue.models import Answer
from discovery.tests.test_search_helpers import make_questionnaires
from questionnaires.models import Option, Question

pytestmark = pytest.mark.django_db


def deployment_question():
    make_questionnaires()
    Option.objects.filter(question__key="deployment", value="cloud").update(labels={"en": "Cloud", "ar": "سحابة"})
    return Question.objects.prefetch_related("options").get(key="deployment")


def shown_in(question, language: str) -> str:
    with translation.override(language):
        return answers.format_answer(question, Answer(question=question, value="cloud")).text


def test_one_question_object_shows_each_language():
    question = deployment_question()
    assert [shown_in(question, language) for language in ("en", "ar", "en", "ar")] == [
        "Cloud",
        "سحابة",
        "Cloud",
        "سحابة",
    ]


def test_control_labels_kept_for_one_language_show_english_to_arabic_readers(monkeypatch):
    question = deployment_question()
    monkeypatch.setattr(answers, "get_language", lambda: "one language")
    assert shown_in(question, "en") == "Cloud"
    assert shown_in(question, "ar") == "Cloud"
