"""Forms of the name-and-emblem pages. Only the fields listed here can be set (no mass assignment)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import OwnIdsMixin

from . import samples
from .models import EmblemNotification, Medium, State

COMMENT_MAX = 5000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class NotificationForm(forms.Form):
    """What the provider intends to do with the name or emblem, and a sample of it."""

    intended_use = forms.CharField(
        label=_("Intended use"),
        help_text=_("What you intend to show, where, and in which words."),
        max_length=EmblemNotification._meta.get_field("intended_use").max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    medium = forms.ChoiceField(label=_("Medium"), choices=Medium.choices)
    audience = forms.CharField(
        label=_("Audience"),
        help_text=_("Who will see it, for example customers, conference attendees or the public."),
        max_length=EmblemNotification._meta.get_field("audience").max_length,
    )
    period_start = forms.DateField(label=_("From"), widget=DateInput())
    period_end = forms.DateField(label=_("To"), widget=DateInput())
    sample = forms.FileField(
        label=_("Sample"),
        help_text=_(
            "A draft or screenshot of the use: PDF, PNG or JPEG, at most 5 MB. "
            "If the form comes back with an error, choose the file again."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )
    previous = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.previous_notification = None
        self.sample_type = None
        self.previous_missing = False

    def clean_sample(self):
        content, kind = samples.clean_sample(self.cleaned_data["sample"])
        self.sample_type = kind
        return content

    def clean_previous(self):
        public_id = self.cleaned_data.get("previous")
        if public_id is None:
            return None
        # Only one of the organisation's own notifications can be followed up.
        self.previous_notification = EmblemNotification.objects.filter(
            organisation=self.organisation, public_id=public_id
        ).first()
        if self.previous_notification is None:
            # The field is hidden: its error is shown above the form (see clean()).
            self.previous_missing = True
        return public_id

    def clean(self):
        cleaned = super().clean()
        if self.previous_missing:
            self.add_error(None, _("The earlier notification was not found."))
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end of the period must be on or after its start."))
        elif end and end < timezone.localdate():
            self.add_error("period_end", _("The period has already ended: notify the coordinators before the use."))
        return cleaned


class DecisionForm(OwnIdsMixin, forms.Form):
    """A coordinator's answer to a notification. Shown with the comment form: ids of its own."""

    ids = "decision"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(State.ACKNOWLEDGED, _("Acknowledge")), (State.OBJECTED, _("Object"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment for the provider"),
        help_text=_("Required when objecting (what the provider must change or not do). The provider sees it."),
        max_length=COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == State.OBJECTED and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("Tell the provider why you object."))
        if "version" in self.errors:
            # A hidden field: say so above the form.
            self.add_error(None, _("The form was incomplete. Reload the page and decide again."))
        return cleaned


class CommentForm(OwnIdsMixin, forms.Form):
    ids = "comment"
    comment = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        # The coordinators' decision form on the same page has a "comment" field too: distinct ids
        # keep each label, and each error-summary link, on its own box.
        kwargs.setdefault("auto_id", "id_reply_%s")
        super().__init__(*args, **kwargs)

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError(_("Write a comment first."))
        return comment


class StateFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=[("", _("All states")), *State.choices], required=False)
