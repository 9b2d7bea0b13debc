"""URL table of the providers' pages (/tools/mine/).

In the shared world a current provider-terms document exists that provider A's organisation
accepted and provider B's has not (see terms/tests/url_expectations.py): provider A works on
its tools; provider B is refused (403) like officers and coordinators, by rule
"organisation.work". The provider tests (test_provider_*.py) cover isolation between
organisations (404) and the terms gate itself.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from catalogue.models import Attachment, Tool
from testkit import factories
from testkit.urltable import LOGIN, Expect, fresh, no_fields, same

from .test_provider_helpers import pdf_bytes

# Provider A works on its own tools; everyone else signed in is refused: officers and
# coordinators by role, provider B because its organisation has not accepted the current terms.
WORK = same(403, anonymous=LOGIN, provider_a=200)
WORK_POST = same(403, anonymous=LOGIN, provider_a=302)


def build_world(world):
    org_a = world.users["provider_a"].membership.organisation
    tool = factories.ToolFactory(organisation=org_a, slug="provider-draft-tool")
    world.objects["provider_draft_tool"] = tool
    world.objects["provider_attachment"] = factories.AttachmentFactory(tool=tool)
    factories.make_questionnaire("provider-table-form", [{"key": "provider-table-q"}], order=90)


def _tool(world):
    return {"slug": world.provider_draft_tool.slug}


def _published(world):
    """Updates and confirmations are about a published tool: the tool page's (url_expectations_review)."""
    return {"slug": world.page_tool.slug}


EXPECTATIONS = {
    "catalogue:my_tools": Expect(WORK),
    "catalogue:provider_tool_create": Expect(WORK),
    "catalogue:provider_tool": Expect(WORK, kwargs=_tool),
    "catalogue:provider_tool_edit": Expect(WORK, kwargs=_tool),
    "catalogue:provider_answers": Expect(
        WORK, kwargs=lambda w: {"slug": w.provider_draft_tool.slug, "questionnaire": "provider-table-form"}
    ),
    "catalogue:preview": Expect(WORK, kwargs=_tool),
    "catalogue:provider_attachment_upload": Expect(
        WORK_POST,
        kwargs=_tool,
        method="post",
        body=lambda w: {
            "title": "Assessment report",
            "file": SimpleUploadedFile("report.pdf", pdf_bytes(), content_type="application/pdf"),
        },
        effect=lambda w: Attachment.objects.filter(tool=w.provider_draft_tool).count(),
    ),
    "catalogue:provider_attachment_delete": Expect(
        WORK_POST,
        kwargs=lambda w: {"slug": w.provider_draft_tool.slug, "public_id": w.provider_attachment.public_id},
        method="post",
        body=no_fields,
        effect=lambda w: Attachment.objects.filter(pk=w.provider_attachment.pk).exists(),
    ),
    "catalogue:provider_answers_section": Expect(
        WORK,
        kwargs=lambda w: {
            "slug": w.provider_draft_tool.slug,
            "questionnaire": "provider-table-form",
            "section": "main",
        },
        body=lambda w: {"provider-table-q": "An answer.", "then": "stay"},
        posted=WORK_POST,
    ),
    # The GET asks for confirmation; the confirmed POST submits.
    "catalogue:provider_submit": Expect(
        WORK,
        kwargs=_tool,
        body=lambda w: {"confirmed": "yes"},
        posted=WORK_POST,
        effect=lambda w: fresh(w.provider_draft_tool).state,
    ),
    "catalogue:provider_start_update": Expect(
        WORK_POST,
        kwargs=_published,
        method="post",
        body=no_fields,
        effect=lambda w: Tool.objects.filter(revision_of=w.page_tool).count(),
    ),
    "catalogue:provider_confirm": Expect(
        WORK_POST,
        kwargs=_published,
        method="post",
        body=no_fields,
        effect=lambda w: fresh(w.page_tool).last_confirmed_at,
    ),
}
