"""The two confirmation forms: withdrawing a tool, leaving the hub."""

from django import forms
from django.utils.translation import gettext_lazy as _


class WithdrawToolForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        help_text=_("Shown to officers with the notice and in the notices register. Leave it empty to give none."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class LeaveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        help_text=_("Only the coordinators read it."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that this withdraws all our tools and closes every member's account, and cannot be undone."
        ),
        error_messages={"required": _("Tick the box to confirm that your organisation leaves the hub.")},
    )
