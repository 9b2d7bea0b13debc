"""The shipped Responsible AI Questionnaire (version 1): its definition and how it loads."""

import copy
import json
from pathlib import Path

import pytest
from django.utils import translation

from questionnaires import loader
from questionnaires.models import Question, Questionnaire
from questionnaires.selectors import current_versions

PATH = Path(loader.DATA_DIR) / "responsible-ai.json"
LANGUAGES = {"en", "ar", "zh-hans", "fr", "ru", "es"}
TYPES = {"short_text", "long_text", "single_choice", "multiple_choice", "yes_no", "number", "date", "url", "file"}
CHOICE_TYPES = {"single_choice", "multiple_choice"}
# Labels that are the same in every language on purpose (names of standards).
SAME_IN_EVERY_LANGUAGE = {"ISO/IEC 27001", "SOC 2"}


@pytest.fixture(scope="module")
def definition():
    return json.loads(PATH.read_text(encoding="utf-8"))


def questions_of(definition):
    return [question for section in definition["sections"] for question in section["questions"]]


def by_key(definition):
    return {question["key"]: question for question in questions_of(definition)}


def all_texts(definition):
    """(where, texts) for every translatable text of the definition."""
    yield "names", definition["names"]
    for section in definition["sections"]:
        yield f"{section['key']}: titles", section["titles"]
        for question in section["questions"]:
            yield f"{question['key']}: labels", question["labels"]
            if "help_texts" in question:
                yield f"{question['key']}: help_texts", question["help_texts"]
            for option in question.get("options", []):
                yield f"{question['key']}/{option['value']}: labels", option["labels"]


def test_it_is_version_1_of_the_responsible_ai_questionnaire_shown_second(definition):
    assert definition["key"] == "responsible-ai"
    assert definition["version"] == 1
    assert definition["order"] == 2
    assert definition["names"]["en"] == "Responsible AI Questionnaire"


def test_it_has_at_least_twenty_questions_in_several_sections(definition):
    assert len(questions_of(definition)) >= 20
    assert len(definition["sections"]) >= 5
    assert all(section["questions"] for section in definition["sections"])


def test_keys_are_unique_slugs(definition):
    section_keys = [section["key"] for section in definition["sections"]]
    question_keys = [question["key"] for question in questions_of(definition)]
    assert len(set(section_keys)) == len(section_keys)
    assert len(set(question_keys)) == len(question_keys)
    for key in section_keys + question_keys:
        assert loader._SLUG.match(key), key
        assert len(key) <= 50, key
    for question in questions_of(definition):
        values = [option["value"] for option in question.get("options", [])]
        assert len(set(values)) == len(values), question["key"]
        assert all(loader._SLUG.match(value) for value in values), question["key"]


def test_every_text_is_written_in_all_six_languages(definition):
    for where, texts in all_texts(definition):
        assert set(texts) == LANGUAGES, where
        for language, text in texts.items():
            assert isinstance(text, str), (where, language)
            assert text.strip(), (where, language)
            assert text == text.strip(), (where, language)


def test_translations_are_not_english_copied_into_other_languages(definition):
    for where, texts in all_texts(definition):
        if texts["en"] in SAME_IN_EVERY_LANGUAGE:
            continue
        for language in LANGUAGES - {"en"}:
            assert texts[language] != texts["en"], (where, language)


def test_types_are_valid_and_only_choice_questions_have_options(definition):
    for question in questions_of(definition):
        assert question["type"] in TYPES, question["key"]
        assert isinstance(question["required"], bool), question["key"]
        assert isinstance(question["criterion"], bool), question["key"]
        if question["type"] in CHOICE_TYPES:
            assert len(question["options"]) >= 2, question["key"]
        else:
            assert "options" not in question, question["key"]


def test_criteria_are_few_and_each_has_values_an_officer_can_pick(definition):
    criteria = [question for question in questions_of(definition) if question["criterion"]]
    assert 3 <= len(criteria) <= 8
    for question in criteria:
        assert question["type"] in CHOICE_TYPES | {"yes_no"}, question["key"]


def test_answering_stays_optional_except_for_a_very_few_questions(definition):
    required = [question["key"] for question in questions_of(definition) if question["required"]]
    assert 0 < len(required) <= 3
    assert "known-limitations" in required


def test_it_covers_the_topics_officers_ask_about(definition):
    questions = by_key(definition)
    expected_types = {
        "training-data-provenance": "long_text",
        "training-data-legal-basis": "single_choice",
        "training-data-legal-basis-details": "long_text",
        "illegal-material-handling": "long_text",
        "bias-testing-done": "yes_no",
        "bias-testing-method": "long_text",
        "bias-testing-results": "long_text",
        "human-oversight": "long_text",
        "explainability": "long_text",
        "data-processing-location": "long_text",
        "data-retention-deletion": "long_text",
        "security-certifications": "multiple_choice",
        "security-certifications-details": "long_text",
        "childrens-rights-due-diligence": "yes_no",
        "childrens-rights-description": "long_text",
        "human-rights-due-diligence": "yes_no",
        "human-rights-description": "long_text",
        "independent-assessment-available": "yes_no",
        "independent-assessment-kinds": "multiple_choice",
        "independent-assessment-report": "file",
        "in-house-verification": "long_text",
        "in-house-verification-report": "file",
        "known-limitations": "long_text",
        "incident-reporting": "long_text",
        "incident-response-time": "single_choice",
        "model-update-policy": "long_text",
        "audit-log": "yes_no",
        "data-shared-with-provider": "yes_no",
    }
    assert {key: questions[key]["type"] for key in expected_types if key in questions} == expected_types
    for key in (
        "bias-testing-done",
        "security-certifications",
        "childrens-rights-due-diligence",
        "human-rights-due-diligence",
        "independent-assessment-available",
    ):
        assert questions[key]["criterion"], key
    assert questions["independent-assessment-available"]["labels"]["en"] == "Independent assessment available"

    def values(key):
        return {option["value"] for option in questions[key]["options"]}

    assert {"iso-iec-27001", "soc-2", "cjis-aligned", "national-accreditation", "none"} <= values(
        "security-certifications"
    )
    assert values("independent-assessment-kinds") == {"accuracy", "human-rights", "privacy", "ethics"}
    assert {"age", "sex", "skin-tone"} <= values("bias-testing-groups")


def test_the_loader_accepts_the_definition(definition):
    loader.validate_definition(definition)


def test_question_keys_do_not_clash_with_other_shipped_questionnaires(definition):
    """A criterion's key is its question's key in the API, so keys must be unique across questionnaires."""
    ours = set(by_key(definition))
    for path in loader.shipped_files():
        if path == PATH:
            continue
        other = json.loads(path.read_text(encoding="utf-8"))
        assert not ours & set(by_key(other)), path.name


@pytest.mark.django_db
def test_the_migrated_database_offers_it_as_a_current_questionnaire(definition):
    version = next(v for v in current_versions() if v.questionnaire.key == "responsible-ai")
    assert version.number == 1
    questions = list(version.questions.all())
    assert [question.key for question in questions] == [question["key"] for question in questions_of(definition)]
    assert [section.key for section in version.sections.all()] == [s["key"] for s in definition["sections"]]
    with translation.override("ar"):
        assert version.questionnaire.name == "استبيان الذكاء الاصطناعي المسؤول"


@pytest.mark.django_db
def test_loading_it_again_changes_nothing(definition):
    before = Question.objects.filter(version__questionnaire__key="responsible-ai").count()
    version = loader.load_definition(definition)
    assert version.questionnaire.versions.count() == 1
    assert Question.objects.filter(version__questionnaire__key="responsible-ai").count() == before


@pytest.mark.django_db
def test_loading_it_creates_every_question_option_and_translation(definition):
    # A renamed copy, so the load starts from nothing whatever the migrations did.
    fresh = copy.deepcopy(definition)
    fresh["key"] = "responsible-ai-copy"
    version = loader.load_definition(fresh)

    assert Questionnaire.objects.get(key="responsible-ai-copy").current_version() == version
    questions = {question.key: question for question in version.questions.prefetch_related("options")}
    expected = by_key(definition)
    assert set(questions) == set(expected)
    for key, question in questions.items():
        assert question.type == expected[key]["type"]
        assert question.is_criterion == expected[key]["criterion"]
        assert question.required == expected[key]["required"]
        assert question.labels == expected[key]["labels"]
        assert [option.value for option in question.options.all()] == [
            option["value"] for option in expected[key].get("options", [])
        ]
    certifications = questions["security-certifications"]
    with translation.override("zh-hans"):
        assert certifications.section.title == "数据保护与安全"
    with translation.override("fr"):
        assert questions["known-limitations"].label == "Quelles sont les limites connues de l'outil ?"
