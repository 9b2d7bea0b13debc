"""Writing, reviewing and publishing: Markdown, preview, images, versions, contributors, audit."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from audit.models import Action, AuditEvent
from learning import services
from learning.models import Image, Item, ItemText, PublishedVersion, TextStatus

from .helpers import publish_item

pytestmark = pytest.mark.django_db

FIELDS = {"kind": "article", "section": "general", "level": "practitioner", "reading_minutes": "4"}


def new_item(client, slug="written", **extra):
    data = {"slug": slug, "original_language": "en", "title": "Written here", "body": "First words.", **FIELDS}
    data.update(extra)
    return client.post(reverse("learning:item_new"), data)


def test_draft_review_publish_and_every_version_kept(signed_in, coordinator, verified_officer, client):
    author = signed_in(coordinator)
    assert new_item(author).status_code == 302
    item = Item.objects.get(slug="written")
    text = ItemText.objects.get(item=item)
    assert text.status == TextStatus.DRAFT and item.published_at is None

    author.post(reverse("learning:text_submit", args=[item.slug, "en"]))
    author.post(reverse("learning:review_text", args=[item.slug, "en"]), {"action": "return", "comment": "Shorter."})
    text.refresh_from_db()
    assert text.status == TextStatus.DRAFT and text.review_comment == "Shorter."

    author.post(reverse("learning:text_submit", args=[item.slug, "en"]))
    author.post(reverse("learning:review_text", args=[item.slug, "en"]), {"action": "publish"})
    author.post(
        reverse("learning:text_edit", args=[item.slug, "en"]),
        {"action": "save", "title": "Written again", "body": "V2"},
    )
    # Readers keep the published version while the new draft waits.
    assert "First words" in author.get(reverse("learning:item", args=[item.slug])).content.decode()
    author.post(reverse("learning:text_submit", args=[item.slug, "en"]))
    author.post(reverse("learning:review_text", args=[item.slug, "en"]), {"action": "publish"})

    assert list(PublishedVersion.objects.filter(item=item).values_list("number", "title")) == [
        (2, "Written again"),
        (1, "Written here"),
    ]
    history = author.get(reverse("learning:item_versions", args=[item.slug])).content.decode()
    assert "Written here" in history and "Written again" in history
    old = author.get(reverse("learning:item_version", args=[item.slug, "en", 1])).content.decode()
    assert "First words" in old
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        Action.LEARNING_ITEM_CREATED,
        Action.LEARNING_TEXT_SUBMITTED,
        Action.LEARNING_TEXT_RETURNED,
        Action.LEARNING_TEXT_PUBLISHED,
        Action.LEARNING_TEXT_SAVED,
    } <= actions


def test_markdown_is_sanitised_and_links_to_other_sites_are_marked(signed_in, coordinator):
    body = "[Ours](/tools/) and [theirs](https://elsewhere.example/x)\n\n<script>alert(1)</script>\n\n![x](https://tracker.example/p.png)"
    item = publish_item("links", body=body)
    html = signed_in(coordinator).get(reverse("learning:item", args=[item.slug])).content.decode()
    assert '<a href="https://elsewhere.example/x" rel="noopener noreferrer external" class="external">' in html
    assert "external-marker" in html
    assert '<a href="/tools/" rel="noopener noreferrer">' in html
    assert "<script>alert(1)" not in html
    assert "tracker.example" not in html  # images only from this hub's uploads


def test_the_preview_renders_without_javascript_and_for_htmx(signed_in, coordinator):
    client = signed_in(coordinator)
    item = publish_item("previewed")
    url = reverse("learning:text_edit", args=[item.slug, "en"])
    data = {"action": "preview", "title": "T", "body": "**Bold words**"}
    page = client.post(url, data)
    assert page.status_code == 200 and "<strong>Bold words</strong>" in page.content.decode()
    assert "<html" in page.content.decode()
    fragment = client.post(url, data, HTTP_HX_REQUEST="true")
    assert fragment.content.decode().strip().startswith('<div id="preview"')
    assert ItemText.objects.get(item=item).title != "T"  # a preview saves nothing


def jpeg_with_gps() -> bytes:
    image = PILImage.new("RGB", (16, 16), (200, 30, 30))
    exif = PILImage.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_uploaded_images_are_re_encoded_without_metadata(signed_in, coordinator):
    client = signed_in(coordinator)
    item = publish_item("with-image", by=coordinator)
    original = jpeg_with_gps()
    assert PILImage.open(io.BytesIO(original)).getexif()  # control: the upload carries EXIF
    client.post(reverse("learning:image_upload", args=[item.slug]), {"image": SimpleUploadedFile("p.jpg", original)})
    stored = Image.objects.get(item=item)
    response = client.get(reverse("learning:image", args=[stored.public_id]))
    data = b"".join(response.streaming_content)
    assert response["Content-Type"] == "image/jpeg" and response["X-Content-Type-Options"] == "nosniff"
    assert not PILImage.open(io.BytesIO(data)).getexif()
    assert b"Camera maker" not in data


def test_html_renamed_to_png_is_refused(signed_in, coordinator):
    client = signed_in(coordinator)
    item = publish_item("no-fake-image", by=coordinator)
    client.post(
        reverse("learning:image_upload", args=[item.slug]),
        {"image": SimpleUploadedFile("x.png", b"<html><script>alert(1)</script>")},
    )
    assert not Image.objects.exists()


def test_a_contributor_writes_own_items_only_and_the_grant_is_audited(signed_in, coordinator, verified_officer):
    client = signed_in(verified_officer)
    assert client.get(reverse("learning:write")).status_code == 403
    client.logout()
    admin = signed_in(coordinator)
    admin.post(reverse("learning:contributors"), {"email": verified_officer.email})
    assert AuditEvent.objects.filter(action=Action.LEARNING_CONTRIBUTOR_GRANTED).count() == 1
    client.logout()
    client = signed_in(verified_officer)
    assert new_item(client, slug="by-officer").status_code == 302
    assert Item.objects.get(slug="by-officer").owner == verified_officer
    others = publish_item("coordinators-item", by=coordinator)
    assert client.get(reverse("learning:item_edit", args=[others.slug])).status_code == 404
    # Contributors never publish: that is the coordinators' review.
    text = ItemText.objects.get(item__slug="by-officer")
    services.submit(text, verified_officer)
    assert (
        client.post(reverse("learning:review_text", args=["by-officer", "en"]), {"action": "publish"}).status_code
        == 403
    )
