"""Providers describe their tools: list, create, edit, logo checks, isolation and the terms gate."""

import io
import re

import pytest
from django.urls import reverse
from PIL import Image

from audit.models import Action, AuditEvent
from catalogue.models import Tool, ToolState
from catalogue.services import RESERVED_SLUGS
from catalogue.tests.test_provider_helpers import (
    jpeg_with_exif,
    make_forms,
    pixel_bomb,
    png_bytes,
    upload,
    working_member,
)
from testkit import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def forms(db):
    return make_forms()


@pytest.fixture
def member(db):
    return working_member()


@pytest.fixture
def provider(signed_in, member):
    """A client signed in as a member of an organisation that accepted the current terms."""
    return signed_in(member)


CREATE = reverse("catalogue:provider_tool_create")
MINE = reverse("catalogue:my_tools")


def tool_data(**overrides):
    data = {
        "name": "Image Sorter",
        "short_description": "Sorts seized images by likely relevance.",
        "long_description": "Longer text.",
        "website": "https://sorter.example.com",
    }
    data.update(overrides)
    return data


# --- the list -----------------------------------------------------------------------------
def test_my_tools_lists_own_tools_with_state_and_coordinators_comment(provider, member):
    organisation = member.membership.organisation
    draft = factories.ToolFactory(organisation=organisation, name="Draft Finder")
    changes = factories.ToolFactory(organisation=organisation, name="Needs Work", state=ToolState.CHANGES_REQUESTED)
    factories.ReviewFactory(tool=changes, decision="request_changes", comment="Old comment")
    factories.ReviewFactory(tool=changes, decision="request_changes", comment="Please remove the ranking claim.")
    factories.ToolFactory(name="Someone Else's Tool")  # another organisation

    response = provider.get(MINE)

    assert response.status_code == 200
    body = response.content.decode()
    assert draft.name in body and changes.name in body
    assert "Someone Else&#x27;s Tool" not in body and "Someone Else's Tool" not in body
    assert "Changes requested" in body and "Draft" in body
    assert "Please remove the ranking claim." in body
    assert "Old comment" not in body
    assert CREATE in body


def test_my_tools_query_count_does_not_grow_with_tools(provider, member, django_assert_max_num_queries):
    organisation = member.membership.organisation
    for _ in range(2):
        tool = factories.ToolFactory(organisation=organisation, state=ToolState.REJECTED)
        factories.ReviewFactory(tool=tool, decision="reject", comment="No.")
    provider.get(MINE)  # warm caches (session, terms)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        provider.get(MINE)
    for _ in range(15):
        tool = factories.ToolFactory(organisation=organisation, state=ToolState.REJECTED)
        factories.ReviewFactory(tool=tool, decision="reject", comment="No.")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = provider.get(MINE)
    assert response.content.decode().count("No.") == 17


# --- creating -----------------------------------------------------------------------------
def test_create_a_tool_with_a_logo(provider, member):
    response = provider.post(CREATE, {**tool_data(), "logo": upload("my logo.png", png_bytes(), "image/png")})

    tool = Tool.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:provider_tool", args=[tool.slug])
    assert re.fullmatch(r"image-sorter-[0-9a-f]{6}", tool.slug)
    assert tool.state == ToolState.DRAFT
    assert tool.organisation == member.membership.organisation
    assert tool.created_by == member
    assert tool.logo.name.startswith("logos/") and "my logo" not in tool.logo.name
    with tool.logo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "PNG" and image.size == (32, 32)
    assert AuditEvent.objects.filter(action=Action.TOOL_CREATED, target_id=tool.slug, actor=member).exists()


def test_a_jpeg_logo_is_re_encoded_as_png_without_metadata(provider):
    original = jpeg_with_exif()
    assert b"Secret Camera Maker" in original

    provider.post(CREATE, {**tool_data(), "logo": upload("photo.jpg", original, "image/jpeg")})

    tool = Tool.objects.get()
    with tool.logo.open("rb") as stored:
        data = stored.read()
    assert b"Secret Camera Maker" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        assert not image.getexif()
        assert image.size == (40, 30)


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("bomb.png", pixel_bomb(), "4096"),
        ("wide.png", png_bytes(size=(5000, 10), mode="L"), "4096"),
        ("page.png", b"<html><script>alert(1)</script></html>", "PNG or JPEG"),
        ("big.png", png_bytes() + b"\0" * (1024 * 1024), "1 MB"),
        ("notes.txt", b"just some text", "PNG or JPEG"),
        ("broken.png", png_bytes()[:40], "PNG or JPEG"),
        ("anim.gif", b"GIF89a" + b"\0" * 50, "PNG or JPEG"),
    ],
    ids=["pixel-bomb", "too-wide", "html-renamed-png", "oversized", "not-an-image", "truncated-png", "gif"],
)
def test_bad_logos_are_refused_with_400_and_the_typed_values_kept(provider, name, data, message):
    response = provider.post(CREATE, {**tool_data(name="Kept Name"), "logo": upload(name, data, "image/png")})

    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert 'value="Kept Name"' in body
    assert not Tool.objects.exists()


def test_name_and_short_description_are_needed(provider):
    response = provider.post(CREATE, tool_data(name="  ", short_description=""))
    assert response.status_code == 400
    assert "field-errors" in response.content.decode()
    assert not Tool.objects.exists()


def test_slugs_are_unique_and_never_shadow_catalogue_paths(provider):
    provider.post(CREATE, tool_data(name="Image Sorter"))
    provider.post(CREATE, tool_data(name="Image Sorter"))
    provider.post(CREATE, tool_data(name="Mine"))
    provider.post(CREATE, tool_data(name="Поиск"))

    slugs = sorted(Tool.objects.values_list("slug", flat=True))
    assert len(set(slugs)) == 4
    patterns = [r"image-sorter-[0-9a-f]{6}", r"image-sorter-[0-9a-f]{6}", r"mine-[0-9a-f]{6}", r"tool-[0-9a-f]{6}"]
    assert sorted(patterns) == sorted(next(p for p in patterns if re.fullmatch(p, slug)) for slug in slugs)
    # "mine", "compare" and the other fixed paths can never be a slug: every slug has a suffix.
    assert not set(slugs) & RESERVED_SLUGS


# --- editing ------------------------------------------------------------------------------
def test_edit_a_draft_and_replace_its_logo(provider, member):
    tool = factories.ToolFactory(organisation=member.membership.organisation, name="Old Name")
    url = reverse("catalogue:provider_tool_edit", args=[tool.slug])
    assert provider.get(url).status_code == 200

    response = provider.post(url, {**tool_data(name="New Name"), "logo": upload("l.png", png_bytes(), "image/png")})

    assert response.status_code == 302
    tool.refresh_from_db()
    assert tool.name == "New Name"
    assert tool.logo
    assert tool.version == 2
    event = AuditEvent.objects.get(action=Action.TOOL_UPDATED)
    assert event.before["name"] == "Old Name" and event.after["name"] == "New Name"

    provider.post(url, {**tool_data(name="New Name"), "remove_logo": "on"})
    tool.refresh_from_db()
    assert not tool.logo


@pytest.mark.parametrize("state", [ToolState.SUBMITTED, ToolState.PUBLISHED, ToolState.REJECTED])
def test_a_tool_under_review_or_decided_cannot_be_edited(provider, member, state):
    tool = factories.ToolFactory(organisation=member.membership.organisation, name="Frozen", state=state)
    url = reverse("catalogue:provider_tool_edit", args=[tool.slug])

    response = provider.post(url, tool_data(name="Changed"), follow=True)

    tool.refresh_from_db()
    assert tool.name == "Frozen"
    assert "cannot be changed now" in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.TOOL_UPDATED).exists()


def test_changes_requested_tool_can_be_edited(provider, member):
    tool = factories.ToolFactory(organisation=member.membership.organisation, state=ToolState.CHANGES_REQUESTED)
    response = provider.post(reverse("catalogue:provider_tool_edit", args=[tool.slug]), tool_data(name="Fixed"))
    assert response.status_code == 302
    tool.refresh_from_db()
    assert tool.name == "Fixed"


# --- who may -------------------------------------------------------------------------------
def _provider_urls(tool, attachment):
    return [
        ("get", reverse("catalogue:provider_tool", args=[tool.slug])),
        ("get", reverse("catalogue:provider_tool_edit", args=[tool.slug])),
        ("post", reverse("catalogue:provider_tool_edit", args=[tool.slug])),
        ("get", reverse("catalogue:provider_answers", args=[tool.slug, "tools-form"])),
        ("get", reverse("catalogue:provider_answers_section", args=[tool.slug, "tools-form", "main"])),
        ("post", reverse("catalogue:provider_answers_section", args=[tool.slug, "tools-form", "main"])),
        ("get", reverse("catalogue:provider_submit", args=[tool.slug])),
        ("get", reverse("catalogue:preview", args=[tool.slug])),
        ("post", reverse("catalogue:provider_submit", args=[tool.slug])),
        ("post", reverse("catalogue:provider_attachment_upload", args=[tool.slug])),
        ("post", reverse("catalogue:provider_attachment_delete", args=[tool.slug, attachment.public_id])),
    ]


def test_another_organisations_tool_is_not_found(provider, forms):
    tool = factories.ToolFactory(name="Secret Tool")
    attachment = factories.AttachmentFactory(tool=tool)
    for method, url in _provider_urls(tool, attachment):
        response = getattr(provider, method)(url, {"name": "Hijack", "short_description": "x"})
        assert response.status_code == 404, url
    tool.refresh_from_db()
    assert tool.name == "Secret Tool" and tool.state == ToolState.DRAFT
    assert tool.attachments.count() == 1


def test_an_organisation_without_accepted_terms_is_refused(signed_in, forms):
    organisation = factories.OrganisationFactory()
    user = factories.MembershipFactory(organisation=organisation).user
    factories.TermsDocumentFactory(audience="providers")  # current, not accepted by the organisation
    tool = factories.ToolFactory(organisation=organisation)
    attachment = factories.AttachmentFactory(tool=tool)
    client = signed_in(user)

    assert client.get(MINE).status_code == 403
    assert client.post(CREATE, tool_data()).status_code == 403
    for method, url in _provider_urls(tool, attachment):
        assert getattr(client, method)(url).status_code == 403, url
    assert Tool.objects.count() == 1


def test_a_pending_organisation_is_refused(signed_in):
    organisation = factories.OrganisationFactory(status="pending")
    user = factories.MembershipFactory(organisation=organisation).user
    assert signed_in(user).get(MINE).status_code == 403


@pytest.mark.parametrize("persona", ["verified_officer", "coordinator"])
def test_officers_and_coordinators_are_refused(signed_in, persona, request):
    client = signed_in(request.getfixturevalue(persona))
    assert client.get(MINE).status_code == 403
    assert client.post(CREATE, tool_data()).status_code == 403
    assert not Tool.objects.exists()


def test_a_second_member_of_the_organisation_works_on_the_same_tools(signed_in, member):
    organisation = member.membership.organisation
    tool = factories.ToolFactory(organisation=organisation, name="Shared Tool")
    colleague = factories.MembershipFactory(organisation=organisation, is_admin=False).user
    response = signed_in(colleague).get(MINE)
    assert response.status_code == 200
    assert tool.name in response.content.decode()
