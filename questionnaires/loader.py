"""Load questionnaire definitions from JSON data (the shipped ones live in questionnaires/data/).

A definition is one JSON object per questionnaire:

    {"key": "tools-form", "order": 1, "version": 1, "names": {"en": ..., "fr": ...},
     "sections": [{"key": ..., "titles": {...}, "questions": [
         {"key": ..., "type": "multiple_choice", "required": false, "criterion": true,
          "labels": {...}, "help_texts": {...},
          "whole_number": true                             # number questions: refuse 12.5
          "options": [{"value": ..., "labels": {...}}]      # choice types, or
          "options_from": "countries"}                     # every ISO country code
     ]}]}

`load_definition` creates the questionnaire (or updates its names and order) and, when that
version number does not exist yet, the published version with everything in it. Loading the
same definition twice changes nothing. It works on the real models or, given `apps`, on the
historical models of a data migration.
"""

import json
import re
from pathlib import Path

from django.apps import apps as global_apps
from django.db import transaction
from django.utils import timezone, translation

from audit.models import Action
from audit.services import record

from .selectors import bump_generation

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGES = ("en", "ar", "zh-hans", "fr", "ru", "es")
TYPES = frozenset(
    {"short_text", "long_text", "single_choice", "multiple_choice", "yes_no", "number", "date", "url", "file"}
)
CHOICE_TYPES = frozenset({"single_choice", "multiple_choice"})
OPTION_SOURCES = frozenset({"countries"})
PUBLISHED = "published"
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def shipped_files() -> list[Path]:
    """The questionnaire definitions shipped with the project, in a stable order."""
    return sorted(DATA_DIR.glob("*.json"))


def shipped_whole_number_keys() -> list[tuple[str, str]]:
    """(questionnaire key, question key) of every shipped number question limited to whole numbers."""
    keys = []
    for path in shipped_files():
        data = json.loads(path.read_text(encoding="utf-8"))
        for section in data.get("sections", []):
            for question in section.get("questions", []):
                if question.get("type") == "number" and question.get("whole_number"):
                    keys.append((data["key"], question["key"]))
    return keys


def load_file(path, *, by=None, apps=None):
    """Read a JSON definition and load it (see `load_definition`)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path.name}: not valid JSON ({error})") from error
    return load_definition(data, by=by, apps=apps)


# --- validation ----------------------------------------------------------------------------


def _check_texts(texts, where: str, *, required: bool = True) -> None:
    if texts is None and not required:
        return
    if not isinstance(texts, dict):
        raise ValueError(f"{where}: texts must be an object of language code to text")
    if not isinstance(texts.get("en"), str) or not texts["en"].strip():
        raise ValueError(f'{where}: the English ("en") text is missing')
    for language, text in texts.items():
        if not isinstance(text, str):
            raise ValueError(f"{where}: the {language!r} text must be a string")


def _check_key(value, where: str, *, max_length: int = 50) -> str:
    if not isinstance(value, str) or not _SLUG.match(value):
        raise ValueError(f"{where}: key {value!r} must be a slug (letters, digits, hyphens, underscores)")
    if len(value) > max_length:
        raise ValueError(f"{where}: key {value!r} is longer than {max_length} characters")
    return value


def validate_definition(data) -> None:
    """Raise ValueError with a clear message when the definition cannot be loaded."""
    if not isinstance(data, dict):
        raise ValueError("A questionnaire definition must be a JSON object")
    key = _check_key(data.get("key"), "questionnaire")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValueError(f"{key}: version must be a whole number of at least 1")
    order = data.get("order", 0)
    if not isinstance(order, int) or isinstance(order, bool) or order < 0:
        raise ValueError(f"{key}: order must be a whole number of at least 0")
    _check_texts(data.get("names"), f"{key}: names")
    sections = data.get("sections")
    if not isinstance(sections, list) or not sections:
        raise ValueError(f"{key}: at least one section is needed")
    section_keys, question_keys = set(), set()
    for section in sections:
        if not isinstance(section, dict):
            raise ValueError(f"{key}: every section must be an object")
        section_key = _check_key(section.get("key"), f"{key}: section")
        if section_key in section_keys:
            raise ValueError(f"{key}: duplicate section key {section_key!r}")
        section_keys.add(section_key)
        _check_texts(section.get("titles"), f"{key}/{section_key}: titles")
        questions = section.get("questions")
        if not isinstance(questions, list) or not questions:
            raise ValueError(f"{key}/{section_key}: at least one question is needed")
        for question in questions:
            if not isinstance(question, dict):
                raise ValueError(f"{key}/{section_key}: every question must be an object")
            question_key = _check_key(question.get("key"), f"{key}/{section_key}: question", max_length=80)
            where = f"{key}/{question_key}"
            if question_key in question_keys:
                raise ValueError(f"{key}: duplicate question key {question_key!r}")
            question_keys.add(question_key)
            _check_question(question, where)


def _check_question(question: dict, where: str) -> None:
    kind = question.get("type")
    if kind not in TYPES:
        raise ValueError(f"{where}: unknown type {kind!r} (expected one of {', '.join(sorted(TYPES))})")
    for flag in ("required", "criterion", "whole_number"):
        if not isinstance(question.get(flag, False), bool):
            raise ValueError(f"{where}: {flag!r} must be true or false")
    if question.get("whole_number") and kind != "number":
        raise ValueError(f"{where}: only number questions can be limited to whole numbers")
    _check_texts(question.get("labels"), f"{where}: labels")
    _check_texts(question.get("help_texts"), f"{where}: help_texts", required=False)
    options, source = question.get("options"), question.get("options_from")
    if kind not in CHOICE_TYPES:
        if options is not None or source is not None:
            raise ValueError(f"{where}: only choice questions have options")
        return
    if options is not None and source is not None:
        raise ValueError(f"{where}: give either options or options_from, not both")
    if source is not None:
        if source not in OPTION_SOURCES:
            raise ValueError(f"{where}: unknown options_from {source!r} (expected one of {', '.join(OPTION_SOURCES)})")
        return
    if not isinstance(options, list) or not options:
        raise ValueError(f"{where}: a choice question needs options")
    values = set()
    for option in options:
        if not isinstance(option, dict):
            raise ValueError(f"{where}: every option must be an object")
        value = _check_key(option.get("value"), f"{where}: option", max_length=80)
        if value in values:
            raise ValueError(f"{where}: duplicate option value {value!r}")
        values.add(value)
        _check_texts(option.get("labels"), f"{where}/{value}: labels")


# --- options computed from a source ---------------------------------------------------------


def country_options() -> list[dict]:
    """Every ISO 3166 country code known to django-countries, named in each language."""
    from django_countries import countries

    with translation.override("en"):
        codes = [country.code for country in countries]
    names = {}
    for language in LANGUAGES:
        with translation.override(language):
            names[language] = {country.code: str(country.name) for country in countries}
    return [{"value": code, "labels": {language: names[language][code] for language in LANGUAGES}} for code in codes]


def _options(question: dict) -> list[dict]:
    if question.get("options_from") == "countries":
        return country_options()
    return question.get("options") or []


# --- loading ---------------------------------------------------------------------------------


def load_definition(data: dict, *, by=None, apps=None):
    """Create or update the questionnaire and create the version if it does not exist yet.

    Returns the QuestionnaireVersion with the definition's number. `by` is the acting user
    (recorded as the version's creator); `apps` is a migration's app registry (default: the
    real models).
    """
    validate_definition(data)
    registry = apps or global_apps
    Questionnaire = registry.get_model("questionnaires", "Questionnaire")
    QuestionnaireVersion = registry.get_model("questionnaires", "QuestionnaireVersion")
    Section = registry.get_model("questionnaires", "Section")
    Question = registry.get_model("questionnaires", "Question")
    Option = registry.get_model("questionnaires", "Option")
    # The first data migration runs before questions had the setting (a later one sets it).
    has_whole_number = any(field.name == "whole_number" for field in Question._meta.get_fields())

    with transaction.atomic():
        questionnaire, created = Questionnaire.objects.get_or_create(
            key=data["key"], defaults={"names": data["names"], "order": data.get("order", 0)}
        )
        if not created and (questionnaire.names != data["names"] or questionnaire.order != data.get("order", 0)):
            questionnaire.names = data["names"]
            questionnaire.order = data.get("order", 0)
            questionnaire.save(update_fields=["names", "order"])

        existing = QuestionnaireVersion.objects.filter(questionnaire=questionnaire, number=data["version"]).first()
        if existing is not None:
            return existing

        now = timezone.now()
        version = QuestionnaireVersion.objects.create(
            questionnaire=questionnaire,
            number=data["version"],
            status=PUBLISHED,
            created_at=now,
            created_by=by if getattr(by, "pk", None) else None,
            published_at=now,
        )
        for section_order, section_data in enumerate(data["sections"]):
            section = Section.objects.create(
                version=version, key=section_data["key"], order=section_order, titles=section_data["titles"]
            )
            for question_order, question_data in enumerate(section_data["questions"]):
                fields = {
                    "version": version,
                    "section": section,
                    "key": question_data["key"],
                    "order": question_order,
                    "type": question_data["type"],
                    "labels": question_data["labels"],
                    "help_texts": question_data.get("help_texts") or {},
                    "required": question_data.get("required", False),
                    "is_criterion": question_data.get("criterion", False),
                }
                if has_whole_number:
                    fields["whole_number"] = question_data.get("whole_number", False)
                question = Question.objects.create(**fields)
                Option.objects.bulk_create(
                    Option(question=question, value=option["value"], order=position, labels=option["labels"])
                    for position, option in enumerate(_options(question_data))
                )
        if apps is None:
            # Options are bulk-created (no signal): every process reads the questionnaires again.
            bump_generation()
            # A data migration has no audit trail to write to; everything else is audited.
            record(
                Action.QUESTIONNAIRE_LOADED,
                actor=by,
                target=version,
                after={"questionnaire": questionnaire.key, "version": version.number},
            )
        return version
