"""The questionnaires shipped in questionnaires/data/ and loaded by the data migration."""

import importlib
import json

import pytest
from django.apps import apps as django_apps
from django.utils import translation
from django_countries import countries

from questionnaires.loader import shipped_files, validate_definition
from questionnaires.models import Question
from questionnaires.selectors import criteria, current_versions
from questionnaires.services import copy_as_draft

LANGS = {"en", "ar", "zh-hans", "fr", "ru", "es"}
SHIPPED = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in shipped_files()}


def _questions(data):
    return [question for section in data["sections"] for question in section["questions"]]


def _texts(data):
    """(where, texts) for every translatable text of a definition."""
    yield data["key"], data["names"]
    for section in data["sections"]:
        yield f"{data['key']}/{section['key']}", section["titles"]
        for question in section["questions"]:
            yield f"{data['key']}/{question['key']}", question["labels"]
            if "help_texts" in question:
                yield f"{data['key']}/{question['key']} help", question["help_texts"]
            for option in question.get("options", []):
                yield f"{data['key']}/{question['key']}/{option['value']}", option["labels"]


def test_both_questionnaires_are_shipped():
    assert {"tools-form", "responsible-ai"} <= set(SHIPPED)


@pytest.mark.parametrize("key", sorted(SHIPPED))
def test_shipped_definitions_are_valid(key):
    validate_definition(SHIPPED[key])
    assert SHIPPED[key]["key"] == key


@pytest.mark.parametrize("key", sorted(SHIPPED))
def test_every_text_is_written_in_the_six_languages(key):
    missing = [
        f"{where}: {sorted(LANGS - {lang for lang, text in texts.items() if text.strip()})}"
        for where, texts in _texts(SHIPPED[key])
        if set(texts) != LANGS or not all(text.strip() for text in texts.values())
    ]
    assert missing == []


@pytest.mark.parametrize("key", sorted(SHIPPED))
def test_questions_and_titles_are_translated_not_copied_from_english(key):
    data = SHIPPED[key]
    untranslated = [
        f"{question['key']} [{lang}]"
        for question in _questions(data)
        for lang in ("ar", "zh-hans", "ru")
        if question["labels"][lang] == question["labels"]["en"]
    ]
    untranslated += [
        f"{section['key']} [{lang}]"
        for section in data["sections"]
        for lang in ("ar", "zh-hans", "ru")
        if section["titles"][lang] == section["titles"]["en"]
    ]
    assert untranslated == []


def test_question_keys_are_unique_across_the_shipped_questionnaires():
    keys = [question["key"] for data in SHIPPED.values() for question in _questions(data)]
    assert len(keys) == len(set(keys))


TOOLS = SHIPPED["tools-form"]
TOOLS_QUESTIONS = {question["key"]: question for question in _questions(TOOLS)}


def test_the_tools_form_has_at_least_25_questions_in_sections():
    assert len(TOOLS_QUESTIONS) >= 25
    assert len(TOOLS["sections"]) >= 5
    assert TOOLS["version"] == 1


def test_the_tools_form_asks_what_the_tool_does_and_few_questions_are_required():
    assert TOOLS_QUESTIONS["summary"]["type"] == "long_text"
    required = [key for key, question in TOOLS_QUESTIONS.items() if question.get("required")]
    assert "summary" in required
    assert 1 <= len(required) <= 5


def _values(key):
    return [option["value"] for option in TOOLS_QUESTIONS[key]["options"]]


def test_workflow_steps_follow_the_default_investigative_taxonomy():
    question = TOOLS_QUESTIONS["workflow-steps"]
    assert question["type"] == "multiple_choice" and question["criterion"]
    english = [option["labels"]["en"] for option in question["options"]]
    assert english == [
        "Referral intake and detection",
        "Triage and prioritisation",
        "Lawful acquisition and forensic extraction",
        "Media review and categorisation",
        "Victim identification",
        "Offender identification and open-source research",
        "Online and covert investigation",
        "Case building and prosecution support",
        "Investigator wellbeing",
    ]


CRITERIA = {
    "workflow-steps": "multiple_choice",
    "capabilities": "multiple_choice",
    "input-data-types": "multiple_choice",
    "content-languages": "multiple_choice",
    "interface-languages": "multiple_choice",
    "deployment-model": "multiple_choice",
    "offline-use": "yes_no",
    "operating-systems": "multiple_choice",
    "integrations": "multiple_choice",
    "licence-model": "multiple_choice",
    "free-for-law-enforcement": "yes_no",
    "trial-available": "yes_no",
    "countries-available": "multiple_choice",
    "training-offered": "multiple_choice",
}


@pytest.mark.parametrize("key", CRITERIA)
def test_the_officers_search_criteria_are_criteria_of_the_right_type(key):
    assert TOOLS_QUESTIONS[key]["criterion"] is True
    assert TOOLS_QUESTIONS[key]["type"] == CRITERIA[key]


def test_criterion_options_cover_what_officers_look_for():
    assert {"on-premises", "private-cloud", "vendor-cloud", "hybrid"} == set(_values("deployment-model"))
    assert {
        "hash-matching",
        "new-material-classification",
        "age-estimation",
        "face-matching",
        "object-scene-detection",
        "audio-speech-analysis",
        "text-chat-analysis",
        "grooming-detection",
        "deduplication",
        "geolocation",
        "ocr",
        "translation",
        "link-analysis",
        "reporting",
    } <= set(_values("capabilities"))
    assert {"windows", "macos", "linux"} <= set(_values("operating-systems"))
    assert {"images", "video", "audio", "chats"} <= set(_values("input-data-types"))
    assert {"ar", "zh", "en", "fr", "ru", "es"} <= set(_values("content-languages"))
    assert TOOLS_QUESTIONS["countries-available"]["options_from"] == "countries"


def test_the_tools_form_covers_the_other_topics_with_the_right_types():
    expected = {
        "file-formats": "long_text",
        "hardware-requirements": "long_text",
        "integration-details": "long_text",
        "cost-details": "long_text",
        "support-channels": "multiple_choice",
        "support-details": "long_text",
        "reported-accuracy": "long_text",
        "accuracy-method": "long_text",
        "product-maturity": "single_choice",
        "data-retention": "single_choice",
        "documentation-languages": "multiple_choice",
        "documentation-url": "url",
        "current-release-date": "date",
        "agencies-using": "number",
    }
    assert {key: TOOLS_QUESTIONS[key]["type"] for key in expected} == expected


# --- what the data migration put into the database -----------------------------------------


@pytest.mark.django_db
def test_the_migration_loaded_the_shipped_questionnaires_as_current_versions():
    versions = {version.questionnaire.key: version for version in current_versions()}

    assert set(SHIPPED) <= set(versions)
    assert [key for key in versions if key in SHIPPED][:2] == ["tools-form", "responsible-ai"]
    for key, data in SHIPPED.items():
        version = versions[key]
        assert version.number == data["version"]
        assert [question.key for question in version.questions.all()] == [q["key"] for q in _questions(data)]


@pytest.mark.django_db
def test_the_loaded_tools_form_speaks_each_language_and_lists_every_country():
    tools = next(version for version in current_versions() if version.questionnaire.key == "tools-form")
    countries_question = next(q for q in tools.questions.all() if q.key == "countries-available")
    offline = next(q for q in tools.questions.all() if q.key == "offline-use")

    assert len(countries_question.options.all()) == len(countries)
    with translation.override("fr"):
        assert tools.questionnaire.name == TOOLS["names"]["fr"]
        assert offline.label == TOOLS_QUESTIONS["offline-use"]["labels"]["fr"]
    with translation.override("ar"):
        kenya = next(option for option in countries_question.options.all() if option.value == "KE")
        assert kenya.label == "كينيا"


@pytest.mark.django_db
def test_the_loaded_criteria_include_the_tools_form_criteria():
    keys = {question.key for question in criteria()}
    assert set(CRITERIA) <= keys
    assert "summary" not in keys


@pytest.mark.django_db
def test_counting_questions_are_loaded_as_whole_numbers_only():
    tools = next(version for version in current_versions() if version.questionnaire.key == "tools-form")
    agencies = next(q for q in tools.questions.all() if q.key == "agencies-using")
    assert agencies.type == "number" and agencies.whole_number
    assert "agencies-using" in [q["key"] for q in _questions(SHIPPED["tools-form"]) if q.get("whole_number")]


@pytest.mark.django_db
def test_the_migration_marks_the_shipped_counts_in_versions_that_existed_before(coordinator):
    # A database migrated before the setting existed: every version's question reads False.
    tools = next(version for version in current_versions() if version.questionnaire.key == "tools-form")
    draft = copy_as_draft(tools.questionnaire, by=coordinator)
    Question.objects.update(whole_number=False)

    migration = importlib.import_module("questionnaires.migrations.0004_shipped_whole_numbers")
    migration.mark_whole_numbers(django_apps, None)

    marked = Question.objects.filter(whole_number=True)
    assert set(marked.values_list("version", "key")) == {(tools.pk, "agencies-using"), (draft.pk, "agencies-using")}
