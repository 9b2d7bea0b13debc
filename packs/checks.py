"""A warning from `manage.py check` (and at server start) when PDF packs cannot be made."""

from django.conf import settings
from django.core.checks import Warning, register

from . import fonts, render

W001 = "saferhub.packs.W001"
W002 = "saferhub.packs.W002"


@register()
def check_pdf_packs(app_configs, **kwargs):
    if not render.pdf_available():
        return [
            Warning(
                "WeasyPrint cannot load Pango, so decision packs cannot be made as PDF (officers are told so).",
                hint="Install the Debian packages libpango-1.0-0 and libpangoft2-1.0-0 (see .ci/run).",
                id=W001,
            )
        ]
    absent = sorted({family for code, _name in settings.LANGUAGES for family in fonts.missing(code)})
    if absent:
        return [
            Warning(
                f"Fonts missing for PDF decision packs: {', '.join(absent)} (officers are told so).",
                hint="Install the Debian packages " + " ".join(fonts.packages_for(absent)) + " (see .ci/run).",
                id=W002,
            )
        ]
    return []
