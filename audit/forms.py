"""The audit log's filter form (a GET form: it never changes anything)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.dates import within_days

from .models import Action, AuditEvent


class AuditFilterForm(forms.Form):
    """Narrow the audit log down; every field is optional and dates are UTC days."""

    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("Any action")), *Action.choices])
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("Any outcome")), *AuditEvent.Outcome.choices]
    )
    actor = forms.CharField(
        label=_("Actor's email contains"),
        required=False,
        max_length=254,
        strip=True,
    )
    target_id = forms.CharField(label=_("Target id"), required=False, max_length=100, strip=True)
    date_from = forms.DateField(
        label=_("From (UTC)"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("To (UTC, inclusive)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end date must not be before the start date."))
        for name in ("actor", "target_id"):
            if "\x00" in (cleaned.get(name) or ""):
                self.add_error(name, _("Remove the control characters."))
        return cleaned

    def filter(self, queryset):
        """Apply the (valid) filters to a queryset of audit events."""
        data = self.cleaned_data
        if data.get("action"):
            queryset = queryset.filter(action=data["action"])
        if data.get("outcome"):
            queryset = queryset.filter(outcome=data["outcome"])
        if data.get("actor"):
            actor_ids = get_user_model().objects.filter(email__icontains=data["actor"]).values("id")
            queryset = queryset.filter(actor_id__in=actor_ids)
        if data.get("target_id"):
            queryset = queryset.filter(target_id=data["target_id"])
        return queryset.filter(within_days("created_at", data.get("date_from"), data.get("date_to")))

    def as_record(self) -> dict:
        """The filters in use, as JSON for the audit event that records the access."""
        return {
            name: value.isoformat() if hasattr(value, "isoformat") else value
            for name, value in self.cleaned_data.items()
            if value not in (None, "")
        }
