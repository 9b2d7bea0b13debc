import pytest

from catalogue.answers import answers_by_key, api_value, completeness, format_answer
from questionnaires.models import Question
from questionnaires.selectors import current_versions
from testkit import factories

pytestmark = pytest.mark.django_db


def test_answers_match_current_questions_by_key_and_new_questions_are_unanswered():
    old = factories.make_questionnaire(
        "tools-form", [{"key": "what"}, {"key": "langs", "type": "multiple_choice", "options": ["en", "fr"]}]
    )
    tool = factories.ToolFactory()
    factories.AnswerFactory(tool=tool, question=old.questions.get(key="what"), value="Finds media")
    new = factories.QuestionnaireVersionFactory(questionnaire=old.questionnaire, number=2)
    section = factories.SectionFactory(version=new, key="main")
    factories.QuestionFactory(section=section, key="what")
    factories.QuestionFactory(section=section, key="added-later")
    [current] = current_versions()
    assert current.number == 2
    answers = answers_by_key(tool)
    shown = {q.key: format_answer(q, answers.get(q.key)) for q in current.questions.all()}
    assert shown["what"].answered and shown["what"].text == "Finds media"
    assert not shown["added-later"].answered
    assert completeness(tool, [current]) == {"tools-form": (1, 2)}


def test_choice_answers_show_labels_and_api_lists():
    version = factories.make_questionnaire(
        "q", [{"key": "langs", "type": "multiple_choice", "options": ["english", "french"]}]
    )
    question = version.questions.get()
    answer = factories.AnswerFactory(question=question, value=["french"])
    shown = format_answer(question, answer)
    assert shown.items == ["French"]
    assert api_value(question, answer) == ["french"]
    assert api_value(question, None) is None


def test_free_text_falls_back_to_the_original_language():
    version = factories.make_questionnaire("q", [{"key": "what", "type": Question.Type.LONG_TEXT}])
    question = version.questions.get()
    answer = factories.AnswerFactory(question=question, value="Original", translations={"fr": "Traduit"})
    assert format_answer(question, answer, language="fr").text == "Traduit"
    fallback = format_answer(question, answer, language="ru")
    assert fallback.text == "Original" and fallback.is_original_language


def test_empty_values_count_as_not_answered():
    version = factories.make_questionnaire(
        "q", [{"key": "a"}, {"key": "b", "type": "multiple_choice", "options": ["x"]}]
    )
    tool = factories.ToolFactory()
    factories.AnswerFactory(tool=tool, question=version.questions.get(key="a"), value="")
    factories.AnswerFactory(tool=tool, question=version.questions.get(key="b"), value=[])
    assert completeness(tool, current_versions()) == {"q": (0, 2)}
