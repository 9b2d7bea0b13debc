"""Checking the sample of an intended use by its content (SECURITY.md UP-01).

PDF, PNG or JPEG up to 5 MB, recognised by their first bytes, never by the name or the
content type the browser sent. Images are opened with Pillow under a pixel limit (so a small
file that decodes to a huge image is refused), verified, and re-encoded in their own format so
no metadata survives. PDFs must parse with pypdf, unencrypted and without scripts.
"""

from __future__ import annotations

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image

from catalogue.uploads import clean_pdf

from .models import SampleType

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 8000
MAX_PIXELS = 16_000_000

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
PDF_MAGIC = b"%PDF-"

TOO_LARGE = _("The sample must be at most 5 MB.")
WRONG_TYPE = _("The sample must be a PDF document, a PNG image or a JPEG image.")


def _read_capped(upload) -> bytes:
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(TOO_LARGE, code="too_large")
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(TOO_LARGE, code="too_large")
    return data


def sniff(data: bytes) -> SampleType | None:
    """The sample's type from its first bytes, or None."""
    if data.startswith(PDF_MAGIC):
        return SampleType.PDF
    if data.startswith(PNG_MAGIC):
        return SampleType.PNG
    if data.startswith(JPEG_MAGIC):
        return SampleType.JPEG
    return None


def clean_sample(upload) -> tuple[ContentFile, SampleType]:
    """The checked (images: re-encoded) sample and its type, or ValidationError."""
    data = _read_capped(upload)
    kind = sniff(data)
    if kind is None:
        raise ValidationError(WRONG_TYPE, code="wrong_type")
    if kind == SampleType.PDF:
        return ContentFile(clean_pdf(upload), name="sample.pdf"), kind
    return ContentFile(_clean_image(data, kind), name=f"sample.{kind}"), kind


def _clean_image(data: bytes, kind: SampleType) -> bytes:
    pillow_format = "PNG" if kind == SampleType.PNG else "JPEG"
    invalid = ValidationError(
        _("The sample is not a readable %(format)s image.") % {"format": pillow_format}, code="invalid_image"
    )
    too_big = ValidationError(
        _("Images may have at most %(pixels)s million pixels and %(side)s pixels on a side.")
        % {"pixels": MAX_PIXELS // 1_000_000, "side": MAX_SIDE},
        code="too_many_pixels",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # The header gives the size before any pixel is decoded.
            with Image.open(io.BytesIO(data), formats=[pillow_format]) as probe:
                width, height = probe.size
                if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
                    raise too_big
                probe.verify()
            # verify() leaves the image unusable: open it again to decode the pixels.
            with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
                image.load()
                if kind == SampleType.JPEG and image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                elif kind == SampleType.PNG and image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    image = image.convert("RGBA")
                # A fresh image carries pixels only: EXIF, text chunks and ICC profiles stay behind.
                clean = Image.new(image.mode, image.size)
                if image.mode == "P":
                    clean.putpalette(image.getpalette())
                clean.paste(image)
                output = io.BytesIO()
                if kind == SampleType.PNG:
                    clean.save(output, format="PNG", optimize=True)
                else:
                    clean.save(output, format="JPEG", quality=90)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_big from None
    except Exception:  # noqa: BLE001 - any decoder failure means "not a usable image"
        raise invalid from None
    return output.getvalue()
