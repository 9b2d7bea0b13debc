"""Checking uploaded files by their content (SECURITY.md UP-01).

Logos: PNG or JPEG up to 1 MB and 4096x4096 pixels, opened and verified with Pillow, then
re-encoded to a fresh PNG (no metadata survives). Attachments: PDF up to 10 MB that pypdf can
parse, not encrypted, without JavaScript. Nothing the uploader named reaches the file
system: the models generate the stored names.
"""

from __future__ import annotations

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_SIDE = 4096
LOGO_MAX_PIXELS = LOGO_MAX_SIDE * LOGO_MAX_SIDE
LOGO_FORMATS = {"PNG", "JPEG"}
PDF_MAX_BYTES = 10 * 1024 * 1024

# Pillow refuses (DecompressionBombError) anything above twice this; we refuse above it too.
Image.MAX_IMAGE_PIXELS = LOGO_MAX_PIXELS


def _read_capped(upload, limit: int, message) -> bytes:
    if upload.size is not None and upload.size > limit:
        raise ValidationError(message, code="too_large")
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(message, code="too_large")
    return data


def clean_logo(upload) -> ContentFile:
    """A re-encoded PNG of the uploaded logo, or ValidationError."""
    data = _read_capped(upload, LOGO_MAX_BYTES, _("The logo must be at most 1 MB."))
    invalid = ValidationError(_("The logo must be a PNG or JPEG image."), code="invalid_image")
    too_big = ValidationError(
        _("The logo may be at most %(side)s by %(side)s pixels.") % {"side": LOGO_MAX_SIDE}, code="too_many_pixels"
    )
    if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff")):
        raise invalid
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in LOGO_FORMATS:
                    raise invalid
                width, height = probe.size
                if width > LOGO_MAX_SIDE or height > LOGO_MAX_SIDE or width * height > LOGO_MAX_PIXELS:
                    raise too_big
                probe.verify()
            # verify() leaves the image unusable: open it again to decode the pixels.
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                if image.mode not in ("RGB", "RGBA", "L", "LA"):
                    image = image.convert("RGBA")
                # A fresh image carries pixels only: EXIF, text chunks and ICC profiles stay behind.
                clean = Image.new(image.mode, image.size)
                clean.paste(image)
                output = io.BytesIO()
                clean.save(output, format="PNG", optimize=True)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_big from None
    except Exception:  # noqa: BLE001 - any decoder failure means "not a usable image"
        raise invalid from None
    return ContentFile(output.getvalue(), name="logo.png")


def clean_pdf(upload) -> bytes:
    """The bytes of a checked PDF, or ValidationError."""
    data = _read_capped(upload, PDF_MAX_BYTES, _("The file must be at most 10 MB."))
    invalid = ValidationError(_("The file must be a PDF document."), code="invalid_pdf")
    if not data.startswith(b"%PDF-"):
        raise invalid
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise ValidationError(
                    _("Encrypted or password-protected PDF files are not accepted."), code="encrypted_pdf"
                )
            if len(reader.pages) < 1:
                raise invalid
            if b"/JavaScript" in data or active_content(reader):
                raise ValidationError(_("PDF files with scripts are not accepted."), code="pdf_javascript")
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of errors on broken files
        raise invalid from None
    return data


# Anything that can run, open, launch or carry another file. pypdf decodes names as it reads
# them, so "/Java#53cript" arrives here as "/JavaScript".
ACTIVE_KEYS = frozenset(
    {"/AA", "/JS", "/JavaScript", "/XFA", "/EmbeddedFile", "/EmbeddedFiles", "/RichMediaContent", "/RichMediaSettings"}
)
ACTIVE_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/ImportData",
        "/SubmitForm",
        "/GoToE",
        "/RichMediaExecute",
        "/Rendition",
        "/Movie",
        "/Sound",
    }
)
ACTIVE_TYPES = frozenset({"/EmbeddedFile", "/Filespec", "/RichMedia", "/FileAttachment", "/Movie", "/Sound", "/Screen"})
# A bound on the walk: a 10 MB file cannot hold more objects than this without being hostile.
MAX_PDF_NODES = 500_000


class _TooComplex(Exception):
    pass


def active_content(reader) -> str | None:
    """The first script, action, launch or embedded file found anywhere in the document's object
    graph (every object reachable from the trailer: catalogue, pages, annotations, /OpenAction and
    /Next chains, name trees, object streams), or None."""
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    visited = 0
    while stack:
        node = stack.pop()
        visited += 1
        if visited > MAX_PDF_NODES:
            raise _TooComplex
        if isinstance(node, IndirectObject):
            reference = (node.idnum, node.generation)
            if reference in seen:
                continue
            seen.add(reference)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            for key, value in node.items():
                if key in ACTIVE_KEYS:
                    return str(key)
                if key in ("/S", "/Type", "/Subtype") and isinstance(value, NameObject):
                    if (key == "/S" and value in ACTIVE_ACTIONS) or (key != "/S" and value in ACTIVE_TYPES):
                        return f"{key} {value}"
                stack.append(value)
            if isinstance(node, StreamObject):
                continue  # a stream's bytes are content, not objects
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return None
