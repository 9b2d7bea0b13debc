"""Forms of the concern pages. Only the fields listed here can be set (no mass assignment)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue import uploads
from core.forms import OwnIdsMixin
from core.outcome_forms import OutcomeFieldsMixin, OutcomeGroup, OutcomeRadioSelect
from moderation.models import ReasonCode

from .models import Concern

Outcome = Concern.Outcome
Status = Concern.Status


def _max(field: str) -> int:
    return Concern._meta.get_field(field).max_length


class FindToolForm(forms.Form):
    """Providers do not browse the catalogue: they name the tool they have a concern about."""

    tool = forms.CharField(label=_("Tool name"), max_length=120)


class ReportForm(forms.Form):
    """A concern about a tool, as its reporter writes it."""

    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("Choose the kind of concern")), *Concern.Category.choices]
    )
    description = forms.CharField(
        label=_("Description"),
        help_text=_("What the concern is and what it rests on. Only the coordinators read it."),
        max_length=_max("description"),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    sources = forms.CharField(
        label=_("Sources and links"),
        help_text=_("Optional: reports, articles or other sources, one per line."),
        max_length=_max("sources"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    file = forms.FileField(
        label=_("Supporting document (PDF)"),
        help_text=_(
            "Optional: a PDF of at most 10 MB. Only the coordinators can open it. "
            "If the form comes back with an error, choose the file again."
        ),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        return uploads.clean_pdf(upload)


class VersionForm(OwnIdsMixin, forms.Form):
    """Every coordinator action carries the concern version the coordinator saw.

    The concern page shows several of these forms at once: each has ids of its own."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AssessForm(VersionForm):
    ids = "assess"
    note = forms.CharField(
        label=_("Note (optional)"),
        help_text=_("Internal: neither the reporter nor the provider sees it."),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoteForm(VersionForm):
    ids = "note"
    text = forms.CharField(
        label=_("Internal note"),
        help_text=_("Only coordinators see notes."),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CloseForm(VersionForm):
    ids = "close"
    note = forms.CharField(
        label=_("Closing note"),
        help_text=_("Internal: why the concern can be closed. The reporter is told it was closed."),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecideForm(OutcomeFieldsMixin, VersionForm):
    """The outcome of a concern; a suspension or removal also takes the notice fields."""

    ids = "decide"
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=Outcome.choices,
        widget=OutcomeRadioSelect(danger=(Outcome.SUSPENSION, Outcome.REMOVAL)),
    )
    note = forms.CharField(
        label=_("Note"),
        help_text=_("Internal. Required for “no action”: say why."),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    provider_request = forms.CharField(
        label=_("Request to the provider"),
        help_text=_(
            "For “provider asked to respond”: what the provider is asked. The provider sees only this, "
            "the tool and the category: never the report, its file or who reported."
        ),
        max_length=_max("provider_request"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reason_code = forms.ChoiceField(
        label=_("Reason"),
        choices=[
            ("", _("Choose the ground of the decision")),
            *[(value, label) for value, label in ReasonCode.choices if value != ReasonCode.CONCERNS_ADDRESSED],
        ],
        help_text=_("For a suspension or removal: the part of the provider terms it rests on."),
        required=False,
    )
    summary = forms.CharField(
        label=_("Reason summary"),
        help_text=_("For a suspension or removal: what happened and why, for officers and the provider."),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    officer_guidance = forms.CharField(
        label=_("Guidance for officers"),
        help_text=_("For a suspension or removal: how officers who may already use the tool should handle it."),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    provider_guidance = forms.CharField(
        label=_("Guidance for the provider"),
        help_text=_("For a suspension or removal: mitigation measures. Only the provider's members see it."),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    tool_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    # The internal note stays with every outcome (it is required for "no action" only).
    outcome_groups = (
        OutcomeGroup((Outcome.PROVIDER_ASKED,), _("For asking the provider to respond"), ("provider_request",)),
        OutcomeGroup(
            (Outcome.SUSPENSION, Outcome.REMOVAL),
            _("For a suspension or removal"),
            ("reason_code", "summary", "officer_guidance", "provider_guidance"),
        ),
    )

    def __init__(self, *args, outcomes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if outcomes is not None:
            self.fields["outcome"].choices = [(value, label) for value, label in Outcome.choices if value in outcomes]
            if Outcome.PROVIDER_ASKED not in outcomes:
                # The provider was asked already: the request stays on the concern, not in the form.
                del self.fields["provider_request"]

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        # The note and the request are checked by concerns.services.decide; the notice fields here,
        # so each gets its own message (moderation.services checks them again as a whole).
        if outcome in (Outcome.SUSPENSION, Outcome.REMOVAL):
            if not cleaned.get("reason_code"):
                self.add_error("reason_code", _("Choose the ground of the decision."))
            if not (cleaned.get("summary") or "").strip():
                self.add_error("summary", _("Write the reason summary for officers."))
            if not (cleaned.get("officer_guidance") or "").strip():
                self.add_error("officer_guidance", _("Write the guidance for officers."))
            if not (cleaned.get("provider_guidance") or "").strip():
                self.add_error("provider_guidance", _("Tell the provider which measures could address the concerns."))
        return cleaned


class QueueFilterForm(forms.Form):
    OPEN = ""
    ALL = "all"
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(OPEN, _("Open (not closed)")), *Status.choices, (ALL, _("All"))],
        required=False,
    )


class ResponseForm(forms.Form):
    text = forms.CharField(
        label=_("Your response"),
        help_text=_("The coordinators read it. You can respond once."),
        max_length=_max("provider_response"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
