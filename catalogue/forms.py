"""Providers' forms: the tool's own fields, the questionnaires (built from their definition)
and attachments. Everything is optional at save time; required questions count at submit."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from questionnaires.models import Question

from . import uploads
from .answers import answers_by_key, is_answered, number_value
from .models import Attachment, Tool

SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 5000

YES, NO = "yes", "no"


def translation_languages() -> list[tuple[str, str]]:
    """The languages a free-text answer may be given in besides the original (the default language)."""
    default = settings.LANGUAGE_CODE.lower()
    return [(code, name) for code, name in settings.LANGUAGES if code.lower() != default]


class ToolForm(forms.Form):
    """The tool's own description. The logo is checked and re-encoded by `uploads.clean_logo`."""

    name = forms.CharField(label=_("Name of the tool"), max_length=Tool._meta.get_field("name").max_length)
    short_description = forms.CharField(
        label=_("Short description"),
        max_length=Tool._meta.get_field("short_description").max_length,
        help_text=_("One or two sentences shown on the tool's card."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    long_description = forms.CharField(
        label=_("Long description"),
        max_length=Tool._meta.get_field("long_description").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    website = forms.URLField(label=_("Website"), max_length=300, required=False, assume_scheme="https")
    text_language = forms.ChoiceField(
        label=_("Language of the description"),
        choices=settings.LANGUAGES,
        initial="en",
        help_text=_("The language you write the description and your answers in."),
        # Left out (a client that predates the field): the tool keeps its language.
        required=False,
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG or JPEG, at most 1 MB and 4096 by 4096 pixels. It is converted to PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    FIELDS = ["name", "short_description", "long_description", "website", "text_language"]

    def __init__(self, *args, tool: Tool | None = None, **kwargs):
        if tool is not None:
            kwargs.setdefault("initial", {name: getattr(tool, name) for name in self.FIELDS})
        super().__init__(*args, **kwargs)
        self.tool = tool
        self.fields["logo"].widget = forms.FileInput(attrs={"accept": "image/png,image/jpeg"})
        if tool is None or not tool.logo:
            del self.fields["remove_logo"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the tool a name."), code="required")
        return name

    def clean_text_language(self):
        return self.cleaned_data.get("text_language") or (self.tool.text_language if self.tool else "en")

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        return uploads.clean_logo(upload)

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=Attachment._meta.get_field("title").max_length)
    file = forms.FileField(
        label=_("PDF file"),
        help_text=_("A PDF document of at most 10 MB, for example an independent assessment report."),
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
    )

    def clean_file(self):
        return uploads.clean_pdf(self.cleaned_data["file"])


def _option_choices(question: Question) -> list[tuple[str, str]]:
    return [(option.value, option.label) for option in question.options.all()]


# Answers are stored as JSON numbers: keep them within what every database stores exactly.
NUMBER_LIMIT = 10**15


def _number_to_json(value: int | Decimal):
    if isinstance(value, int):
        return value
    if value == value.to_integral_value():
        return int(value)
    return float(value)


class AnswersForm(forms.Form):
    """One questionnaire version as a form: one field per question, named by its key, plus
    `<key>__<language>` translation fields for free text and `<key>__remove` for files.

    With `section`, only that section's questions: saving it leaves the other sections' answers
    as they are (`values()` names only the questions of the form)."""

    def __init__(
        self, *args, version, tool: Tool, answers: dict | None = None, attachments=None, section=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.version = version
        self.tool = tool
        answers = answers if answers is not None else answers_by_key(tool)
        attachments = attachments if attachments is not None else {}
        self.questions = [
            question for question in version.questions.all() if section is None or question.section_id == section.pk
        ]
        self.languages = translation_languages()
        self.current_attachments = {}
        for question in self.questions:
            answer = answers.get(question.key)
            field = self._field_for(question)
            field.label = question.label
            field.help_text = question.help_text
            self.fields[question.key] = field
            if is_answered(answer):
                self.initial[question.key] = self._initial(question, answer.value)
            if question.type in Question.TEXT_TYPES:
                translations = (answer.translations or {}) if answer is not None else {}
                for code, name in self.languages:
                    self.fields[self.translation_name(question, code)] = self._text_field(
                        question, label=_("In %(language)s") % {"language": _(name)}
                    )
                    if translations.get(code):
                        self.initial[self.translation_name(question, code)] = translations[code]
            if question.type == Question.Type.FILE:
                attachment = attachments.get(str(answer.value)) if is_answered(answer) else None
                if attachment is not None:
                    self.current_attachments[question.key] = attachment
                    self.fields[self.remove_name(question)] = forms.BooleanField(
                        label=_("Remove the current file"), required=False
                    )

    @staticmethod
    def translation_name(question, code: str) -> str:
        return f"{question.key}__{code}"

    @staticmethod
    def remove_name(question) -> str:
        return f"{question.key}__remove"

    def _text_attrs(self) -> dict:
        """The provider's language on their text boxes, so English typed on an Arabic page keeps
        its punctuation where it belongs (and Arabic on an English page)."""
        language = self.tool.text_language or settings.LANGUAGE_CODE
        return {"lang": language, "dir": "rtl" if get_language_info(language)["bidi"] else "ltr"}

    def _text_field(self, question, label=None):
        if question.type == Question.Type.LONG_TEXT:
            return forms.CharField(
                label=label,
                required=False,
                max_length=LONG_TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 5, **self._text_attrs()}),
            )
        return forms.CharField(
            label=label, required=False, max_length=SHORT_TEXT_MAX, widget=forms.TextInput(attrs=self._text_attrs())
        )

    def _field_for(self, question) -> forms.Field:
        kind = question.type
        types = Question.Type
        if kind in Question.TEXT_TYPES:
            return self._text_field(question)
        if kind == types.SINGLE_CHOICE:
            return forms.ChoiceField(
                required=False,
                choices=[("", _("Not answered"))] + _option_choices(question),
                widget=forms.RadioSelect,
            )
        if kind == types.MULTIPLE_CHOICE:
            return forms.MultipleChoiceField(
                required=False, choices=_option_choices(question), widget=forms.CheckboxSelectMultiple
            )
        if kind == types.YES_NO:
            return forms.ChoiceField(
                required=False,
                choices=[("", _("Not answered")), (YES, _("Yes")), (NO, _("No"))],
                widget=forms.RadioSelect,
            )
        if kind == types.NUMBER and question.whole_number:
            # Django's own message for a refused value is "Enter a whole number."
            return forms.IntegerField(
                required=False,
                min_value=-NUMBER_LIMIT,
                max_value=NUMBER_LIMIT,
                widget=forms.NumberInput(attrs={"step": "1"}),
            )
        if kind == types.NUMBER:
            return forms.DecimalField(
                required=False,
                max_digits=18,
                decimal_places=6,
                widget=forms.NumberInput(attrs={"step": "any"}),
            )
        if kind == types.DATE:
            return forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
        if kind == types.URL:
            return forms.URLField(required=False, max_length=500, assume_scheme="https")
        if kind == types.FILE:
            return forms.FileField(required=False, widget=forms.FileInput(attrs={"accept": "application/pdf"}))
        raise ValueError(f"Unknown question type {kind!r}")

    def _initial(self, question, value):
        kind = question.type
        types = Question.Type
        if kind == types.YES_NO:
            return YES if value else NO
        if kind == types.MULTIPLE_CHOICE:
            return value if isinstance(value, list) else [value]
        if kind == types.DATE:
            try:
                return datetime.date.fromisoformat(str(value))
            except ValueError:
                return None
        if kind == types.FILE:
            return None
        if kind == types.NUMBER:
            return number_value(value)
        return value

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            if question.type == Question.Type.FILE and cleaned.get(question.key):
                try:
                    cleaned[question.key] = uploads.clean_pdf(cleaned[question.key])
                except forms.ValidationError as error:
                    self.add_error(question.key, error)
            if question.type in Question.TEXT_TYPES:
                original = (cleaned.get(question.key) or "").strip()
                has_translation = any(
                    (cleaned.get(self.translation_name(question, code)) or "").strip() for code, _name in self.languages
                )
                if has_translation and not original and question.key not in self.errors:
                    self.add_error(question.key, _("Give the answer in its original language before its translations."))
        return cleaned

    def values(self) -> dict:
        """{question key: (value or None, translations)} for every non-file question."""
        result = {}
        types = Question.Type
        for question in self.questions:
            kind = question.type
            raw = self.cleaned_data.get(question.key)
            translations = {}
            if kind == types.FILE:
                continue
            if kind in Question.TEXT_TYPES:
                value = (raw or "").strip() or None
                if value:
                    for code, _name in self.languages:
                        text = (self.cleaned_data.get(self.translation_name(question, code)) or "").strip()
                        if text:
                            translations[code] = text
            elif kind == types.YES_NO:
                value = {YES: True, NO: False}.get(raw)
            elif kind == types.MULTIPLE_CHOICE:
                value = list(raw) if raw else None
            elif kind == types.NUMBER:
                value = _number_to_json(raw) if raw is not None else None
            elif kind == types.DATE:
                value = raw.isoformat() if raw else None
            else:
                value = raw or None
            result[question.key] = (value, translations)
        return result

    def file_changes(self) -> dict:
        """{question key: PDF bytes (new upload) or None (remove)} for file questions that change."""
        result = {}
        for question in self.questions:
            if question.type != Question.Type.FILE:
                continue
            data = self.cleaned_data.get(question.key)
            if data:
                result[question.key] = data
            elif self.cleaned_data.get(self.remove_name(question)):
                result[question.key] = None
        return result

    def sections(self) -> list[dict]:
        """The form laid out like the questionnaire: sections with their questions' fields."""
        by_section: dict[int, list] = {}
        for question in self.questions:
            item = {
                "question": question,
                "field": self[question.key],
                "translations": [self[self.translation_name(question, code)] for code, _name in self.languages]
                if question.type in Question.TEXT_TYPES
                else [],
                "has_translations": question.type in Question.TEXT_TYPES
                and any(self[self.translation_name(question, code)].value() for code, _name in self.languages),
                "attachment": self.current_attachments.get(question.key),
                "remove": self[self.remove_name(question)] if question.key in self.current_attachments else None,
            }
            by_section.setdefault(question.section_id, []).append(item)
        return [
            {"section": section, "items": by_section[section.pk]}
            for section in self.version.sections.all()
            if section.pk in by_section
        ]
