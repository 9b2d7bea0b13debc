from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Audience, TermsDocument

MAX_TERMS_BYTES = 512 * 1024


class AcceptTermsForm(forms.Form):
    agree = forms.BooleanField(
        label=_("I have read and accept these terms."),
        required=True,
        error_messages={"required": _("Tick the box to accept the terms and continue.")},
    )


class LoadTermsForm(forms.Form):
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    version = forms.CharField(label=_("Version"), max_length=20, help_text=_("For example 1.1"))
    effective_from = forms.DateField(label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary of changes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What changed since the previous version, in plain words. Required for every version but the first."
        ),
    )
    file = forms.FileField(label=_("Text file"), help_text=_("A Markdown or plain-text file, UTF-8, at most 512 KB."))

    def clean_version(self):
        version = self.cleaned_data["version"].strip()
        if not version or any(ch.isspace() for ch in version):
            raise forms.ValidationError(_("Enter a version without spaces, such as 1.1."))
        return version

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".md", ".markdown", ".txt")):
            raise forms.ValidationError(_("Upload a .md or .txt file."))
        if upload.size > MAX_TERMS_BYTES:
            raise forms.ValidationError(_("The file is larger than 512 KB."))
        raw = upload.read()
        if b"\x00" in raw:
            raise forms.ValidationError(_("The file is not a text file."))
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from exc
        if not text.strip():
            raise forms.ValidationError(_("The file is empty."))
        return text

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("audience") and cleaned.get("version"):
            if TermsDocument.objects.filter(audience=cleaned["audience"], version=cleaned["version"]).exists():
                self.add_error("version", _("This version already exists for this audience."))
        if cleaned.get("audience") and not (cleaned.get("summary") or "").strip():
            if TermsDocument.objects.filter(audience=cleaned["audience"]).exists():
                self.add_error("summary", _("Say what changed since the previous version."))
        return cleaned
