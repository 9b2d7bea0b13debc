import copy
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation
from django_countries import countries

from audit.models import Action, AuditEvent
from questionnaires.loader import load_definition, load_file
from questionnaires.models import Option, Question, Questionnaire, QuestionnaireVersion, Section
from questionnaires.selectors import current_versions

pytestmark = pytest.mark.django_db

LANGS = ("en", "ar", "zh-hans", "fr", "ru", "es")


def texts(word):
    return {language: f"{word} ({language})" for language in LANGS}


def definition(version=1):
    return {
        "key": "sample-form",
        "order": 5,
        "version": version,
        "names": texts("Sample form"),
        "sections": [
            {
                "key": "first",
                "titles": texts("First"),
                "questions": [
                    {"key": "sample-what", "type": "long_text", "required": True, "labels": texts("What?")},
                    {
                        "key": "sample-steps",
                        "type": "multiple_choice",
                        "criterion": True,
                        "labels": texts("Steps?"),
                        "help_texts": texts("Choose all"),
                        "options": [
                            {"value": "triage", "labels": texts("Triage")},
                            {"value": "review", "labels": texts("Review")},
                        ],
                    },
                ],
            },
            {
                "key": "second",
                "titles": texts("Second"),
                "questions": [
                    {"key": "sample-offline", "type": "yes_no", "criterion": True, "labels": texts("Offline?")}
                ],
            },
        ],
    }


def counts():
    return tuple(model.objects.count() for model in (Questionnaire, QuestionnaireVersion, Section, Question, Option))


def test_loading_creates_a_published_current_version_in_the_given_order():
    version = load_definition(definition())

    assert version.status == QuestionnaireVersion.Status.PUBLISHED
    assert version.published_at is not None
    assert version.questionnaire.names["fr"] == "Sample form (fr)"
    assert version.questionnaire.order == 5
    assert [section.key for section in version.sections.order_by("order")] == ["first", "second"]
    assert [question.key for question in version.questions.all()] == ["sample-what", "sample-steps", "sample-offline"]
    steps = version.questions.get(key="sample-steps")
    assert steps.is_criterion and not steps.required
    assert steps.help_texts["ru"] == "Choose all (ru)"
    assert [option.value for option in steps.options.all()] == ["triage", "review"]
    assert version.questions.get(key="sample-what").required
    assert version in current_versions()


def test_loading_twice_changes_nothing():
    first = load_definition(definition())
    before = counts()
    events = AuditEvent.objects.filter(action=Action.QUESTIONNAIRE_LOADED).count()

    second = load_definition(definition())

    assert second.pk == first.pk
    assert counts() == before
    assert AuditEvent.objects.filter(action=Action.QUESTIONNAIRE_LOADED).count() == events == 1


def test_loading_updates_names_and_adds_a_new_version_that_becomes_current():
    load_definition(definition())
    newer = definition(version=2)
    newer["names"]["en"] = "Renamed form"
    newer["sections"][1]["questions"].append({"key": "sample-added", "type": "url", "labels": texts("Where?")})

    version = load_definition(newer)

    questionnaire = Questionnaire.objects.get(key="sample-form")
    assert questionnaire.name == "Renamed form"
    assert questionnaire.versions.count() == 2
    assert questionnaire.current_version() == version
    assert version.questions.filter(key="sample-added").exists()
    assert not questionnaire.versions.get(number=1).questions.filter(key="sample-added").exists()


def test_loading_records_who_loaded_it_in_the_audit_log(coordinator):
    version = load_definition(definition(), by=coordinator)

    assert version.created_by == coordinator
    event = AuditEvent.objects.get(action=Action.QUESTIONNAIRE_LOADED)
    assert event.actor == coordinator
    assert event.after == {"questionnaire": "sample-form", "version": 1}


def _break(mutate):
    data = definition()
    mutate(data)
    return data


def _first_question(data):
    return data["sections"][0]["questions"][0]


def _choice_question(data):
    return data["sections"][0]["questions"][1]


INVALID = {
    "unknown type": (lambda d: _first_question(d).update(type="essay"), "unknown type 'essay'"),
    "duplicate question key": (
        lambda d: d["sections"][1]["questions"][0].update(key="sample-what"),
        "duplicate question key 'sample-what'",
    ),
    "duplicate section key": (lambda d: d["sections"][1].update(key="first"), "duplicate section key 'first'"),
    "duplicate option value": (
        lambda d: _choice_question(d)["options"][1].update(value="triage"),
        "duplicate option value 'triage'",
    ),
    "choice without options": (lambda d: _choice_question(d).pop("options"), "needs options"),
    "choice with empty options": (lambda d: _choice_question(d).update(options=[]), "needs options"),
    "missing English label": (lambda d: _first_question(d)["labels"].pop("en"), "sample-what: labels: the English"),
    "missing English option label": (
        lambda d: _choice_question(d)["options"][0]["labels"].pop("en"),
        "triage: labels: the English",
    ),
    "missing English title": (lambda d: d["sections"][0]["titles"].update(en=" "), "first: titles: the English"),
    "missing English name": (lambda d: d.pop("names"), "names"),
    "missing English help text": (
        lambda d: _choice_question(d)["help_texts"].pop("en"),
        "help_texts: the English",
    ),
    "options on a text question": (
        lambda d: _first_question(d).update(options=[{"value": "x", "labels": texts("X")}]),
        "only choice questions have options",
    ),
    "unknown option source": (
        lambda d: (_choice_question(d).pop("options"), _choice_question(d).update(options_from="planets")),
        "unknown options_from 'planets'",
    ),
    "no version number": (lambda d: d.pop("version"), "version must be a whole number"),
    "key that is not a slug": (lambda d: _first_question(d).update(key="what is it"), "must be a slug"),
    "flag that is not a boolean": (lambda d: _first_question(d).update(criterion="yes"), "'criterion' must be"),
    "whole numbers on a text question": (
        lambda d: _first_question(d).update(whole_number=True),
        "only number questions can be limited to whole numbers",
    ),
    "section without questions": (lambda d: d["sections"][1].update(questions=[]), "at least one question"),
}


@pytest.mark.parametrize("case", INVALID, ids=list(INVALID))
def test_invalid_definitions_are_refused_with_a_clear_message_and_load_nothing(case):
    mutate, message = INVALID[case]
    before = counts()

    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_definition(_break(mutate))

    assert counts() == before


def test_country_options_cover_every_country_named_in_each_language():
    data = definition()
    question = _choice_question(data)
    question.pop("options")
    question["options_from"] = "countries"

    version = load_definition(data)

    options = version.questions.get(key="sample-steps").options.all()
    assert {option.value for option in options} == {country.code for country in countries}
    germany = next(option for option in options if option.value == "DE")
    assert germany.labels["en"] == "Germany"
    assert germany.labels["fr"] == "Allemagne"
    assert germany.labels["es"] == "Alemania"
    assert germany.labels["ru"] == "Германия"
    assert set(germany.labels) == set(LANGS)
    with translation.override("zh-hans"):
        assert germany.label == "德国"


def test_load_file_reads_json_and_reports_broken_json(tmp_path):
    good = tmp_path / "sample.json"
    good.write_text(json.dumps(definition()), encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")

    assert load_file(good).questionnaire.key == "sample-form"
    with pytest.raises(ValueError, match="broken.json: not valid JSON"):
        load_file(broken)


def test_the_loader_works_on_the_historical_models_of_a_migration():
    executor = MigrationExecutor(connection)
    state = executor.loader.project_state(("questionnaires", "0002_load_shipped_questionnaires"))

    historical = load_definition(definition(), apps=state.apps)

    assert historical.__class__ is not QuestionnaireVersion
    version = QuestionnaireVersion.objects.get(questionnaire__key="sample-form", number=1)
    assert version.status == QuestionnaireVersion.Status.PUBLISHED
    assert version.questions.get(key="sample-steps").options.count() == 2
    assert not AuditEvent.objects.filter(action=Action.QUESTIONNAIRE_LOADED).exists()


def test_the_command_loads_files_and_fails_on_bad_ones(tmp_path, capsys):
    path = tmp_path / "sample.json"
    path.write_text(json.dumps(definition()), encoding="utf-8")
    bad = tmp_path / "bad.json"
    broken = copy.deepcopy(definition())
    _first_question(broken)["type"] = "essay"
    bad.write_text(json.dumps(broken), encoding="utf-8")

    call_command("load_questionnaire", str(path))
    assert "sample-form version 1: 3 questions" in capsys.readouterr().out
    assert Questionnaire.objects.get(key="sample-form").current_version().questions.count() == 3

    with pytest.raises(CommandError, match="unknown type 'essay'"):
        call_command("load_questionnaire", str(bad))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_questionnaire", str(tmp_path / "missing.json"))
