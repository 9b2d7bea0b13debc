from testkit.urltable import HUB, LOGIN, Expect, same

EXPECTATIONS: dict = {}

# --- a tool's page and its files (tool page / review part) -----------------------------
# The objects come from url_expectations_review.build_world: `page_tool` is a published
# tool of provider A with a logo and an attachment.
# Its own organisation's members may fetch its files; anyone else who may not see the tool gets 404.
TOOL_FILES = same(404, anonymous=LOGIN, verified_officer=200, provider_a=200, coordinator=200)
EXPECTATIONS.update(
    {
        "catalogue:tool_detail": Expect(HUB, kwargs=lambda w: {"slug": w.page_tool.slug}),
        "catalogue:attachment_download": Expect(
            TOOL_FILES, kwargs=lambda w: {"public_id": w.page_attachment.public_id}
        ),
        "catalogue:logo": Expect(TOOL_FILES, kwargs=lambda w: {"slug": w.page_tool.slug}),
    }
)
