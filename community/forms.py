"""Forms of Meet other officers: explicit fields only (SECURITY.md AZ-05)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import OwnIdsMixin

from . import expertise, languages
from .models import DISPLAY_NAME_MAX, MESSAGE_MAX, NOTE_MAX, REASON_MAX, MessageReport
from .selectors import DirectoryFilters, published_tools


class ListingForm(forms.Form):
    """What an officer shows to other verified officers."""

    listed = forms.BooleanField(
        label=_("List me in the directory of officers"),
        required=False,
        help_text=_("Only verified officers see the directory. Providers never do."),
    )
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=DISPLAY_NAME_MAX,
        required=False,
        help_text=_("The name other officers see. It need not be your real name."),
    )
    show_agency = forms.BooleanField(label=_("Show my agency"), required=False)
    show_unit = forms.BooleanField(label=_("Show my unit"), required=False)
    show_country = forms.BooleanField(label=_("Show my country"), required=False)
    show_languages = forms.BooleanField(label=_("Show the languages I speak"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages I speak"), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    show_expertise = forms.BooleanField(label=_("Show my areas of expertise"), required=False)
    expertise = forms.MultipleChoiceField(
        label=_("Areas of expertise"), required=False, widget=forms.CheckboxSelectMultiple
    )
    show_tools = forms.BooleanField(label=_("Show the tools I have used"), required=False)
    tools = forms.ModelMultipleChoiceField(
        label=_("Tools I have used"),
        queryset=published_tools(),
        to_field_name="slug",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = languages.choices()
        self.fields["expertise"].choices = expertise.choices()
        self.fields["tools"].queryset = published_tools()

    def clean(self):
        data = super().clean()
        if data.get("listed") and not (data.get("display_name") or "").strip():
            self.add_error("display_name", _("Choose a display name to be listed in the directory."))
        return data


class DirectoryForm(forms.Form):
    """Search and filters of the directory; the choices are what listed officers show."""

    q = forms.CharField(label=_("Name, agency or unit"), max_length=100, required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    expertise = forms.ChoiceField(label=_("Area of expertise"), required=False)
    tool = forms.ChoiceField(label=_("Tool used"), required=False)

    def __init__(self, *args, options: dict, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("Any"))]
        for name in ("country", "language", "expertise", "tool"):
            self.fields[name].choices = everything + list(options[name])

    def filters(self) -> DirectoryFilters:
        return DirectoryFilters(**{name: (self.cleaned_data.get(name) or "").strip() for name in self.fields})


class ContactRequestForm(forms.Form):
    note = forms.CharField(
        label=_("A short note"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say who you are and why you would like to talk. Keep it short."),
    )


class RespondForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])


class MessageForm(OwnIdsMixin, forms.Form):
    ids = "message"
    body = forms.CharField(label=_("Your message"), max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 4}))


class ShareEmailForm(forms.Form):
    share = forms.BooleanField(required=False)


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you reporting this message?"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The coordinators see this message and your reason, not the rest of the conversation."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            (MessageReport.State.DISMISSED, _("Dismiss the report")),
            (MessageReport.State.WARNED, _("Warn the sender")),
            (MessageReport.State.SUSPENDED, _("Suspend the sender's access to the community features")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown to the sender for a warning or a suspension."),
    )
    ends_on = forms.DateField(
        label=_("Suspended until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to suspend until further notice."),
    )

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision and decision != MessageReport.State.DISMISSED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason the sender will read."))
        ends_on = data.get("ends_on")
        if ends_on and ends_on <= timezone.localdate():
            self.add_error("ends_on", _("Choose a date after today."))
        return data
