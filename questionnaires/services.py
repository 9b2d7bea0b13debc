"""Writes about questionnaire definitions: drafting a new version, editing it, publishing it.

Published versions never change (answers stay tied to the version they answered); a
coordinator copies the current version into a draft, edits the draft and publishes it,
which makes it current. Every change writes its audit event in the same transaction.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import record

from .models import Option, Question, Questionnaire, QuestionnaireVersion, Section
from .selectors import bump_generation


class EditorError(Exception):
    """A change that cannot be made; `message` is shown to the coordinator, next to `field`
    (a form field's name) when one field is the cause."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotEditable(EditorError):
    """The version is published (or was published meanwhile): it can no longer change."""

    def __init__(self):
        super().__init__(_("This version is published and can no longer be changed."))


class DraftExists(EditorError):
    """A questionnaire has at most one draft at a time."""

    def __init__(self, draft: QuestionnaireVersion):
        super().__init__(_("A draft version already exists: edit it or publish it first."))
        self.draft = draft


class NothingToCopy(EditorError):
    def __init__(self):
        super().__init__(_("This questionnaire has no published version to copy."))


class PublishBlocked(EditorError):
    """The draft is not complete enough to become current; `problems` lists why."""

    def __init__(self, problems: list[str]):
        super().__init__(_("This draft cannot be published yet."))
        self.problems = problems


# --- snapshots for the audit log -------------------------------------------------------
def snapshot_section(section: Section) -> dict:
    return {"key": section.key, "order": section.order, "titles": dict(section.titles or {})}


def snapshot_question(question: Question) -> dict:
    return {
        "key": question.key,
        "section": question.section.key,
        "order": question.order,
        "type": question.type,
        "required": question.required,
        "is_criterion": question.is_criterion,
        "whole_number": question.whole_number,
        "labels": dict(question.labels or {}),
        "help_texts": dict(question.help_texts or {}),
    }


def snapshot_option(option: Option) -> dict:
    return {
        "question": option.question.key,
        "value": option.value,
        "order": option.order,
        "labels": dict(option.labels or {}),
    }


def _edited(version, *, by, request, change: str, before: dict | None, after: dict | None) -> None:
    record(
        Action.QUESTIONNAIRE_EDITED,
        actor=by,
        target=version,
        request=request,
        before={"change": change, **before} if before is not None else None,
        after={"change": change, **after} if after is not None else None,
    )


def _lock_draft(version: QuestionnaireVersion) -> QuestionnaireVersion:
    """Lock the version row for this transaction and make sure it is still a draft."""
    locked = QuestionnaireVersion.objects.select_for_update().select_related("questionnaire").get(pk=version.pk)
    if not locked.is_editable:
        raise NotEditable
    return locked


def _ensure_unique(queryset, exclude=None, *, message: str, field: str) -> None:
    """Re-check a key under the version lock (the form checked it before the lock was taken)."""
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    if queryset.exists():
        raise EditorError(message, field=field)


def _next_order(queryset) -> int:
    highest = queryset.aggregate(highest=Max("order"))["highest"]
    return 0 if highest is None else highest + 1


def _clean_texts(texts: dict) -> dict:
    return {code: text.strip() for code, text in (texts or {}).items() if text and text.strip()}


def _move(items: list, item, direction: str) -> list | None:
    """Renumber `items` (in display order) with `item` moved one place; None if it cannot move."""
    index = next(i for i, candidate in enumerate(items) if candidate.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= target < len(items):
        return None
    items[index], items[target] = items[target], items[index]
    changed = []
    for position, candidate in enumerate(items):
        if candidate.order != position:
            candidate.order = position
            changed.append(candidate)
    return changed


# --- versions -------------------------------------------------------------------------
def draft_of(questionnaire: Questionnaire) -> QuestionnaireVersion | None:
    return questionnaire.versions.filter(status=QuestionnaireVersion.Status.DRAFT).order_by("-number").first()


@transaction.atomic
def copy_as_draft(questionnaire: Questionnaire, by, request=None) -> QuestionnaireVersion:
    """Copy the current published version (sections, questions, options, every translation)
    into a new draft numbered one above the highest version. Refused while a draft exists."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    existing = draft_of(questionnaire)
    if existing is not None:
        raise DraftExists(existing)
    current = questionnaire.current_version()
    if current is None:
        raise NothingToCopy
    number = (questionnaire.versions.aggregate(highest=Max("number"))["highest"] or 0) + 1
    draft = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=number,
        status=QuestionnaireVersion.Status.DRAFT,
        created_by=by,
    )
    sections = {}
    for section in current.sections.order_by("order", "id"):
        sections[section.pk] = Section.objects.create(
            version=draft, key=section.key, order=section.order, titles=dict(section.titles or {})
        )
    question_count = option_count = 0
    questions = current.questions.order_by("section__order", "order", "id").prefetch_related("options")
    for question in questions:
        copy = Question.objects.create(
            version=draft,
            section=sections[question.section_id],
            key=question.key,
            order=question.order,
            type=question.type,
            labels=dict(question.labels or {}),
            help_texts=dict(question.help_texts or {}),
            required=question.required,
            is_criterion=question.is_criterion,
            whole_number=question.whole_number,
        )
        question_count += 1
        options = [
            Option(question=copy, value=option.value, order=option.order, labels=dict(option.labels or {}))
            for option in question.options.all()
        ]
        Option.objects.bulk_create(options)
        option_count += len(options)
    record(
        Action.QUESTIONNAIRE_DRAFTED,
        actor=by,
        target=draft,
        request=request,
        after={
            "questionnaire": questionnaire.key,
            "number": draft.number,
            "copied_from": current.number,
            "sections": len(sections),
            "questions": question_count,
            "options": option_count,
        },
    )
    return draft


def _compatible(old_type: str, new_type: str) -> bool:
    """Whether answers given to a question of `old_type` still read correctly as `new_type`."""
    if old_type == new_type:
        return True
    if old_type in Question.TEXT_TYPES and new_type in Question.TEXT_TYPES:
        return True
    # A single chosen value still reads as a one-item list.
    return old_type == Question.Type.SINGLE_CHOICE and new_type == Question.Type.MULTIPLE_CHOICE


def earlier_types(version: QuestionnaireVersion, key: str | None = None) -> dict[str, tuple[int, str]]:
    """{question key: (version number, type)} from the newest earlier version having that key
    (one query); answers are matched across versions by key."""
    rows = Question.objects.filter(
        version__questionnaire_id=version.questionnaire_id, version__number__lt=version.number
    )
    if key is not None:
        rows = rows.filter(key=key)
    result: dict[str, tuple[int, str]] = {}
    for question_key, number, type_ in rows.order_by("version__number").values_list("key", "version__number", "type"):
        result[question_key] = (number, type_)
    return result


def earlier_type_conflict(version: QuestionnaireVersion, key: str, new_type: str) -> tuple[int, str] | None:
    """(version number, type) of an earlier version's question with `key` whose answers would
    not fit `new_type`, else None."""
    earlier = earlier_types(version, key).get(key)
    if earlier and not _compatible(earlier[1], new_type):
        return earlier
    return None


def publication_problems(version: QuestionnaireVersion) -> list[str]:
    """Everything that stops a draft from becoming current (empty when it may be published)."""
    problems: list[str] = []
    sections = list(version.sections.order_by("order", "id"))
    questions = list(version.questions.select_related("section").prefetch_related("options"))
    earlier = earlier_types(version)
    if not questions:
        problems.append(_("The version has no questions."))
    for section in sections:
        if not (section.titles or {}).get("en", "").strip():
            problems.append(_("Section “%(key)s” has no English title.") % {"key": section.key})
    seen_keys: set[str] = set()
    for question in questions:
        if question.key in seen_keys:
            problems.append(_("The question key “%(key)s” is used twice.") % {"key": question.key})
        seen_keys.add(question.key)
        if not (question.labels or {}).get("en", "").strip():
            problems.append(_("Question “%(key)s” has no English text.") % {"key": question.key})
        options = list(question.options.all())
        if question.has_options and not options:
            problems.append(_("Choice question “%(key)s” has no options.") % {"key": question.key})
        values: set[str] = set()
        for option in options:
            if option.value in values:
                problems.append(
                    _("Question “%(key)s” uses the option value “%(value)s” twice.")
                    % {"key": question.key, "value": option.value}
                )
            values.add(option.value)
            if not (option.labels or {}).get("en", "").strip():
                problems.append(
                    _("Option “%(value)s” of question “%(key)s” has no English text.")
                    % {"key": question.key, "value": option.value}
                )
        conflict = earlier.get(question.key)
        if conflict and not _compatible(conflict[1], question.type):
            problems.append(
                _(
                    "Question “%(key)s” was a different type in version %(number)s; its earlier answers would "
                    "not fit. Keep the type or give the question a new key."
                )
                % {"key": question.key, "number": conflict[0]}
            )
    return problems


@transaction.atomic
def publish(version: QuestionnaireVersion, by, request=None) -> QuestionnaireVersion:
    """Publish a complete draft: it becomes the questionnaire's current version."""
    locked = _lock_draft(version)
    problems = publication_problems(locked)
    if problems:
        raise PublishBlocked(problems)
    previous = locked.questionnaire.current_version()
    locked.status = QuestionnaireVersion.Status.PUBLISHED
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "published_at"])
    bump_generation()
    record(
        Action.QUESTIONNAIRE_PUBLISHED,
        actor=by,
        target=locked,
        request=request,
        before={"status": QuestionnaireVersion.Status.DRAFT, "current": previous.number if previous else None},
        after={"status": locked.status, "current": locked.number, "questions": locked.questions.count()},
    )
    version.refresh_from_db()
    return locked


# --- sections -----------------------------------------------------------------------------
@transaction.atomic
def add_section(version: QuestionnaireVersion, *, by, key: str, titles: dict, request=None) -> Section:
    version = _lock_draft(version)
    _ensure_unique(
        version.sections.filter(key=key),
        message=_("Another section of this version already uses this key."),
        field="key",
    )
    section = Section.objects.create(
        version=version, key=key, titles=_clean_texts(titles), order=_next_order(version.sections.all())
    )
    _edited(
        version,
        by=by,
        request=request,
        change="section_added",
        before=None,
        after={"section": snapshot_section(section)},
    )
    return section


@transaction.atomic
def update_section(section: Section, *, by, key: str, titles: dict, request=None) -> Section:
    version = _lock_draft(section.version)
    section = Section.objects.get(pk=section.pk)
    _ensure_unique(
        version.sections.filter(key=key),
        section,
        message=_("Another section of this version already uses this key."),
        field="key",
    )
    before = snapshot_section(section)
    section.key = key
    section.titles = _clean_texts(titles)
    if snapshot_section(section) != before:
        section.save(update_fields=["key", "titles"])
        _edited(
            version,
            by=by,
            request=request,
            change="section_changed",
            before={"section": before},
            after={"section": snapshot_section(section)},
        )
    return section


@transaction.atomic
def delete_section(section: Section, *, by, request=None) -> None:
    """Delete an empty section (a section with questions is refused, so nothing goes by accident)."""
    version = _lock_draft(section.version)
    if section.questions.exists():
        raise EditorError(_("Move or delete the section's questions before deleting it."))
    before = snapshot_section(section)
    section.delete()
    _edited(version, by=by, request=request, change="section_deleted", before={"section": before}, after=None)


@transaction.atomic
def move_section(section: Section, direction: str, *, by, request=None) -> bool:
    version = _lock_draft(section.version)
    siblings = list(version.sections.order_by("order", "id"))
    before = [s.key for s in siblings]
    changed = _move(siblings, section, direction)
    if changed is None:
        return False
    Section.objects.bulk_update(changed, ["order"])
    _edited(
        version,
        by=by,
        request=request,
        change="section_moved",
        before={"sections": before},
        after={"sections": [s.key for s in siblings]},
    )
    return True


# --- questions ----------------------------------------------------------------------------
QUESTION_FIELDS = ["key", "type", "required", "is_criterion", "whole_number", "labels", "help_texts"]


def _whole_number(data: dict) -> bool:
    # The setting means nothing for other types; keeping it off avoids a stale flag after a type change.
    return bool(data.get("whole_number")) and data["type"] == Question.Type.NUMBER


@transaction.atomic
def add_question(section: Section, *, by, data: dict, request=None) -> Question:
    """Add a question at the end of `section`. `data` holds QUESTION_FIELDS."""
    version = _lock_draft(section.version)
    _ensure_unique(
        version.questions.filter(key=data["key"]),
        message=_("Another question of this version already uses this key."),
        field="key",
    )
    question = Question.objects.create(
        version=version,
        section=section,
        order=_next_order(section.questions.all()),
        key=data["key"],
        type=data["type"],
        required=bool(data.get("required")),
        is_criterion=bool(data.get("is_criterion")),
        whole_number=_whole_number(data),
        labels=_clean_texts(data.get("labels")),
        help_texts=_clean_texts(data.get("help_texts")),
    )
    _edited(
        version,
        by=by,
        request=request,
        change="question_added",
        before=None,
        after={"question": snapshot_question(question)},
    )
    return question


@transaction.atomic
def update_question(question: Question, *, by, data: dict, section: Section | None = None, request=None) -> Question:
    """Change a question's fields; `section` moves it to the end of another section. A question
    that is no longer a choice question loses its options (recorded in the audit event)."""
    version = _lock_draft(question.version)
    question = Question.objects.select_related("section").get(pk=question.pk)
    _ensure_unique(
        version.questions.filter(key=data["key"]),
        question,
        message=_("Another question of this version already uses this key."),
        field="key",
    )
    before = snapshot_question(question)
    before_options = [snapshot_option(option) for option in question.options.all()]
    question.key = data["key"]
    question.type = data["type"]
    question.required = bool(data.get("required"))
    question.is_criterion = bool(data.get("is_criterion"))
    question.whole_number = _whole_number(data)
    question.labels = _clean_texts(data.get("labels"))
    question.help_texts = _clean_texts(data.get("help_texts"))
    if section is not None and section.pk != question.section_id:
        question.section = section
        question.order = _next_order(section.questions.all())
    after = snapshot_question(question)
    dropped_options = before_options if not question.has_options else []
    if after == before and not dropped_options:
        return question
    question.save(update_fields=[*QUESTION_FIELDS, "section", "order"])
    if dropped_options:
        question.options.all().delete()
    _edited(
        version,
        by=by,
        request=request,
        change="question_changed",
        before={"question": before, **({"options": dropped_options} if dropped_options else {})},
        after={"question": after, **({"options": []} if dropped_options else {})},
    )
    return question


@transaction.atomic
def delete_question(question: Question, *, by, request=None) -> None:
    version = _lock_draft(question.version)
    before = {"question": snapshot_question(question), "options": [snapshot_option(o) for o in question.options.all()]}
    question.delete()
    _edited(version, by=by, request=request, change="question_deleted", before=before, after=None)


@transaction.atomic
def move_question(question: Question, direction: str, *, by, request=None) -> bool:
    """Move a question one place up or down within its section."""
    version = _lock_draft(question.version)
    siblings = list(question.section.questions.order_by("order", "id"))
    before = [q.key for q in siblings]
    changed = _move(siblings, question, direction)
    if changed is None:
        return False
    Question.objects.bulk_update(changed, ["order"])
    _edited(
        version,
        by=by,
        request=request,
        change="question_moved",
        before={"section": question.section.key, "questions": before},
        after={"section": question.section.key, "questions": [q.key for q in siblings]},
    )
    return True


# --- options ------------------------------------------------------------------------------
def _require_choice(question: Question) -> None:
    if not question.has_options:
        raise EditorError(_("Only single and multiple choice questions have options."))


@transaction.atomic
def add_option(question: Question, *, by, value: str, labels: dict, request=None) -> Option:
    version = _lock_draft(question.version)
    _require_choice(question)
    _ensure_unique(
        question.options.filter(value=value),
        message=_("Another option of this question already uses this value."),
        field="value",
    )
    option = Option.objects.create(
        question=question, value=value, labels=_clean_texts(labels), order=_next_order(question.options.all())
    )
    _edited(
        version, by=by, request=request, change="option_added", before=None, after={"option": snapshot_option(option)}
    )
    return option


@transaction.atomic
def update_option(option: Option, *, by, value: str, labels: dict, request=None) -> Option:
    version = _lock_draft(option.question.version)
    option = Option.objects.select_related("question").get(pk=option.pk)
    _ensure_unique(
        option.question.options.filter(value=value),
        option,
        message=_("Another option of this question already uses this value."),
        field="value",
    )
    before = snapshot_option(option)
    option.value = value
    option.labels = _clean_texts(labels)
    if snapshot_option(option) != before:
        option.save(update_fields=["value", "labels"])
        _edited(
            version,
            by=by,
            request=request,
            change="option_changed",
            before={"option": before},
            after={"option": snapshot_option(option)},
        )
    return option


@transaction.atomic
def delete_option(option: Option, *, by, request=None) -> None:
    version = _lock_draft(option.question.version)
    before = snapshot_option(option)
    option.delete()
    _edited(version, by=by, request=request, change="option_deleted", before={"option": before}, after=None)


@transaction.atomic
def move_option(option: Option, direction: str, *, by, request=None) -> bool:
    version = _lock_draft(option.question.version)
    siblings = list(option.question.options.order_by("order", "id"))
    before = [o.value for o in siblings]
    changed = _move(siblings, option, direction)
    if changed is None:
        return False
    Option.objects.bulk_update(changed, ["order"])
    _edited(
        version,
        by=by,
        request=request,
        change="option_moved",
        before={"question": option.question.key, "options": before},
        after={"question": option.question.key, "options": [o.value for o in siblings]},
    )
    return True
