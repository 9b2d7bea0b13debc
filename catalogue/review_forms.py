"""The coordinators' decision form for a submitted tool."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.outcome_forms import OutcomeFieldsMixin, OutcomeGroup

from .decisions import CHECKLIST
from .models import Review


class ToolDecisionForm(OutcomeFieldsMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=Review.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision for this tool.")},
    )
    no_advertising = forms.BooleanField(
        label=_("No advertising and no claim of endorsement, support or verification by the initiative"),
        required=False,
    )
    answers_plausible = forms.BooleanField(label=_("The answers are plausible"), required=False)
    attachments_genuine = forms.BooleanField(
        label=_("The attachments are what they claim to be (or there are none)"), required=False
    )
    human_rights_screened = forms.BooleanField(
        label=_(
            "Human-rights screening: no credible grounds that the tool's development or use involves human-rights violations"
        ),
        help_text=_(
            "Look at what is known about the provider and the tool beyond its answers. If there are such grounds, reject the tool and say why."
        ),
        required=False,
    )
    comment = forms.CharField(
        label=_("Comment for the provider"),
        help_text=_(
            "Required when requesting changes (what to change) or rejecting (the reason). The provider sees it."
        ),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    CHECKLIST = CHECKLIST

    outcome_field = "decision"
    outcome_groups = (
        OutcomeGroup((Review.Decision.PUBLISH,), _("Checklist before publishing"), tuple(CHECKLIST)),
        OutcomeGroup(
            (Review.Decision.REQUEST_CHANGES, Review.Decision.REJECT),
            _("For requesting changes or rejecting"),
            ("comment",),
        ),
    )

    def __init__(self, *args, is_update: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # What the coordinator does, in words that fit a new tool or an update of a published one.
        self.fields["decision"].choices = [
            (Review.Decision.PUBLISH, _("Approve the update") if is_update else _("Publish")),
            (Review.Decision.REQUEST_CHANGES, _("Request changes")),
            (Review.Decision.REJECT, _("Reject the update") if is_update else _("Reject")),
        ]

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        comment = (cleaned.get("comment") or "").strip()
        if decision == Review.Decision.REQUEST_CHANGES and not comment:
            self.add_error("comment", _("Tell the provider what to change."))
        if decision == Review.Decision.REJECT and not comment:
            self.add_error("comment", _("Give the provider a reason for the rejection."))
        unticked = [item for item in self.CHECKLIST if not cleaned.get(item)]
        if decision == Review.Decision.PUBLISH and unticked:
            # The error summary links this error to the first box left unticked.
            self.non_field_errors_field = unticked[0]
            self.add_error(None, _("Tick every item of the checklist before publishing."))
        return cleaned

    @property
    def checklist(self) -> dict:
        return {item: bool(self.cleaned_data.get(item)) for item in self.CHECKLIST}
