"""What readers see: their language or the original with a notice, content notices, modules."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learning.models import CheckResult, Completion, ItemView, Kind, LessonDone

from .helpers import CHECK, MODULE_BODY, pdf_bytes, publish_item

pytestmark = pytest.mark.django_db


def get(client, url, language="en", **params):
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE=language)


def test_a_reader_sees_their_language_where_it_is_published(signed_in, verified_officer):
    item = publish_item(
        "tri-guide", title="Triage guide", body="English body.", translations={"ar": ("دليل الفرز", "نص عربي.")}
    )
    client = signed_in(verified_officer)
    html = get(client, reverse("learning:item", args=[item.slug]), "ar").content.decode()
    assert '<article class="learning-item" lang="ar" dir="rtl"' in html
    assert "دليل الفرز" in html and "نص عربي" in html
    assert "English body" not in html
    assert "Not yet available" not in html


def test_otherwise_the_original_with_a_visible_notice_in_its_own_language(signed_in, verified_officer):
    item = publish_item("only-english", title="Only in English", body="English body.")
    client = signed_in(verified_officer)
    html = get(client, reverse("learning:item", args=[item.slug]), "fr").content.decode()
    # The page is French; the article says it is English; the notice names both languages in their own script.
    assert '<html lang="fr"' in html
    assert '<article class="learning-item" lang="en" dir="ltr"' in html
    assert "fallback-notice" in html
    assert '<bdi lang="fr">français</bdi>' in html.lower() or '<bdi lang="fr">Français</bdi>' in html
    assert '<bdi lang="en">English</bdi>' in html


def test_an_unpublished_translation_is_not_shown(signed_in, verified_officer, coordinator):
    from learning import services

    item = publish_item("draft-translation", title="Published English", by=coordinator)
    services.save_text(item, "es", coordinator, title="Borrador", body="Texto sin publicar.")
    html = get(signed_in(verified_officer), reverse("learning:item", args=[item.slug]), "es").content.decode()
    assert "Texto sin publicar" not in html and "Published English" in html
    assert "fallback-notice" in html


def test_the_body_of_a_distressing_item_is_not_in_the_page_before_the_notice_is_passed(signed_in, verified_officer):
    item = publish_item("hard-reading", body="The sensitive paragraph.", distressing=True)
    client = signed_in(verified_officer)
    url = reverse("learning:item", args=[item.slug])
    before = get(client, url).content.decode()
    assert "The sensitive paragraph" not in before
    assert 'name="notice" value="passed"' in before  # a plain GET form: works without JavaScript
    after = get(client, url, notice="passed").content.decode()
    assert "The sensitive paragraph" in after
    # Control: an item without the flag shows its body at once.
    plain = publish_item("easy-reading", body="The ordinary paragraph.")
    assert "The ordinary paragraph" in get(client, reverse("learning:item", args=[plain.slug])).content.decode()


def test_a_module_is_done_lesson_by_lesson_and_its_check_shows_the_right_answers(signed_in, verified_officer):
    item = publish_item("module-one", kind=Kind.MODULE, body=MODULE_BODY, check=CHECK)
    client = signed_in(verified_officer)
    html = get(client, reverse("learning:item", args=[item.slug])).content.decode()
    assert 'id="lesson-1"' in html and 'id="lesson-2"' in html
    assert ItemView.objects.filter(item=item, user=verified_officer).exists()

    client.post(reverse("learning:lesson_done", args=[item.slug, 1]))
    assert not Completion.objects.filter(item=item, user=verified_officer).exists()
    client.post(reverse("learning:lesson_done", args=[item.slug, 2]))
    assert LessonDone.objects.filter(item=item, user=verified_officer).count() == 2
    assert Completion.objects.filter(item=item, user=verified_officer).exists()

    response = client.post(reverse("learning:check", args=[item.slug]), {"q1": "1", "q2": "1"})
    html = response.content.decode()
    assert "You answered 1 of 2 questions right." in html
    assert html.count("(right answer)") == 2 and html.count("(your answer)") == 2
    assert CheckResult.objects.get(item=item, user=verified_officer).score == 1

    progress = client.get(reverse("learning:progress")).content.decode()
    assert "1 of 2" in progress


def test_a_check_without_answers_is_refused_and_keeps_the_page(signed_in, verified_officer):
    item = publish_item("module-two", kind=Kind.MODULE, body=MODULE_BODY, check=CHECK)
    response = signed_in(verified_officer).post(reverse("learning:check", args=[item.slug]), {"q1": "1"})
    assert response.status_code == 400
    assert not CheckResult.objects.exists()


def test_a_resource_is_always_a_download(signed_in, verified_officer):
    item = publish_item("a-resource", kind=Kind.RESOURCE)
    response = signed_in(verified_officer).get(reverse("learning:resource", args=[item.slug]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_resource_must_be_a_real_pdf(signed_in, coordinator):
    client = signed_in(coordinator)
    fields = {
        "slug": "fake-pdf",
        "original_language": "en",
        "title": "A fake",
        "kind": "resource",
        "section": "general",
        "level": "introductory",
        "reading_minutes": "3",
    }
    fake = SimpleUploadedFile("doc.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    response = client.post(reverse("learning:item_new"), {**fields, "resource": fake})
    assert response.status_code == 400
    assert "A fake" in response.content.decode()  # nothing typed is lost
    real = SimpleUploadedFile("doc.pdf", pdf_bytes(), content_type="application/pdf")
    assert client.post(reverse("learning:item_new"), {**fields, "resource": real}).status_code == 302


def test_providers_and_pending_officers_never_read_learning_content(signed_in, provider_admin, pending_officer, client):
    item = publish_item("secret-knowledge", body="Officer-only words.")
    url = reverse("learning:item", args=[item.slug])
    assert client.get(url).status_code == 302  # anonymous: the sign-in page
    for user in (provider_admin, pending_officer):
        client.logout()
        response = signed_in(user).get(url)
        assert response.status_code == 403
        assert "Officer-only words" not in response.content.decode()
