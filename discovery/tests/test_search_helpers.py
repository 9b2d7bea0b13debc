"""Helpers (no tests): a small catalogue for the search, fairness and comparison tests."""

from questionnaires.models import Question
from testkit import factories

TOOLS_FORM = [
    {
        "key": "workflow",
        "type": Question.Type.MULTIPLE_CHOICE,
        "criterion": True,
        "options": ["triage", "victim-id", "review"],
    },
    {"key": "offline", "type": Question.Type.YES_NO, "criterion": True},
    {"key": "deployment", "type": Question.Type.SINGLE_CHOICE, "criterion": True, "options": ["cloud", "on-premises"]},
    {"key": "summary", "type": Question.Type.LONG_TEXT},
    {"key": "cost", "type": Question.Type.SHORT_TEXT},
]
RAI = [{"key": f"rai-{n}", "type": Question.Type.SHORT_TEXT} for n in range(1, 6)]


def make_questionnaires():
    """Replace the shipped questionnaires with small ones the tests control."""
    factories.clear_questionnaires()
    tools_form = factories.make_questionnaire("tools-form", TOOLS_FORM, order=0)
    rai = factories.make_questionnaire("responsible-ai", RAI, order=1)
    return tools_form, rai


def answer(tool, version, key, value, **kwargs):
    return factories.AnswerFactory(tool=tool, question=version.questions.get(key=key), value=value, **kwargs)


def tool_with(version, answers: dict, **kwargs):
    """A published tool with the given answers to the Tools Form."""
    kwargs.setdefault("published", True)
    tool = factories.ToolFactory(**kwargs)
    for key, value in answers.items():
        answer(tool, version, key, value)
    return tool
