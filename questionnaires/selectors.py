"""Reading questionnaire definitions: the current versions, with everything prefetched.

The current versions change rarely (a coordinator publishes a version), yet every catalogue,
tool and comparison page reads them. Each process keeps the last ones it read, valid while the
generation token in the shared cache is unchanged; any save or delete of a questionnaire,
version, section, question or option draws a new token (see `bump_generation`), so every
process reads again. A token that is missing from the cache (cleared, evicted) is redrawn too.
"""

from django.db.models import Prefetch
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core import generations

from .models import Option, Question, Questionnaire, QuestionnaireVersion, Section

GENERATION_KEY = "questionnaires:generation"
# (token, versions) of this process; replaced as a whole, so no lock is needed to read it.
_process_cache: dict = {}


def generation() -> str:
    """The current generation token (drawn and stored when missing)."""
    return generations.current(GENERATION_KEY)


def bump_generation() -> None:
    """Make every process read the questionnaires again: now and once the transaction commits
    (so a process that read the old data meanwhile does not keep it under the new token)."""
    generations.bump(GENERATION_KEY)


@receiver(post_save, sender=Questionnaire, dispatch_uid="questionnaires.generation.questionnaire_saved")
@receiver(post_delete, sender=Questionnaire, dispatch_uid="questionnaires.generation.questionnaire_deleted")
@receiver(post_save, sender=QuestionnaireVersion, dispatch_uid="questionnaires.generation.version_saved")
@receiver(post_delete, sender=QuestionnaireVersion, dispatch_uid="questionnaires.generation.version_deleted")
@receiver(post_save, sender=Section, dispatch_uid="questionnaires.generation.section_saved")
@receiver(post_delete, sender=Section, dispatch_uid="questionnaires.generation.section_deleted")
@receiver(post_save, sender=Question, dispatch_uid="questionnaires.generation.question_saved")
@receiver(post_delete, sender=Question, dispatch_uid="questionnaires.generation.question_deleted")
@receiver(post_save, sender=Option, dispatch_uid="questionnaires.generation.option_saved")
@receiver(post_delete, sender=Option, dispatch_uid="questionnaires.generation.option_deleted")
def _definition_changed(sender, **kwargs):
    bump_generation()


def current_versions() -> list[QuestionnaireVersion]:
    """The current (newest published) version of every questionnaire, in display order,
    with sections, questions and options prefetched (no query while this process's copy is
    current; otherwise a fixed number of queries). Treat the objects as read-only."""
    token = generation()
    cached = _process_cache.get("versions")
    if cached is not None and cached[0] == token:
        return list(cached[1])
    versions = _read_current_versions()
    _process_cache["versions"] = (token, versions)
    return list(versions)


def _read_current_versions() -> list[QuestionnaireVersion]:
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


WORKFLOW_STEPS_KEY = "workflow-steps"


def workflow_steps() -> list[Option]:
    """The investigative workflow steps: the options of the current `workflow-steps` question, in
    order (empty when no current questionnaire asks it). One taxonomy for the catalogue's
    criterion, the Learning Centre, discussions and the directory, edited by coordinators in the
    questionnaire editor; a step is known by its option `value`, which stays the same across
    questionnaire versions (the option rows do not)."""
    for question in current_questions():
        if question.key == WORKFLOW_STEPS_KEY:
            return list(question.options.all())
    return []


def criteria() -> list[Question]:
    """Questions of the current versions that officers can search by."""
    return [question for question in current_questions() if question.is_criterion]


def questionnaire_by_key(key: str) -> Questionnaire | None:
    return Questionnaire.objects.filter(key=key).first()
