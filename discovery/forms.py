"""The catalogue's search form: words, one set of values and a mode per criterion, completeness.

Its criteria are the current questionnaires' yes/no and choice questions; the checkboxes are
rendered in Python (`_FastOptions`) as Django's option template would render them."""

from __future__ import annotations

import html
from typing import NamedTuple

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from questionnaires.selectors import generation

from . import search


class _FastOptions:
    """Renders each checkbox or radio button in Python, as Django's option template would.

    The filter form has some 400 options; through the template engine they alone took
    about 30 ms per catalogue page."""

    def _render(self, template_name, context, renderer=None):
        if template_name != self.option_template_name:
            return super()._render(template_name, context, renderer)
        widget = context["widget"]
        attrs = widget["attrs"]
        parts = [f'<input type="{_escape(widget["type"])}" name="{_escape(widget["name"])}"']
        if widget["value"] is not None:
            parts.append(f' value="{_escape(widget["value"])}"')
        for name, value in attrs.items():
            if value is True:
                parts.append(f" {_escape(name)}")
            elif value is not False:
                parts.append(f' {_escape(name)}="{_escape(value)}"')
        parts.append(">")
        tag = "".join(parts)
        if not widget.get("wrap_label"):
            return mark_safe(tag)  # noqa: S308 - every part is escaped above
        label_for = f' for="{_escape(attrs["id"])}"' if attrs.get("id") else ""
        return mark_safe(f"<label{label_for}>{tag} {_escape(widget['label'])}</label>")  # noqa: S308


def _escape(value) -> str:
    """Django's conditional_escape without its lazy-string wrapper (called ~2,000 times a page)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class _NormalisedChoices:
    """A field whose choices are already a list of (value, label) pairs, built once per process
    (`_criterion_choices`, `MODE_CHOICES`): Django normalises every assignment again, for the
    field and then for its widget, some 1,000 calls and 3 ms a catalogue page."""

    @property
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value):
        self._choices = self.widget._choices = value


class CriterionValuesField(_NormalisedChoices, forms.MultipleChoiceField):
    pass


class CriterionModeField(_NormalisedChoices, forms.ChoiceField):
    pass


MODE_CHOICES = [(search.REQUIRED, _("Required")), (search.PREFERRED, _("Preferred"))]


class FastCheckboxes(_FastOptions, forms.CheckboxSelectMultiple):
    pass


class FastRadios(_FastOptions, forms.RadioSelect):
    pass


# A criterion with more values than this shows only the chosen ones until asked for all: the
# countries alone (some 250) were 40% of the catalogue page.
SHOWN_OPTIONS = 12


class CriterionBlock(NamedTuple):
    question: object
    values: forms.BoundField
    mode: forms.BoundField
    choices: list  # the checkboxes to render: all, or only the chosen ones while collapsed
    total: int
    collapsed: bool
    expanded_on_request: bool


class CatalogueForm(forms.Form):
    """The search form: words, one set of values and a mode per criterion, completeness."""

    q = forms.CharField(label=_("Search words"), max_length=200, required=False)

    def __init__(self, *args, questions, versions, expanded=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.expanded = expanded
        choices = _criterion_choices(questions)
        for question in questions:
            self.fields[question.key] = CriterionValuesField(
                label=question.label,
                choices=choices[question.pk],
                required=False,
                widget=FastCheckboxes,
            )
            self.fields[mode_name(question.key)] = CriterionModeField(
                label=_("How it counts"), choices=MODE_CHOICES, required=False, widget=FastRadios
            )
        percent = round(search.COMPLETENESS_THRESHOLD * 100)
        self.fields["complete"] = forms.MultipleChoiceField(
            label=_("Completeness"),
            choices=[
                (
                    version.questionnaire.key,
                    _("Answered at least %(percent)s%% of the questions of the %(name)s")
                    % {"percent": percent, "name": version.questionnaire.name},
                )
                for version in versions
            ],
            required=False,
            widget=FastCheckboxes,
        )

    def criteria_layout(self) -> list[tuple[object, bool, bool]]:
        """(question, collapsed, opened on request) per criterion, as `criteria_fields` lays them
        out, without building their inputs."""
        layout = []
        for question in self.questions:
            long = len(self.fields[question.key].choices) > SHOWN_OPTIONS
            collapsed = long and question.key not in self.expanded and question.key not in self.errors
            layout.append((question, collapsed, long and question.key in self.expanded))
        return layout

    def criteria_fields(self, only=None) -> list[CriterionBlock]:
        """Each criterion (or only the one keyed `only`) as the template shows it. A long list
        is collapsed to its chosen values, unless the officer asked for all of it or one of its
        values is in error; a value never chosen is never sent, so collapsing loses nothing."""
        blocks = []
        for question in self.questions:
            if only is not None and question.key != only:
                continue
            values = self[question.key]
            options = list(values)
            long = len(options) > SHOWN_OPTIONS
            collapsed = long and question.key not in self.expanded and not values.errors
            shown = [option for option in options if option.data["selected"]] if collapsed else options
            blocks.append(
                CriterionBlock(
                    question,
                    values,
                    self[mode_name(question.key)],
                    shown,
                    len(options),
                    collapsed,
                    long and question.key in self.expanded,
                )
            )
        return blocks

    def selection(self) -> dict[str, search.Criterion]:
        selection = {}
        for question in self.questions:
            values = self.cleaned_data.get(question.key) or []
            if values:
                mode = self.cleaned_data.get(mode_name(question.key)) or search.REQUIRED
                selection[question.key] = search.Criterion(mode, frozenset(values))
        return selection


_choices_cache: dict = {}


def _criterion_choices(questions) -> dict[int, list[tuple[str, str]]]:
    """{question id: [(value, label)]}, kept per process for the current questionnaires and
    language (the labels of some 400 options are otherwise translated on every page)."""
    key = (generation(), get_language(), tuple(question.pk for question in questions))
    cached = _choices_cache.get("criteria")
    if cached is None or cached[0] != key:
        cached = (
            key,
            {question.pk: [(v, str(label)) for v, label in search.allowed_values(question)] for question in questions},
        )
        _choices_cache["criteria"] = cached
    return cached[1]


def mode_name(key: str) -> str:
    return f"mode.{key}"


def with_default_modes(query, questions):
    """A criterion whose mode was not chosen counts as required (and shows so)."""
    data = query.copy()
    for question in questions:
        if not data.get(mode_name(question.key)):
            data[mode_name(question.key)] = search.REQUIRED
    return data
