"""URL table of the providers' pages (/tools/mine/).

In the shared world a current provider-terms document exists that neither persona
organisation has accepted (see terms/tests/url_expectations.py), so both providers are
refused (403) like officers and coordinators: rule "organisation.work". The provider tests
(test_provider_*.py) cover the accepted case, isolation between organisations (404) and
the terms gate itself.
"""

from testkit import factories
from testkit.urltable import LOGIN, Expect, same

# Everyone signed in is refused: officers and coordinators by role, the world's providers
# because their organisations have not accepted the current provider terms.
WORK = same(403, anonymous=LOGIN)


def build_world(world):
    org_a = world.users["provider_a"].membership.organisation
    tool = factories.ToolFactory(organisation=org_a, slug="provider-draft-tool")
    world.objects["provider_draft_tool"] = tool
    world.objects["provider_attachment"] = factories.AttachmentFactory(tool=tool)
    factories.make_questionnaire("provider-table-form", [{"key": "provider-table-q"}], order=90)


def _tool(world):
    return {"slug": world.provider_draft_tool.slug}


EXPECTATIONS = {
    "catalogue:my_tools": Expect(WORK),
    "catalogue:provider_tool_create": Expect(WORK),
    "catalogue:provider_tool": Expect(WORK, kwargs=_tool),
    "catalogue:provider_tool_edit": Expect(WORK, kwargs=_tool),
    "catalogue:provider_answers": Expect(
        WORK, kwargs=lambda w: {"slug": w.provider_draft_tool.slug, "questionnaire": "provider-table-form"}
    ),
    "catalogue:preview": Expect(WORK, kwargs=_tool),
    # POST only: checked with an empty POST.
    "catalogue:provider_attachment_upload": Expect(WORK, kwargs=_tool, method="post"),
    "catalogue:provider_attachment_delete": Expect(
        WORK,
        kwargs=lambda w: {"slug": w.provider_draft_tool.slug, "public_id": w.provider_attachment.public_id},
        method="post",
    ),
    "catalogue:provider_submit": Expect(WORK, kwargs=_tool, method="post"),
    "catalogue:provider_start_update": Expect(WORK, kwargs=_tool, method="post"),
    "catalogue:provider_confirm": Expect(WORK, kwargs=_tool, method="post"),
}
