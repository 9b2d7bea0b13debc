"""The coordinators' dead-letter form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import OutboxMessage

MAX_ID = 2**63 - 1
MAX_IDS = 500


class MessageIdsField(forms.Field):
    """Several message ids; anything that is not a sane positive integer is refused."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, list | tuple) or len(value) > MAX_IDS:
            raise forms.ValidationError(_("That is not a list of messages."), code="invalid")
        ids = []
        for item in value:
            try:
                number = int(str(item).strip())
            except ValueError:
                raise forms.ValidationError(_("That is not a message."), code="invalid") from None
            if not 1 <= number <= MAX_ID:
                raise forms.ValidationError(_("That is not a message."), code="invalid")
            ids.append(number)
        return ids


class RetryForm(forms.Form):
    """Queue chosen dead messages again, or all of them."""

    messages = MessageIdsField(label=_("Messages"), required=False)
    all = forms.BooleanField(label=_("All undelivered messages"), required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        ids = cleaned.get("messages") or []
        if not cleaned.get("all") and not ids:
            raise forms.ValidationError(_("Choose at least one message to retry."))
        dead = set(
            OutboxMessage.objects.filter(id__in=ids, state=OutboxMessage.State.DEAD).values_list("id", flat=True)
        )
        if set(ids) - dead:
            self.add_error("messages", _("One of these messages is no longer waiting to be retried; reload the page."))
        return cleaned

    def message_ids(self):
        """None for every dead message, else the chosen ids."""
        if self.cleaned_data.get("all"):
            return None
        return self.cleaned_data["messages"]
