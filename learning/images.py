"""Checking images for learning texts by their content (SECURITY.md UP-01).

PNG or JPEG up to 2 MB, recognised by their first bytes; opened with Pillow under a pixel limit
(a small file that decodes to a huge image is refused), verified, and re-encoded into a fresh
image so that no metadata (EXIF, GPS position, text chunks, ICC profiles) survives.
"""

from __future__ import annotations

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image

MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 4096
MAX_PIXELS = 12_000_000
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"


def clean_image(upload) -> tuple[ContentFile, str]:
    """(re-encoded image, content type), or ValidationError."""
    too_large = ValidationError(_("The image must be at most 2 MB."), code="too_large")
    if upload.size is not None and upload.size > MAX_BYTES:
        raise too_large
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise too_large
    if data.startswith(PNG_MAGIC):
        pillow_format, content_type = "PNG", "image/png"
    elif data.startswith(JPEG_MAGIC):
        pillow_format, content_type = "JPEG", "image/jpeg"
    else:
        raise ValidationError(_("The image must be a PNG or JPEG file."), code="wrong_type")
    invalid = ValidationError(_("The image could not be read."), code="invalid_image")
    too_big = ValidationError(
        _("Images may have at most %(side)s pixels on a side.") % {"side": MAX_SIDE}, code="too_many_pixels"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[pillow_format]) as probe:
                width, height = probe.size
                if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
                    raise too_big
                probe.verify()
            with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
                image.load()
                if pillow_format == "JPEG" and image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                elif pillow_format == "PNG" and image.mode not in ("RGB", "RGBA", "L", "LA"):
                    image = image.convert("RGBA")
                # A fresh image carries pixels only: EXIF (with any GPS position) stays behind.
                clean = Image.new(image.mode, image.size)
                clean.paste(image)
                output = io.BytesIO()
                clean.save(output, format=pillow_format, **({"quality": 90} if pillow_format == "JPEG" else {}))
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_big from None
    except Exception:  # noqa: BLE001 - any decoder failure means "not a usable image"
        raise invalid from None
    return ContentFile(output.getvalue()), content_type
