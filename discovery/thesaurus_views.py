"""Coordinators' pages of the search thesaurus: list, add, edit and delete concepts and their terms."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.policy import permission_required

from . import thesaurus
from .models import Concept, Term

TERM_MAX = 200


class ConceptForm(forms.Form):
    """One text box per language, one term per line."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name in thesaurus.languages():
            self.fields[code] = forms.CharField(
                label=gettext_lazy("Terms in %(language)s") % {"language": name},
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3, "lang": code, "dir": "rtl" if code == "ar" else "ltr"}),
                help_text=gettext_lazy("One term per line."),
            )

    def clean(self):
        cleaned = super().clean()
        terms = {}
        for code, _name in thesaurus.languages():
            lines = [line.strip() for line in (cleaned.get(code) or "").splitlines() if line.strip()]
            if len(lines) > thesaurus.MAX_TERMS_PER_LANGUAGE:
                self.add_error(
                    code, _("At most %(count)s terms per language.") % {"count": thesaurus.MAX_TERMS_PER_LANGUAGE}
                )
            for line in lines:
                if len(line) > TERM_MAX:
                    self.add_error(code, _("A term is at most %(count)s characters long.") % {"count": TERM_MAX})
                elif not thesaurus.textsearch.normalise_words(line):
                    self.add_error(code, _("“%(term)s” has no letters or digits to search for.") % {"term": line[:50]})
            terms[code] = lines
        if sum(len(lines) for lines in terms.values()) < 2 and not self.errors:
            raise forms.ValidationError(_("Give at least two terms: a concept links terms that mean the same."))
        cleaned["terms"] = terms
        return cleaned


def _initial(concept: Concept) -> dict:
    return {code: "\n".join(texts) for code, texts in thesaurus.terms_by_language(concept).items()}


@require_http_methods(["GET"])
@permission_required("discovery.thesaurus")
def concept_list(request):
    concepts = Concept.objects.prefetch_related(Prefetch("terms", queryset=Term.objects.order_by("language", "id")))
    codes = [code for code, _name in thesaurus.languages()]
    rows = []
    for concept in concepts:
        terms = thesaurus.terms_by_language(concept)
        # The links' hidden names use the reader's language where the concept has a term in it.
        reader = get_language() or settings.LANGUAGE_CODE
        named_in = reader if terms.get(reader) else next((code for code in codes if terms.get(code)), "")
        rows.append(
            {
                "concept": concept,
                "cells": [(code, terms.get(code, [])) for code in codes],
                "name": terms[named_in][0] if named_in else str(concept),
                "name_language": named_in,
            }
        )
    return render(
        request,
        "discovery/thesaurus_list.html",
        {"rows": rows, "thesaurus_languages": thesaurus.languages()},
    )


@require_http_methods(["GET", "POST"])
@permission_required("discovery.thesaurus")
def concept_add(request):
    form = ConceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        thesaurus.add_concept(form.cleaned_data["terms"], by=request.user, request=request)
        messages.success(request, _("The concept was added to the search thesaurus."))
        return redirect("discovery:thesaurus")
    status = 400 if form.errors else 200
    return render(request, "discovery/thesaurus_form.html", {"form": form, "concept": None}, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("discovery.thesaurus")
def concept_edit(request, pk):
    concept = get_object_or_404(Concept, pk=pk)
    form = ConceptForm(request.POST or None, initial=_initial(concept))
    if request.method == "POST" and form.is_valid():
        thesaurus.update_concept(concept, form.cleaned_data["terms"], by=request.user, request=request)
        messages.success(request, _("The concept was saved."))
        return redirect("discovery:thesaurus")
    status = 400 if form.errors else 200
    return render(request, "discovery/thesaurus_form.html", {"form": form, "concept": concept}, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("discovery.thesaurus")
def concept_delete(request, pk):
    concept = get_object_or_404(Concept, pk=pk)
    if request.method == "POST":
        thesaurus.delete_concept(concept, by=request.user, request=request)
        messages.success(request, _("The concept was deleted from the search thesaurus."))
        return redirect("discovery:thesaurus")
    return render(request, "discovery/thesaurus_delete.html", {"concept": concept})
