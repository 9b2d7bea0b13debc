"""Forms of the requests to providers. Only the fields listed here can be set (no mass assignment)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MESSAGE_MAX, REASON_MAX, AbuseReport, Enquiry
from .services import SHAREABLE


class AskForm(forms.Form):
    """What the officer asks and which of their details the provider receives: nothing is shared
    unless ticked, and each box shows the value that would be shared."""

    kind = forms.ChoiceField(label=_("What do you ask for?"), choices=Enquiry.Kind.choices, widget=forms.RadioSelect)
    body = forms.CharField(
        label=_("Your message to the provider"),
        help_text=_("Say what you would like to see or try. The provider reads it; do not include case details."),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    share_name = forms.BooleanField(required=False)
    share_agency = forms.BooleanField(required=False)
    share_country = forms.BooleanField(required=False)
    share_email = forms.BooleanField(required=False)

    def __init__(self, *args, officer=None, **kwargs):
        super().__init__(*args, **kwargs)
        profile = officer.officer
        values = {
            "name": (_("Share my name: %(value)s"), officer.full_name),
            "agency": (_("Share my agency: %(value)s"), profile.agency),
            "country": (_("Share my country: %(value)s"), profile.country.name),
            "email": (_("Share my email address: %(value)s"), officer.email),
        }
        for name in SHAREABLE:
            label, value = values[name]
            self.fields[f"share_{name}"].label = label % {"value": value}

    def shared(self) -> list[str]:
        return [name for name in SHAREABLE if self.cleaned_data.get(f"share_{name}")]


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Your message"), max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 4}))


class AbuseForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong?"),
        help_text=_(
            "Only the coordinators read it. They can then open this exchange to look at it; the other side is not told."
        ),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (AbuseReport.State.DISMISSED, _("Dismiss the report: the exchange goes on")),
            (AbuseReport.State.CLOSED, _("Close the exchange: no more messages; both sides are told")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        help_text=_("Internal: kept with the decision, for the coordinators."),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
