"""Building learning content for tests through the services, as authors and coordinators do."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from pypdf import PdfWriter

from learning import services
from learning.models import Item, ItemText, Kind
from testkit import factories

MODULE_BODY = "Why this matters.\n\n## First lesson\n\nRead this.\n\n## Second lesson\n\nThen this.\n"
CHECK = "? Is inclusion an endorsement?\n- Yes\n* No\n\n? Who decides?\n* The agency\n- The provider\n"


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def publish_item(
    slug: str,
    *,
    title: str = "",
    body: str = "Some text.",
    language: str = "en",
    translations: dict | None = None,
    steps=("triage",),
    by=None,
    kind: str = Kind.ARTICLE,
    check: str = "",
    **fields,
) -> Item:
    """An item published in its original language and in each language of `translations`
    ({language: (title, body)})."""
    by = by or factories.CoordinatorFactory()
    if kind == Kind.RESOURCE and "resource" not in fields:
        fields["resource"] = ContentFile(pdf_bytes(), name="resource.pdf")
    item = services.create_item(
        by,
        slug=slug,
        kind=kind,
        original_language=language,
        steps=list(steps),
        title=title or f"Item {slug}",
        body=body,
        check_text=check,
        **fields,
    )
    services.publish(services.submit(ItemText.objects.get(item=item, language=language), by), by)
    for code, (translated_title, translated_body) in (translations or {}).items():
        text = services.save_text(item, code, by, title=translated_title, body=translated_body)
        services.publish(services.submit(text, by), by)
    return Item.objects.get(pk=item.pk)
