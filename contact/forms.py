"""Forms of the contact point. Only the fields listed here can be set (no mass assignment)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue import uploads
from core.forms import OwnIdsMixin

from .models import MESSAGE_MAX, Conversation


class _MessageWithFile(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 8}))
    file = forms.FileField(
        label=_("Document (PDF, optional)"),
        help_text=_(
            "A PDF of at most 10 MB. Only you and the coordinators can download it. "
            "If the form comes back with an error, choose the file again."
        ),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def clean_file(self):
        # Checked by its content and size, like every PDF the hub accepts (SECURITY.md UP-01).
        upload = self.cleaned_data.get("file")
        return uploads.clean_pdf(upload) if upload else None


class WriteForm(_MessageWithFile):
    """A new conversation with the coordinators."""

    field_order = ["category", "body", "file"]
    category = forms.ChoiceField(
        label=_("What is it about?"), choices=[("", _("Choose a category")), *Conversation.Category.choices]
    )


class ReplyForm(_MessageWithFile):
    """The author writes again."""

    body = forms.CharField(label=_("Your message"), max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 5}))


class VersionForm(OwnIdsMixin, forms.Form):
    """Assigning and closing carry the conversation version the coordinator saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AnswerForm(OwnIdsMixin, _MessageWithFile):
    ids = "answer"
    body = forms.CharField(
        label=_("Answer"),
        help_text=_("The author reads it in their conversation and is told in their inbox."),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class AssignForm(VersionForm):
    ids = "assign"
    NOBODY = ""
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)

    def __init__(self, *args, coordinators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.coordinators = {str(user.public_id): user for user in coordinators}
        self.fields["assignee"].choices = [
            (self.NOBODY, _("Nobody (the whole team)")),
            *[(key, user.full_name or user.email) for key, user in self.coordinators.items()],
        ]

    def chosen(self):
        """The coordinator chosen, or None for nobody."""
        return self.coordinators.get(self.cleaned_data["assignee"])


class CloseForm(VersionForm):
    ids = "close"


class QueueFilterForm(forms.Form):
    OPEN = ""
    MINE = "mine"
    UNASSIGNED = "unassigned"
    CLOSED = "closed"
    ALL = "all"
    show = forms.ChoiceField(
        label=_("Show"),
        choices=[
            (OPEN, _("Open conversations")),
            (MINE, _("Open and assigned to me")),
            (UNASSIGNED, _("Open and assigned to nobody")),
            (CLOSED, _("Closed")),
            (ALL, _("All")),
        ],
        required=False,
    )
