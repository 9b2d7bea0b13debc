"""Forms of the Learning Centre: item details, language texts, review, topics, contributors, checks."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from catalogue.uploads import clean_pdf
from core.forms import OwnIdsMixin
from questionnaires.selectors import workflow_steps

from .content import parse_check
from .images import clean_image
from .models import Item, Kind, Level, Section, Topic


class ItemForm(forms.Form):
    """What an item is, whatever its language."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    section = forms.ChoiceField(label=_("Section"), choices=Section.choices)
    level = forms.ChoiceField(label=_("Audience level"), choices=Level.choices)
    reading_minutes = forms.IntegerField(label=_("Estimated reading time (minutes)"), min_value=1, max_value=600)
    # Chosen by slug among the listed topics: what was typed never reaches a query.
    topics = forms.MultipleChoiceField(label=_("Topics"), required=False, widget=forms.CheckboxSelectMultiple)
    steps = forms.MultipleChoiceField(
        label=_("Investigative workflow steps"), required=False, widget=forms.CheckboxSelectMultiple
    )
    distressing = forms.BooleanField(
        label=_("Discusses distressing material (readers pass a notice first)"), required=False
    )
    resource = forms.FileField(
        label=_("PDF document"),
        required=False,
        help_text=_("For resources: a PDF document of at most 10 MB, offered as a download."),
    )

    def __init__(self, *args, item: Item | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["steps"].choices = [(option.value, option.label) for option in workflow_steps()]
        self.topic_objects = {topic.slug: topic for topic in Topic.objects.all()}
        self.fields["topics"].choices = [(slug, topic.name) for slug, topic in self.topic_objects.items()]

    def clean_topics(self):
        return [self.topic_objects[slug] for slug in self.cleaned_data.get("topics", [])]

    def clean_resource(self):
        upload = self.cleaned_data.get("resource")
        if not upload:
            return None
        return clean_pdf(upload)

    def clean(self):
        data = super().clean()
        has_file = bool(data.get("resource")) or bool(self.item and self.item.resource)
        if data.get("kind") == Kind.RESOURCE and not has_file and "resource" not in self.errors:
            self.add_error("resource", _("A resource needs its PDF document."))
        return data

    def item_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("kind", "section", "level", "reading_minutes", "distressing")}


class TextFields(forms.Form):
    """An item's text in one language (Markdown)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=400, required=False)
    body = forms.CharField(
        label=_("Text (Markdown)"),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_("In a module, each “## ” heading starts a lesson."),
    )
    check_text = forms.CharField(
        label=_("Check at the end of a module"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One question per block: “? question”, then “- answer” lines, the right one as “* answer”."),
    )

    def clean_check_text(self):
        text = self.cleaned_data.get("check_text", "")
        parse_check(text)
        return text

    def text_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("title", "summary", "body", "check_text")}


class TextForm(OwnIdsMixin, TextFields):
    ids = "text"


class NewItemForm(ItemForm, TextFields):
    slug = forms.SlugField(
        label=_("Address name"), max_length=80, help_text=_("Letters, digits and hyphens; part of the page address.")
    )
    original_language = forms.ChoiceField(label=_("Original language"), choices=settings.LANGUAGES)

    field_order = ["slug", "original_language", "title", "summary", "body", "check_text"]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Item.objects.filter(slug=slug).exists():
            raise ValidationError(_("Another item already uses this address name."))
        return slug


class ReturnForm(OwnIdsMixin, forms.Form):
    ids = "return"
    comment = forms.CharField(label=_("What should change?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class ImageForm(OwnIdsMixin, forms.Form):
    ids = "image"
    image = forms.FileField(label=_("Image (PNG or JPEG, at most 2 MB)"))

    def clean_image(self):
        file, self.content_type = clean_image(self.cleaned_data["image"])
        return file


class TopicForm(forms.Form):
    slug = forms.SlugField(label=_("Address name"), max_length=50)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=1000, initial=0)

    def __init__(self, *args, topic: Topic | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.topic = topic
        for code, name in settings.LANGUAGES:
            self.fields[f"name_{code}"] = forms.CharField(
                label=_("Name in %(language)s") % {"language": name}, max_length=100, required=code == "en"
            )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        others = Topic.objects.filter(slug=slug)
        if self.topic is not None:
            others = others.exclude(pk=self.topic.pk)
        if others.exists():
            raise ValidationError(_("Another topic already uses this address name."))
        return slug

    def names(self) -> dict:
        return {code: self.cleaned_data.get(f"name_{code}", "") for code, _name in settings.LANGUAGES}


class ContributorForm(forms.Form):
    email = forms.EmailField(label=_("Email address of a verified officer"))


def check_form(questions, data=None):
    """A form with one radio group per question of a module's check."""
    form = forms.Form(data)
    for question in questions:
        form.fields[f"q{question.number}"] = forms.ChoiceField(
            label=question.text,
            choices=[(str(index), answer) for index, answer in enumerate(question.answers)],
            widget=forms.RadioSelect,
        )
    return form
