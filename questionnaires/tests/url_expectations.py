"""URL x persona table for the coordinators' questionnaire editor: coordinators only."""

from questionnaires import services
from questionnaires.models import Question
from testkit.factories import OptionFactory, QuestionFactory, SectionFactory, make_questionnaire
from testkit.urltable import COORDINATOR_ONLY, LOGIN, Expect, same

KEY = "urltable-editor"


def build_world(world):
    """A published v1 and its draft v2. The draft holds separate objects for the deleting URLs
    (so the order in which the table is walked does not matter) and a choice question without
    options, so publishing it is refused (400) and the draft stays editable for the other URLs."""
    v1 = make_questionnaire(KEY, [{"key": "colour", "type": Question.Type.SINGLE_CHOICE, "options": ["red", "blue"]}])
    draft = services.copy_as_draft(v1.questionnaire, by=world.users["coordinator"])
    main = draft.sections.get(key="main")
    QuestionFactory(section=main, key="doomed")
    QuestionFactory(section=main, key="no-options", type=Question.Type.MULTIPLE_CHOICE)
    SectionFactory(version=draft, key="empty", order=5)
    colour = draft.questions.get(key="colour")
    OptionFactory(question=colour, value="green")
    world.objects["questionnaire_v1"] = v1
    world.objects["questionnaire_draft"] = draft


def _version(w):
    return {"key": KEY, "number": w.questionnaire_draft.number}


def _section(w, section="main"):
    return {**_version(w), "section": section}


def _question(w, question="colour"):
    return {**_version(w), "question": question}


def _option(w, option="red"):
    return {**_question(w), "option": option}


def _post(status):
    """POSTed without data: coordinators get `status`, everyone else is refused."""
    return same(403, anonymous=LOGIN, coordinator=status)


EXPECTATIONS = {
    "questionnaires:list": Expect(COORDINATOR_ONLY),
    # A draft already exists: the coordinator is sent to it, nothing is created.
    "questionnaires:new_version": Expect(_post(302), kwargs=lambda w: {"key": KEY}, method="post"),
    "questionnaires:version_detail": Expect(COORDINATOR_ONLY, kwargs=lambda w: {"key": KEY, "number": 1}),
    "questionnaires:edit_version": Expect(COORDINATOR_ONLY, kwargs=_version),
    # The draft has a choice question without options: publishing is refused with the reasons.
    "questionnaires:publish": Expect(_post(400), kwargs=_version, method="post"),
    "questionnaires:section_add": Expect(_post(400), kwargs=_version, method="post"),
    "questionnaires:section_edit": Expect(COORDINATOR_ONLY, kwargs=_section),
    "questionnaires:section_delete": Expect(_post(302), kwargs=lambda w: _section(w, "empty"), method="post"),
    "questionnaires:section_move": Expect(_post(302), kwargs=_section, method="post"),
    "questionnaires:question_add": Expect(COORDINATOR_ONLY, kwargs=_section),
    "questionnaires:question_edit": Expect(COORDINATOR_ONLY, kwargs=_question),
    "questionnaires:question_delete": Expect(_post(302), kwargs=lambda w: _question(w, "doomed"), method="post"),
    "questionnaires:question_move": Expect(_post(302), kwargs=_question, method="post"),
    "questionnaires:option_add": Expect(_post(400), kwargs=_question, method="post"),
    "questionnaires:option_edit": Expect(COORDINATOR_ONLY, kwargs=_option),
    "questionnaires:option_delete": Expect(_post(302), kwargs=lambda w: _option(w, "green"), method="post"),
    "questionnaires:option_move": Expect(_post(302), kwargs=_option, method="post"),
}
