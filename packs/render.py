"""A pack as a PDF (HTML through WeasyPrint) and as an editable DOCX (python-docx)."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from . import fonts
from .content import Pack

try:
    import weasyprint
except OSError:  # Pango is missing: the pack page says so instead of failing (checks.py warns)
    weasyprint = None

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# BCP 47 tags for the documents' language attributes.
LANGUAGE_TAGS = {"zh-hans": "zh-Hans"}


def pdf_available() -> bool:
    return weasyprint is not None


def font_stack(language: str) -> str:
    """The language's own font first, then the others (a provider may write in any script)."""
    families = [
        fonts.LANGUAGE_FONTS.get(language, fonts.BASE_FONT),
        fonts.BASE_FONT,
        fonts.ARABIC_FONT,
        fonts.CHINESE_FONT,
    ]
    ordered = list(dict.fromkeys(families))
    return ", ".join(f"'{family}'" for family in ordered) + ", sans-serif"


def language_tag(language: str) -> str:
    return LANGUAGE_TAGS.get(language, language)


def pdf(pack: Pack) -> bytes:
    html = render_to_string(
        "packs/pack.html",
        {"pack": pack, "font_stack": font_stack(pack.language), "lang": language_tag(pack.language)},
    )
    # No base URL: the document loads nothing (no images, no remote fonts or styles).
    return weasyprint.HTML(string=html).write_pdf()


# --- DOCX ------------------------------------------------------------------------------
def _set_direction(paragraph, pack: Pack) -> None:
    if pack.direction != "rtl":
        return
    paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
    for run in paragraph.runs:
        run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))


def _paragraph(container, pack: Pack, text: str, *, style: str | None = None, bold: bool = False):
    paragraph = container.add_paragraph(style=style)
    run = paragraph.add_run(text)
    run.bold = bold or None
    _set_direction(paragraph, pack)
    return paragraph


def _heading(document, pack: Pack, text: str, level: int):
    paragraph = document.add_heading(text, level=level)
    _set_direction(paragraph, pack)
    return paragraph


def _table(document, pack: Pack, rows) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    if pack.direction == "rtl":
        table._tbl.tblPr.append(OxmlElement("w:bidiVisual"))
    for row in rows:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(row.question).bold = True
        _set_direction(cells[0].paragraphs[0], pack)
        first, *rest = row.lines
        run = cells[1].paragraphs[0].add_run(first)
        run.italic = not row.answered or None
        _set_direction(cells[1].paragraphs[0], pack)
        for line in rest:
            _paragraph(cells[1], pack, line)


def _document_defaults(document, pack: Pack) -> None:
    """Fonts and language for every script in the pack, so Word shapes Arabic and shows Chinese."""
    style = document.styles["Normal"]
    style.font.name = fonts.BASE_FONT
    style.font.size = Pt(10)
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), fonts.CHINESE_FONT)
    rfonts.set(qn("w:cs"), fonts.ARABIC_FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language_tag(pack.language) if pack.language not in ("ar", "zh-hans") else "en")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")
    rpr.append(lang)


def docx(pack: Pack) -> bytes:
    document = Document()
    _document_defaults(document, pack)
    document.core_properties.title = pack.title
    document.core_properties.language = language_tag(pack.language)
    _heading(document, pack, pack.title, 0)
    _paragraph(document, pack, pack.made)
    for statement in pack.statements:
        _paragraph(document, pack, statement, bold=True)
    _heading(document, pack, pack.labels["contents"], 1)
    for tool in pack.tools:
        _paragraph(document, pack, f"{tool.name} · {tool.provider}", style="List Bullet")
    for tool in pack.tools:
        document.add_page_break()
        _heading(document, pack, tool.name, 1)
        for line in (tool.provider, tool.short_description, tool.website, tool.last_updated, tool.last_confirmed):
            if line:
                _paragraph(document, pack, line)
        _paragraph(document, pack, pack.statements[0], bold=True)
        if tool.notices:
            _heading(document, pack, pack.labels["notices"], 2)
            for notice in tool.notices:
                _paragraph(document, pack, notice.heading, bold=True)
                _paragraph(document, pack, f"{pack.labels['reason']}: {notice.reason}")
                _paragraph(document, pack, notice.summary)
                if notice.guidance:
                    _paragraph(document, pack, f"{pack.labels['guidance']}: {notice.guidance}")
        for questionnaire in tool.questionnaires:
            _heading(document, pack, questionnaire.name, 2)
            _paragraph(document, pack, questionnaire.completeness)
            for section in questionnaire.sections:
                _heading(document, pack, section.title, 3)
                _table(document, pack, section.rows)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
