"""The pack request: which tools (as on the comparison), the language and the format."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import slug_re
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.models import Tool, ToolState

MAX_TOOLS = 4  # as many as the comparison shows
PDF = "pdf"
DOCX = "docx"


class PackForm(forms.Form):
    tools = forms.CharField(max_length=500)
    language = forms.ChoiceField(label=_("Language of the pack"), choices=settings.LANGUAGES)
    format = forms.ChoiceField(choices=[(PDF, "PDF"), (DOCX, "DOCX")])

    def clean_tools(self) -> list[Tool]:
        slugs = list(dict.fromkeys(part.strip() for part in self.cleaned_data["tools"].split(",") if part.strip()))
        if not slugs:
            raise forms.ValidationError(gettext("Choose between 1 and %(max)s tools to compare.") % {"max": MAX_TOOLS})
        malformed = [slug for slug in slugs if len(slug) > 100 or not slug_re.fullmatch(slug)]
        if malformed:
            raise forms.ValidationError(
                gettext("These are not tool identifiers: %(slugs)s.")
                % {"slugs": ", ".join(repr(slug)[:60] for slug in malformed[:4])}
            )
        if len(slugs) > MAX_TOOLS:
            raise forms.ValidationError(
                gettext("You can compare up to %(max)s tools at once; you chose %(count)s.")
                % {"max": MAX_TOOLS, "count": len(slugs)}
            )
        # Only published tools: a pack never carries a draft, a suspended or a withdrawn tool.
        found = {
            tool.slug: tool
            for tool in Tool.objects.select_related("organisation").filter(slug__in=slugs, state=ToolState.PUBLISHED)
        }
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            raise forms.ValidationError(
                gettext("These tools are not in the catalogue: %(slugs)s.") % {"slugs": ", ".join(missing)[:500]}
            )
        return [found[slug] for slug in slugs]
