"""Forms of the moderation pages: the coordinators' decision, the register filter, replies."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.outcome_forms import OutcomeFieldsMixin, OutcomeGroup, OutcomeRadioSelect

from .models import NoticeAction, ReasonCode


class DecisionForm(OutcomeFieldsMixin, forms.Form):
    """Suspend, remove or reinstate a tool; only the moves allowed from its state are offered."""

    action = forms.ChoiceField(
        label=_("Decision"),
        choices=NoticeAction.choices,
        widget=OutcomeRadioSelect(danger=(NoticeAction.SUSPENDED, NoticeAction.REMOVED)),
    )
    reason_code = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Choose the ground of the decision")), *ReasonCode.decision_choices()],
        help_text=_("The part of the provider terms the decision rests on."),
    )
    summary = forms.CharField(
        label=_("Reason summary"),
        help_text=_("What happened and why, for officers and the provider. Shown in the notices register."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    officer_guidance = forms.CharField(
        label=_("Guidance for officers"),
        help_text=_("How officers who may already use the tool should handle the concerns."),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    provider_guidance = forms.CharField(
        label=_("Guidance for the provider"),
        help_text=_(
            "Mitigation measures the provider can take. Only the provider's members see it. "
            "Required for a suspension or removal."
        ),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    outcome_field = "action"
    outcome_groups = (
        OutcomeGroup(
            (NoticeAction.SUSPENDED, NoticeAction.REMOVED), _("For a suspension or removal"), ("provider_guidance",)
        ),
    )

    def __init__(self, *args, allowed_actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Never a withdrawal: only the provider withdraws its tool (moderation.services.DECISIONS).
        allowed = {str(action) for action in allowed_actions}
        self.fields["action"].choices = [(value, label) for value, label in NoticeAction.choices if value in allowed]

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        reason = cleaned.get("reason_code")
        if action and action != NoticeAction.REINSTATED and not (cleaned.get("provider_guidance") or "").strip():
            self.add_error("provider_guidance", _("Tell the provider which measures could address the concerns."))
        if reason == ReasonCode.CONCERNS_ADDRESSED and action and action != NoticeAction.REINSTATED:
            self.add_error("reason_code", _("This reason can only be given for a reinstatement."))
        return cleaned


class RegisterFilterForm(forms.Form):
    tool = forms.CharField(label=_("Tool name"), max_length=200, required=False)
    action = forms.ChoiceField(label=_("Decision"), choices=[("", _("All")), *NoticeAction.choices], required=False)
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", _("All")), *ReasonCode.choices], required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Message"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5}))
