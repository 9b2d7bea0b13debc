"""Downloading a decision pack (verified officers) and the counts per tool (coordinators)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from core.policy import permission_required

from . import content, fonts, selectors
from . import render as renderers
from .forms import PDF, PackForm
from .services import record_download


@require_GET  # not HEAD: every download is audited and counted
@never_cache  # Cache-Control: no-store (also set for every signed-in page): no cache keeps a pack
@permission_required("packs.download")
def download(request):
    """The pack of up to four published tools, as PDF or DOCX, in the language asked for."""
    form = PackForm(request.GET)
    if not form.is_valid():
        return render(request, "packs/refused.html", {"form": form}, status=400)
    tools = form.cleaned_data["tools"]
    language = form.cleaned_data["language"]
    file_format = form.cleaned_data["format"]
    if file_format == PDF:
        missing = fonts.missing(language) if renderers.pdf_available() else []
        if not renderers.pdf_available() or missing:
            # Never a PDF with empty boxes for letters: the officer is told and offered the DOCX.
            context = {
                "missing": missing,
                "tools": ",".join(tool.slug for tool in tools),
                "language": language,
                "no_pdf_library": not renderers.pdf_available(),
            }
            return render(request, "packs/unavailable.html", context, status=503)
    today = timezone.localdate()
    pack = content.build(tools, language, today=today)
    if file_format == PDF:
        data, content_type = renderers.pdf(pack), renderers.PDF_TYPE
    else:
        data, content_type = renderers.docx(pack), renderers.DOCX_TYPE
    record_download(request, tools, language=language, file_format=file_format, day=today)
    response = HttpResponse(data, content_type=content_type)
    filename = f"saferhub-decision-pack-{today.isoformat()}-{language}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@permission_required("packs.view_counts")
def counts(request):
    """How many downloaded packs held each tool, for coordinators."""
    today = timezone.localdate()
    return render(
        request,
        "packs/counts.html",
        {"rows": selectors.counts(today), "recent_days": selectors.RECENT_DAYS},
    )
