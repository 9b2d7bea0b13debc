"""Reading questionnaire definitions: the current versions, with everything prefetched."""

from django.db.models import Prefetch

from .models import Option, Question, Questionnaire, QuestionnaireVersion, Section


def current_versions() -> list[QuestionnaireVersion]:
    """The current (newest published) version of every questionnaire, in display order,
    with sections, questions and options prefetched (a fixed number of queries)."""
    published = (
        QuestionnaireVersion.objects.filter(status=QuestionnaireVersion.Status.PUBLISHED)
        .select_related("questionnaire")
        .order_by("questionnaire__order", "questionnaire__key", "-number")
    )
    latest = {}
    for version in published:
        latest.setdefault(version.questionnaire_id, version)
    ids = [version.pk for version in latest.values()]
    versions = (
        QuestionnaireVersion.objects.filter(pk__in=ids)
        .select_related("questionnaire")
        .prefetch_related(
            Prefetch("sections", queryset=Section.objects.order_by("order", "id")),
            Prefetch(
                "questions",
                queryset=Question.objects.select_related("section").prefetch_related(
                    Prefetch("options", queryset=Option.objects.order_by("order", "id"))
                ),
            ),
        )
        .order_by("questionnaire__order", "questionnaire__key")
    )
    return list(versions)


def current_questions() -> list[Question]:
    return [question for version in current_versions() for question in version.questions.all()]


def criteria() -> list[Question]:
    """Questions of the current versions that officers can search by."""
    return [question for question in current_questions() if question.is_criterion]


def questionnaire_by_key(key: str) -> Questionnaire | None:
    return Questionnaire.objects.filter(key=key).first()
