"""URL x persona table for the coordinators' questionnaire editor: coordinators only."""

from questionnaires import services
from questionnaires.models import Question
from testkit.factories import OptionFactory, QuestionFactory, SectionFactory, make_questionnaire
from testkit.urltable import COORDINATOR_ONLY, COORDINATOR_POST, Expect, no_fields

KEY = "urltable-editor"
# A questionnaire with only a published version: the one a new draft is made of.
KEY_WITHOUT_DRAFT = "urltable-no-draft"


def build_world(world):
    """A published v1 and its draft v2, which holds separate objects for the deleting URLs."""
    v1 = make_questionnaire(KEY, [{"key": "colour", "type": Question.Type.SINGLE_CHOICE, "options": ["red", "blue"]}])
    draft = services.copy_as_draft(v1.questionnaire, by=world.users["coordinator"])
    main = draft.sections.get(key="main")
    QuestionFactory(section=main, key="doomed")
    SectionFactory(version=draft, key="empty", order=5)
    colour = draft.questions.get(key="colour")
    OptionFactory(question=colour, value="green")
    world.objects["questionnaire_v1"] = v1
    world.objects["questionnaire_draft"] = draft
    make_questionnaire(KEY_WITHOUT_DRAFT, [{"key": "speed"}], order=95)


def _version(w):
    return {"key": KEY, "number": w.questionnaire_draft.number}


def _section(w, section="main"):
    return {**_version(w), "section": section}


def _question(w, question="colour"):
    return {**_version(w), "question": question}


def _option(w, option="red"):
    return {**_question(w), "option": option}


def _post(kwargs, body=no_fields):
    """Coordinators change the draft and go on (302); everyone else is refused. Every change is audited."""
    return Expect(COORDINATOR_POST, kwargs=kwargs, method="post", body=body)


def _form(kwargs, body):
    """A form page of the editor: coordinators see it, and saving a valid form changes the draft."""
    return Expect(COORDINATOR_ONLY, kwargs=kwargs, body=body, posted=COORDINATOR_POST)


def _question_body(key, label, type_=Question.Type.SHORT_TEXT):
    return lambda w: {
        "question-key": key,
        "question-section": "main",
        "question-type": type_,
        "question-label_en": label,
    }


def _down(world):
    return {"direction": "down"}


EXPECTATIONS = {
    "questionnaires:list": Expect(COORDINATOR_ONLY),
    "questionnaires:new_version": _post(lambda w: {"key": KEY_WITHOUT_DRAFT}),
    "questionnaires:version_detail": Expect(COORDINATOR_ONLY, kwargs=lambda w: {"key": KEY, "number": 1}),
    "questionnaires:edit_version": Expect(COORDINATOR_ONLY, kwargs=_version),
    "questionnaires:publish": _post(_version),
    "questionnaires:section_add": _post(_version, lambda w: {"section-key": "added", "section-title_en": "Added"}),
    "questionnaires:section_edit": _form(_section, lambda w: {"section-key": "main", "section-title_en": "Main part"}),
    "questionnaires:section_delete": _post(lambda w: _section(w, "empty")),
    "questionnaires:section_move": _post(_section, _down),
    "questionnaires:question_add": _form(_section, _question_body("languages", "Which languages?")),
    "questionnaires:question_edit": _form(
        _question, _question_body("colour", "Favourite colour", Question.Type.SINGLE_CHOICE)
    ),
    "questionnaires:question_delete": _post(lambda w: _question(w, "doomed")),
    "questionnaires:question_move": _post(_question, _down),
    "questionnaires:option_add": _post(_question, lambda w: {"option-value": "yellow", "option-label_en": "Yellow"}),
    "questionnaires:option_edit": _form(_option, lambda w: {"option-value": "red", "option-label_en": "Crimson"}),
    "questionnaires:option_delete": _post(lambda w: _option(w, "green")),
    "questionnaires:option_move": _post(_option, _down),
}
