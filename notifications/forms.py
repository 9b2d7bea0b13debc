"""The coordinators' dead-letter form."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import inbox
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


class NotificationSettingsForm(forms.Form):
    """Email on/off per kind of notification, and the language emails are written in."""

    language = forms.ChoiceField(
        label=_("Language of emails"),
        help_text=_("Notifications in the hub follow the language you choose on each page."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES
        self.fields["language"].initial = inbox.language_for(user)
        current = inbox.email_preferences(user)
        self.kind_fields = []
        for kind in inbox.kinds_for(user):
            name = f"email_{kind.value}"
            if inbox.always_emailed(kind):
                field = forms.BooleanField(
                    label=kind.label,
                    required=False,
                    disabled=True,
                    initial=True,
                    help_text=_("Always sent by email: safety notices cannot be turned off."),
                )
            else:
                field = forms.BooleanField(label=kind.label, required=False, initial=current[kind.value])
            self.fields[name] = field
            self.kind_fields.append((kind, name))
        # Kinds first, language last.
        self.order_fields([name for _kind, name in self.kind_fields] + ["language"])

    def email_fields(self):
        return [self[name] for _kind, name in self.kind_fields]

    def emails(self) -> dict[str, bool]:
        return {kind.value: bool(self.cleaned_data.get(name)) for kind, name in self.kind_fields}
