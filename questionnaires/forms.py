"""Forms of the coordinators' questionnaire editor.

Each translatable text gets one field per language: English is required, the other
languages are optional (readers fall back to English).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from .models import Question, QuestionnaireVersion, Section
from .services import earlier_type_conflict

# Types whose values officers can pick as catalogue criteria.
CRITERION_TYPES = {Question.Type.SINGLE_CHOICE, Question.Type.MULTIPLE_CHOICE, Question.Type.YES_NO}


def field_suffix(code: str) -> str:
    return code.replace("-", "_")


class TranslatedTextsMixin:
    """Adds `<prefix>_<language>` fields for each translatable text named in `translated_texts`:
    a list of (prefix, label, widget class, English required)."""

    translated_texts: list[tuple[str, object, type, bool]] = []

    def add_translated_fields(self, initial_texts: dict[str, dict]) -> None:
        for prefix, label, widget, english_required in self.translated_texts:
            texts = initial_texts.get(prefix) or {}
            for code, language in settings.LANGUAGES:
                name = f"{prefix}_{field_suffix(code)}"
                required = english_required and code == "en"
                self.fields[name] = forms.CharField(
                    label=f"{label} ({language})",
                    required=required,
                    max_length=2000,
                    strip=True,
                    # Typed in its own language: the field reads and lays out that language (an empty
                    # Arabic field starts on the right), whatever the editor's page language.
                    widget=widget(
                        attrs={
                            "lang": code,
                            "dir": "rtl" if get_language_info(code)["bidi"] else "ltr",
                            **({"rows": 3} if widget is forms.Textarea else {}),
                        }
                    ),
                    initial=texts.get(code, ""),
                )

    def texts(self, prefix: str) -> dict[str, str]:
        """{language: text} from the cleaned data, empty texts left out."""
        result = {}
        for code, _language in settings.LANGUAGES:
            value = self.cleaned_data.get(f"{prefix}_{field_suffix(code)}", "")
            if value:
                result[code] = value
        return result

    def translated_field_names(self, prefix: str) -> list[str]:
        return [f"{prefix}_{field_suffix(code)}" for code, _language in settings.LANGUAGES]


def _key_field(label, help_text, max_length=50):
    return forms.SlugField(label=label, help_text=help_text, max_length=max_length, allow_unicode=False)


class SectionForm(TranslatedTextsMixin, forms.Form):
    translated_texts = [("title", _("Title"), forms.TextInput, True)]

    key = _key_field(_("Key"), _("Lowercase letters, digits and hyphens; unique in this version."))

    def __init__(self, *args, version: QuestionnaireVersion, section: Section | None = None, **kwargs):
        self.version = version
        self.section = section
        if section is not None:
            kwargs.setdefault("initial", {"key": section.key})
        super().__init__(*args, **kwargs)
        self.add_translated_fields({"title": section.titles if section else {}})

    def clean_key(self):
        key = self.cleaned_data["key"]
        others = self.version.sections.filter(key=key)
        if self.section is not None:
            others = others.exclude(pk=self.section.pk)
        if others.exists():
            raise forms.ValidationError(_("Another section of this version already uses this key."))
        return key


class QuestionForm(TranslatedTextsMixin, forms.Form):
    translated_texts = [
        ("label", _("Question"), forms.TextInput, True),
        ("help", _("Help text"), forms.Textarea, False),
    ]

    key = _key_field(
        _("Key"),
        _(
            "Answers are matched across versions by this key: keep it to keep the answers providers gave "
            "to earlier versions; a new key makes a new question that nobody has answered yet."
        ),
        max_length=80,
    )
    section = forms.ChoiceField(label=_("Section"))
    type = forms.ChoiceField(
        label=_("Type"),
        choices=Question.Type.choices,
        help_text=_("A question that stops being a choice question loses its options."),
    )
    required = forms.BooleanField(label=_("Required"), required=False)
    whole_number = forms.BooleanField(
        label=_("Whole numbers only"),
        required=False,
        help_text=_("For number questions that count something, such as agencies: an answer like 12.5 is refused."),
    )
    is_criterion = forms.BooleanField(
        label=_("Catalogue criterion"),
        required=False,
        help_text=_("Officers can search by it. Only choice and yes-or-no questions can be criteria."),
    )

    def __init__(self, *args, version: QuestionnaireVersion, question: Question | None = None, **kwargs):
        self.version = version
        self.question = question
        self.sections = {section.key: section for section in version.sections.order_by("order", "id")}
        if question is not None:
            kwargs.setdefault(
                "initial",
                {
                    "key": question.key,
                    "section": question.section.key,
                    "type": question.type,
                    "required": question.required,
                    "is_criterion": question.is_criterion,
                    "whole_number": question.whole_number,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [(key, section.title or key) for key, section in self.sections.items()]
        self.add_translated_fields(
            {"label": question.labels if question else {}, "help": question.help_texts if question else {}}
        )

    def clean_key(self):
        key = self.cleaned_data["key"]
        others = self.version.questions.filter(key=key)
        if self.question is not None:
            others = others.exclude(pk=self.question.pk)
        if others.exists():
            raise forms.ValidationError(_("Another question of this version already uses this key."))
        return key

    def clean(self):
        cleaned = super().clean()
        key, type_ = cleaned.get("key"), cleaned.get("type")
        if key and type_:
            conflict = earlier_type_conflict(self.version, key, type_)
            if conflict:
                self.add_error(
                    "type",
                    _(
                        "In version %(number)s this key was a question of another type, and its answers would "
                        "not fit this one. Keep the type or use a new key."
                    )
                    % {"number": conflict[0]},
                )
        if cleaned.get("is_criterion") and type_ and type_ not in CRITERION_TYPES:
            self.add_error("is_criterion", _("Only choice and yes-or-no questions can be criteria."))
        if cleaned.get("whole_number") and type_ and type_ != Question.Type.NUMBER:
            self.add_error("whole_number", _("Only number questions can be limited to whole numbers."))
        return cleaned

    def chosen_section(self) -> Section:
        return self.sections[self.cleaned_data["section"]]

    def data_for_service(self) -> dict:
        return {
            "key": self.cleaned_data["key"],
            "type": self.cleaned_data["type"],
            "required": self.cleaned_data["required"],
            "is_criterion": self.cleaned_data["is_criterion"],
            "whole_number": self.cleaned_data["whole_number"],
            "labels": self.texts("label"),
            "help_texts": self.texts("help"),
        }


class OptionForm(TranslatedTextsMixin, forms.Form):
    translated_texts = [("label", _("Label"), forms.TextInput, True)]

    value = _key_field(
        _("Value"),
        _("Stored with the answers and used in search links; keep it to keep earlier answers."),
        max_length=80,
    )

    def __init__(self, *args, question: Question, option=None, **kwargs):
        self.question = question
        self.option = option
        if option is not None:
            kwargs.setdefault("initial", {"value": option.value})
        super().__init__(*args, **kwargs)
        self.add_translated_fields({"label": option.labels if option else {}})

    def clean_value(self):
        value = self.cleaned_data["value"]
        others = self.question.options.filter(value=value)
        if self.option is not None:
            others = others.exclude(pk=self.option.pk)
        if others.exists():
            raise forms.ValidationError(_("Another option of this question already uses this value."))
        return value
