from django.test import Client

from questionnaires.models import Question
from testkit import factories


def api_client(secret: str | None = None, **headers) -> Client:
    """A client that sends `Authorization: Bearer <secret>` (no session)."""
    if secret is not None:
        headers["Authorization"] = f"Bearer {secret}"
    return Client(headers=headers)


def build_catalogue():
    """A questionnaire with three criteria and a text question, and three tools:
    two published (one answering everything, one partly) and one draft."""
    version = factories.make_questionnaire(
        "api-form",
        [
            {"key": "api-offline", "type": Question.Type.YES_NO, "criterion": True},
            {
                "key": "api-os",
                "type": Question.Type.MULTIPLE_CHOICE,
                "criterion": True,
                "options": ["linux", "windows", "macos"],
            },
            {"key": "api-licence", "type": Question.Type.SINGLE_CHOICE, "criterion": True, "options": ["free", "paid"]},
            {"key": "api-summary", "type": Question.Type.LONG_TEXT},
            {"key": "api-accuracy", "type": Question.Type.NUMBER},
        ],
        order=99,
    )
    questions = {question.key: question for question in version.questions.all()}
    full = factories.ToolFactory(published=True, slug="api-full", name="Glacier Lens")
    partial = factories.ToolFactory(published=True, slug="api-partial", name="Harbour Sieve")
    draft = factories.ToolFactory(slug="api-draft", name="Draft Tool")

    def answer(tool, key, value):
        factories.AnswerFactory(tool=tool, question=questions[key], value=value)

    answer(full, "api-offline", True)
    answer(full, "api-os", ["linux", "windows"])
    answer(full, "api-licence", "free")
    answer(full, "api-summary", "Sorts seized images by scene.")
    answer(full, "api-accuracy", 97.5)
    answer(partial, "api-offline", False)
    answer(partial, "api-os", ["windows"])
    answer(draft, "api-offline", True)
    return {"version": version, "questions": questions, "full": full, "partial": partial, "draft": draft}
