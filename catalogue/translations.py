"""Providers' translations of their free-text answers, on a page of their own per tool.

A tool's free-text answers are written in one language (`Tool.text_language`); each answer
may carry the same text in other languages of the hub (`Answer.translations`), which officers
read in their language and which the catalogue's search indexes too. Only an editable tool (a
draft, or the revision of a published one) takes translations: they reach officers through review
like any other change.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.models import Action
from audit.services import record
from questionnaires.models import Question

from . import services
from .answers import answers_by_key, is_answered
from .forms import LONG_TEXT_MAX, SHORT_TEXT_MAX
from .models import Tool

RTL_LANGUAGES = {"ar"}


def language_names() -> dict[str, str]:
    return {code: str(name) for code, name in settings.LANGUAGES}


def text_direction(code: str) -> str:
    return "rtl" if code.split("-")[0] in RTL_LANGUAGES else "ltr"


def text_questions(versions) -> list[Question]:
    return [
        question for version in versions for question in version.questions.all() if question.type in Question.TEXT_TYPES
    ]


class TranslationsForm(forms.Form):
    """The original language, then one box per answered free-text question in `language`."""

    def __init__(self, *args, tool: Tool, versions, language: str, **kwargs):
        # The labels are questions: no colon after their question mark.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.language = language
        self.fields["original"] = forms.ChoiceField(
            label=_("The answers are written in"), choices=settings.LANGUAGES, initial=tool.text_language
        )
        answers = answers_by_key(tool)
        self.rows = []
        for question in text_questions(versions):
            answer = answers.get(question.key)
            if not is_answered(answer) or not isinstance(answer.value, str):
                continue
            limit = LONG_TEXT_MAX if question.type == Question.Type.LONG_TEXT else SHORT_TEXT_MAX
            attrs = {"lang": language, "dir": text_direction(language), "rows": 4}
            self.fields[question.key] = forms.CharField(
                label=question.label, required=False, max_length=limit, widget=forms.Textarea(attrs=attrs)
            )
            self.initial[question.key] = (answer.translations or {}).get(language, "")
            self.rows.append({"question": question, "answer": answer, "field_name": question.key})

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("original") == self.language:
            raise forms.ValidationError(
                _("Choose a language other than the one the answers are written in: the answers are the original.")
            )
        return cleaned

    def texts(self) -> dict[str, str]:
        return {row["question"].key: (self.cleaned_data.get(row["field_name"]) or "").strip() for row in self.rows}

    def bound_rows(self):
        return [{**row, "field": self[row["field_name"]]} for row in self.rows]


@transaction.atomic
def save_translations(
    tool: Tool, *, original: str, language: str, texts: dict[str, str], by, request=None
) -> list[str]:
    """Set (or, with an empty text, remove) the `language` version of each answer in `texts`,
    and the language the answers are written in. Returns the keys that changed; audited with
    the keys and languages only, never the texts."""
    services._locked(tool)
    services._require_editable(tool)
    changed = []
    answers = answers_by_key(tool)
    for key, text in texts.items():
        answer = answers.get(key)
        if answer is None:
            continue
        translations = dict(answer.translations or {})
        if (translations.get(language) or "") == text:
            continue
        if text:
            translations[language] = text
        else:
            translations.pop(language, None)
        answer.translations = translations
        answer.save(update_fields=["translations"])
        changed.append(key)
    fields = []
    if tool.text_language != original:
        before = tool.text_language
        tool.text_language = original
        fields.append("text_language")
    if changed or fields:
        services._touch(tool, fields)
        record(
            Action.TOOL_TRANSLATIONS_SAVED,
            actor=by,
            target=tool,
            request=request,
            before={"text_language": before} if fields else None,
            after={"language": language, "questions": changed, "text_language": tool.text_language},
        )
    return changed
