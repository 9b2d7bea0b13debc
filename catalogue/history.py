"""Published versions of a tool: snapshots, what changed between two, and the change history.

A snapshot is what officers saw: the tool's own fields, its answers by question key and its
attachments. Comparing two snapshots gives the keys that changed; the coordinator's diff of an
update request and the officers' change history are both read from that comparison.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from types import SimpleNamespace

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from questionnaires.models import Question
from questionnaires.selectors import current_versions

from .answers import answers_by_key, format_answer, is_answered
from .models import Tool, ToolVersion
from .word_diff import WordDiff, word_diff

# The tool's own fields, in the order the diff shows them.
FIELDS = ("name", "short_description", "long_description", "website", "logo")
ATTACHMENTS = "attachments"
FIELD_LABELS = {
    "name": _("Name"),
    "short_description": _("Short description"),
    "long_description": _("About the tool"),
    "website": _("Website"),
    "logo": _("Logo"),
    ATTACHMENTS: _("Attached documents"),
}


def snapshot(tool: Tool) -> dict:
    """What officers see of `tool`, as plain data (stored with each published version)."""
    answers = {
        key: {"value": answer.value, "translations": answer.translations or {}}
        for key, answer in answers_by_key(tool).items()
        if is_answered(answer)
    }
    attachments = [
        {"file": attachment.file.name, "title": attachment.title, "question_key": attachment.question_key}
        for attachment in tool.attachments.order_by("uploaded_at", "id")
    ]
    return {
        "fields": {
            "name": tool.name,
            "short_description": tool.short_description,
            "long_description": tool.long_description,
            "website": tool.website,
            "logo": tool.logo.name if tool.logo else "",
        },
        "answers": answers,
        "attachments": attachments,
    }


def _general_files(snap: dict) -> dict[str, str]:
    """{file: title} of the attachments not tied to a question (those are compared as answers)."""
    return {item["file"]: item["title"] for item in snap.get("attachments", []) if not item.get("question_key")}


def _question_file(snap: dict, key: str) -> str:
    return next((item["file"] for item in snap.get("attachments", []) if item.get("question_key") == key), "")


def changed_keys(old: dict, new: dict) -> list[str]:
    """Field names, question keys and "attachments" that differ between two snapshots."""
    changed = [name for name in FIELDS if old.get("fields", {}).get(name) != new.get("fields", {}).get(name)]
    old_answers, new_answers = old.get("answers", {}), new.get("answers", {})
    for key in sorted(set(old_answers) | set(new_answers)):
        before, after = old_answers.get(key), new_answers.get(key)
        if before != after:
            # A file answer names its attachment by id, which a copy changes: compare the files.
            if before and after and _question_file(old, key) and _question_file(old, key) == _question_file(new, key):
                continue
            changed.append(key)
    old_files, new_files = _general_files(old), _general_files(new)
    if old_files != new_files:
        changed.append(ATTACHMENTS)
    return changed


def record_version(tool: Tool, *, by=None, at=None, previous: dict | None = None) -> ToolVersion:
    """Store the tool as it is now as its next published version."""
    latest = tool.versions.order_by("-number").first()
    snap = snapshot(tool)
    base = previous if previous is not None else (latest.snapshot if latest else None)
    return ToolVersion.objects.create(
        tool=tool,
        number=(latest.number + 1) if latest else 1,
        published_at=at or timezone.now(),
        approved_by=by,
        snapshot=snap,
        changed=changed_keys(base, snap) if base is not None else [],
    )


def ensure_first_version(tool: Tool) -> None:
    """Tools published before versions were kept get their current state as version 1."""
    if not tool.versions.exists():
        record_version(tool, at=tool.published_at or tool.updated_at)


# --- reading -------------------------------------------------------------------------
def labels_for(keys, versions=None) -> list[str]:
    """Readable names (active language) of changed fields and questions, in the order of the page;
    a question no longer in the current questionnaires keeps its key."""
    keys = set(keys)
    versions = versions if versions is not None else current_versions()
    labels = [str(label) for name, label in FIELD_LABELS.items() if name in keys]
    known = set(FIELD_LABELS)
    for version in versions:
        for question in version.questions.all():
            if question.key in keys:
                labels.append(question.label)
                known.add(question.key)
    return labels + sorted(keys - known)


@dataclass
class HistoryEntry:
    number: int
    published_at: object
    changed: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)

    @property
    def is_first(self) -> bool:
        return self.number == 1


def change_history(tool: Tool, versions=None) -> list[HistoryEntry]:
    """Newest first: each published version with the labels of what changed (one query)."""
    versions = versions if versions is not None else current_versions()
    rows = ToolVersion.objects.filter(tool_id=tool.pk).order_by("-number")
    return [
        HistoryEntry(
            number=number,
            published_at=published_at,
            changed=list(changed),
            labels=labels_for(changed, versions),
        )
        for number, published_at, changed in rows.values_list("number", "published_at", "changed")
    ]


def last_updated(tool: Tool, history: list[HistoryEntry]):
    return history[0].published_at if history else (tool.published_at or tool.updated_at)


# --- the coordinator's diff ----------------------------------------------------------------
@dataclass
class DiffRow:
    key: str
    label: str
    before: object
    after: object
    section: str = ""
    # The provider's language of each side when it is their own words (lang/dir in the table).
    before_language: str | None = None
    after_language: str | None = None

    @cached_property
    def words(self) -> WordDiff:
        """The changed words marked: <del> in the published text, <ins> in the proposed one."""
        return word_diff(str(self.before or ""), str(self.after or ""))


@dataclass
class Diff:
    rows: list[DiffRow]
    added: list[dict]
    removed: list[dict]

    @property
    def is_empty(self) -> bool:
        return not (self.rows or self.added or self.removed)


def _display(question: Question, answer: dict | None, language: str | None = None):
    stored = SimpleNamespace(value=answer["value"], translations=answer.get("translations") or {}) if answer else None
    return format_answer(question, stored, original_language=language)


def diff(
    old: dict, new: dict, versions=None, *, old_language: str | None = None, new_language: str | None = None
) -> Diff:
    """Question by question: old and new answer of what changed, and attachments added or removed.
    `old_language`/`new_language`: the provider's language of each side (Tool.text_language)."""
    versions = versions if versions is not None else current_versions()
    questions = {question.key: question for version in versions for question in version.questions.all()}
    sections = {section.pk: section.title for version in versions for section in version.sections.all()}
    changed = changed_keys(old, new)
    rows = []
    for name in FIELDS:
        if name in changed:
            before, after = old["fields"].get(name), new["fields"].get(name)
            if name == "logo":
                before = _("A logo") if before else _("No logo")
                after = _("A new logo") if after else _("No logo")
                rows.append(DiffRow(name, str(FIELD_LABELS[name]), before, after))
                continue
            rows.append(
                DiffRow(
                    name,
                    str(FIELD_LABELS[name]),
                    before or "",
                    after or "",
                    before_language=old_language if before else None,
                    after_language=new_language if after else None,
                )
            )
    for key in changed:
        if key in FIELD_LABELS:
            continue
        question = questions.get(key)
        if question is None:
            rows.append(
                DiffRow(key, key, old["answers"].get(key, {}).get("value"), new["answers"].get(key, {}).get("value"))
            )
            continue
        before_language = after_language = None
        if question.type == Question.Type.FILE:
            before = _("A document") if old["answers"].get(key) else _("No reply")
            after = _("A new document") if new["answers"].get(key) else _("No reply")
        else:
            shown_before = _display(question, old["answers"].get(key), old_language)
            shown_after = _display(question, new["answers"].get(key), new_language)
            before, after = shown_before.text, shown_after.text
            before_language, after_language = shown_before.text_language, shown_after.text_language
        rows.append(
            DiffRow(
                key,
                question.label,
                before,
                after,
                section=sections.get(question.section_id, ""),
                before_language=before_language,
                after_language=after_language,
            )
        )
    old_files, new_files = _general_files(old), _general_files(new)
    added = [{"file": name, "title": title} for name, title in new_files.items() if name not in old_files]
    removed = [{"file": name, "title": title} for name, title in old_files.items() if name not in new_files]
    return Diff(rows=rows, added=added, removed=removed)
