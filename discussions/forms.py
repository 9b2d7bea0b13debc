"""Forms of the discussions app: explicit fields only (SECURITY.md AZ-05)."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import OwnIdsMixin

from .models import FieldReport, Space, Thread
from .services import BODY_MAX, TITLE_MAX

REASON_MAX = 2000
UUID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


def body_field(label=None):
    return forms.CharField(
        label=label or _("Message"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: *emphasis*, **bold**, lists, links, > quotes. No images or HTML."),
    )


def reason_field(label=None):
    return forms.CharField(
        label=label or _("Reason, shown to the author"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


def _clean_text(value: str) -> str:
    if not (value or "").strip():
        raise forms.ValidationError(_("Write something first."))
    return value.strip()


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    body = body_field()

    def clean_title(self):
        return " ".join(_clean_text(self.cleaned_data["title"]).split())

    def clean_body(self):
        return _clean_text(self.cleaned_data["body"])


class ReplyForm(OwnIdsMixin, forms.Form):
    ids = "reply"
    body = body_field(_("Your reply"))
    reply_to = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def clean_body(self):
        return _clean_text(self.cleaned_data["body"])


class EditPostForm(forms.Form):
    body = body_field()

    def clean_body(self):
        return _clean_text(self.cleaned_data["body"])


class ReportPostForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this post?"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the coordinators read this. The author is not told who reported the post."),
    )

    def clean_reason(self):
        return _clean_text(self.cleaned_data["reason"])


class PostModerationForm(forms.Form):
    ACTIONS = [
        ("hide", _("Hide the post")),
        ("restore", _("Restore the post")),
        ("move", _("Move it to another thread")),
    ]
    action = forms.ChoiceField(label=_("Decision"), choices=ACTIONS, widget=forms.RadioSelect)
    reason = reason_field()
    target = forms.CharField(
        label=_("Thread to move it to"),
        required=False,
        max_length=500,
        help_text=_("Paste the address of the thread (only when moving)."),
    )

    def clean_reason(self):
        return _clean_text(self.cleaned_data["reason"])

    def clean(self):
        data = super().clean()
        if data.get("action") == "move":
            match = UUID_PATTERN.search(data.get("target") or "")
            thread = Thread.objects.filter(public_id=match.group(0)).first() if match else None
            if thread is None:
                self.add_error("target", _("No thread has this address. Copy it from the thread's page."))
            data["target_thread"] = thread
        return data


class ThreadModerationForm(forms.Form):
    ACTIONS = [
        ("lock", _("Lock the thread")),
        ("unlock", _("Reopen the thread")),
        ("move", _("Move it to another space")),
    ]
    action = forms.ChoiceField(label=_("Decision"), choices=ACTIONS, widget=forms.RadioSelect)
    reason = reason_field()
    space = forms.ModelChoiceField(
        label=_("Space to move it to"),
        queryset=Space.objects.none(),
        required=False,
        to_field_name="public_id",
        help_text=_("Only when moving."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = Space.objects.filter(kind=Space.Kind.TOPIC).order_by("order", "id")
        self.fields["space"].label_from_instance = lambda space: space.name

    def clean_reason(self):
        return _clean_text(self.cleaned_data["reason"])

    def clean(self):
        data = super().clean()
        if data.get("action") == "move" and not data.get("space"):
            self.add_error("space", _("Choose the space to move the thread to."))
        return data


class SpaceForm(forms.Form):
    """A topic space's names and descriptions in each language (English required), and its place."""

    slug = forms.SlugField(
        label=_("Short name in addresses"),
        max_length=80,
        help_text=_("Lower-case letters, digits and hyphens. It cannot be changed later."),
    )
    order = forms.IntegerField(label=_("Position in the list"), min_value=0, max_value=1000, initial=100)

    def __init__(self, *args, space: Space | None = None, **kwargs):
        self.space = space
        if space is not None:
            initial = {"order": space.order, "slug": space.slug}
            for code, _name in settings.LANGUAGES:
                initial[f"name_{code}"] = space.names.get(code, "")
                initial[f"description_{code}"] = space.descriptions.get(code, "")
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        if space is not None:
            del self.fields["slug"]
        for code, language in settings.LANGUAGES:
            self.fields[f"name_{code}"] = forms.CharField(
                label=_("Name (%(language)s)") % {"language": language}, max_length=120, required=code == "en"
            )
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("Description (%(language)s)") % {"language": language},
                max_length=1000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean_slug(self):
        slug = self.cleaned_data["slug"].lower()
        if Space.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("A space already uses this short name."))
        return slug

    def texts(self, prefix: str) -> dict:
        return {
            code: self.cleaned_data[f"{prefix}_{code}"].strip()
            for code, _name in settings.LANGUAGES
            if self.cleaned_data.get(f"{prefix}_{code}", "").strip()
        }


class MonthInput(forms.DateInput):
    input_type = "month"

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime("%Y-%m")
        return value


class FieldReportForm(forms.ModelForm):
    """The structured report: no rating, no score (issue 11)."""

    used_in = forms.DateField(
        label=_("Month of use"),
        input_formats=["%Y-%m"],
        widget=MonthInput,
        help_text=_("Year and month, for example 2025-03."),
    )

    class Meta:
        model = FieldReport
        fields = ["used_in", "context", "data", "hurdles", "integration", "worked", "did_not_work", "attribution"]
        widgets = {
            "attribution": forms.RadioSelect,
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in ("context", "data", "hurdles", "integration", "worked", "did_not_work")
            },
        }
        help_texts = {
            "context": _("The kind of case and team, and what you used the tool for."),
            "data": _("Which data you gave it and roughly how much (never case details)."),
            "attribution": _(
                "Other verified officers see your report under your display name, or as written by an "
                "officer in your region. Providers never see it."
            ),
        }

    def clean_used_in(self):
        month = self.cleaned_data["used_in"].replace(day=1)
        if month > timezone.localdate():
            raise forms.ValidationError(_("The month of use cannot be in the future."))
        return month

    def clean_context(self):
        return _clean_text(self.cleaned_data["context"])

    def clean_data(self):
        return _clean_text(self.cleaned_data["data"])
