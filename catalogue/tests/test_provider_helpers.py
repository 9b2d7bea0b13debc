"""Shared builders for the provider tests (no tests here)."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfWriter

from questionnaires.models import Question
from testkit import factories

T = Question.Type

TOOLS_FORM = [
    {"key": "purpose", "type": T.SHORT_TEXT, "required": True},
    {"key": "details", "type": T.LONG_TEXT},
    {"key": "deployment", "type": T.SINGLE_CHOICE, "options": ["cloud", "on-premises"], "criterion": True},
    {"key": "data-types", "type": T.MULTIPLE_CHOICE, "options": ["images", "video", "text"], "criterion": True},
    {"key": "offline", "type": T.YES_NO, "criterion": True},
    {"key": "accuracy", "type": T.NUMBER},
    {"key": "release-date", "type": T.DATE},
    {"key": "documentation", "type": T.URL},
]
RAI_FORM = [
    {"key": "bias-testing", "type": T.LONG_TEXT, "required": True},
    {"key": "assessment-report", "type": T.FILE},
]


def make_forms():
    """The two questionnaires the provider tests fill in."""
    tools = factories.make_questionnaire("tools-form", TOOLS_FORM, order=0)
    rai = factories.make_questionnaire("responsible-ai", RAI_FORM, order=1)
    return tools, rai


def working_member(organisation=None, *, is_admin=False):
    """A member of an approved organisation that accepted the current provider terms."""
    organisation = organisation or factories.OrganisationFactory()
    user = factories.MembershipFactory(organisation=organisation, is_admin=is_admin).user
    document = factories.TermsDocumentFactory(audience="providers")
    factories.TermsAcceptanceFactory(document=document, user=user, organisation=organisation)
    return user


def png_bytes(size=(32, 32), colour=(11, 79, 138), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, colour if mode == "RGB" else 0).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_with_exif(size=(40, 30)) -> bytes:
    image = Image.new("RGB", size, (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "Secret Camera Maker"  # Make
    exif[0x8298] = "Copyright someone"
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def pixel_bomb() -> bytes:
    """A small PNG file that decodes to 10,000 x 10,000 pixels."""
    buffer = io.BytesIO()
    Image.new("1", (10000, 10000), 0).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def pdf_bytes(*, javascript: bool = False, password: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if javascript:
        from pypdf.actions import JavaScript

        writer.add_open_action(JavaScript("app.alert('hello');"))
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)
